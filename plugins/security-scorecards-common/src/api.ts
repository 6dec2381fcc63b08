import { SeverityCounts } from './severity';

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
}
