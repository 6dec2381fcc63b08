import {
  SEVERITIES,
  SeverityCounts,
} from '@secdevops/plugin-security-scorecards-common';

/** Open findings by severity in words, most severe first: "2 critical, 5 high". */
export function describeOpenFindings(counts: SeverityCounts): string {
  const parts = SEVERITIES.filter(severity => counts[severity] > 0).map(
    severity => `${counts[severity]} ${severity}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'none';
}

const relativeTime = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const timeUnits: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** How long ago a time was, e.g. "5 minutes ago" or "yesterday". */
export function timeAgo(time: string, now: number = Date.now()): string {
  const elapsed = now - Date.parse(time);
  for (const [unit, milliseconds] of timeUnits) {
    if (elapsed >= milliseconds) {
      return relativeTime.format(-Math.floor(elapsed / milliseconds), unit);
    }
  }
  return 'just now';
}
