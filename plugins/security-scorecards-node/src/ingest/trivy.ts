import {
  Cvss,
  FindingCategory,
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
  splitVersionList,
  truncateText,
  uniqueStrings,
} from './advisoryHelpers';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { isJsonList, JsonList } from './lazyList';
import {
  ecosystemOfPurl,
  expectArray,
  expectList,
  expectObject,
  fingerprintOf,
  JsonObject,
  optionalNumber,
  optionalString,
  ParserOptions,
  reportError,
  requiredString,
  safeHttpUrls,
  secretHasherOf,
  sha256Hex,
} from './normalize';
import { ParsedReport, ReportFormat, StreamedReport } from './types';

const FORMAT: ReportFormat = 'trivy';
const SCANNER = 'Trivy';

/**
 * The lists of each result (scanned target), read one element at a time:
 * an image or a monorepo has thousands of packages and vulnerabilities.
 */
export const TRIVY_LAZY_PATHS: LazyJsonPath[] = [
  ['Results', '*', 'Packages'],
  ['Results', '*', 'Vulnerabilities'],
  ['Results', '*', 'Misconfigurations'],
  ['Results', '*', 'Secrets'],
  ['Results', '*', 'ExperimentalModifiedFindings'],
  ['Results', '*', 'ModifiedFindings'],
];

// Maps, not object literals: a report's `Class` or `Type` of `constructor`
// must find nothing rather than Object.prototype's.
const categoryOfClass = new Map<string, FindingCategory>([
  ['os-pkgs', 'container'],
  ['lang-pkgs', 'sca'],
  ['config', 'iac'],
  ['secret', 'secret'],
]);

// Purl types for Trivy result types, used when a package has no purl
// (older Trivy versions, e.g. the all_statuses fixture), so that the ecosystem
// reads the same as for packages that do have one.
const ecosystemOfResultType = new Map<string, string>(
  Object.entries({
    npm: 'npm',
    yarn: 'npm',
    pnpm: 'npm',
    bun: 'npm',
    'node-pkg': 'npm',
    pip: 'pypi',
    pipenv: 'pypi',
    poetry: 'pypi',
    uv: 'pypi',
    'python-pkg': 'pypi',
    jar: 'maven',
    pom: 'maven',
    gradle: 'maven',
    sbt: 'maven',
    gomod: 'golang',
    gobinary: 'golang',
    cargo: 'cargo',
    'rust-binary': 'cargo',
    bundler: 'gem',
    gemspec: 'gem',
    composer: 'composer',
    'composer-vendor': 'composer',
    nuget: 'nuget',
    'dotnet-core': 'nuget',
    'packages-props': 'nuget',
    conan: 'conan',
    cocoapods: 'cocoapods',
    swift: 'swift',
    pub: 'pub',
    hex: 'hex',
    'conda-pkg': 'conda',
    'conda-environment': 'conda',
    debian: 'deb',
    ubuntu: 'deb',
    alpine: 'apk',
    wolfi: 'apk',
    chainguard: 'apk',
    redhat: 'rpm',
    centos: 'rpm',
    rocky: 'rpm',
    alma: 'rpm',
    amazon: 'rpm',
    oracle: 'rpm',
    fedora: 'rpm',
    photon: 'rpm',
    suse: 'rpm',
    'opensuse.leap': 'rpm',
    'opensuse.tumbleweed': 'rpm',
    sles: 'rpm',
    'cbl-mariner': 'rpm',
    azurelinux: 'rpm',
  }),
);

const osResultTypes = new Set([
  'debian',
  'ubuntu',
  'alpine',
  'wolfi',
  'chainguard',
  'redhat',
  'centos',
  'rocky',
  'alma',
  'amazon',
  'oracle',
  'fedora',
  'photon',
  'suse',
  'sles',
  'opensuse.leap',
  'opensuse.tumbleweed',
  'cbl-mariner',
  'azurelinux',
  'echo',
  'minimos',
  'bottlerocket',
]);

/** One Trivy `Result` (a scanned target), with what its findings share. */
interface TrivyTarget {
  target: string;
  category: FindingCategory;
  ecosystem?: string;
  /** The first line of a package in the target, by package ID, for locations. */
  packageLine(id: string): number | undefined;
}

