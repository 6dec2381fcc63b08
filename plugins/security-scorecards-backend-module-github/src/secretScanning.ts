import { InputError } from '@backstage/errors';
import {
  FindingStatus,
  NormalizedFinding,
} from '@secdevops/plugin-security-scorecards-common';
import {
  fingerprintOf,
  ParsedReport,
  redactSecret,
  sha256Hex,
} from '@secdevops/plugin-security-scorecards-node';

/**
 * The format of the reports made of GitHub secret scanning alerts: read by
 * this module only, never uploaded, so not one of the parsers' formats.
 */
export const GITHUB_SECRET_SCANNING_FORMAT = 'github-secret-scanning';
const SCANNER = 'GitHub secret scanning';
const MAX_TEXT_LENGTH = 4000;

/**
 * Resolutions that say the alert was wrong. `pattern_edited` and
 * `pattern_deleted` close alerts of a custom pattern that no longer matches,
 * as a finding that stops being reported, so they are fixed like the other
 * closed alerts below.
 */
const falsePositiveResolutions = new Set(['false_positive']);
/**
 * Resolutions that accept the secret where it is: it stays valid, someone
 * decided to live with it.
 */
const waivedResolutions = new Set(['wont_fix', 'used_in_tests']);

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function invalid(place: string, problem: string): InputError {
  return new InputError(
    `Invalid GitHub secret scanning alerts at ${place}: ${problem}`,
  );
}

/** Plain text without the secret, at most 4,000 characters. */
function scrubbed(text: string, secret: string | undefined): string {
  const clean = (secret ? text.split(secret).join(redactSecret(secret)) : text)
    .replace(/\r\n/g, '\n')
    .trim();
  return clean.length > MAX_TEXT_LENGTH
    ? `${clean.slice(0, MAX_TEXT_LENGTH - 1)}…`
    : clean;
}

function statusOf(
  alert: JsonObject,
  secret: string | undefined,
): { status: FindingStatus; statusReason?: string } {
  if (alert.state !== 'resolved') return { status: 'open' };
  const resolution = optionalString(alert.resolution);
  const comment = optionalString(alert.resolution_comment);
  let status: FindingStatus = 'fixed';
  if (resolution && falsePositiveResolutions.has(resolution))
    status = 'false_positive';
  else if (resolution && waivedResolutions.has(resolution)) status = 'waived';
  const reason = [resolution, comment].filter(Boolean).join(': ');
  return reason
    ? { status, statusReason: scrubbed(reason, secret) }
    : { status };
}

function locationOf(alert: JsonObject): NormalizedFinding['location'] {
  // Alerts list their locations under `locations_url`; recent API versions
  // inline the first one. Only commit locations have a path.
  const first = alert.first_location_detected;
  if (!isJsonObject(first)) return undefined;
  const path = optionalString(first.path);
  if (!path) return undefined;
  const line = first.start_line;
  return typeof line === 'number' && Number.isInteger(line) && line > 0
    ? { path, line }
    : { path };
}

function descriptionOf(
  alert: JsonObject,
  displayName: string,
  repository: string,
): string {
  const lines = [
    `GitHub secret scanning found a ${displayName} in ${repository}${
      typeof alert.created_at === 'string' ? ` on ${alert.created_at}` : ''
    }.`,
  ];
  const validity = optionalString(alert.validity);
  if (validity === 'active')
    lines.push('The secret is still valid: revoke and rotate it.');
  else if (validity === 'inactive')
    lines.push('GitHub reports the secret as no longer valid.');
  if (alert.publicly_leaked === true)
    lines.push('The secret was also leaked publicly.');
  if (alert.multi_repo === true)
    lines.push('The same secret was found in other repositories.');
  if (alert.push_protection_bypassed === true) {
    const comment = optionalString(
      alert.push_protection_bypass_request_comment,
    );
    lines.push(
      `Push protection was bypassed for it${comment ? `: ${comment}` : '.'}`,
    );
  }
  if (alert.has_more_locations === true)
    lines.push('It was found in more than one place; see the alert.');
  return lines.join('\n');
}

function parseAlert(
  place: string,
  value: unknown,
  repository: string,
): NormalizedFinding {
  if (!isJsonObject(value)) throw invalid(place, 'expected an alert object');
  const number = value.number;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw invalid(`${place}.number`, 'expected the alert number');
  }
  const secretType = optionalString(value.secret_type);
  if (!secretType) throw invalid(`${place}.secret_type`, 'is missing');
  const secret = optionalString(value.secret);
  const displayName =
    optionalString(value.secret_type_display_name) ?? secretType;
  const { status, statusReason } = statusOf(value, secret);
  const location = locationOf(value);
  const htmlUrl = optionalString(value.html_url);

  const finding: NormalizedFinding = {
    category: 'secret',
    ruleId: secretType,
    title: scrubbed(displayName, secret),
    description: scrubbed(
      descriptionOf(value, displayName, repository),
      secret,
    ),
    severity: 'high',
    identifiers: [],
    scanner: SCANNER,
    // GitHub numbers alerts per repository and one alert is one secret.
    fingerprint: fingerprintOf(
      'github-secret-scanning',
      repository.toLowerCase(),
      number,
    ),
    status,
  };
  if (statusReason) finding.statusReason = statusReason;
  if (location) finding.location = location;
  if (secret) {
    finding.secret = {
      redacted: redactSecret(secret),
      sha256: sha256Hex(secret),
    };
  }
  if (
    htmlUrl &&
    /^https?:\/\//i.test(htmlUrl) &&
    !(secret && htmlUrl.includes(secret))
  ) {
    finding.references = [htmlUrl];
  }
  return finding;
}

/**
 * Normalizes GitHub secret scanning alerts as the REST API lists them
 * (`GET /repos/{owner}/{repo}/secret-scanning/alerts`): one `secret` finding
 * of `high` severity per alert.
 *
 * - The secret itself is never kept: a finding carries its redacted form and
 *   SHA-256 (the same SHA-256 a gitleaks finding of the same secret has), and
 *   the secret is scrubbed from every text.
 * - The fingerprint is the repository and the alert number: GitHub keeps one
 *   alert per secret and repository, whatever the number of places it is in.
 * - State `open` is open; `resolved` is fixed when revoked (or when the custom
 *   pattern was edited or deleted), false_positive when resolved as a false
 *   positive, and waived when resolved as won't fix or used in tests; the
 *   resolution and its comment are the status reason.
 *
 * @param alerts - the alerts, parsed from JSON: a list, or one alert
 * @param options - `repository`: `owner/repo` the alerts belong to
 * @returns the normalized report
 * @throws InputError naming the place when an alert has another shape
 */
export function parseGithubSecretScanning(
  alerts: unknown,
  options: { repository: string },
): ParsedReport {
  const list = Array.isArray(alerts) ? alerts : [alerts];
  const seen = new Set<string>();
  const findings: NormalizedFinding[] = [];
  list.forEach((alert, index) => {
    const finding = parseAlert(`[${index}]`, alert, options.repository);
    if (seen.has(finding.fingerprint)) return;
    seen.add(finding.fingerprint);
    findings.push(finding);
  });
  return {
    format: GITHUB_SECRET_SCANNING_FORMAT,
    scanner: SCANNER,
    findings,
    dependencies: [],
    coverage: ['secret'],
  };
}
