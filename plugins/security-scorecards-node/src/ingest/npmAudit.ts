import {
  Cvss,
  NormalizedFinding,
  Severity,
  severityFromLabel,
  severityFromScore,
} from '@secdevops/plugin-security-scorecards-common';
import { truncateText } from './advisoryHelpers';
import {
  expectArray,
  expectObject,
  fingerprintOf,
  isJsonObject,
  JsonObject,
  optionalNumber,
  optionalString,
  reportError,
  safeHttpUrl,
  uniqueBy,
} from './normalize';
import { failureReasonOf, FailedScanError } from './failedScan';
import { ParsedReport, ReportFormat } from './types';

const FORMAT: ReportFormat = 'npm-audit';
const SCANNER = 'npm audit';
const SUPPORTED_REPORT_VERSION = 2;
const GHSA_ID = /GHSA(?:-[0-9a-z]{4}){3}/i;
// `0*` and the number share no digit: `0*(\d+)` is quadratic on zeros.
const CWE_ID = /^cwe[-_: ]?0*([1-9]\d*|0)$/i;

/**
 * Tells whether a parsed JSON document is an `npm audit --json` report: an
 * object with a numeric `auditReportVersion` and a `vulnerabilities` map
 * (npm 7 and later). The npm 6 shape (`advisories`, `actions` and
 * `metadata`) is recognised too, so that {@link parseNpmAudit} can reject it
 * with a message that says why, and so is the error npm writes instead of a
 * report when the audit fails (`{ "error": { "code", "summary", "detail" } }`),
 * so that it is answered as a failed scan.
 *
 * @param document - the parsed JSON report
 * @returns true when the document is an npm audit report
 */
export function looksLikeNpmAudit(document: unknown): boolean {
  if (!isJsonObject(document)) return false;
  if (isNpmError(document.error) && Object.keys(document).length === 1) {
    return true;
  }
  if (typeof document.auditReportVersion === 'number') {
    return (
      isJsonObject(document.vulnerabilities) ||
      isJsonObject(document.advisories)
    );
  }
  return (
    isJsonObject(document.advisories) &&
    Array.isArray(document.actions) &&
    isJsonObject(document.metadata)
  );
}

/**
 * Normalizes an `npm audit --json` report of audit report version 2 (npm 7
 * and later): one `sca` finding per advisory and affected package.
 *
 * Each entry of `vulnerabilities` lists in `via` the advisories that affect
 * the package itself (objects) and the names of vulnerable dependencies that
 * make it vulnerable too (strings); only the advisories become findings, so
 * a vulnerability is counted once, at the package it is in. npm does not say
 * which version is installed, so findings have no package version and the
 * fingerprint is the advisory and the package name.
 *
 * @param document - the parsed JSON report
 * @returns the normalized report
 * @throws InputError naming the JSON place for other shapes, and for npm 6 reports
 * @throws FailedScanError when npm wrote its error object: the audit did not run
 */
export function parseNpmAudit(document: unknown): ParsedReport {
  const report = expectObject(FORMAT, 'the top level', document);
  checkCompleted(report);
  checkVersion(report);
  const vulnerabilities = expectObject(
    FORMAT,
    'vulnerabilities',
    report.vulnerabilities,
  );

  const findings: NormalizedFinding[] = [];
  for (const [key, entryValue] of Object.entries(vulnerabilities)) {
    const place = `vulnerabilities[${JSON.stringify(key)}]`;
    const entry = expectObject(FORMAT, place, entryValue);
    const via = expectArray(FORMAT, `${place}.via`, entry.via, {
      optional: false,
    });
    const affected = affectedPackageOf(place, entry, key);
    via.forEach((viaValue, viaIndex) => {
      if (typeof viaValue === 'string') return;
      findings.push(
        parseAdvisory(`${place}.via[${viaIndex}]`, viaValue, affected),
      );
    });
  }

  return {
    format: FORMAT,
    scanner: SCANNER,
    findings: uniqueBy(findings, finding => finding.fingerprint),
    dependencies: [],
  };
}

/**
 * Whether a value is the error object npm writes with `--json` when a
 * command fails (its exit handler): a `code` and a `summary`.
 */
function isNpmError(value: unknown): value is JsonObject {
  return (
    isJsonObject(value) &&
    typeof value.code === 'string' &&
    typeof value.summary === 'string'
  );
}

/**
 * Throws {@link FailedScanError} for npm's error object (`ENOLOCK`, `ENOAUDIT`
 * when the registry's audit endpoint fails, ...): no audit was done, so the
 * report says nothing about the advisories it does not list.
 */
function checkCompleted(report: JsonObject): void {
  if (!isNpmError(report.error)) return;
  const { code, summary } = report.error as { code: string; summary: string };
  const reason = failureReasonOf(
    [code, summary].filter(part => part.trim() !== '').join(': '),
  );
  throw new FailedScanError(
    `The npm-audit report says that npm audit failed${
      reason ? `: ${reason}` : ''
    }`,
    reason || undefined,
    SCANNER,
  );
}

