import {
  emptySeverityCounts,
  FINDING_CATEGORIES,
  FINDING_STATUSES,
  FindingCategory,
  FindingStatus,
  SeverityCounts,
} from '@secdevops/plugin-security-scorecards-common';
import { ParsedReport } from '@secdevops/plugin-security-scorecards-node';

/** What a report holds, counted: the output of `validate`. */
export interface ReportSummary {
  file: string;
  format: string;
  scanner: string;
  scannerVersion?: string;
  /** All findings, whatever their status. */
  findings: number;
  bySeverity: SeverityCounts;
  byCategory: Record<FindingCategory, number>;
  /** Findings the report itself marks suppressed, fixed or not affected are not open. */
  byStatus: Record<FindingStatus, number>;
  dependencies: number;
}

/** Counts a parsed report's findings by severity, category and status. */
export function summarizeReport(
  file: string,
  report: ParsedReport,
): ReportSummary {
  const bySeverity = emptySeverityCounts();
  const byCategory = zeroCounts(FINDING_CATEGORIES);
  const byStatus = zeroCounts(FINDING_STATUSES);
  for (const finding of report.findings) {
    bySeverity[finding.severity] += 1;
    byCategory[finding.category] += 1;
    byStatus[finding.status] += 1;
  }
  return {
    file,
    format: report.format,
    scanner: report.scanner,
    ...(report.scannerVersion ? { scannerVersion: report.scannerVersion } : {}),
    findings: report.findings.length,
    bySeverity,
    byCategory,
    byStatus,
    dependencies: report.dependencies.length,
  };
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map(key => [key, 0])) as Record<K, number>;
}
