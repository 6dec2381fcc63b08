import {
  Cvss,
  FindingPackage,
  FindingStatus,
  NormalizedFinding,
  severityFromLabel,
} from '@secdevops/plugin-security-scorecards-common';
import {
  advisoryIdentifiers,
  cvssOf,
  plainText,
  severityOfScore,
  truncateText,
  uniqueStrings,
} from './advisoryHelpers';
import {
  expectArray,
  expectObject,
  fingerprintOf,
  isJsonList,
  isJsonObject,
  JsonList,
  JsonObject,
  optionalNumber,
  optionalString,
  reportError,
  requiredString,
  safeHttpUrls,
} from './normalize';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { ParsedReport, StreamedReport } from './types';

const FORMAT = 'github-dependabot';
const SCANNER = 'GitHub Dependabot';

/** A list of alerts, the top-level array, is read one alert at a time. */
export const GITHUB_DEPENDABOT_LAZY_PATHS: LazyJsonPath[] = [[]];

/**
 * Purl types of GitHub's ecosystem names, so that a Dependabot finding's
 * ecosystem reads like the other formats' (`pip` is `pypi`, `go` is `golang`).
 */
const ecosystemOfGithubEcosystem = new Map<string, string>([
  // A Map, not an object literal: an ecosystem named `constructor` must find nothing.
  ['actions', 'githubactions'],
  ['composer', 'composer'],
  ['erlang', 'hex'],
  ['go', 'golang'],
  ['maven', 'maven'],
  ['npm', 'npm'],
  ['nuget', 'nuget'],
  ['pip', 'pypi'],
  ['pub', 'pub'],
  ['rubygems', 'gem'],
  ['rust', 'cargo'],
  ['swift', 'swift'],
]);

/**
 * Dismissal reasons that say the alert is wrong rather than accepted. GitHub's
 * Dependabot reasons are fix_started, inaccurate, no_bandwidth, not_used and
 * tolerable_risk; the others are accepted risks (waived).
 */
const falsePositiveReasons = new Set([
  'false positive',
  'false_positive',
  'inaccurate',
]);
/** Dismissal reasons that say the vulnerable package is not used. */
const notAffectedReasons = new Set(['not_used']);

/**
 * Detects GitHub Dependabot alerts as the REST API returns them (a list or one
 * alert) or as a `dependabot_alert` webhook payload (`{ action, alert }`).
 */
export function looksLikeGithubDependabot(document: unknown): boolean {
  // Of a list read lazily, only the first alert is parsed.
  if (isJsonList(document))
    return document.length > 0 && isAlert(document.at(0));
  if (!isJsonObject(document)) return false;
  if (isAlert(document)) return true;
  return typeof document.action === 'string' && isAlert(document.alert);
}

/**
 * Parses GitHub Dependabot alerts: a list of alerts, a single alert, or a
 * `dependabot_alert` webhook payload. Each alert is one sca finding about the
 * advisory and the manifest's package; state fixed is fixed, dismissed and
 * auto-dismissed alerts are waived (false_positive when dismissed as
 * inaccurate or a false positive, not_affected when dismissed as not used). Alerts do not give the installed version or whether a package is
 * a direct dependency, so no dependencies are returned.
 *
 * @param document - the alerts, already parsed from JSON
 * @returns the normalized findings
 * @throws InputError naming the JSON place when the input has another shape
 */
export function parseGithubDependabot(document: unknown): ParsedReport {
  return collectReport(streamGithubDependabot(document));
}

/**
 * Reads GitHub Dependabot alerts as {@link parseGithubDependabot} does,
 * except that a list of alerts is read as the findings are iterated; the
 * shape of the document is checked at once.
 *
 * @param document - the JSON alerts; a top-level list may be a lazy array
 * @returns the report, its findings read on iteration
 * @throws InputError when the document is no alert, list or payload
 */
export function streamGithubDependabot(document: unknown): StreamedReport {
  const { alerts, placeOf } = alertsOf(document);
  return {
    format: FORMAT,
    scanner: SCANNER,
    findings: rereadable(function* findings() {
      for (let index = 0; index < alerts.length; index++) {
        yield parseAlert(placeOf(index), alerts.at(index));
      }
    }),
    dependencies: [],
  };
}

/** The alerts of a document, with the JSON place of each. */
function alertsOf(document: unknown): {
  alerts: JsonList;
  placeOf: (index: number) => string;
} {
  if (isJsonList(document)) {
    return { alerts: document, placeOf: index => `[${index}]` };
  }
  if (
    isJsonObject(document) &&
    document.alert !== undefined &&
    document.security_advisory === undefined
  ) {
    return { alerts: [document.alert], placeOf: () => 'alert' };
  }
  if (isJsonObject(document) && document.security_advisory !== undefined) {
    return { alerts: [document], placeOf: () => '(root)' };
  }
  throw reportError(
    FORMAT,
    '(root)',
    'expected a Dependabot alert, a list of alerts or a webhook payload with an alert',
  );
}

function isAlert(value: unknown): boolean {
  return (
    isJsonObject(value) &&
    isJsonObject(value.security_advisory) &&
    (isJsonObject(value.dependency) ||
      isJsonObject(value.security_vulnerability))
  );
}

/** `alert.dependency` for the root-level place `(root)`. */
function child(place: string, key: string): string {
  return place === '(root)' ? key : `${place}.${key}`;
}

/**
 * A CVSS rating of GitHub's `{ score, vector_string }`; GitHub writes
 * `{ score: 0, vector_string: null }` for a version the advisory has no
 * rating in, which is no rating.
 */