/** One Trivy `Result`, its lists checked but their elements not yet read. */
interface TrivyResult {
  place: string;
  target: TrivyTarget;
  packages: JsonList;
  vulnerabilities: JsonList;
  misconfigurations: JsonList;
  secrets: JsonList;
  /** Hashes the matched line of a secret for its fingerprint. */
  hashSecret: (secret: string) => string;
  /** `ExperimentalModifiedFindings` when the result has it, else `ModifiedFindings`. */
  modifiedKey: string;
  modifiedFindings: JsonList;
}

/** How a finding's status was changed by `.trivyignore` or VEX (ModifiedFindings). */
interface Modification {
  status: FindingStatus;
  statusReason?: string;
}

/**
 * Detects a Trivy JSON report (`trivy ... --format json`): an object with a
 * numeric `SchemaVersion` and a `Results` array or an `ArtifactName`.
 */
export function looksLikeTrivy(document: unknown): boolean {
  if (
    typeof document !== 'object' ||
    document === null ||
    isJsonList(document)
  ) {
    return false;
  }
  const root = document as JsonObject;
  return (
    typeof root.SchemaVersion === 'number' &&
    (isJsonList(root.Results) || typeof root.ArtifactName === 'string')
  );
}

/**
 * Parses a Trivy JSON report (SchemaVersion 2): vulnerabilities of OS packages
 * (container) and language packages (sca), failed misconfigurations (iac),
 * secrets (secret, never storing the secret), suppressed findings listed under
 * `ExperimentalModifiedFindings` (waived, not affected or fixed), and `Packages`
 * as dependencies.
 *
 * @param document - the report, already parsed from JSON
 * @param options - how to hash secrets
 * @returns the normalized findings and dependencies
 * @throws InputError naming the JSON place when the report has another shape
 */
export function parseTrivy(
  document: unknown,
  options?: ParserOptions,
): ParsedReport {
  return collectReport(streamTrivy(document, options));
}

/**
 * Reads a Trivy JSON report as {@link parseTrivy} does, except that the
 * lists of each result (packages, vulnerabilities, misconfigurations,
 * secrets, modified findings) are read as the findings and dependencies are
 * iterated; the report, its version and its results are checked at once.
 *
 * @param document - the JSON report; the lists of `Results[]` may be lazy arrays
 * @param options - how to hash secrets
 * @returns the report, its findings and dependencies read on iteration
 * @throws InputError naming the JSON place when the report has another shape
 */
export function streamTrivy(
  document: unknown,
  options?: ParserOptions,
): StreamedReport {
  const root = expectObject(FORMAT, '(root)', document);
  if (root.SchemaVersion === undefined) {
    throw reportError(FORMAT, 'SchemaVersion', 'is missing');
  }
  if (root.SchemaVersion !== 2) {
    throw reportError(
      FORMAT,
      'SchemaVersion',
      `version ${JSON.stringify(root.SchemaVersion)} is not supported, only 2`,
    );
  }
  const resultList = expectList(FORMAT, 'Results', root.Results);
  const trivyInfo = root.Trivy;
  const scannerVersion =
    typeof trivyInfo === 'object' && trivyInfo !== null
      ? optionalString((trivyInfo as JsonObject).Version)
      : undefined;

  const hashSecret = secretHasherOf(options);
  const results: TrivyResult[] = [];
  for (let index = 0; index < resultList.length; index++) {
    results.push(
      readResult(`Results[${index}]`, resultList.at(index), hashSecret),
    );
  }
  const coverage = new Set<FindingCategory>(
    results.map(result => result.target.category),
  );

  return {
    format: FORMAT,
    scanner: SCANNER,
    ...(scannerVersion ? { scannerVersion } : {}),
    findings: rereadable(() => readFindings(results)),
    dependencies: rereadable(() => readDependencies(results)),
    coverage: [...coverage],
  };
}

