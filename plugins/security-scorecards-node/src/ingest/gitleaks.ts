import { NormalizedFinding } from '@secdevops/plugin-security-scorecards-common';
import { truncateText } from './advisoryHelpers';
import {
  expectList,
  expectObject,
  fingerprintOf,
  holdsText,
  isJsonList,
  isJsonObject,
  optionalNumber,
  optionalString,
  redactSecret,
  ParserOptions,
  reportError,
  safeHttpUrl,
  secretHasherOf,
  withoutSecret,
} from './normalize';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { ParsedReport, ReportFormat, StreamedReport } from './types';

const FORMAT: ReportFormat = 'gitleaks';
const SCANNER = 'gitleaks';

/** The leaks, the top-level array, are read one at a time. */
export const GITLEAKS_LAZY_PATHS: LazyJsonPath[] = [[]];

/**
 * Tells whether a parsed JSON document is a gitleaks JSON report: a
 * non-empty array whose first element has gitleaks' `RuleID` and `File`
 * fields and a `Secret` or `Match`. An empty array is a valid gitleaks
 * report but says nothing about its format, so it is not claimed.
 *
 * @param document - the parsed JSON report
 * @returns true when the document is a gitleaks JSON report
 */
export function looksLikeGitleaks(document: unknown): boolean {
  if (!isJsonList(document) || document.length === 0) return false;
  // Of a list read lazily, only the first element is parsed.
  const first = document.at(0);
  return (
    isJsonObject(first) &&
    typeof first.RuleID === 'string' &&
    typeof first.File === 'string' &&
    ('Secret' in first || 'Match' in first)
  );
}

/**
 * Normalizes a gitleaks (v8) JSON report: one `secret` finding of `high`
 * severity per leak. The secret is never kept: findings carry its redacted
 * form and SHA-256, and `Match` is only shown with the secret redacted.
 *
 * The fingerprint is the rule, the file and the secret's hash, so the same
 * secret found in several commits of one file is one finding, and moving it
 * to another line keeps its fingerprint.
 *
 * @param document - the parsed JSON report
 * @param options - how to hash secrets
 * @returns the normalized report
 * @throws InputError naming the JSON place when the report is not a gitleaks report
 */
export function parseGitleaks(
  document: unknown,
  options?: ParserOptions,
): ParsedReport {
  return collectReport(streamGitleaks(document, options));
}

/**
 * Reads a gitleaks JSON report as {@link parseGitleaks} does, except that the
 * leaks are read as the findings are iterated; that the report is a list is
 * checked at once.
 *
 * @param document - the JSON report; the top-level array may be a lazy array
 * @param options - how to hash secrets
 * @returns the report, its findings read on iteration
 * @throws InputError when the report is not a list
 */
export function streamGitleaks(
  document: unknown,
  options?: ParserOptions,
): StreamedReport {
  const leaks = expectList(FORMAT, 'the top level', document, {
    optional: false,
  });
  const hashSecret = secretHasherOf(options);
  return {
    format: FORMAT,
    scanner: SCANNER,
    findings: rereadable(function* findings() {
      for (let index = 0; index < leaks.length; index++) {
        yield parseLeak(`[${index}]`, leaks.at(index), hashSecret);
      }
    }),
    dependencies: [],
  };
}

function requiredString(place: string, value: unknown): string {
  if (value === undefined || value === null)
    throw reportError(FORMAT, place, 'is missing');
  if (typeof value !== 'string')
    throw reportError(FORMAT, place, 'expected a string');
  return value;
}

function parseLeak(
  place: string,
  leakValue: unknown,
  hashSecret: (secret: string) => string,
): NormalizedFinding {
  const leak = expectObject(FORMAT, place, leakValue);
  const ruleId = requiredString(`${place}.RuleID`, leak.RuleID);
  if (ruleId === '') throw reportError(FORMAT, `${place}.RuleID`, 'is empty');
  const file = requiredString(`${place}.File`, leak.File);
  const match = optionalString(leak.Match);
  // Older reports and some rules leave Secret empty; then the match is the secret.
  const secret = optionalString(leak.Secret) ?? match;
  const scrub = (text: string): string =>
    truncateText(withoutSecret(text, secret).trim());

  const line = optionalNumber(leak.StartLine);
  const validLine =
    line !== undefined && Number.isInteger(line) && line > 0 ? line : undefined;
  const commit = optionalString(leak.Commit);
  const ruleDescription = optionalString(leak.Description);
  const title = scrub(ruleDescription ?? ruleId);

  const where = [
    `in ${file === '' ? 'the scanned input' : file}`,
    validLine ? `line ${validLine}` : undefined,
    commit ? `commit ${commit}` : undefined,
  ].filter(Boolean);
  const descriptionParts = [
    `${ruleDescription ?? ruleId} found ${where.join(', ')}.`,
  ];
  if (match && match !== secret) descriptionParts.push(`Match: ${match}`);
  const link = safeHttpUrl(leak.Link);

  return {
    category: 'secret',
    ruleId,
    title,
    description: scrub(descriptionParts.join('\n')),
    severity: 'high',
    identifiers: [],
    ...(file !== ''
      ? { location: { path: file, ...(validLine ? { line: validLine } : {}) } }
      : {}),
    scanner: SCANNER,
    // Without a secret there is nothing stable to tell leaks of a rule in a file apart but the line.
    fingerprint: fingerprintOf(
      FORMAT,
      ruleId,
      file,
      secret ? hashSecret(secret) : `line:${validLine ?? ''}`,
    ),
    status: 'open',
    ...(secret
      ? {
          secret: {
            redacted: redactSecret(secret),
            sha256: hashSecret(secret),
          },
        }
      : {}),
    ...(link && !(secret && linkHolds(leak.Link, secret))
      ? { references: [link] }
      : {}),
  };
}

/** Whether a link holds the secret, as written or percent-encoded. */
function linkHolds(link: unknown, secret: string): boolean {
  if (typeof link !== 'string') return false;
  if (holdsText(link, secret)) return true;
  try {
    return holdsText(decodeURIComponent(link), secret);
  } catch {
    // A malformed escape: the link cannot be checked, so it is not kept.
    return true;
  }
}
