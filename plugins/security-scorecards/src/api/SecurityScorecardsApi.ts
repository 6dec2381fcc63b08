import { createApiRef } from '@backstage/core-plugin-api';
import {
  DependencyListResponse,
  DependencyUsageResponse,
  EntityScorecard,
  FindingCategory,
  FindingListResponse,
  FindingOrderField,
  FindingStatus,
  GroupScorecard,
  RubricResponse,
  ScanSummary,
  ScorecardHistoryResponse,
  Severity,
  SlaState,
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
}

/**
 * Reference to the {@link SecurityScorecardsApi}.
 *
 * @public
 */
export const securityScorecardsApiRef = createApiRef<SecurityScorecardsApi>({
  id: 'plugin.security-scorecards.api',
});
