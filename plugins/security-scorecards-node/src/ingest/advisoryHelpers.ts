/**
 * Small helpers shared by the parsers that read advisories: the
 * package-vulnerability parsers (Trivy, Grype, OSV-Scanner, GitHub
 * Dependabot, CycloneDX) and the rule-based ones (SARIF, GitHub code
 * scanning). Kept out of normalize.ts on purpose: they encode choices of these
 * parsers, not of every format.
 */
import {
  Cvss,
  Severity,
  SEVERITIES,
  severityFromScore,
} from '@secdevops/plugin-security-scorecards-common';
import { cvss3BaseScore, cvssVersionOfVector } from './cvss';

/** A CVE or GHSA id as scanners write it: any case, a CVE sequence of any length. */
const VULNERABILITY_ID = /^(?:CVE-\d{4}-\d+|GHSA(?:-[0-9a-z]{4}){3})$/i;

/**
 * A CWE tag as SARIF rules write it: `external/cwe/cwe-079`, `CWE-79`,
 * `cwe_79: ...`. The leading zeros are matched apart from a first digit of
 * 1-9 (or a lone 0), so that no two quantifiers share a digit: `0*(\d+)`
 * takes quadratic time on a long run of zeros.
 */
const CWE_TAG = /^(?:external\/cwe\/)?cwe[-_: ]?0*([1-9]\d*|0)/i;

/** Longest text stored in a finding field. */
export const MAX_TEXT_LENGTH = 4000;

/**
 * Longest report text that {@link plainText} reads: the rest is cut before any
 * markup is removed, so that the work per text is bounded whatever a report
 * holds. Generous, so that markup rarely costs stored text.
 */
export const MAX_MARKUP_LENGTH = 16 * MAX_TEXT_LENGTH;

// Only tags that advisory texts actually use: a generic `<word>` pattern would
// also eat code in plain text such as `Option<String>`.
const htmlTag =
  /<\/?(?:[abipsu]|abbr|blockquote|br|code|dd|del|details|div|dl|dt|em|font|h[1-6]|hr|img|ins|kbd|li|ol|pre|samp|small|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|th|thead|tr|tt|ul)(?:\s[^<>]*)?\/?>/gi;
/** The opening tag of an element whose content is no text. */
const scriptOrStyleStart = /<(script|style)\b[^<>]*>/gi;
const closingTags: Record<string, RegExp> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
};
const namedEntities: Record<string, string> = {
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  amp: '&',
};

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#x') || body.startsWith('#X')) {
    const code = parseInt(body.slice(2), 16);
    return Number.isFinite(code) && code <= 0x10ffff
      ? String.fromCodePoint(code)
      : entity;
  }
  if (body.startsWith('#')) {
    const code = parseInt(body.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff
      ? String.fromCodePoint(code)
      : entity;
  }
  return namedEntities[body.toLowerCase()] ?? entity;
}

/** Cuts a text to {@link MAX_TEXT_LENGTH} characters, marking the cut with an ellipsis. */
export function truncateText(text: string): string {
  return text.length > MAX_TEXT_LENGTH
    ? `${text.slice(0, MAX_TEXT_LENGTH - 1)}…`
    : text;
}

/**
 * The text without its `<script>` and `<style>` elements, tags and content,
 * in linear time: what `/<(script|style)\b[^<>]*>[\s\S]*?<\/\1\s*>/gi`
 * removes, but without searching the rest of the text for a closing tag again
 * at every opening one (quadratic on `"<script>".repeat(n)`). The closing
 * tag found for one opening tag is remembered for the later ones, and so is
 * its absence.
 */
function withoutScriptsAndStyles(text: string): string {
  const closings = new Map<
    string,
    { from: number; found?: { start: number; end: number } }
  >();
  const closingTagFrom = (name: string, from: number) => {
    const known = closings.get(name);
    if (
      known &&
      known.from <= from &&
      (known.found === undefined || known.found.start >= from)
    ) {
      return known.found;
    }
    const closingTag = closingTags[name];
    closingTag.lastIndex = from;
    const match = closingTag.exec(text);
    const found = match
      ? { start: match.index, end: match.index + match[0].length }
      : undefined;
    closings.set(name, { from, found });
    return found;
  };

  const start = new RegExp(scriptOrStyleStart);
  let result = '';
  let copied = 0;
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const closing = closingTagFrom(
      match[1].toLowerCase(),
      match.index + match[0].length,
    );
    if (closing) {
      result += text.slice(copied, match.index);
      copied = closing.end;
      start.lastIndex = closing.end;
    } else {
      start.lastIndex = match.index + 1;
    }
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/**
 * A report text as plain text: HTML tags removed, entities decoded, trimmed and
 * truncated. Undefined when the value is not a non-blank string. Runs in time
 * linear in the text, of which it reads at most {@link MAX_MARKUP_LENGTH}
 * characters (a cut text ends with an ellipsis).
 */
export function plainText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cut = value.length > MAX_MARKUP_LENGTH;
  const text = withoutScriptsAndStyles(
    cut ? value.slice(0, MAX_MARKUP_LENGTH) : value,
  )
    .replace(htmlTag, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, decodeEntity)
    .trim();
  if (text.length === 0) return undefined;
  return cut && text.length < MAX_TEXT_LENGTH ? `${text}…` : truncateText(text);
}

