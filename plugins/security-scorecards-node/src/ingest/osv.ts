import {
  Cvss,
  FindingCategory,
  FindingPackage,
  NormalizedDependency,
  NormalizedFinding,
  Severity,
  severityFromLabel,
} from '@secdevops/plugin-security-scorecards-common';
import {
  advisoryIdentifiers,
  cvssOf,
  moreSevere,
  normalizeAdvisoryId,
  plainText,
  preferredCvss,
  severityOfScore,
  uniqueStrings,
} from './advisoryHelpers';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { isJsonList, JsonList } from './lazyList';
import {
  expectArray,
  expectList,
  expectObject,
  fingerprintOf,
  isJsonObject,
  JsonObject,
  optionalNumber,
  optionalString,
  reportError,
  requiredString,
  safeHttpUrls,
} from './normalize';
import { ParsedReport, StreamedReport } from './types';

const FORMAT = 'osv';
const SCANNER = 'OSV-Scanner';

/**
 * The packages of each result (scanned lock file or image), read one at a
 * time: a monorepo lock file lists thousands, each with its OSV records.
 */
export const OSV_LAZY_PATHS: LazyJsonPath[] = [['results', '*', 'packages']];

/** Top-level keys of an osv-scanner report, for recognising one without results. */
const reportKeys = new Set([
  'results',
  'experimental_config',
  'experimental_license_summary',
]);

/**
 * Purl type (and namespace) of OSV ecosystems. The ecosystem part before a
 * colon counts, so `Debian:12` is Debian.
 */
const purlTypeOfEcosystem = new Map<
  string,
  { type: string; namespace?: string }
>(
  // A Map, not an object literal: an ecosystem named `constructor` must find nothing.
  Object.entries({
    npm: { type: 'npm' },
    pypi: { type: 'pypi' },
    maven: { type: 'maven' },
    go: { type: 'golang' },
    'crates.io': { type: 'cargo' },
    rubygems: { type: 'gem' },
    nuget: { type: 'nuget' },
    packagist: { type: 'composer' },
    pub: { type: 'pub' },
    hex: { type: 'hex' },
    hackage: { type: 'hackage' },
    cran: { type: 'cran' },
    swifturl: { type: 'swift' },
    conancenter: { type: 'conan' },
    'github actions': { type: 'githubactions' },
    bitnami: { type: 'bitnami' },
    debian: { type: 'deb', namespace: 'debian' },
    ubuntu: { type: 'deb', namespace: 'ubuntu' },
    alpine: { type: 'apk', namespace: 'alpine' },
    wolfi: { type: 'apk', namespace: 'wolfi' },
    chainguard: { type: 'apk', namespace: 'chainguard' },
    'rocky linux': { type: 'rpm', namespace: 'rocky' },
    almalinux: { type: 'rpm', namespace: 'almalinux' },
    'red hat': { type: 'rpm', namespace: 'redhat' },
    opensuse: { type: 'rpm', namespace: 'opensuse' },
    suse: { type: 'rpm', namespace: 'suse' },
    'photon os': { type: 'rpm', namespace: 'photon' },
    mageia: { type: 'rpm', namespace: 'mageia' },
    openeuler: { type: 'rpm', namespace: 'openeuler' },
  }),
);

/** CVSS versions of OSV `severity[].type` values. */
const cvssVersionOfSeverityType = new Map<string, string>([
  ['CVSS_V2', '2.0'],
  ['CVSS_V3', '3.1'],
  ['CVSS_V4', '4.0'],
]);

/** Purl types of operating system packages: their findings are about the image. */
const osPurlTypes = new Set(['deb', 'apk', 'rpm']);

/** A package of a result, with what its findings share. */
interface ScannedPackage {
  name: string;
  version?: string;
  /** The OSV ecosystem as written, e.g. `crates.io` or `Debian:12`. */
  osvEcosystem?: string;
  purl?: string;
  ecosystem?: string;
  category: FindingCategory;
  sourcePath?: string;
}

/** One result (a scanned source), its packages not yet read. */
interface OsvResult {
  place: string;
  sourcePath?: string;
  packages: JsonList;
}

/** A group of OSV records osv-scanner found to be aliases of each other. */
interface OsvGroup {
  ids: string[];
  aliases: unknown[];
  maxSeverity: unknown;
}

/** One entry of a result's packages, read and checked. */
interface OsvPackage {
  scanned: ScannedPackage;
  dependency: NormalizedDependency;
  /** The OSV records of the package, by id. */
  records: Map<string, JsonObject>;
  groups: OsvGroup[];
}

