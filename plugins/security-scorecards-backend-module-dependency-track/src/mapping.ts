import {
  Cvss,
  dependencyKey,
  FindingPackage,
  FindingStatus,
  NormalizedDependency,
  NormalizedFinding,
  severityFromLabel,
} from '@secdevops/plugin-security-scorecards-common';
import {
  advisoryIdentifiers,
  cvssOf,
  ecosystemOfPurl,
  fingerprintOf,
  ParsedReport,
  plainText,
  severityOfScore,
} from '@secdevops/plugin-security-scorecards-node';
import { DependencyTrackComponent, DependencyTrackFinding } from './types';

/**
 * The scanner name of collected findings and scans.
 *
 * @public
 */
export const DEPENDENCY_TRACK_SCANNER = 'Dependency-Track';

/**
 * The format of the scans this module stores: Dependency-Track's API
 * answers, not a report the upload parsers read. Its coverage is declared on
 * the report (`sca`).
 *
 * @public
 */
export const DEPENDENCY_TRACK_REPORT_FORMAT = 'dependency-track';

/** Most advisory links kept per finding. */
const MAX_REFERENCES = 20;
const URL_IN_TEXT = /https?:\/\/[^\s<>()[\]"'`]+/g;

/**
 * The normalized report of a project's Dependency-Track findings (suppressed
 * ones included) and components.
 *
 * @public
 * @throws Error naming the place of a finding or component without the fields every finding or component has
 */
export function dependencyTrackReport(data: {
  findings: DependencyTrackFinding[];
  components: DependencyTrackComponent[];
}): ParsedReport {
  const findings = new Map<string, NormalizedFinding>();
  data.findings.forEach((finding, index) => {
    const mapped = mapDependencyTrackFinding(finding, `findings[${index}]`);
    if (!findings.has(mapped.fingerprint))
      findings.set(mapped.fingerprint, mapped);
  });
  const dependencies = new Map<string, NormalizedDependency>();
  data.components.forEach((component, index) => {
    const mapped = mapDependencyTrackComponent(
      component,
      `components[${index}]`,
    );
    const key = dependencyKey(mapped);
    if (!dependencies.has(key)) dependencies.set(key, mapped);
  });
  return {
    format: DEPENDENCY_TRACK_REPORT_FORMAT,
    scanner: DEPENDENCY_TRACK_SCANNER,
    findings: [...findings.values()],
    dependencies: [...dependencies.values()],
    coverage: ['sca'],
  };
}

/**
 * Where a finding stands after Dependency-Track's analysis: NOT_AFFECTED is
 * not_affected, FALSE_POSITIVE false_positive, RESOLVED fixed; EXPLOITABLE,
 * IN_TRIAGE, NOT_SET and no analysis are open, or waived when the finding is
 * suppressed. The reason is the analysis' justification and details when the
 * server gives them, else the analysis state.
 *
 * @public
 */
export function statusOfDependencyTrackAnalysis(
  analysis: DependencyTrackFinding['analysis'],
): { status: FindingStatus; statusReason?: string } {
  const state = stringOf(analysis?.state)?.toUpperCase();
  const suppressed = analysis?.isSuppressed === true;
  const given = [stringOf(analysis?.justification), stringOf(analysis?.details)]
    .filter((text): text is string => text !== undefined)
    .join(': ');
  const reason = (fallback: string) => plainText(given) ?? fallback;
  const described = `Dependency-Track analysis: ${state}${
    suppressed ? ', suppressed' : ''
  }`;
  switch (state) {
    case 'NOT_AFFECTED':
      return { status: 'not_affected', statusReason: reason(described) };
    case 'FALSE_POSITIVE':
      return { status: 'false_positive', statusReason: reason(described) };
    case 'RESOLVED':
      return { status: 'fixed', statusReason: reason(described) };
    default:
      return suppressed
        ? {
            status: 'waived',
            statusReason: reason(
              `Suppressed in Dependency-Track (analysis state ${
                state ?? 'NOT_SET'
              })`,
            ),
          }
        : { status: 'open' };
  }
}

/**
 * One Dependency-Track finding as a normalized sca finding. Its fingerprint is
 * the vulnerability's source and id and the component's purl (or name and
 * version), so it is stable across runs and across re-imports of the project's
 * SBOM.
 *
 * @public
 */
export function mapDependencyTrackFinding(
  finding: DependencyTrackFinding,
  place: string,
): NormalizedFinding {
  const component = objectAt(finding.component, `${place}.component`);
  const vulnerability = objectAt(
    finding.vulnerability,
    `${place}.vulnerability`,
  );
  const vulnId = required(
    vulnerability.vulnId,
    `${place}.vulnerability.vulnId`,
  );
  const source = stringOf(vulnerability.source);
  const name = packageName(component, `${place}.component`);
  const version = stringOf(component.version);
  const purl = stringOf(component.purl);

  const cvss = cvssOfVulnerability(vulnerability);
  const severity =
    severityFromLabel(stringOf(vulnerability.severity)) ??
    severityOfScore(cvss?.score) ??
    'info';

  const findingPackage: FindingPackage = {
    name,
    fixedVersions: (stringOf(vulnerability.patchedVersions) ?? '')
      .split(',')
      .map(text => text.trim())
      .filter(text => text.length > 0),
  };
  if (purl) findingPackage.purl = purl;
  if (version) findingPackage.version = version;
  const ecosystem = ecosystemOfPurl(purl);
  if (ecosystem) findingPackage.ecosystem = ecosystem;

  const { status, statusReason } = statusOfDependencyTrackAnalysis(
    isObject(finding.analysis) ? finding.analysis : undefined,
  );
  const aliases = Array.isArray(vulnerability.aliases)
    ? vulnerability.aliases.filter(isObject)
    : [];
  const cwes = Array.isArray(vulnerability.cwes)
    ? vulnerability.cwes.filter(isObject)
    : [];

  const mapped: NormalizedFinding = {
    category: 'sca',
    ruleId: vulnId,
    title:
      plainText(vulnerability.title) ??
      `${vulnId} in ${name}${version ? ` ${version}` : ''}`,
    severity,
    identifiers: advisoryIdentifiers([
      vulnId,
      ...aliases.flatMap(alias => [alias.cveId, alias.ghsaId]),
      ...cwes.map(cwe => cweIdOf(cwe.cweId)),
      cweIdOf(vulnerability.cweId),
    ]),
    package: findingPackage,
    scanner: DEPENDENCY_TRACK_SCANNER,
    fingerprint: fingerprintOf(
      'dependency-track',
      source,
      vulnId,
      purl ?? `${name}@${version ?? ''}`,
    ),
    status,
  };
  const description = plainText(vulnerability.description);
  if (description) mapped.description = description;
  if (cvss) mapped.cvss = cvss;
  if (statusReason) mapped.statusReason = statusReason;
  const epss = vulnerability.epssScore;
  if (typeof epss === 'number' && epss >= 0 && epss <= 1) mapped.epss = epss;
  const references = referencesOf(finding);
  if (references.length > 0) mapped.references = references;
  return mapped;
}

/**
 * One component of a Dependency-Track project as a dependency. Whether it is
 * direct is left open: the components API does not say it per component.
 *
 * @public
 */
export function mapDependencyTrackComponent(
  component: DependencyTrackComponent,
  place: string,
): NormalizedDependency {
  const checked = objectAt(component, place);
  const purl = stringOf(checked.purl);
  const version = stringOf(checked.version);
  const ecosystem = ecosystemOfPurl(purl);
  const resolved = isObject(checked.resolvedLicense)
    ? checked.resolvedLicense
    : undefined;
  const license =
    stringOf(resolved?.licenseId) ??
    stringOf(resolved?.name) ??
    stringOf(checked.licenseExpression) ??
    stringOf(checked.license);
  const dependency: NormalizedDependency = {
    name: packageName(checked, place),
    licenses: license ? [license] : [],
  };
  if (purl) dependency.purl = purl;
  if (version) dependency.version = version;
  if (ecosystem) dependency.ecosystem = ecosystem;
  return dependency;
}

/**
 * The CVSS rating of a vulnerability: 3.x first (what Dependency-Track's own
 * severity is based on), then 4.0, then 2.0.
 */
function cvssOfVulnerability(
  vulnerability: NonNullable<DependencyTrackFinding['vulnerability']>,
): Cvss | undefined {
  const rating = (
    vector: unknown,
    score: unknown,
    fallbackVersion: string,
  ): Cvss | undefined => {
    // Dependency-Track writes NVD's 2.0 vectors in parentheses.
    const text = stringOf(vector)?.replace(/^\((.*)\)$/, '$1');
    const value = typeof score === 'number' ? score : undefined;
    // A missing rating is written as no field, but some servers write 0.
    if (!text && !value) return undefined;
    return cvssOf(text, value, fallbackVersion);
  };
  return (
    rating(vulnerability.cvssV3Vector, vulnerability.cvssV3BaseScore, '3.1') ??
    rating(vulnerability.cvssV4Vector, vulnerability.cvssV4Score, '4.0') ??
    rating(vulnerability.cvssV2Vector, vulnerability.cvssV2BaseScore, '2.0')
  );
}

function referencesOf(finding: DependencyTrackFinding): string[] {
  const urls = new Set<string>();
  const add = (text: unknown) => {
    if (typeof text !== 'string') return;
    for (const url of text.match(URL_IN_TEXT) ?? []) urls.add(url);
  };
  add(finding.attribution?.referenceUrl);
  add(finding.vulnerability?.references);
  return [...urls].slice(0, MAX_REFERENCES);
}

/** `group/name` (e.g. `org.apache.commons/commons-text`, `@babel/runtime`), or the name. */
function packageName(
  component: { group?: unknown; name?: unknown },
  place: string,
): string {
  const name = required(component.name, `${place}.name`);
  const group = stringOf(component.group);
  return group ? `${group}/${name}` : name;
}

function cweIdOf(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? `CWE-${value}`
    : undefined;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text.length > 0 ? text : undefined;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt<T>(value: T | undefined, place: string): T & object {
  if (!isObject(value)) {
    throw new Error(
      `Dependency-Track answered without an object at ${place}, which every answer has`,
    );
  }
  return value as T & object;
}

function required(value: unknown, place: string): string {
  const text = stringOf(value);
  if (text === undefined) {
    throw new Error(
      `Dependency-Track answered without ${place}, which every answer has`,
    );
  }
  return text;
}
