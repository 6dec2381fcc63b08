import {
  Cvss,
  FindingPackage,
  FindingStatus,
  NormalizedDependency,
  NormalizedFinding,
  severityFromLabel,
} from '@secdevops/plugin-security-scorecards-common';
import {
  advisoryIdentifiers,
  cvssOf,
  plainText,
  preferredCvss,
  severityOfScore,
  truncateText,
  uniqueStrings,
} from './advisoryHelpers';
import {
  ecosystemOfPurl,
  expectArray,
  expectList,
  expectObject,
  fingerprintOf,
  isJsonList,
  isJsonObject,
  JsonList,
  optionalNumber,
  optionalString,
  requiredString,
  safeHttpUrls,
} from './normalize';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { ParsedReport, StreamedReport } from './types';

const FORMAT = 'grype';
const SCANNER = 'Grype';

/**
 * The matches, and the matches the ignore rules suppressed, are read one at
 * a time.
 */
export const GRYPE_LAZY_PATHS: LazyJsonPath[] = [
  ['matches'],
  ['ignoredMatches'],
];

/** Artifact types of OS packages: their findings are about the container image. */
const osPackageTypes = new Set(['apk', 'deb', 'rpm']);

/** What a match's status is, from the ignore rules that suppressed it. */
interface Suppression {
  status: FindingStatus;
  statusReason?: string;
}

/**
 * Detects a Grype JSON report (`grype -o json`): an object with a `matches`
 * array and either `descriptor.name` "grype" or a `source` object.
 */
export function looksLikeGrype(document: unknown): boolean {
  if (!isJsonObject(document) || !isJsonList(document.matches)) return false;
  const descriptor = document.descriptor;
  if (isJsonObject(descriptor) && descriptor.name === 'grype') return true;
  return (
    isJsonObject(document.source) && typeof document.source.type === 'string'
  );
}

/**
 * Parses a Grype JSON report: one finding per match (vulnerability and
 * artifact), container for OS package artifacts (apk, deb, rpm) and sca for
 * the others, with CVSS, EPSS and known-exploited data where Grype gives them.
 * `ignoredMatches` (shown with --show-suppressed) become waived or not affected
 * findings. The matched artifacts are returned as dependencies.
 *
 * @param document - the report, already parsed from JSON
 * @returns the normalized findings and dependencies
 * @throws InputError naming the JSON place when the report has another shape
 */
export function parseGrype(document: unknown): ParsedReport {
  return collectReport(streamGrype(document));
}

/**
 * Reads a Grype JSON report as {@link parseGrype} does, except that the
 * matches are read as the findings and dependencies are iterated; the shape
 * of the report and its descriptor are checked at once.
 *
 * @param document - the JSON report; `matches` and `ignoredMatches` may be lazy arrays
 * @returns the report, its findings and dependencies read on iteration
 * @throws InputError naming the JSON place when the report has another shape
 */
export function streamGrype(document: unknown): StreamedReport {
  const root = expectObject(FORMAT, '(root)', document);
  const matches = expectList(FORMAT, 'matches', root.matches, {
    optional: false,
  });
  const ignoredMatches = expectList(
    FORMAT,
    'ignoredMatches',
    root.ignoredMatches,
  );
  const descriptor =
    root.descriptor === undefined
      ? {}
      : expectObject(FORMAT, 'descriptor', root.descriptor);
  const toolName = optionalString(descriptor.name);
  const scanner = !toolName || toolName === 'grype' ? SCANNER : toolName;
  const scannerVersion = optionalString(descriptor.version);

  return {
    format: FORMAT,
    scanner,
    ...(scannerVersion ? { scannerVersion } : {}),
    findings: rereadable(function* findings() {
      for (const parsed of readMatches(matches, ignoredMatches, scanner)) {
        yield parsed.finding;
      }
    }),
    dependencies: rereadable(function* dependencies() {
      for (const parsed of readMatches(matches, ignoredMatches, scanner)) {
        yield parsed.dependency;
      }
    }),
  };
}