/**
 * Detects an OSV-Scanner JSON report (`osv-scanner --format json`): an object
 * whose `results` entries have a `source` and `packages`, or, with no results,
 * only the keys osv-scanner writes.
 */
export function looksLikeOsv(document: unknown): boolean {
  if (!isJsonObject(document) || !isJsonList(document.results)) return false;
  const first = document.results.at(0);
  if (first === undefined)
    return Object.keys(document).every(key => reportKeys.has(key));
  return (
    isJsonObject(first) &&
    isJsonObject(first.source) &&
    isJsonList(first.packages)
  );
}

/**
 * Parses an OSV-Scanner JSON report: one finding per vulnerability group (the
 * OSV records osv-scanner found to be aliases of each other) and package, with
 * the group's max_severity when present, else the advisory's severity label,
 * else the highest CVSS 3.x score computed from the records' vectors. The
 * scanned packages are returned as dependencies.
 *
 * @param document - the report, already parsed from JSON
 * @returns the normalized findings and dependencies
 * @throws InputError naming the JSON place when the report has another shape
 */
export function parseOsv(document: unknown): ParsedReport {
  return collectReport(streamOsv(document));
}

/**
 * Reads an OSV-Scanner JSON report as {@link parseOsv} does, except that the
 * packages of each result are read as the findings and dependencies are
 * iterated; the report and its results are checked at once.
 *
 * @param document - the JSON report; the `packages` of `results[]` may be lazy arrays
 * @returns the report, its findings and dependencies read on iteration
 * @throws InputError naming the JSON place when the report has another shape
 */
export function streamOsv(document: unknown): StreamedReport {
  const root = expectObject(FORMAT, '(root)', document);
  const resultList = expectList(FORMAT, 'results', root.results, {
    optional: false,
  });
  const results: OsvResult[] = [];
  for (let index = 0; index < resultList.length; index++) {
    results.push(readResult(`results[${index}]`, resultList.at(index)));
  }
  return {
    format: FORMAT,
    scanner: SCANNER,
    findings: rereadable(function* findings() {
      for (const entry of readPackages(results)) {
        yield* packageFindings(entry);
      }
    }),
    dependencies: rereadable(function* dependencies() {
      for (const entry of readPackages(results)) yield entry.dependency;
    }),
  };
}

function readResult(place: string, value: unknown): OsvResult {
  const result = expectObject(FORMAT, place, value);
  const source =
    result.source === undefined
      ? {}
      : expectObject(FORMAT, `${place}.source`, result.source);
  const sourcePath = optionalString(source.path);
  return {
    place,
    ...(sourcePath ? { sourcePath } : {}),
    packages: expectList(FORMAT, `${place}.packages`, result.packages),
  };
}

/**
 * Every package of every result, read one at a time. Each pass reads a
 * package whole (its dependency, records and groups), so that either pass
 * rejects a malformed package where the other would.
 */
function* readPackages(results: OsvResult[]): Generator<OsvPackage> {
  for (const { place, sourcePath, packages } of results) {
    for (let index = 0; index < packages.length; index++) {
      yield readPackage(
        `${place}.packages[${index}]`,
        packages.at(index),
        sourcePath,
      );
    }
  }
}

function readPackage(
  place: string,
  value: unknown,
  sourcePath: string | undefined,
): OsvPackage {
  const entry = expectObject(FORMAT, place, value);
  const scanned = describePackage(
    `${place}.package`,
    entry.package,
    sourcePath,
  );
  const dependency = dependencyOf(scanned, entry, place);
  const records = new Map<string, JsonObject>();
  expectArray(
    FORMAT,
    `${place}.vulnerabilities`,
    entry.vulnerabilities,
  ).forEach((recordValue, index) => {
    const recordPlace = `${place}.vulnerabilities[${index}]`;
    const record = expectObject(FORMAT, recordPlace, recordValue);
    records.set(requiredString(FORMAT, `${recordPlace}.id`, record.id), record);
  });
  const groups = expectArray(FORMAT, `${place}.groups`, entry.groups).map(
    (groupValue, index): OsvGroup => {
      const groupPlace = `${place}.groups[${index}]`;
      const group = expectObject(FORMAT, groupPlace, groupValue);
      const ids = uniqueStrings(
        expectArray(FORMAT, `${groupPlace}.ids`, group.ids, {
          optional: false,
        }),
      );
      if (ids.length === 0)
        throw reportError(FORMAT, `${groupPlace}.ids`, 'is empty');
      return {
        ids,
        aliases: expectArray(FORMAT, `${groupPlace}.aliases`, group.aliases),
        maxSeverity: group.max_severity,
      };
    },
  );
  return { scanned, dependency, records, groups };
}

