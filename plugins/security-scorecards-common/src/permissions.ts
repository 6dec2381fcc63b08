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
 * Reading the scorecard of a catalog entity: its level, score, check results
 * and history. A resource permission on the entity, so a policy can allow it
 * conditionally (e.g. the catalog's `isEntityOwner`); a policy that allows it
 * unconditionally lets everyone read every scorecard.
 *
 * Lists are filtered with it, one batched check per request: the lowest
 * entities of a rollup, the rows of a CSV export and escalations show only
 * the entities the caller may read. The totals of a group's subtree or of the
 * organisation (counts, averages, level distribution, compliance, history)
 * name no entity: they stay totals of every entity and need only Backstage
 * credentials. The rubric needs a policy that does not deny this permission
 * outright (it allows it, on every entity or on some).
 *
 * @public
 */
export const securityScorecardsScorecardReadPermission = createPermission({
  name: 'security-scorecards.scorecard.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the security scorecards plugins.
 *
 * @public
 */
export const securityScorecardsPermissions = [
  securityScorecardsScorecardReadPermission,
  securityScorecardsFindingsReadPermission,
  securityScorecardsScanCreatePermission,
  securityScorecardsWaiverCreatePermission,
  securityScorecardsWaiverApprovePermission,
];
