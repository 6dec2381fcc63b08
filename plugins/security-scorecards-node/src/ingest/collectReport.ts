import { dependencyKey } from '@secdevops/plugin-security-scorecards-common';
import { ParsedReport, StreamedReport } from './types';

/**
 * Reads a streamed report into memory: its findings unique by fingerprint
 * and its dependencies unique by package, the first of each kept.
 *
 * @public
 */
export function collectReport(report: StreamedReport): ParsedReport {
  return {
    ...report,
    findings: firstByKey(report.findings, finding => finding.fingerprint),
    dependencies: firstByKey(report.dependencies, dependencyKey),
  };
}

/**
 * An iterable that runs a generator function afresh on every pass, unlike
 * the generator object it returns, which can be read only once.
 */
export function rereadable<T>(generator: () => Iterator<T>): Iterable<T> {
  return { [Symbol.iterator]: generator };
}

function firstByKey<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (!byKey.has(key)) byKey.set(key, item);
  }
  return [...byKey.values()];
}