function ecosystemBase(ecosystem: string | undefined): string | undefined {
  return ecosystem?.split(':')[0].trim().toLowerCase();
}

/** A package URL for an OSV package, following the purl spec per type. */
function purlOf(
  name: string,
  version: string | undefined,
  osvEcosystem: string | undefined,
) {
  const mapping = purlTypeOfEcosystem.get(ecosystemBase(osvEcosystem) ?? '');
  if (!mapping) return undefined;
  let path: string;
  if (mapping.type === 'maven' && name.includes(':')) {
    const [group, artifact] = name.split(':', 2);
    path = `${encodeURIComponent(group)}/${encodeURIComponent(artifact)}`;
  } else if (mapping.type === 'pypi') {
    path = encodeURIComponent(name.toLowerCase().replace(/_/g, '-'));
  } else {
    // npm scopes and Go module paths keep their slashes as purl namespaces.
    path = name.split('/').map(encodeURIComponent).join('/');
  }
  if (mapping.namespace) path = `${mapping.namespace}/${path}`;
  const versionPart = version ? `@${encodeURIComponent(version)}` : '';
  return {
    purl: `pkg:${mapping.type}/${path}${versionPart}`,
    type: mapping.type,
  };
}

function describePackage(
  place: string,
  value: unknown,
  sourcePath?: string,
): ScannedPackage {
  const pkg = expectObject(FORMAT, place, value);
  const name = requiredString(FORMAT, `${place}.name`, pkg.name);
  const version = optionalString(pkg.version);
  const osvEcosystem = optionalString(pkg.ecosystem);
  const purl = purlOf(name, version, osvEcosystem);
  const scanned: ScannedPackage = {
    name,
    category: purl && osPurlTypes.has(purl.type) ? 'container' : 'sca',
  };
  if (version) scanned.version = version;
  if (osvEcosystem) scanned.osvEcosystem = osvEcosystem;
  if (purl) scanned.purl = purl.purl;
  const ecosystem = purl?.type ?? ecosystemBase(osvEcosystem);
  if (ecosystem) scanned.ecosystem = ecosystem;
  if (sourcePath) scanned.sourcePath = sourcePath;
  return scanned;
}

function dependencyOf(
  scanned: ScannedPackage,
  entry: JsonObject,
  place: string,
): NormalizedDependency {
  const dependency: NormalizedDependency = {
    name: scanned.name,
    licenses: uniqueStrings(
      expectArray(FORMAT, `${place}.licenses`, entry.licenses),
    ),
  };
  if (scanned.purl) dependency.purl = scanned.purl;
  if (scanned.version) dependency.version = scanned.version;
  if (scanned.ecosystem) dependency.ecosystem = scanned.ecosystem;
  return dependency;
}

/** The findings of one package: one per group, and one per record in no group. */
function packageFindings({
  scanned,
  records,
  groups,
}: OsvPackage): NormalizedFinding[] {
  const grouped = new Set<string>();
  const findings: NormalizedFinding[] = [];
  for (const group of groups) {
    group.ids.forEach(id => grouped.add(id));
    findings.push(
      groupFinding(
        group.ids,
        group.aliases,
        group.maxSeverity,
        records,
        scanned,
      ),
    );
  }
  for (const id of records.keys()) {
    if (!grouped.has(id))
      findings.push(groupFinding([id], [], undefined, records, scanned));
  }
  return findings;
}

/**
 * The id a group is known by: a CVE where any record has one (the id most
 * tools share), else a GHSA id, else the group's first id.
 */
function representativeId(ids: string[], allIds: string[]): string {
  const canonical = allIds
    .map(normalizeAdvisoryId)
    .filter((id): id is string => !!id);
  const cves = canonical.filter(id => id.startsWith('CVE-')).sort();
  if (cves.length > 0) return cves[0];
  const ghsas = canonical.filter(id => id.startsWith('GHSA-')).sort();
  if (ghsas.length > 0) return ghsas[0];
  return ids[0];
}

function cvssRatings(record: JsonObject): Cvss[] {
  if (!Array.isArray(record.severity)) return [];
  const ratings: Cvss[] = [];
  for (const entry of record.severity) {
    if (!isJsonObject(entry)) continue;
    const vector = optionalString(entry.score);
    const type = optionalString(entry.type);
    const fallbackVersion = type
      ? cvssVersionOfSeverityType.get(type)
      : undefined;
    if (!vector || !fallbackVersion) continue;
    const rating = cvssOf(vector, undefined, fallbackVersion);
    if (rating) ratings.push(rating);
  }
  return ratings;
}