function readResult(
  place: string,
  value: unknown,
  hashSecret: (secret: string) => string,
): TrivyResult {
  const result = expectObject(FORMAT, place, value);
  const packages = expectList(FORMAT, `${place}.Packages`, result.Packages);
  const vulnerabilities = expectList(
    FORMAT,
    `${place}.Vulnerabilities`,
    result.Vulnerabilities,
  );
  const misconfigurations = expectList(
    FORMAT,
    `${place}.Misconfigurations`,
    result.Misconfigurations,
  );
  const secrets = expectList(FORMAT, `${place}.Secrets`, result.Secrets);
  const modifiedKey =
    result.ExperimentalModifiedFindings !== undefined
      ? 'ExperimentalModifiedFindings'
      : 'ModifiedFindings';
  const modifiedFindings = expectList(
    FORMAT,
    `${place}.${modifiedKey}`,
    result[modifiedKey],
  );
  return {
    place,
    target: describeTarget(result, packages),
    packages,
    vulnerabilities,
    misconfigurations,
    secrets,
    hashSecret,
    modifiedKey,
    modifiedFindings,
  };
}

function* readFindings(results: TrivyResult[]): Generator<NormalizedFinding> {
  for (const result of results) {
    const { place, target } = result;
    const { vulnerabilities, misconfigurations, secrets, modifiedFindings } =
      result;
    for (let index = 0; index < vulnerabilities.length; index++) {
      yield parseVulnerability(
        `${place}.Vulnerabilities[${index}]`,
        vulnerabilities.at(index),
        target,
      );
    }
    for (let index = 0; index < misconfigurations.length; index++) {
      const finding = parseMisconfiguration(
        `${place}.Misconfigurations[${index}]`,
        misconfigurations.at(index),
        target,
      );
      if (finding) yield finding;
    }
    for (let index = 0; index < secrets.length; index++) {
      yield parseSecret(
        `${place}.Secrets[${index}]`,
        secrets.at(index),
        target,
        result.hashSecret,
      );
    }
    for (let index = 0; index < modifiedFindings.length; index++) {
      const finding = parseModifiedFinding(
        `${place}.${result.modifiedKey}[${index}]`,
        modifiedFindings.at(index),
        target,
        result.hashSecret,
      );
      if (finding) yield finding;
    }
  }
}

function* readDependencies(
  results: TrivyResult[],
): Generator<NormalizedDependency> {
  for (const { place, target, packages } of results) {
    for (let index = 0; index < packages.length; index++) {
      const dependency = parseDependency(
        `${place}.Packages[${index}]`,
        packages.at(index),
        target.ecosystem,
      );
      if (dependency) yield dependency;
    }
  }
}

function describeTarget(result: JsonObject, packages: JsonList): TrivyTarget {
  const target = optionalString(result.Target) ?? '';
  const resultClass = optionalString(result.Class);
  const resultType = optionalString(result.Type)?.toLowerCase();
  let category: FindingCategory | undefined = resultClass
    ? categoryOfClass.get(resultClass)
    : undefined;
  if (!category) {
    // Results without a known Class (older reports) hold package findings:
    // an OS type means the packages of an image.
    category =
      resultType && osResultTypes.has(resultType) ? 'container' : 'sca';
  }
  // The lines are read from the packages when a finding first needs one, and
  // kept: a map of IDs to numbers, not the packages.
  let packageLines: Map<string, number> | undefined;
  return {
    target,
    category,
    ecosystem: resultType
      ? ecosystemOfResultType.get(resultType) ?? resultType
      : undefined,
    packageLine: id => {
      packageLines ??= packageLinesOf(packages);
      return packageLines.get(id);
    },
  };
}

/** The first line of each package, by package ID. */
function packageLinesOf(packages: JsonList): Map<string, number> {
  const packageLines = new Map<string, number>();
  for (const value of packages) {
    if (typeof value !== 'object' || value === null) continue;
    const pkg = value as JsonObject;
    const id = optionalString(pkg.ID);
    const firstLocation = Array.isArray(pkg.Locations)
      ? pkg.Locations[0]
      : undefined;
    const line =
      typeof firstLocation === 'object' && firstLocation !== null
        ? positiveInteger((firstLocation as JsonObject).StartLine)
        : undefined;
    if (id && line !== undefined) packageLines.set(id, line);
  }
  return packageLines;
}

