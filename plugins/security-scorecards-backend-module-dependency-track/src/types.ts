/**
 * The parts of Dependency-Track's REST API responses this module reads (API
 * server 4.x, `/api/v1`). Every field is optional because the server leaves
 * out empty ones (`@JsonInclude(NON_NULL)`); the mapping checks types itself.
 */

/**
 * A project, as `GET /api/v1/project/lookup` answers it.
 *
 * @public
 */
export interface DependencyTrackProject {
  uuid: string;
  name?: string;
  version?: string;
}

/**
 * One finding of `GET /api/v1/finding/project/{uuid}`: a vulnerability of a
 * component of the project, with the project's analysis of it.
 *
 * @public
 */
export interface DependencyTrackFinding {
  component?: {
    uuid?: string;
    name?: string;
    group?: string;
    version?: string;
    purl?: string;
    project?: string;
  };
  vulnerability?: {
    uuid?: string;
    /** NVD, GITHUB, OSV, OSSINDEX, SNYK, TRIVY, VULNDB, INTERNAL, ... */
    source?: string;
    vulnId?: string;
    title?: string;
    subtitle?: string;
    description?: string;
    recommendation?: string;
    /** Markdown list of links, in recent versions. */
    references?: string;
    /** CRITICAL, HIGH, MEDIUM, LOW, INFO or UNASSIGNED. */
    severity?: string;
    cvssV2BaseScore?: number;
    cvssV3BaseScore?: number;
    cvssV4Score?: number;
    cvssV2Vector?: string;
    cvssV3Vector?: string;
    cvssV4Vector?: string;
    epssScore?: number;
    epssPercentile?: number;
    /** Since 4.5; older versions write `cweId` and `cweName`. */
    cwes?: Array<{ cweId?: number; name?: string }>;
    cweId?: number;
    cweName?: string;
    aliases?: Array<{
      cveId?: string;
      ghsaId?: string;
      osvId?: string;
      snykId?: string;
      sonatypeId?: string;
      vulnDbId?: string;
    }>;
    /** Not part of the finding in 4.x, read when a server adds it. */
    patchedVersions?: string;
  };
  attribution?: {
    analyzerIdentity?: string;
    /** Milliseconds since the epoch. */
    attributedOn?: number;
    alternateIdentifier?: string;
    referenceUrl?: string;
  };
  analysis?: {
    /** EXPLOITABLE, IN_TRIAGE, FALSE_POSITIVE, NOT_AFFECTED, RESOLVED or NOT_SET; absent when never analysed. */
    state?: string;
    isSuppressed?: boolean;
    /** Not part of the finding in 4.x, read when a server adds it. */
    justification?: string;
    details?: string;
  };
  matrix?: string;
}

/**
 * A component of `GET /api/v1/component/project/{uuid}`.
 *
 * @public
 */
export interface DependencyTrackComponent {
  uuid?: string;
  group?: string;
  name?: string;
  version?: string;
  purl?: string;
  /** The license as the SBOM named it, when it is not a known SPDX license. */
  license?: string;
  licenseExpression?: string;
  resolvedLicense?: { licenseId?: string; name?: string };
  isInternal?: boolean;
}
