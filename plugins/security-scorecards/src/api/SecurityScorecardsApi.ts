import { createApiRef } from '@backstage/core-plugin-api';
import {
  CreateWaiverRequest,
  DependencyListResponse,
  DependencyUsageResponse,
  EntityScorecard,
  EscalationListResponse,
  EscalationState,
  FindingCategory,
  FindingListResponse,
  FindingOrderField,
  FindingStatus,
  GroupScorecard,
  RubricResponse,
  ScanListResponse,
  ScanSummary,
  ScorecardHistoryResponse,
  Severity,
  SlaState,
  Waiver,
  WaiverHistoryResponse,
  WaiverListResponse,
  WaiverStatus,
} from '@secdevops/plugin-security-scorecards-common';

/**
 * Which findings of an entity to read, and how.
 *
 * @public
 */
export interface FindingListQuery {
  entityRef: string;
  statuses?: FindingStatus[];
  severities?: Severity[];
  categories?: FindingCategory[];
  scanners?: string[];
  /** SLA states of open findings; empty or absent for any. */
  slaStates?: SlaState[];
  /** Text searched in title, rule, package, path and identifiers. */
  text?: string;
  orderBy?: FindingOrderField;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/**
 * Which dependencies of an entity to read.
 *
 * @public
 */
export interface DependencyListQuery {
  entityRef: string;
  text?: string;
  vulnerable?: boolean;
  limit?: number;
  offset?: number;
}

/**
 * Which group's rollup to read.
 *
 * @public
 */
export interface GroupScorecardQuery {
  /** A group ref, e.g. `group:default/payments`; absent for the whole organisation. */
  entityRef?: string;
  /** The level the "share at target" counts; the rubric's target by default. */
  targetLevel?: number;
}

/**
 * Which escalations to read: of an entity, of a group's subtree, or (with
 * neither) of the whole organisation.
 *
 * @public
 */
export interface EscalationListQuery {
  entityRef?: string;
  /** A group ref; not together with `entityRef`. */
  groupRef?: string;
  /** Active or closed ones; both when absent (active first). */
  state?: EscalationState;
  limit?: number;
}

/**
 * Which waivers of an entity to read.
 *
 * @public
 */
export interface WaiverListQuery {
  entityRef: string;
  /** Only waivers in these statuses; every status when empty or absent. */
  status?: WaiverStatus[];
}

/**
 * Reads security scorecards data from the security scorecards backend.
 *
 * @public
 */
export interface SecurityScorecardsApi {
  /** The scans of an entity, newest first. */
  listScans(options: {
    entityRef: string;
    limit?: number;
  }): Promise<ScanSummary[]>;
  /**
   * The scans of an entity, newest first, with the status of the pull
   * collectors that apply to it.
   */
  listScanHistory(options: {
    entityRef: string;
    limit?: number;
  }): Promise<ScanListResponse>;
  /** A page of an entity's findings, sorted and filtered on the server. */
  listFindings(query: FindingListQuery): Promise<FindingListResponse>;
  /** A page of an entity's dependencies, vulnerable first. */
  listDependencies(query: DependencyListQuery): Promise<DependencyListResponse>;
  /** The scorecard of an entity: level, score, checks and trend. */
  getEntityScorecard(options: { entityRef: string }): Promise<EntityScorecard>;
  /** The rollup of a group's whole subtree, or of the organisation. */
  getGroupScorecard(query: GroupScorecardQuery): Promise<GroupScorecard>;
  /** Daily score and open findings of an entity or a group, oldest first. */
  getScorecardHistory(options: {
    entityRef: string;
    days?: number;
  }): Promise<ScorecardHistoryResponse>;
  /** The rubric: its levels, checks and the default target level. */
  getRubric(): Promise<RubricResponse>;
  /** The entities of a group's subtree (or of the organisation) as CSV. */
  exportGroupCsv(options: { entityRef?: string }): Promise<Blob>;
  /** The entities using a package: every version, or the purl's version. */
  findDependencyUsage(options: {
    purl: string;
  }): Promise<DependencyUsageResponse>;
  /** SLA escalations of an entity, a group's subtree or the organisation; active first. */
  listEscalations(query: EscalationListQuery): Promise<EscalationListResponse>;
  /** The waivers of an entity, newest first. */
  listWaivers(query: WaiverListQuery): Promise<WaiverListResponse>;
  /** Requests a waiver; the caller is the requester. */
  createWaiver(request: CreateWaiverRequest): Promise<Waiver>;
  /** Approves a pending waiver. */
  approveWaiver(id: string): Promise<Waiver>;
  /** Rejects a pending waiver, with an optional reason. */
  rejectWaiver(id: string, reason?: string): Promise<Waiver>;
  /** Revokes a pending or active waiver. */
  revokeWaiver(id: string): Promise<Waiver>;
  /** Every change of a waiver, oldest first. */
  getWaiverHistory(id: string): Promise<WaiverHistoryResponse>;
  /** The entity's active waivers as a CycloneDX VEX document. */
  exportVex(entityRef: string): Promise<Blob>;
}

/**
 * Reference to the {@link SecurityScorecardsApi}.
 *
 * @public
 */
export const securityScorecardsApiRef = createApiRef<SecurityScorecardsApi>({
  id: 'plugin.security-scorecards.api',
});