function positiveInteger(value: unknown): number | undefined {
  const number = optionalNumber(value);
  return number !== undefined && Number.isInteger(number) && number > 0
    ? number
    : undefined;
}

function purlOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return optionalString((value as JsonObject).PURL);
}

function parseDependency(
  place: string,
  value: unknown,
  fallbackEcosystem: string | undefined,
): NormalizedDependency | undefined {
  const pkg = expectObject(FORMAT, place, value);
  const name = requiredString(FORMAT, `${place}.Name`, pkg.Name);
  // The scanned project itself is not one of its dependencies.
  if (pkg.Relationship === 'root') return undefined;
  const purl = purlOf(pkg.Identifier);
  const dependency: NormalizedDependency = {
    name,
    licenses: uniqueStrings(
      expectArray(FORMAT, `${place}.Licenses`, pkg.Licenses),
    ),
  };
  if (purl) dependency.purl = purl;
  const version = optionalString(pkg.Version);
  if (version) dependency.version = version;
  const ecosystem = ecosystemOfPurl(purl) ?? fallbackEcosystem;
  if (ecosystem) dependency.ecosystem = ecosystem;
  if (pkg.Relationship === 'direct') dependency.direct = true;
  else if (pkg.Relationship === 'indirect' || pkg.Indirect === true)
    dependency.direct = false;
  return dependency;
}

/** The CVSS of the vendor Trivy took the severity from, else NVD's, else the highest. */
function pickCvss(
  place: string,
  cvssByVendor: unknown,
  severitySource: string | undefined,
): { chosen?: Cvss; highestScore?: number } {
  if (cvssByVendor === undefined || cvssByVendor === null) return {};
  const vendors = expectObject(FORMAT, place, cvssByVendor);
  const ratings = new Map<string, Cvss>();
  let highestScore: number | undefined;
  for (const [vendor, value] of Object.entries(vendors)) {
    if (typeof value !== 'object' || value === null) continue;
    const entry = value as JsonObject;
    const v4 = cvssOf(
      optionalString(entry.V40Vector),
      optionalNumber(entry.V40Score),
      '4.0',
    );
    const v3 = cvssOf(
      optionalString(entry.V3Vector),
      optionalNumber(entry.V3Score),
      '3.1',
    );
    const v2 = cvssOf(
      optionalString(entry.V2Vector),
      optionalNumber(entry.V2Score),
      '2.0',
    );
    const rating = v4 ?? v3 ?? v2;
    if (!rating) continue;
    ratings.set(vendor, rating);
    for (const score of [v4?.score, v3?.score, v2?.score]) {
      if (
        score !== undefined &&
        (highestScore === undefined || score > highestScore)
      ) {
        highestScore = score;
      }
    }
  }
  const chosen =
    (severitySource ? ratings.get(severitySource) : undefined) ??
    ratings.get('nvd') ??
    preferredCvss(ratings.values());
  return { chosen, highestScore };
}