/** Fixed versions the records' `affected` entries give for this package. */
function fixedVersionsFor(
  records: JsonObject[],
  scanned: ScannedPackage,
): string[] {
  const fixed: unknown[] = [];
  const wantedEcosystem = ecosystemBase(scanned.osvEcosystem);
  for (const record of records) {
    if (!Array.isArray(record.affected)) continue;
    for (const affected of record.affected) {
      if (!isJsonObject(affected) || !isJsonObject(affected.package)) continue;
      if (affected.package.name !== scanned.name) continue;
      const ecosystem = ecosystemBase(
        optionalString(affected.package.ecosystem),
      );
      if (wantedEcosystem && ecosystem && ecosystem !== wantedEcosystem)
        continue;
      if (!Array.isArray(affected.ranges)) continue;
      for (const range of affected.ranges) {
        if (!isJsonObject(range) || !Array.isArray(range.events)) continue;
        for (const event of range.events) {
          if (isJsonObject(event)) fixed.push(event.fixed);
        }
      }
    }
  }
  return uniqueStrings(fixed);
}

function groupFinding(
  ids: string[],
  groupAliases: unknown[],
  maxSeverity: unknown,
  records: Map<string, JsonObject>,
  scanned: ScannedPackage,
): NormalizedFinding {
  const members = ids
    .map(id => records.get(id))
    .filter((record): record is JsonObject => record !== undefined);
  const allIds = uniqueStrings([
    ...ids,
    ...groupAliases,
    ...members.flatMap(record =>
      Array.isArray(record.aliases) ? record.aliases : [],
    ),
  ]);
  const ruleId = representativeId(ids, allIds);
  // The record to take texts from: the one named like the group, else a
  // GitHub advisory (reviewed, with a summary), else the first.
  const primary =
    records.get(ruleId) ??
    members.find(record => String(record.id).startsWith('GHSA-')) ??
    members[0];

  let labelSeverity: Severity | undefined;
  const ratings: Cvss[] = [];
  const cwes: unknown[] = [];
  for (const record of members) {
    const databaseSpecific = isJsonObject(record.database_specific)
      ? record.database_specific
      : {};
    labelSeverity = moreSevere(
      labelSeverity,
      severityFromLabel(optionalString(databaseSpecific.severity)),
    );
    if (Array.isArray(databaseSpecific.cwe_ids))
      cwes.push(...databaseSpecific.cwe_ids);
    ratings.push(...cvssRatings(record));
  }
  let highestScore: number | undefined;
  for (const rating of ratings) {
    if (
      rating.score !== undefined &&
      (highestScore === undefined || rating.score > highestScore)
    ) {
      highestScore = rating.score;
    }
  }
  // osv-scanner writes max_severity as a score in a string, "" when unknown.
  const groupScore = optionalNumber(maxSeverity);
  const severity =
    severityOfScore(groupScore) ??
    labelSeverity ??
    severityOfScore(highestScore) ??
    'info';

  const findingPackage: FindingPackage = {
    name: scanned.name,
    fixedVersions: fixedVersionsFor(members, scanned),
  };
  if (scanned.purl) findingPackage.purl = scanned.purl;
  if (scanned.version) findingPackage.version = scanned.version;
  if (scanned.ecosystem) findingPackage.ecosystem = scanned.ecosystem;

  const finding: NormalizedFinding = {
    category: scanned.category,
    ruleId,
    title:
      plainText(primary?.summary) ??
      members.map(record => plainText(record.summary)).find(Boolean) ??
      ruleId,
    severity,
    identifiers: advisoryIdentifiers([...allIds, ...cwes]),
    package: findingPackage,
    scanner: SCANNER,
    fingerprint: fingerprintOf(
      'osv:vulnerability',
      ruleId,
      ecosystemBase(scanned.osvEcosystem),
      scanned.name,
      scanned.version,
    ),
    status: 'open',
  };
  const description =
    plainText(primary?.details) ??
    members.map(record => plainText(record.details)).find(Boolean);
  if (description) finding.description = description;
  const cvss = preferredCvss(ratings);
  if (cvss) finding.cvss = cvss;
  if (scanned.sourcePath) finding.location = { path: scanned.sourcePath };
  const references = safeHttpUrls(
    members.flatMap(record =>
      Array.isArray(record.references)
        ? record.references.map(reference =>
            isJsonObject(reference) ? reference.url : undefined,
          )
        : [],
    ),
  );
  if (references.length > 0) finding.references = references;
  return finding;
}
