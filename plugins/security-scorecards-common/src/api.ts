import {
  Cvss,
  FindingCategory,
  FindingLocation,
  FindingPackage,
  FindingStatus,
} from './findings';
import { SlaState } from './scorecards';
import { Severity, SeverityCounts } from './severity';

/**
 * How a scan changed the findings of its entity and source.
 *
 * @public
 */
export interface ScanFindingCounts {
  /** Findings in the report, after de-duplication. */
  total: number;
  /** First seen in this scan. */
  new: number;
  /** Fixed before, present again. */
  reopened: number;
  /** Present in the previous scan of the source, missing from this one. */
  fixed: number;
  /** Known and still present. */
  unchanged: number;
  /**
   * Findings of the report that the report itself suppresses (a SARIF
   * suppression, a VEX `not_affected` or `false_positive`, a Trivy modified
   * finding, a dismissed alert): part of `total`, stored with the status the
   * report gave and `suppressedInReport`, never open.
   */
  suppressed: number;
}

/**
 * Whether a scan was applied: `failed` when the scanner said it did not
 * finish (e.g. a SARIF run with `executionSuccessful: false`); such a scan
 * changed no finding.
 *
 * @public
 */
export type ScanStatus = 'succeeded' | 'failed';

/**
 * One uploaded or collected scan of an entity, as the scans API lists it.
 *
 * @public
 */
export interface ScanSummary {
  id: string;
  entityRef: string;
  /** The scope a re-scan replaces: by default the scanner's name. */
  source: string;
  format: string;
  scanner: string;
  scannerVersion?: string;
  commit?: string;
  branch?: string;
  createdAt: string;
  createdBy: string;
  /** `failed` scans changed nothing; their counts are zero. */
  status: ScanStatus;
  /** Why a failed scan failed, as the scanner said. */
  error?: string;
  findings: ScanFindingCounts;
  /** Open findings in this scan, per severity. */
  openFindings: SeverityCounts;
  dependencyCount: number;
}

/**
 * Response of `GET /api/security-scorecards/scans`.
 *
 * @public
 */
export interface ScanListResponse {
  items: ScanSummary[];
  /** The pull collectors that apply to the entity, and how their last run went. */
  collectors: CollectorStatus[];
}

/**
 * How a pull collector (finding source) last ran for an entity.
 *
 * @public
 */
export interface CollectorStatus {
  sourceId: string;
  lastRunAt: string;
  /** The last run that stored a result or found nothing changed. */
  lastSuccessAt?: string;
  /** Why the last run failed; absent when it succeeded. */
  error?: string;
}

/**
 * Response of `POST /api/security-scorecards/sources/:sourceId/collect`.
 *
 * @public
 */
export interface CollectRunResponse {
  sourceId: string;
  entityRef: string;
  /** `stored`: new results were stored; `unchanged`: nothing changed since the last run. */
  status: 'stored' | 'unchanged' | 'failed';
  error?: string;
  /** The scans stored by the run (the url source stores one per report). */
  scans: IngestScanResponse[];
}

/**
 * Response of `POST /api/security-scorecards/scans`.
 *
 * @public
 */
export interface IngestScanResponse {
  scanId: string;
  entityRef: string;
  format: string;
  scanner: string;
  findings: ScanFindingCounts;
  /** Dependencies in the report. */
  dependencies: number;
}

/**
 * A stored finding of an entity.
 *
 * @public
 */
export interface Finding {
  id: string;
  entityRef: string;
  source: string;
  severity: Severity;
  category: FindingCategory;
  title: string;
  description?: string;
  ruleId: string;
  status: FindingStatus;
  statusReason?: string;
  scanner: string;
  package?: FindingPackage;
  location?: FindingLocation;
  identifiers: string[];
  cvss?: Cvss;
  /** For secrets: a redacted excerpt, never the secret. */
  secret?: { redacted: string };
  epss?: number;
  knownExploited: boolean;
  references: string[];
  firstSeenAt: string;
  lastSeenAt: string;
  fixedAt?: string;
  /**
   * The waiver that waived it, when one did; a finding its report marks as
   * suppressed is waived without one.
   */
  waiverId?: string;
  /**
   * True when the latest report of its source suppresses it (SARIF
   * suppression, VEX `not_affected` or `false_positive`, Trivy modified
   * finding, dismissed alert) rather than a waiver: its status is the one
   * the report gave, and it is counted apart from open findings.
   */
  suppressedInReport?: boolean;
  /** When an open or waived finding is due under the SLA; absent for severities without an SLA. */
  dueAt?: string;
  /** SLA state of an open finding with a due date. */
  slaState?: SlaState;
}

/**
 * What the findings API sorts by (`orderBy`).
 *
 * @public
 */
export const FINDING_ORDER_FIELDS = [
  'severity',
  'title',
  'category',
  'status',
  'scanner',
  'ruleId',
  'firstSeenAt',
  'lastSeenAt',
] as const;

/**
 * A field the findings API sorts by.
 *
 * @public
 */
export type FindingOrderField = (typeof FINDING_ORDER_FIELDS)[number];

/**
 * Response of `GET /api/security-scorecards/findings`.
 *
 * @public
 */
export interface FindingListResponse {
  items: Finding[];
  totalCount: number;
}

/**
 * A stored dependency of an entity.
 *
 * @public
 */
export interface Dependency {
  entityRef: string;
  source: string;
  purl?: string;
  name: string;
  version?: string;
  ecosystem?: string;
  licenses: string[];
  direct?: boolean;
  /** Whether an open finding of the entity is about this package. */
  vulnerable: boolean;
  /** Open findings of the entity about this package, per severity. */
  openFindings: SeverityCounts;
}

/**
 * Response of `GET /api/security-scorecards/dependencies`.
 *
 * @public
 */
export interface DependencyListResponse {
  items: Dependency[];
  totalCount: number;
}

/**
 * An entity that uses a package.
 *
 * @public
 */
export interface DependencyUsage {
  entityRef: string;
  /** The entity's owner from the catalog, when the entity is still there. */
  owner?: string;
  purl?: string;
  name: string;
  version?: string;
  direct?: boolean;
  vulnerable: boolean;
}

/**
 * Response of `GET /api/security-scorecards/dependencies/usage`.
 *
 * @public
 */
export interface DependencyUsageResponse {
  items: DependencyUsage[];
}