/** `CWE-79` from `CWE-79`, `cwe-79`, `79` or the number 79; undefined otherwise. */
export function normalizeCwe(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0)
    return `CWE-${value}`;
  if (typeof value !== 'string') return undefined;
  const match = value.trim().match(/^(?:CWE-?)?(\d+)$/i);
  return match ? `CWE-${Number(match[1])}` : undefined;
}

/** A CVE, GHSA or CWE id in its canonical spelling, or undefined for any other id. */
export function normalizeAdvisoryId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  if (/^CVE-\d{4}-\d{4,}$/i.test(id)) return id.toUpperCase();
  if (/^GHSA(?:-[0-9a-z]{4}){3}$/i.test(id))
    return `GHSA${id.slice(4).toLowerCase()}`;
  if (/^CWE-\d+$/i.test(id)) return normalizeCwe(id);
  return undefined;
}

/** The CVE, GHSA and CWE ids among the values, canonical and de-duplicated, in order. */
export function advisoryIdentifiers(values: Iterable<unknown>): string[] {
  const identifiers = new Set<string>();
  for (const value of values) {
    const id = normalizeAdvisoryId(value);
    if (id) identifiers.add(id);
  }
  return [...identifiers];
}

/**
 * Tells whether a text is a CVE or GHSA id in any case. Looser than
 * {@link normalizeAdvisoryId} about CVE sequence numbers, and no CWE ids.
 */
export function isVulnerabilityId(text: string): boolean {
  return VULNERABILITY_ID.test(text);
}

/**
 * A CVE or GHSA id (see {@link isVulnerabilityId}) in its canonical spelling:
 * `CVE-...` upper case, `GHSA-...` lower case after the prefix. Undefined for
 * any other text.
 */
export function canonicalVulnerabilityId(
  text: string | undefined,
): string | undefined {
  if (text === undefined || !isVulnerabilityId(text)) return undefined;
  return text.toUpperCase().startsWith('GHSA')
    ? `GHSA${text.slice(4).toLowerCase()}`
    : text.toUpperCase();
}

/**
 * The identifiers of a rule of a code scanner: its id when that is a CVE or
 * GHSA id, and the CWE ids of its CWE tags (see `CWE_TAG`), de-duplicated in
 * order.
 */
export function ruleIdentifiers(ruleId: string, tags: string[]): string[] {
  const identifiers = new Set<string>();
  const advisoryId = canonicalVulnerabilityId(ruleId);
  if (advisoryId) identifiers.add(advisoryId);
  for (const tag of tags) {
    const cwe = tag.match(CWE_TAG);
    if (cwe) identifiers.add(`CWE-${cwe[1]}`);
  }
  return [...identifiers];
}

/** The non-empty strings among the values, trimmed and de-duplicated, in order. */
export function uniqueStrings(values: Iterable<unknown>): string[] {
  const result = new Set<string>();
  for (const value of values) {
    if (typeof value === 'string' && value.trim().length > 0)
      result.add(value.trim());
  }
  return [...result];
}

/** Versions from a comma separated list such as Trivy's `"3.1.0, 2.6.9"`. */
export function splitVersionList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return uniqueStrings(value.split(','));
}

/** A severity for a score when it is a valid CVSS score, else undefined. */
export function severityOfScore(
  score: number | undefined,
): Severity | undefined {
  if (score === undefined || !Number.isFinite(score) || score < 0 || score > 10)
    return undefined;
  return severityFromScore(score);
}

/** The more severe of two severities, either of which may be missing. */
export function moreSevere(
  a: Severity | undefined,
  b: Severity | undefined,
): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

/**
 * A CVSS rating from a vector and an optional score. The version comes from
 * the vector (or the given fallback); a missing score of a 3.x vector is
 * computed.
 */
export function cvssOf(
  vector: string | undefined,
  score: number | undefined,
  fallbackVersion?: string,
): Cvss | undefined {
  const version = (vector && cvssVersionOfVector(vector)) ?? fallbackVersion;
  let baseScore =
    score !== undefined && score >= 0 && score <= 10 ? score : undefined;
  if (baseScore === undefined && vector && version?.startsWith('3')) {
    baseScore = cvss3BaseScore(vector);
  }
  if (vector === undefined && baseScore === undefined) return undefined;
  const cvss: Cvss = {};
  if (version) cvss.version = version;
  if (baseScore !== undefined) cvss.score = baseScore;
  if (vector) cvss.vector = vector;
  return cvss;
}

/**
 * Orders CVSS ratings for picking one: a rating with a score first (a 4.0
 * vector whose score is unknown says less than a scored 3.1 one), then a newer
 * major version (4.0 over 3.1, 3.x over 2.0), then the higher score.
 */
export function compareCvssPreference(a: Cvss, b: Cvss): number {
  const scored = (cvss: Cvss) => (cvss.score === undefined ? 0 : 1);
  if (scored(a) !== scored(b)) return scored(b) - scored(a);
  const major = (cvss: Cvss) => Number.parseFloat(cvss.version ?? '0') || 0;
  const majorDifference = Math.floor(major(b)) - Math.floor(major(a));
  if (majorDifference !== 0) return majorDifference;
  return (b.score ?? -1) - (a.score ?? -1);
}

/** The preferred rating among several, see {@link compareCvssPreference}. */
export function preferredCvss(
  ratings: Iterable<Cvss | undefined>,
): Cvss | undefined {
  let best: Cvss | undefined;
  for (const rating of ratings) {
    if (rating && (!best || compareCvssPreference(rating, best) < 0))
      best = rating;
  }
  return best;
}
