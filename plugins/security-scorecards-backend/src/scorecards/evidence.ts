import { DAY_MS } from '@secdevops/plugin-security-scorecards-common';

/** Days from `from` to `now`, fractional. */
export function ageInDays(from: Date, now: Date): number {
  return (now.getTime() - from.getTime()) / DAY_MS;
}

/** "today", "yesterday", "3 days ago". */
export function formatAge(from: Date, now: Date): string {
  const days = Math.floor(ageInDays(from, now));
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** "0.5 days", "1 day", "12 days". */
export function formatDays(days: number): string {
  const rounded = Math.round(days * 10) / 10;
  return `${rounded} day${rounded === 1 ? '' : 's'}`;
}

/** "a", "a and b", "a, b and c". */
export function formatList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
