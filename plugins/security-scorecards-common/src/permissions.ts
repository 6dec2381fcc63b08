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
/**
 * Reading scorecards: levels, scores, check results, rollups and history.
 * They hold counts and evidence, never finding details, so this is not a
 * resource permission: a policy decides per user who sees the organisation's
 * scorecards.
 *
 * @public
 */
export const securityScorecardsScorecardReadPermission = createPermission({
  name: 'security-scorecards.scorecard.read',
  attributes: { action: 'read' },
});

export const securityScorecardsPermissions = [
  securityScorecardsScorecardReadPermission,
  securityScorecardsFindingsReadPermission,
  securityScorecardsScanCreatePermission,
  securityScorecardsWaiverCreatePermission,
  securityScorecardsWaiverApprovePermission,
];
