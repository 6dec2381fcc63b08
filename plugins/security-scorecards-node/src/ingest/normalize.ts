import { InputError } from '@backstage/errors';
import { createHmac, hash } from 'node:crypto';
import { isJsonList, JsonList, LazyList } from './lazyList';
import { ReportFormat } from './types';

/**
 * A SHA-256 hex digest over the given parts, joined unambiguously. Used for
 * finding fingerprints, so absent parts must be passed as empty strings.
 */
export function fingerprintOf(
  ...parts: Array<string | number | undefined>
): string {
  // One string hashed at once: the same digest as one update per part, and
  // far cheaper for the hundred thousand findings of a large report.
  let joined = '';
  for (const part of parts) {
    const text = part === undefined ? '' : String(part);
    joined += `${text.length}:${text}|`;
  }
  return hash('sha256', joined, 'hex');
}

/** SHA-256 hex digest of a text. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * A keyed hash of detected secrets (HMAC-SHA-256, hex): what the backend
 * stores instead of a plain SHA-256, so that a copy of the findings table
 * cannot be brute-forced offline for short secrets without the key.
 *
 * @public
 */
export function createSecretHasher(
  key: string | Buffer,
): (secret: string) => string {
  if (key.length < 16) {
    throw new Error('A secret hashing key must be at least 16 bytes long');
  }
  return secret => createHmac('sha256', key).update(secret).digest('hex');
}

/** What a parser is given besides the document, from {@link ParseReportOptions}. */
export interface ParserOptions {
  /**
   * Hashes a detected secret (and anything that may hold one) for the
   * finding's fingerprint and `secret.sha256`. Default {@link sha256Hex}.
   */
  hashSecret?: (secret: string) => string;
}

/** The secret hash function of parser options: the given one, else plain SHA-256. */
export function secretHasherOf(
  options: ParserOptions | undefined,
): (secret: string) => string {
  return options?.hashSecret ?? sha256Hex;
}

/** The longest link kept from a report. */
const MAX_URL_LENGTH = 2048;

/**
 * A report's link as it may be stored and shown: an absolute `http:` or
 * `https:` URL, normalized by the WHATWG URL parser, or undefined. Any other
 * scheme (`javascript:`, `data:`, `file:`, ...), a relative or unparsable
 * URL, one longer than 2048 characters, and one that carries credentials
 * (`https://user:token@host/`, a leak in itself) are dropped.
 */
export function safeHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href.length > MAX_URL_LENGTH ? undefined : url.href;
}

/** The safe links of a list of report values (see {@link safeHttpUrl}), unique, in order. */
export function safeHttpUrls(values: Iterable<unknown>): string[] {
  const urls = new Set<string>();
  for (const value of values) {
    const url = safeHttpUrl(value);
    if (url !== undefined) urls.add(url);
  }
  return [...urls];
}

/**
 * Redacts a secret so that it can be shown without being usable: at most the
 * first 4 characters of a secret of 12 or more, then asterisks.
 */
export function redactSecret(secret: string): string {
  const visible = secret.length >= 12 ? secret.slice(0, 4) : '';
  return `${visible}${'*'.repeat(
    Math.min(Math.max(secret.length - visible.length, 4), 16),
  )}`;
}

/**
 * Replaces every occurrence of a secret in a text with its redacted form, so
 * that descriptions and snippets from secret scanners never carry the secret.
 * The occurrences are those `text.split(secret)` cuts at (left to right, not
 * overlapping), found in time linear in the text and the secret: both come
 * from the report, and the engine's own substring search takes time
 * proportional to their product on texts such as `("a".repeat(m) + "b")`
 * repeated, searched for `"a".repeat(m + 1)`.
 */
export function withoutSecret(
  text: string,
  secret: string | undefined,
): string {
  if (!secret) return text;
  const starts = occurrencesOf(text, secret);
  if (starts.length === 0) return text;
  const redacted = redactSecret(secret);
  let result = '';
  let copied = 0;
  for (const start of starts) {
    result += text.slice(copied, start) + redacted;
    copied = start + secret.length;
  }
  return result + text.slice(copied);
}

/**
 * Whether a text holds a part: `text.includes(part)` in time linear in both
 * (see {@link withoutSecret}), for a part that comes from the report.
 */
export function holdsText(text: string, part: string): boolean {
  return occurrencesOf(text, part, 1).length > 0;
}

/**
 * The starts of the occurrences of a pattern in a text, left to right and not
 * overlapping, by Knuth-Morris-Pratt: linear in the text and the pattern.
 */