function parseVulnerability(
  place: string,
  value: unknown,
  target: TrivyTarget,
  modification?: Modification,
): NormalizedFinding {
  const vulnerability = expectObject(FORMAT, place, value);
  const id = requiredString(
    FORMAT,
    `${place}.VulnerabilityID`,
    vulnerability.VulnerabilityID,
  );
  const packageName = requiredString(
    FORMAT,
    `${place}.PkgName`,
    vulnerability.PkgName,
  );
  const installedVersion = optionalString(vulnerability.InstalledVersion);
  const purl = purlOf(vulnerability.PkgIdentifier);
  const packagePath = optionalString(vulnerability.PkgPath);
  const { chosen: cvss, highestScore } = pickCvss(
    `${place}.CVSS`,
    vulnerability.CVSS,
    optionalString(vulnerability.SeveritySource),
  );
  const severity =
    severityFromLabel(optionalString(vulnerability.Severity)) ??
    severityOfScore(highestScore) ??
    'info';

  let status: FindingStatus = 'open';
  let statusReason: string | undefined;
  if (modification) {
    status = modification.status;
    statusReason = modification.statusReason;
  } else if (vulnerability.Status === 'not_affected') {
    status = 'not_affected';
    statusReason =
      'The vendor states that this package is not affected (Trivy status not_affected)';
  }

  const findingPackage: FindingPackage = {
    name: packageName,
    fixedVersions: splitVersionList(vulnerability.FixedVersion),
  };
  if (purl) findingPackage.purl = purl;
  if (installedVersion) findingPackage.version = installedVersion;
  const ecosystem = ecosystemOfPurl(purl) ?? target.ecosystem;
  if (ecosystem) findingPackage.ecosystem = ecosystem;

  const finding: NormalizedFinding = {
    category: target.category,
    ruleId: id,
    title: plainText(vulnerability.Title) ?? id,
    severity,
    identifiers: advisoryIdentifiers([
      id,
      ...expectArray(FORMAT, `${place}.VendorIDs`, vulnerability.VendorIDs),
      ...expectArray(FORMAT, `${place}.CweIDs`, vulnerability.CweIDs),
    ]),
    package: findingPackage,
    scanner: SCANNER,
    fingerprint: fingerprintOf(
      'trivy:vulnerability',
      target.target,
      packagePath,
      id,
      packageName,
      installedVersion,
    ),
    status,
  };
  const description = plainText(vulnerability.Description);
  if (description) finding.description = description;
  if (cvss) finding.cvss = cvss;
  if (target.category !== 'container') {
    // OS package findings have no place in code; a language package's is its
    // lock file (or the jar inside an image), at the package's line.
    const path = packagePath ?? target.target;
    if (path) {
      finding.location = { path };
      const pkgId = optionalString(vulnerability.PkgID);
      const line =
        !packagePath && pkgId ? target.packageLine(pkgId) : undefined;
      if (line !== undefined) finding.location.line = line;
    }
  }
  if (statusReason) finding.statusReason = truncateText(statusReason);
  const references = safeHttpUrls([
    vulnerability.PrimaryURL,
    ...expectArray(FORMAT, `${place}.References`, vulnerability.References),
  ]);
  if (references.length > 0) finding.references = references;
  return finding;
}

