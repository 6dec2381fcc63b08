import { InputError } from '@backstage/errors';
import { hash } from 'node:crypto';
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
 */
export function withoutSecret(
  text: string,
  secret: string | undefined,
): string {
  if (!secret) return text;
  return text.split(secret).join(redactSecret(secret));
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
