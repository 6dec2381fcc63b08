import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the findings, dependencies and scan details of a catalog entity.
 * A resource permission on the entity, so a policy can allow it to owners only.
 *
 * @public
 */
export const securityScorecardsFindingsReadPermission = createPermission({
  name: 'security-scorecards.findings.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Uploading a scan report for a catalog entity.
 *
 * @public
 */
export const securityScorecardsScanCreatePermission = createPermission({
  name: 'security-scorecards.scan.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Requesting a waiver (risk acceptance) for findings of a catalog entity.
 *
 * @public
 */
export const securityScorecardsWaiverCreatePermission = createPermission({
  name: 'security-scorecards.waiver.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Approving or revoking a waiver requested by someone else.
 *
 * @public
 */
export const securityScorecardsWaiverApprovePermission = createPermission({
  name: 'security-scorecards.waiver.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the security scorecards plugins.
 *
 * @public
 */
export const securityScorecardsPermissions = [
  securityScorecardsFindingsReadPermission,
  securityScorecardsScanCreatePermission,
  securityScorecardsWaiverCreatePermission,
  securityScorecardsWaiverApprovePermission,
];