function ratingOf(value: unknown, fallbackVersion?: string): Cvss | undefined {
  if (!isJsonObject(value)) return undefined;
  const vector = optionalString(value.vector_string);
  const score = optionalNumber(value.score);
  if (!vector && !score) return undefined;
  return cvssOf(vector, score, fallbackVersion);
}

function epssOf(value: unknown): number | undefined {
  // The REST API writes a list of one `{ percentage, percentile }`, some
  // payloads a single object; `percentage` is the probability (0 to 1).
  const entry = Array.isArray(value) ? value[0] : value;
  if (!isJsonObject(entry)) return undefined;
  const probability = optionalNumber(entry.percentage);
  return probability !== undefined && probability >= 0 && probability <= 1
    ? probability
    : undefined;
}

function statusOf(alert: JsonObject): {
  status: FindingStatus;
  statusReason?: string;
} {
  const state = alert.state;
  if (state === 'fixed') return { status: 'fixed' };
  if (state !== 'dismissed' && state !== 'auto_dismissed')
    return { status: 'open' };
  const reason = optionalString(alert.dismissed_reason);
  const statusReason = uniqueStrings([
    reason ?? (state === 'auto_dismissed' ? 'auto_dismissed' : undefined),
    alert.dismissed_comment,
  ]).join(': ');
  const normalizedReason = reason?.toLowerCase() ?? '';
  let status: FindingStatus = 'waived';
  if (falsePositiveReasons.has(normalizedReason)) status = 'false_positive';
  else if (notAffectedReasons.has(normalizedReason)) status = 'not_affected';
  return statusReason
    ? { status, statusReason: truncateText(statusReason) }
    : { status };
}

function parseAlert(place: string, value: unknown): NormalizedFinding {
  const alert = expectObject(FORMAT, place, value);
  const advisoryPlace = child(place, 'security_advisory');
  const advisory = expectObject(FORMAT, advisoryPlace, alert.security_advisory);
  const ghsaId = requiredString(
    FORMAT,
    `${advisoryPlace}.ghsa_id`,
    advisory.ghsa_id,
  );

  const dependency =
    alert.dependency === undefined || alert.dependency === null
      ? {}
      : expectObject(FORMAT, child(place, 'dependency'), alert.dependency);
  const vulnerabilityPlace = child(place, 'security_vulnerability');
  const vulnerability =
    alert.security_vulnerability === undefined ||
    alert.security_vulnerability === null
      ? {}
      : expectObject(FORMAT, vulnerabilityPlace, alert.security_vulnerability);
  const packagePlace = isJsonObject(dependency.package)
    ? `${child(place, 'dependency')}.package`
    : `${vulnerabilityPlace}.package`;
  const pkg = expectObject(
    FORMAT,
    packagePlace,
    dependency.package ?? vulnerability.package,
  );
  const packageName = requiredString(FORMAT, `${packagePlace}.name`, pkg.name);
  const githubEcosystem = optionalString(pkg.ecosystem)?.toLowerCase();
  const ecosystem = githubEcosystem
    ? ecosystemOfGithubEcosystem.get(githubEcosystem) ?? githubEcosystem
    : undefined;
  const manifestPath = optionalString(dependency.manifest_path);

  const severities = isJsonObject(advisory.cvss_severities)
    ? advisory.cvss_severities
    : {};
  const cvss =
    ratingOf(severities.cvss_v4, '4.0') ??
    ratingOf(severities.cvss_v3, '3.1') ??
    ratingOf(advisory.cvss);
  const severity =
    severityFromLabel(optionalString(advisory.severity)) ??
    severityFromLabel(optionalString(vulnerability.severity)) ??
    severityOfScore(cvss?.score) ??
    'info';

  const firstPatched = vulnerability.first_patched_version;
  const findingPackage: FindingPackage = {
    name: packageName,
    fixedVersions: uniqueStrings([
      isJsonObject(firstPatched) ? firstPatched.identifier : firstPatched,
    ]),
  };
  if (ecosystem) findingPackage.ecosystem = ecosystem;

  const identifiers = Array.isArray(advisory.identifiers)
    ? advisory.identifiers
    : [];
  const cwes = Array.isArray(advisory.cwes) ? advisory.cwes : [];
  const { status, statusReason } = statusOf(alert);
  const finding: NormalizedFinding = {
    category: 'sca',
    ruleId: ghsaId,
    title: plainText(advisory.summary) ?? ghsaId,
    severity,
    identifiers: advisoryIdentifiers([
      ghsaId,
      advisory.cve_id,
      ...identifiers.map(identifier =>
        isJsonObject(identifier) ? identifier.value : undefined,
      ),
      ...cwes.map(cwe => (isJsonObject(cwe) ? cwe.cwe_id : undefined)),
    ]),
    package: findingPackage,
    scanner: SCANNER,
    // Alerts do not carry the installed version; the advisory, the package
    // and the manifest identify the alert across re-uploads.
    fingerprint: fingerprintOf(
      'github-dependabot',
      ghsaId,
      ecosystem,
      packageName,
      manifestPath,
    ),
    status,
  };
  const description = plainText(advisory.description);
  if (description) finding.description = description;
  if (cvss) finding.cvss = cvss;
  if (manifestPath) finding.location = { path: manifestPath };
  if (statusReason) finding.statusReason = statusReason;
  const epss = epssOf(advisory.epss);
  if (epss !== undefined) finding.epss = epss;
  const references = safeHttpUrls([
    alert.html_url,
    ...expectArray(
      FORMAT,
      `${advisoryPlace}.references`,
      advisory.references,
    ).map(reference => (isJsonObject(reference) ? reference.url : reference)),
  ]);
  if (references.length > 0) finding.references = references;
  return finding;
}
