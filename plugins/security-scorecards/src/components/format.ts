import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  MaturityLevel,
  RubricLevel,
  SEVERITIES,
  Severity,
  SeverityCounts,
  SlaState,
  DAY_MS,
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

/** A due date relative to now in whole days: "in 5 days", "today", "3 days ago". */
export function dueIn(time: string, now: number = Date.now()): string {
  const days = Math.round((Date.parse(time) - now) / DAY_MS);
  return relativeTime.format(days, 'day');
}

/** Whole days from one time to another (now by default), never negative. */
export function daysSince(time: string, until: number = Date.now()): number {
  return Math.max(0, Math.floor((until - Date.parse(time)) / DAY_MS));
}

/** A number of whole days in words: "1 day", "12 days". */
export function formatDayCount(days: number): string {
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

/**
 * The message of an error for people: for a backend error the message the
 * backend gave (e.g. which field of a request is wrong), else the error's own.
 */
export function errorMessageOf(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.cause?.message || error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A date without its time, in the reader's locale. */
export function formatDate(time: string): string {
  return new Date(time).toLocaleDateString();
}

/** A score of 0–100 as the API rounds it: "72", "61.5". */
export function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}

/** A share of 0–1 as a whole percentage: "45%". */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** A mean time to remediate: "12.5 days", or "–" without fixes. */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return '–';
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** A level as the badge names it: "L2 Managed". */
export function levelLabel(level: MaturityLevel): string {
  return `L${level.rank} ${level.name}`;
}

/** The level of a rank by the rubric's names, "Level 3" when the rubric is not known. */
export function levelOfRank(
  rank: number,
  levels: RubricLevel[] | undefined,
): MaturityLevel {
  const known = levels?.find(level => level.rank === rank);
  if (known) return known;
  return { rank, name: rank === 0 ? 'Not graded' : `Level ${rank}` };
}

/** SLA states in words. */
export const slaStateLabels: Record<SlaState, string> = {
  within: 'within SLA',
  'due-soon': 'due soon',
  breached: 'past SLA',
};

const categoryLabels: Record<string, string> = {
  sast: 'Code (SAST)',
  sca: 'Dependencies (SCA)',
  secret: 'Secrets',
  iac: 'Infrastructure as code',
  container: 'Container',
  dast: 'DAST',
  sbom: 'SBOM',
  other: 'Other',
};

/** A finding category (or scan kind) in words: "Secrets", "Dependencies (SCA)". */
export function categoryLabel(category: string): string {
  return categoryLabels[category] ?? category;
}

/**
 * Colours of severities that read in both the light and the dark theme
 * (white text on the light ones, visible lines on a dark background).
 */
export const severityColours: Record<Severity, string> = {
  critical: '#d32f2f',
  high: '#ef6c00',
  medium: '#f9a825',
  low: '#1e88e5',
  info: '#757575',
};

/** Badge colours per level rank, from not graded (0) to the highest level. */
const levelColours: Array<{ background: string; text: string }> = [
  { background: '#757575', text: '#fff' },
  { background: '#c62828', text: '#fff' },
  { background: '#ef6c00', text: '#fff' },
  { background: '#fbc02d', text: '#000' },
  { background: '#2e7d32', text: '#fff' },
  { background: '#1565c0', text: '#fff' },
];

/** The badge colours of a level rank; ranks beyond the palette take its last colour. */
export function levelColour(rank: number): {
  background: string;
  text: string;
} {
  const index = Math.min(
    Math.max(Math.floor(rank), 0),
    levelColours.length - 1,
  );
  return levelColours[index];
}

/** The name of an entity ref without kind and default namespace: "payments-api". */
export function shortRef(entityRef: string): string {
  try {
    const { namespace, name } = parseEntityRef(entityRef);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return entityRef;
  }
}

/** Whether a text (e.g. an annotation value) is an entity ref, `user:default/jane` or `jane`, rather than an e-mail or a name. */
export function looksLikeEntityRef(text: string): boolean {
  return /^(?:[a-z0-9-]+:)?(?:[\w.-]+\/)?[\w.-]+$/i.test(text);
}
