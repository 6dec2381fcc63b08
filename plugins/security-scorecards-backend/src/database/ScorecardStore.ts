import {
  DependencyListResponse,
  DependencyUsage,
  FindingCategory,
  FindingListResponse,
  FindingOrderField,
  FindingStatus,
  NormalizedDependency,
  NormalizedFinding,
  ScanFindingCounts,
  ScanSummary,
  Severity,
  SlaState,
} from '@secdevops/plugin-security-scorecards-common';

/**
 * A parsed report to store as the latest scan of an entity and source.
 *
 * @internal
 */
export interface NewScan {
  entityRef: string;
  source: string;
  format: string;
  scanner: string;
  scannerVersion?: string;
  commit?: string;
  branch?: string;
  createdBy: string;
  /**
   * When the scan ran, for reports sent later (a backfill); default now. Not
   * in the future, and after the latest scan of the entity and source.
   */
  scannedAt?: Date;
  /**
   * Finding categories the scan looked for; the store adds those of its
   * findings.
   */
  categories: FindingCategory[];
  /**
   * Read once, a batch at a time as they are stored; a fingerprint that
   * repeats counts once. An error thrown while reading stores nothing.
   */
  findings: Iterable<NormalizedFinding>;
  /**
   * Read twice (to tell whether they changed, then to write them), so an
   * array or an iterable that reads afresh on each pass; a package that
   * repeats counts once.
   */
  dependencies: Iterable<NormalizedDependency>;
}

/**
 * A scan whose scanner did not finish, to keep in the scan history: it
 * changes no finding.
 *
 * @internal
 */
export interface NewFailedScan {
  entityRef: string;
  source: string;
  format: string;
  scanner: string;
  commit?: string;
  branch?: string;
  createdBy: string;
  /** Why it failed, as the scanner said. */
  error: string;
}

/**
 * What storing a scan did.
 *
 * @internal
 */
export interface StoredScan {
  scanId: string;
  findings: ScanFindingCounts;
  dependencies: number;
}

/**
 * Which findings of an entity to list, and how.
 *
 * @internal
 */
export interface FindingQuery {
  entityRef: string;
  statuses?: FindingStatus[];
  severities?: Severity[];
  categories?: FindingCategory[];
  scanners?: string[];
  /** Only open findings in these SLA states. */
  slaStates?: SlaState[];
  /** Only findings of these scan sources. */
  sources?: string[];
  /** Only findings first seen at or after this time. */
  firstSeenSince?: Date;
  /** Only findings their report suppresses (true), or only the others (false). */
  suppressedInReport?: boolean;
  /**
   * With `statuses`: also the findings their report suppresses, whatever
   * their status (a gate rule's `includeReportSuppressed`).
   */
  orSuppressedInReport?: boolean;
  /** Case-insensitive text search in title, rule, package and path. */
  text?: string;
  orderBy: FindingOrderField;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * Which dependencies of an entity to list.
 *
 * @internal
 */
export interface DependencyQuery {
  entityRef: string;
  /** Case-insensitive text search in name and purl. */
  text?: string;
  /** Only vulnerable (true) or only not vulnerable (false) dependencies. */
  vulnerable?: boolean;
  limit: number;
  offset: number;
}

/**
 * Persistence of scans, findings and dependencies. The only place that speaks SQL.
 *
 * @internal
 */
export interface ScorecardStore {
  /**
   * Stores a scan in one transaction: the scan replaces the previous one of
   * the same entity and source, so findings missing from it become fixed,
   * returning ones reopen and known ones keep their first-seen time.
   */
  storeScan(scan: NewScan): Promise<StoredScan>;
  /**
   * Records a scan whose scanner did not finish, as failed, in the scan
   * history; no finding or dependency changes. Returns its id.
   */
  storeFailedScan(scan: NewFailedScan): Promise<string>;
  /** The scans of an entity, newest first. */
  listScans(options: {
    entityRef: string;
    limit: number;
  }): Promise<ScanSummary[]>;
  listFindings(query: FindingQuery): Promise<FindingListResponse>;
  /** Dependencies of an entity, vulnerable ones first, one per package across sources. */
  listDependencies(query: DependencyQuery): Promise<DependencyListResponse>;
  /**
   * Entities that use a package: every version when the purl has none, else
   * that version. The owner is left to the caller.
   */
  findDependencyUsage(purl: string): Promise<Omit<DependencyUsage, 'owner'>[]>;
  /** Throws when the database cannot be reached. */
  checkConnection(): Promise<void>;
}
