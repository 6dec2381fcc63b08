import { Severity } from './severity';

/**
 * What kind of analysis produced a finding.
 *
 * @public
 */
export type FindingCategory =
  | 'sast'
  | 'sca'
  | 'secret'
  | 'iac'
  | 'container'
  | 'dast'
  | 'other';

/**
 * All finding categories.
 *
 * @public
 */
export const FINDING_CATEGORIES: readonly FindingCategory[] = [
  'sast',
  'sca',
  'secret',
  'iac',
  'container',
  'dast',
  'other',
];

/**
 * Where a finding stands in its lifecycle.
 *
 * @public
 */
export type FindingStatus =
  | 'open'
  | 'fixed'
  | 'waived'
  | 'false_positive'
  | 'not_affected';

/**
 * All finding statuses.
 *
 * @public
 */
export const FINDING_STATUSES: readonly FindingStatus[] = [
  'open',
  'fixed',
  'waived',
  'false_positive',
  'not_affected',
];

/**
 * The statuses by which a report suppresses a finding it still lists: a
 * finding stored with one of them and no waiver is "suppressed in the
 * report". A report saying `fixed` is taken as fixed.
 *
 * @public
 */
export const REPORT_SUPPRESSED_STATUSES: readonly FindingStatus[] = [
  'waived',
  'false_positive',
  'not_affected',
];

/**
 * A CVSS rating as the source gave it.
 *
 * @public
 */
export interface Cvss {
  /** CVSS version, e.g. `3.1` or `4.0`. */
  version?: string;
  /** Base score, 0 to 10. */
  score?: number;
  /** Vector string, e.g. `CVSS:3.1/AV:N/AC:L/...`. */
  vector?: string;
}

/**
 * The package a finding is about.
 *
 * @public
 */
export interface FindingPackage {
  purl?: string;
  name: string;
  version?: string;
  /** Ecosystem, e.g. `npm`, `maven`, `pypi`, `alpine`. */
  ecosystem?: string;
  /** Versions that fix the finding, as the source lists them. */
  fixedVersions: string[];
}

/**
 * Where in the code a finding was found.
 *
 * @public
 */
export interface FindingLocation {
  path: string;
  line?: number;
}

/**
 * A finding as a scanner reported it, after normalization, before it is
 * stored for an entity.
 *
 * @public
 */
export interface NormalizedFinding {
  category: FindingCategory;
  /** The scanner's rule or advisory id, e.g. `js/sql-injection` or `CVE-2021-44228`. */
  ruleId: string;
  title: string;
  /** Plain text, never HTML; secrets are redacted. */
  description?: string;
  severity: Severity;
  cvss?: Cvss;
  /** Advisory and weakness ids: CVE-…, GHSA-…, CWE-…. */
  identifiers: string[];
  package?: FindingPackage;
  location?: FindingLocation;
  /** The tool that reported it, e.g. `CodeQL`, `Trivy`. */
  scanner: string;
  /** Stable across re-uploads and line shifts where the format allows. */
  fingerprint: string;
  /** `open` unless the report itself says it is suppressed, fixed or not affected. */
  status: FindingStatus;
  /** A reason given with a non-open status (suppression justification, VEX detail). */
  statusReason?: string;
  /** For secrets: a redacted excerpt and a SHA-256 of the secret, never the secret. */
  secret?: { redacted: string; sha256: string };
  /** EPSS probability (0 to 1) where the source gives it. */
  epss?: number;
  /** Listed in a known-exploited catalog (e.g. CISA KEV) where the source says so. */
  knownExploited?: boolean;
  /** Links to advisories. */
  references?: string[];
}

/**
 * What makes a dependency unique: its purl, else its ecosystem, name and
 * version. Parsers de-duplicate by it and the store keys dependencies by it.
 *
 * @public
 */
export function dependencyKey(
  dependency: Pick<
    NormalizedDependency,
    'purl' | 'ecosystem' | 'name' | 'version'
  >,
): string {
  return (
    dependency.purl ??
    `${dependency.ecosystem ?? ''}/${dependency.name}@${
      dependency.version ?? ''
    }`
  );
}

/**
 * A dependency (SBOM component) of an entity.
 *
 * @public
 */
export interface NormalizedDependency {
  purl?: string;
  name: string;
  version?: string;
  ecosystem?: string;
  /** SPDX license ids or names. */
  licenses: string[];
  /** Whether the entity depends on it directly; undefined when the source does not say. */
  direct?: boolean;
}