function occurrencesOf(
  text: string,
  pattern: string,
  limit = Infinity,
): number[] {
  if (pattern.length === 0) return [0];
  // border[i]: the length of the longest proper prefix of pattern[0..i]
  // that is also a suffix of it.
  const border = new Uint32Array(pattern.length);
  for (let i = 1, length = 0; i < pattern.length; i++) {
    while (length > 0 && pattern[i] !== pattern[length]) {
      length = border[length - 1];
    }
    if (pattern[i] === pattern[length]) length++;
    border[i] = length;
  }
  const starts: number[] = [];
  for (let i = 0, matched = 0; i < text.length; i++) {
    while (matched > 0 && text[i] !== pattern[matched]) {
      matched = border[matched - 1];
    }
    if (text[i] === pattern[matched]) matched++;
    if (matched === pattern.length) {
      starts.push(i + 1 - pattern.length);
      if (starts.length >= limit) break;
      // Not overlapping: the next occurrence starts after this one.
      matched = 0;
    }
  }
  return starts;
}

/** The error every parser throws on input it cannot read: a 400 naming the format and the place. */
export function reportError(
  format: ReportFormat,
  place: string,
  problem: string,
): InputError {
  return new InputError(`Invalid ${format} report at ${place}: ${problem}`);
}

/** A JSON object: the parsed form of `{...}`. */
export type JsonObject = Record<string, unknown>;

/** Tells whether a value is a JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a JSON object at a place in a report, or throws a report error. */
export function expectObject(
  format: ReportFormat,
  place: string,
  value: unknown,
): Record<string, unknown> {
  if (!isJsonObject(value)) {
    throw reportError(
      format,
      place,
      `expected an object, got ${describeJsonType(value)}`,
    );
  }
  return value;
}

/** Reads a JSON array at a place in a report (absent means empty), or throws a report error. */
export function expectArray(
  format: ReportFormat,
  place: string,
  value: unknown,
  { optional = true }: { optional?: boolean } = {},
): unknown[] {
  if (value === undefined || value === null) {
    if (optional) return [];
    throw reportError(format, place, 'is missing');
  }
  if (!Array.isArray(value)) {
    throw reportError(
      format,
      place,
      `expected an array, got ${describeJsonType(value)}`,
    );
  }
  return value;
}

/**
 * Reads a JSON list at a place in a report (absent means empty): a plain
 * array, or an array read lazily, whose elements are parsed as they are read.
 */
export function expectList(
  format: ReportFormat,
  place: string,
  value: unknown,
  options: { optional?: boolean } = {},
): JsonList {
  if (value instanceof LazyList) return value;
  return expectArray(format, place, value, options);
}

export { isJsonList };
export type { JsonList };

/** A string field, or undefined when absent or not a string. */
export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Reads a non-empty string at a place in a report, or throws a report error:
 * `is missing` when absent or null, else when it is not a non-empty string.
 */
export function requiredString(
  format: ReportFormat,
  place: string,
  value: unknown,
): string {
  const text = optionalString(value);
  if (text === undefined) {
    throw reportError(
      format,
      place,
      value === undefined || value === null
        ? 'is missing'
        : 'expected a non-empty string',
    );
  }
  return text;
}

/**
 * Reads the string field `key` of an object (at `place` in a report). Absent,
 * null or empty is undefined, or a report error (`is missing`) when required;
 * any other non-string is a report error naming its JSON type.
 */
export function stringField(
  format: ReportFormat,
  object: JsonObject | undefined,
  key: string,
  place: string,
  { required = false }: { required?: boolean } = {},
): string | undefined {
  const value = object?.[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw reportError(format, `${place}.${key}`, 'is missing');
    return undefined;
  }
  if (typeof value !== 'string') {
    throw reportError(
      format,
      `${place}.${key}`,
      `expected a string, got ${describeJsonType(value)}`,
    );
  }
  return value;
}

/** A number field (or numeric string), or undefined. */
export function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (
    typeof value === 'string' &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  ) {
    return Number(value);
  }
  return undefined;
}

/** Removes duplicates by key, keeping the first occurrence. */
export function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(item => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The JSON type of a value for error messages: `null`, `an array`, `an object`, `a string`, ... */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The ecosystem of a package URL (`pkg:npm/...` is `npm`), or undefined.
 */
export function ecosystemOfPurl(purl: string | undefined): string | undefined {
  const match = purl?.match(/^pkg:([a-zA-Z0-9.+-]+)\//);
  return match ? match[1].toLowerCase() : undefined;
}
