import {
  FindingCategory,
  NormalizedDependency,
  NormalizedFinding,
} from '@secdevops/plugin-security-scorecards-common';

/**
 * A report format the ingestion understands.
 *
 * @public
 */
export type ReportFormat =
  | 'sarif'
  | 'cyclonedx'
  | 'spdx'
  | 'trivy'
  | 'grype'
  | 'osv'
  | 'npm-audit'
  | 'gitleaks'
  | 'github-dependabot'
  | 'github-code-scanning';

/**
 * All report formats, in the order `format=auto` tries to recognise them.
 *
 * @public
 */
export const REPORT_FORMATS: readonly ReportFormat[] = [
  'sarif',
  'cyclonedx',
  'spdx',
  'trivy',
  'grype',
  'osv',
  'npm-audit',
  'gitleaks',
  'github-dependabot',
  'github-code-scanning',
];

/**
 * What one report holds, normalized, read as it is iterated: each pass over
 * `findings` or `dependencies` reads them from the report again, so that a
 * large report is never all in memory as objects. A finding the report gets
 * wrong throws an `InputError` naming its place when the pass reaches it.
 *
 * The findings may repeat a fingerprint (the first one counts); the
 * dependencies may repeat a package.
 *
 * @public
 */
export interface StreamedReport {
  /**
   * The report format: one of {@link ReportFormat} for reports the parsers
   * read; a collector may name its own, e.g. `dependency-track`.
   */
  format: ReportFormat | (string & {});
  /** The tool that produced the report, e.g. `CodeQL`, `Trivy`, `gitleaks`. */
  scanner: string;
  scannerVersion?: string;
  findings: Iterable<NormalizedFinding>;
  dependencies: Iterable<NormalizedDependency>;
  /**
   * The finding categories the scan looked for, when the report says so
   * (Trivy's result classes, a CycloneDX BOM with a vulnerabilities list).
   * A scan that found nothing still counts as a scan of these.
   */
  coverage?: FindingCategory[];
}

/**
 * What one report holds, normalized, in memory.
 *
 * @public
 */
export interface ParsedReport extends StreamedReport {
  /** Unique by fingerprint. */
  findings: NormalizedFinding[];
  /** Unique by purl (or name and version when there is no purl). */
  dependencies: NormalizedDependency[];
}