/** Every match, then every suppressed match, read one at a time. */
function* readMatches(
  matches: JsonList,
  ignoredMatches: JsonList,
  scanner: string,
): Generator<{ finding: NormalizedFinding; dependency: NormalizedDependency }> {
  for (let index = 0; index < matches.length; index++) {
    yield parseMatch(`matches[${index}]`, matches.at(index), scanner);
  }
  for (let index = 0; index < ignoredMatches.length; index++) {
    const place = `ignoredMatches[${index}]`;
    const match = expectObject(FORMAT, place, ignoredMatches.at(index));
    const suppression = suppressionOf(
      `${place}.appliedIgnoreRules`,
      expectArray(
        FORMAT,
        `${place}.appliedIgnoreRules`,
        match.appliedIgnoreRules,
      ),
    );
    yield parseMatch(place, match, scanner, suppression);
  }
}

/**
 * A VEX rule saying not_affected or fixed gives that status; any other ignore
 * rule (by id, package, fix state) is a waiver.
 */
function suppressionOf(place: string, rules: unknown[]): Suppression {
  let status: FindingStatus = 'waived';
  const reasons: unknown[] = [];
  rules.forEach((value, index) => {
    const rule = expectObject(FORMAT, `${place}[${index}]`, value);
    const vexStatus = rule['vex-status'];
    if (vexStatus === 'not_affected') status = 'not_affected';
    else if (vexStatus === 'fixed' && status === 'waived') status = 'fixed';
    reasons.push(rule.reason, rule['vex-justification']);
    const vulnerability = optionalString(rule.vulnerability);
    const fixState = optionalString(rule['fix-state']);
    if (vulnerability) reasons.push(`ignore rule for ${vulnerability}`);
    if (fixState) reasons.push(`ignore rule for fix state ${fixState}`);
  });
  const statusReason = uniqueStrings(reasons).join('; ');
  return statusReason
    ? { status, statusReason: truncateText(statusReason) }
    : { status };
}

/** CVSS ratings of a Grype vulnerability record (`cvss[]`). */
function cvssRatings(place: string, value: unknown): Cvss[] {
  const ratings: Cvss[] = [];
  expectArray(FORMAT, place, value).forEach((entryValue, index) => {
    const entry = expectObject(FORMAT, `${place}[${index}]`, entryValue);
    const metrics = isJsonObject(entry.metrics) ? entry.metrics : {};
    const rating = cvssOf(
      optionalString(entry.vector),
      optionalNumber(metrics.baseScore),
      optionalString(entry.version),
    );
    if (rating) {
      // Grype's own version field is authoritative (2.0 vectors have no prefix).
      const version = optionalString(entry.version);
      if (version) rating.version = version;
      ratings.push(rating);
    }
  });
  return ratings;
}

function cweIds(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.map(entry => (isJsonObject(entry) ? entry.cwe : entry));
}

function highestEpss(value: unknown): number | undefined {
  if (!Array.isArray(value)) return undefined;
  let highest: number | undefined;
  for (const entry of value) {
    const probability = isJsonObject(entry)
      ? optionalNumber(entry.epss)
      : undefined;
    if (
      probability !== undefined &&
      probability >= 0 &&
      probability <= 1 &&
      (highest === undefined || probability > highest)
    ) {
      highest = probability;
    }
  }
  return highest;
}

