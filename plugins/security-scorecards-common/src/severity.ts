/**
 * Severity of a finding, from most to least severe.
 *
 * @public
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/**
 * All severities, most severe first.
 *
 * @public
 */
export const SEVERITIES: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/**
 * Maps a CVSS base score (or a SARIF `security-severity`) to a severity:
 * critical at 9.0 and above, high at 7.0, medium at 4.0, low above 0, info at 0.
 *
 * @public
 */
export function severityFromScore(score: number): Severity {
  if (!Number.isFinite(score) || score < 0 || score > 10) {
    throw new RangeError(
      `A severity score must be between 0 and 10, got ${score}`,
    );
  }
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const severityLabels: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  error: 'high',
  medium: 'medium',
  moderate: 'medium',
  warning: 'medium',
  low: 'low',
  minor: 'low',
  negligible: 'low',
  note: 'low',
  info: 'info',
  informational: 'info',
  none: 'info',
};

/**
 * Maps a scanner's severity label to a severity, case-insensitively
 * (`MODERATE` is medium, `Negligible` is low). Returns undefined for labels
 * that carry no severity, such as `UNKNOWN`.
 *
 * @public
 */
export function severityFromLabel(
  label: string | undefined | null,
): Severity | undefined {
  if (!label) return undefined;
  const key = label.trim().toLowerCase();
  // An own-property check: a report's `constructor` or `__proto__` is no label.
  return Object.hasOwn(severityLabels, key) ? severityLabels[key] : undefined;
}

/**
 * Orders severities from most to least severe, for `Array.prototype.sort`.
 *
 * @public
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/**
 * A count per severity.
 *
 * @public
 */
export type SeverityCounts = Record<Severity, number>;

/**
 * A count per severity, all zero.
 *
 * @public
 */
export function emptySeverityCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
