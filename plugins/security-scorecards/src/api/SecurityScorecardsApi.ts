import { createApiRef } from '@backstage/core-plugin-api';
import {
  DependencyListResponse,
  FindingCategory,
  FindingListResponse,
  FindingOrderField,
  FindingStatus,
  ScanSummary,
  Severity,
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
}

/**
 * Reference to the {@link SecurityScorecardsApi}.
 *
 * @public
 */
export const securityScorecardsApiRef = createApiRef<SecurityScorecardsApi>({
  id: 'plugin.security-scorecards.api',
});