function checkVersion(report: JsonObject): void {
  const version = report.auditReportVersion;
  if (version === SUPPORTED_REPORT_VERSION) return;
  if (version === undefined && report.advisories !== undefined) {
    throw reportError(
      FORMAT,
      'auditReportVersion',
      'is missing: this is an npm 6 report (audit report version 1), which is not supported; ' +
        'run npm audit --json with npm 7 or later',
    );
  }
  if (version === undefined)
    throw reportError(FORMAT, 'auditReportVersion', 'is missing');
  throw reportError(
    FORMAT,
    'auditReportVersion',
    `audit report version ${JSON.stringify(
      version,
    )} is not supported, only ${SUPPORTED_REPORT_VERSION} (npm 7 and later)`,
  );
}

/** What every advisory of one `vulnerabilities` entry shares. */
interface AffectedPackage {
  name: string;
  fixedVersions: string[];
  /** Where the package sits in node_modules. */
  nodes: string[];
  /** How to fix it, as a sentence. */
  fix?: string;
}

function affectedPackageOf(
  place: string,
  entry: JsonObject,
  key: string,
): AffectedPackage {
  const name = optionalString(entry.name) ?? key;
  const fixAvailable = entry.fixAvailable;
  // fixAvailable names the package to update, which is often a parent of this one.
  const fixedVersions =
    isJsonObject(fixAvailable) &&
    fixAvailable.name === name &&
    typeof fixAvailable.version === 'string'
      ? [fixAvailable.version]
      : [];
  const nodes = expectArray(FORMAT, `${place}.nodes`, entry.nodes).filter(
    (node): node is string => typeof node === 'string',
  );
  return { name, fixedVersions, nodes, fix: fixDescriptionOf(fixAvailable) };
}

function parseAdvisory(
  place: string,
  advisoryValue: unknown,
  affected: AffectedPackage,
): NormalizedFinding {
  const advisory = expectObject(FORMAT, place, advisoryValue);
  const url = optionalString(advisory.url);
  const link = safeHttpUrl(url);
  const source = optionalNumber(advisory.source);
  const ghsa = url?.match(GHSA_ID)?.[0];
  if (!ghsa && source === undefined) {
    throw reportError(
      FORMAT,
      `${place}.source`,
      'is missing, and url names no GHSA advisory',
    );
  }
  const ruleId = ghsa
    ? `GHSA${ghsa.slice(4).toLowerCase()}`
    : `npm-advisory-${source}`;
  const packageName = affected.name;

  const identifiers = new Set<string>(ghsa ? [ruleId] : []);
  for (const cwe of expectArray(FORMAT, `${place}.cwe`, advisory.cwe)) {
    const match = typeof cwe === 'string' ? cwe.trim().match(CWE_ID) : null;
    if (match) identifiers.add(`CWE-${match[1]}`);
  }

  const cvss = cvssOf(place, advisory);
  const range = optionalString(advisory.range);
  const { nodes, fix } = affected;
  const description = [
    range ? `Vulnerable versions of ${packageName}: ${range}.` : undefined,
    nodes.length > 0 ? `Installed at ${nodes.join(', ')}.` : undefined,
    fix,
  ]
    .filter(Boolean)
    .join('\n');

  return {
    category: 'sca',
    ruleId,
    title: truncateText(optionalString(advisory.title) ?? ruleId),
    ...(description ? { description: truncateText(description) } : {}),
    severity: severityOf(advisory, cvss),
    ...(cvss ? { cvss } : {}),
    identifiers: [...identifiers],
    package: {
      name: packageName,
      ecosystem: 'npm',
      fixedVersions: [...affected.fixedVersions],
    },
    scanner: SCANNER,
    fingerprint: fingerprintOf(FORMAT, ruleId, packageName),
    status: 'open',
    ...(link ? { references: [link] } : {}),
  };
}

function cvssOf(place: string, advisory: JsonObject): Cvss | undefined {
  if (advisory.cvss === undefined || advisory.cvss === null) return undefined;
  const cvss = expectObject(FORMAT, `${place}.cvss`, advisory.cvss);
  const reportedScore = optionalNumber(cvss.score);
  // A score outside CVSS's 0 to 10 is no rating: the vector, if any, stays.
  const score =
    reportedScore !== undefined && reportedScore >= 0 && reportedScore <= 10
      ? reportedScore
      : undefined;
  const vector = optionalString(cvss.vectorString);
  // npm writes score 0 and no vector for advisories that have no CVSS rating.
  if (!vector && !score) return undefined;
  const version = vector?.match(/^CVSS:(\d+\.\d+)\//)?.[1];
  return {
    ...(version ? { version } : {}),
    ...(score !== undefined ? { score } : {}),
    ...(vector ? { vector } : {}),
  };
}

function severityOf(advisory: JsonObject, cvss: Cvss | undefined): Severity {
  const label = severityFromLabel(optionalString(advisory.severity));
  if (label) return label;
  const score = cvss?.score;
  return score !== undefined && score >= 0 && score <= 10
    ? severityFromScore(score)
    : 'info';
}

function fixDescriptionOf(fixAvailable: unknown): string | undefined {
  if (fixAvailable === true) return 'A fix is available through npm audit fix.';
  if (fixAvailable === false) return 'No fix is available.';
  if (!isJsonObject(fixAvailable)) return undefined;
  const name = optionalString(fixAvailable.name);
  const version = optionalString(fixAvailable.version);
  if (!name || !version) return undefined;
  const major =
    fixAvailable.isSemVerMajor === true ? ' (a semver-major update)' : '';
  return `Fixed by updating ${name} to ${version}${major}.`;
}