function parseMatch(
  place: string,
  value: unknown,
  scanner: string,
  suppression?: Suppression,
): { finding: NormalizedFinding; dependency: NormalizedDependency } {
  const match = expectObject(FORMAT, place, value);
  const vulnerability = expectObject(
    FORMAT,
    `${place}.vulnerability`,
    match.vulnerability,
  );
  const artifact = expectObject(FORMAT, `${place}.artifact`, match.artifact);
  const id = requiredString(
    FORMAT,
    `${place}.vulnerability.id`,
    vulnerability.id,
  );
  const name = requiredString(FORMAT, `${place}.artifact.name`, artifact.name);
  const version = optionalString(artifact.version);
  const artifactType = optionalString(artifact.type);
  const purl = optionalString(artifact.purl);
  const ecosystem = ecosystemOfPurl(purl) ?? artifactType;
  const locations = expectArray(
    FORMAT,
    `${place}.artifact.locations`,
    artifact.locations,
  );
  const firstLocation = locations.find(isJsonObject);
  const path = firstLocation ? optionalString(firstLocation.path) : undefined;

  // A GHSA match lists the CVE it aliases under relatedVulnerabilities, often
  // with the CVSS and CWEs the GHSA record lacks.
  const related = expectArray(
    FORMAT,
    `${place}.relatedVulnerabilities`,
    match.relatedVulnerabilities,
  ).map((entry, index) =>
    expectObject(FORMAT, `${place}.relatedVulnerabilities[${index}]`, entry),
  );
  const ownRatings = cvssRatings(
    `${place}.vulnerability.cvss`,
    vulnerability.cvss,
  );
  const relatedRatings = related.flatMap((entry, index) =>
    cvssRatings(`${place}.relatedVulnerabilities[${index}].cvss`, entry.cvss),
  );
  const cvss = preferredCvss(ownRatings) ?? preferredCvss(relatedRatings);
  let highestScore: number | undefined;
  for (const rating of [...ownRatings, ...relatedRatings]) {
    if (
      rating.score !== undefined &&
      (highestScore === undefined || rating.score > highestScore)
    ) {
      highestScore = rating.score;
    }
  }
  const severity =
    severityFromLabel(optionalString(vulnerability.severity)) ??
    severityOfScore(highestScore) ??
    'info';

  const fix = isJsonObject(vulnerability.fix) ? vulnerability.fix : {};
  const findingPackage: FindingPackage = {
    name,
    fixedVersions: uniqueStrings(
      expectArray(FORMAT, `${place}.vulnerability.fix.versions`, fix.versions),
    ),
  };
  if (purl) findingPackage.purl = purl;
  if (version) findingPackage.version = version;
  if (ecosystem) findingPackage.ecosystem = ecosystem;

  const category =
    artifactType && osPackageTypes.has(artifactType) ? 'container' : 'sca';
  const advisories = Array.isArray(vulnerability.advisories)
    ? vulnerability.advisories
    : [];
  const finding: NormalizedFinding = {
    category,
    ruleId: id,
    title: version ? `${id} in ${name} ${version}` : `${id} in ${name}`,
    severity,
    identifiers: advisoryIdentifiers([
      id,
      ...related.map(entry => entry.id),
      ...advisories.map(advisory =>
        isJsonObject(advisory) ? advisory.id : undefined,
      ),
      ...cweIds(vulnerability.cwes),
      ...related.flatMap(entry => cweIds(entry.cwes)),
    ]),
    package: findingPackage,
    scanner,
    fingerprint: fingerprintOf('grype:vulnerability', id, name, version, path),
    status: suppression?.status ?? 'open',
  };
  const description =
    plainText(vulnerability.description) ??
    related.map(entry => plainText(entry.description)).find(Boolean);
  if (description) finding.description = description;
  if (cvss) finding.cvss = cvss;
  // The rpm or dpkg database an OS package was read from is no place in code.
  if (path && category !== 'container') finding.location = { path };
  if (suppression?.statusReason)
    finding.statusReason = suppression.statusReason;
  const epss =
    highestEpss(vulnerability.epss) ??
    highestEpss(
      related.flatMap(entry => (Array.isArray(entry.epss) ? entry.epss : [])),
    );
  if (epss !== undefined) finding.epss = epss;
  const knownExploited = [vulnerability, ...related].some(
    entry =>
      Array.isArray(entry.knownExploited) && entry.knownExploited.length > 0,
  );
  // Only a listing is a statement; Grype leaves the field out when there is none.
  if (knownExploited) finding.knownExploited = true;
  const references = safeHttpUrls([
    vulnerability.dataSource,
    ...expectArray(FORMAT, `${place}.vulnerability.urls`, vulnerability.urls),
    ...advisories.map(advisory =>
      isJsonObject(advisory) ? advisory.link : undefined,
    ),
  ]);
  if (references.length > 0) finding.references = references;

  const dependency: NormalizedDependency = {
    name,
    licenses: uniqueStrings(
      expectArray(FORMAT, `${place}.artifact.licenses`, artifact.licenses).map(
        // Newer Grype versions write licenses as objects with a value.
        license =>
          isJsonObject(license)
            ? license.value ?? license.spdxExpression
            : license,
      ),
    ),
  };
  if (purl) dependency.purl = purl;
  if (version) dependency.version = version;
  if (ecosystem) dependency.ecosystem = ecosystem;
  return { finding, dependency };
}
