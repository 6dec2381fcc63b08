/**
 * Where a waiver stands: `pending` until approved (when approval is
 * required), `active` while it waives findings, and then `expired`,
 * `revoked` or (a pending one) `rejected`.
 *
 * @public
 */
export type WaiverStatus =
  | 'pending'
  | 'active'
  | 'expired'
  | 'revoked'
  | 'rejected';

/**
 * All waiver statuses.
 *
 * @public
 */
export const WAIVER_STATUSES: readonly WaiverStatus[] = [
  'pending',
  'active',
  'expired',
  'revoked',
  'rejected',
];

/**
 * What a waiver covers on its entity: one finding, every finding of a rule,
 * or every finding in a package. A package URL with a version covers that
 * version only; one without a version covers every version of the package.
 *
 * @public
 */
export type WaiverScope =
  | { findingId: string }
  | { ruleId: string }
  | { purl: string };

/**
 * Why a waived vulnerability does not affect the entity, in CycloneDX VEX
 * terms (`analysis.justification`). Optional: without it a waiver is a plain
 * risk acceptance, exported as `exploitable` with the response `will_not_fix`.
 *
 * @public
 */
export type WaiverVexJustification =
  | 'code_not_present'
  | 'code_not_reachable'
  | 'requires_configuration'
  | 'requires_dependency'
  | 'requires_environment'
  | 'protected_by_compiler'
  | 'protected_at_runtime'
  | 'protected_at_perimeter'
  | 'protected_by_mitigating_control';

/**
 * All CycloneDX VEX justifications a waiver can give.
 *
 * @public
 */
export const WAIVER_VEX_JUSTIFICATIONS: readonly WaiverVexJustification[] = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
];

/**
 * A risk acceptance: while active, the open findings of its entity that its
 * scope matches are `waived`, so they leave the score, the SLA clock and the
 * CI gates until it expires or is revoked.
 *
 * @public
 */
export interface Waiver {
  id: string;
  entityRef: string;
  scope: WaiverScope;
  justification: string;
  vexJustification?: WaiverVexJustification;
  status: WaiverStatus;
  /** User or service that requested it. */
  requestedBy: string;
  requestedAt: string;
  /** Set when approval is required and someone approved it. */
  approvedBy?: string;
  approvedAt?: string;
  rejectedBy?: string;
  rejectedAt?: string;
  expiresAt: string;
  revokedBy?: string;
  revokedAt?: string;
  /** Findings this waiver currently waives. */
  findingCount: number;
}

/**
 * The body of `POST /waivers`: exactly one of `findingId`, `ruleId` and `purl`.
 *
 * @public
 */
export interface CreateWaiverRequest {
  entityRef: string;
  findingId?: string;
  ruleId?: string;
  purl?: string;
  justification: string;
  /** ISO 8601 time, in the future and at most `waivers.maxDays` ahead. */
  expiresAt: string;
  vexJustification?: WaiverVexJustification;
}

/**
 * A page of waivers.
 *
 * @public
 */
export interface WaiverListResponse {
  items: Waiver[];
}

/**
 * What happened to a waiver.
 *
 * @public
 */
export type WaiverAction =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'revoked'
  | 'expired';

/**
 * One change of a waiver, as its history records it.
 *
 * @public
 */
export interface WaiverHistoryEntry {
  waiverId: string;
  action: WaiverAction;
  /** Who did it; `system` for an expiry. */
  actor: string;
  at: string;
  /** What changed, e.g. the findings waived or reopened. */
  detail?: { [key: string]: unknown };
}

/**
 * The history of a waiver, oldest first.
 *
 * @public
 */
export interface WaiverHistoryResponse {
  items: WaiverHistoryEntry[];
}