function parseMisconfiguration(
  place: string,
  value: unknown,
  target: TrivyTarget,
  modification?: Modification,
): NormalizedFinding | undefined {
  const misconfiguration = expectObject(FORMAT, place, value);
  // Only failed checks are findings; PASS (and EXCEPTION, a policy exception)
  // results are listed only with --include-non-failures.
  if (!modification && misconfiguration.Status !== 'FAIL') return undefined;
  const ruleId =
    optionalString(misconfiguration.ID) ??
    optionalString(misconfiguration.AVDID) ??
    requiredString(FORMAT, `${place}.ID`, misconfiguration.ID);
  const cause =
    typeof misconfiguration.CauseMetadata === 'object' &&
    misconfiguration.CauseMetadata !== null
      ? (misconfiguration.CauseMetadata as JsonObject)
      : {};
  const message = optionalString(misconfiguration.Message);
  const resource = optionalString(cause.Resource);
  const line = positiveInteger(cause.StartLine);
  const resolution = plainText(misconfiguration.Resolution);

  const finding: NormalizedFinding = {
    category: 'iac',
    ruleId,
    title: plainText(misconfiguration.Title) ?? ruleId,
    severity:
      severityFromLabel(optionalString(misconfiguration.Severity)) ?? 'info',
    identifiers: [],
    scanner: SCANNER,
    // The cause's code and message identify the finding within the file
    // without the line number, so that edits above it keep the fingerprint.
    fingerprint: fingerprintOf(
      'trivy:misconfiguration',
      ruleId,
      target.target,
      resource,
      sha256Hex(`${message ?? ''}\n${causeCode(cause)}`),
    ),
    status: modification?.status ?? 'open',
  };
  const description = plainText(
    [
      message,
      optionalString(misconfiguration.Description),
      resolution && `Resolution: ${resolution}`,
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  if (description) finding.description = description;
  if (target.target) {
    finding.location = { path: target.target };
    if (line !== undefined) finding.location.line = line;
  }
  if (modification?.statusReason)
    finding.statusReason = truncateText(modification.statusReason);
  const references = safeHttpUrls([
    misconfiguration.PrimaryURL,
    ...expectArray(FORMAT, `${place}.References`, misconfiguration.References),
  ]);
  if (references.length > 0) finding.references = references;
  return finding;
}

function causeCode(cause: JsonObject): string {
  const code = cause.Code;
  if (typeof code !== 'object' || code === null) return '';
  const lines = (code as JsonObject).Lines;
  if (!Array.isArray(lines)) return '';
  return lines
    .filter(
      (line): line is JsonObject =>
        typeof line === 'object' &&
        line !== null &&
        (line as JsonObject).IsCause === true,
    )
    .map(line => optionalString(line.Content) ?? '')
    .join('\n');
}

function parseSecret(
  place: string,
  value: unknown,
  target: TrivyTarget,
  hashSecret: (secret: string) => string,
  modification?: Modification,
): NormalizedFinding {
  const secret = expectObject(FORMAT, place, value);
  const ruleId = requiredString(FORMAT, `${place}.RuleID`, secret.RuleID);
  // Trivy masks the secret in Match and Code with asterisks. Neither is stored
  // anyway (a custom build or rule could leave it readable); the matched line
  // only feeds the fingerprint, hashed like a secret (keyed, when the backend
  // gives a key), so that the same secret keeps its fingerprint when lines
  // above it move.
  const matchedLine = optionalString(secret.Match) ?? '';
  const category = optionalString(secret.Category);
  const line = positiveInteger(secret.StartLine);

  const finding: NormalizedFinding = {
    category: 'secret',
    ruleId,
    title: plainText(secret.Title) ?? ruleId,
    severity: severityFromLabel(optionalString(secret.Severity)) ?? 'info',
    identifiers: [],
    scanner: SCANNER,
    fingerprint: fingerprintOf(
      'trivy:secret',
      ruleId,
      target.target,
      hashSecret(matchedLine),
    ),
    status: modification?.status ?? 'open',
  };
  finding.description = category
    ? `${category} secret found by rule ${ruleId}`
    : `Secret found by rule ${ruleId}`;
  if (target.target) {
    finding.location = { path: target.target };
    if (line !== undefined) finding.location.line = line;
  }
  if (modification?.statusReason)
    finding.statusReason = truncateText(modification.statusReason);
  return finding;
}

/** Status of a finding that `.trivyignore` or a VEX document suppressed. */
function modificationOf(
  status: unknown,
  statement: unknown,
  source: unknown,
): Modification {
  const reason = uniqueStrings([
    statement,
    typeof source === 'string' && source.trim()
      ? `source: ${source.trim()}`
      : undefined,
  ]).join('; ');
  let mapped: FindingStatus = 'waived';
  if (status === 'not_affected') mapped = 'not_affected';
  else if (status === 'fixed') mapped = 'fixed';
  return reason ? { status: mapped, statusReason: reason } : { status: mapped };
}

function parseModifiedFinding(
  place: string,
  value: unknown,
  target: TrivyTarget,
  hashSecret: (secret: string) => string,
): NormalizedFinding | undefined {
  const modified = expectObject(FORMAT, place, value);
  const modification = modificationOf(
    modified.Status,
    modified.Statement,
    modified.Source,
  );
  const findingPlace = `${place}.Finding`;
  switch (modified.Type) {
    case 'vulnerability':
      return parseVulnerability(
        findingPlace,
        modified.Finding,
        target,
        modification,
      );
    case 'misconfiguration':
      return parseMisconfiguration(
        findingPlace,
        modified.Finding,
        target,
        modification,
      );
    case 'secret':
      return parseSecret(
        findingPlace,
        modified.Finding,
        target,
        hashSecret,
        modification,
      );
    case 'license':
      // License findings are not security findings.
      return undefined;
    default:
      throw reportError(
        FORMAT,
        `${place}.Type`,
        `expected vulnerability, misconfiguration, secret or license, got ${JSON.stringify(
          modified.Type,
        )}`,
      );
  }
}
