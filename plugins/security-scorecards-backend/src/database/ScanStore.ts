import {
  ScanSummary,
  SeverityCounts,
} from '@secdevops/plugin-security-scorecards-common';

/**
 * A scan to record for an entity.
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
  openFindings: SeverityCounts;
  dependencyCount: number;
}

/**
 * Persistence of scans.
 *
 * @internal
 */
export interface ScanStore {
  /** Records a scan and returns it with its id and time. */
  recordScan(scan: NewScan): Promise<ScanSummary>;
  /** The scans of an entity, newest first. */
  listScans(options: {
    entityRef: string;
    limit: number;
  }): Promise<ScanSummary[]>;
  /** Throws when the database cannot be reached. */
  checkConnection(): Promise<void>;
}
