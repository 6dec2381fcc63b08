import {
  dependencyKey,
  NormalizedDependency,
} from '@secdevops/plugin-security-scorecards-common';
import {
  describeJsonType,
  ecosystemOfPurl,
  expectArray,
  expectObject,
  JsonObject,
  reportError,
  stringField,
} from './normalize';
import { ParsedReport, ReportFormat } from './types';

const FORMAT: ReportFormat = 'spdx';
/**
 * 2.2 is read too: the fields used here (packages, externalRefs, license
 * fields, relationships, documentDescribes) have the same meaning in 2.2.
 */
const SUPPORTED_VERSIONS = new Set(['SPDX-2.2', 'SPDX-2.3']);
const DEFAULT_SCANNER = 'SPDX';
const DEFAULT_DOCUMENT_ID = 'SPDXRef-DOCUMENT';

/** License values that say nothing about the license. */
const NO_LICENSE = new Set(['NOASSERTION', 'NONE']);

/** Relationships in which the element on the left depends on the one on the right. */
const DEPENDS_ON_TYPES = new Set([
  'DEPENDS_ON',
  'CONTAINS',
  'DYNAMIC_LINK',
  'STATIC_LINK',
]);
/** Relationships in which the element on the right depends on the one on the left. */
const DEPENDENCY_OF_TYPES = new Set([
  'DEPENDENCY_OF',
  'CONTAINED_BY',
  'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
]);

interface Relationship {
  from: string;
  type: string;
  to: string;
}

/**
 * Whether a JSON document is an SPDX 2.x document (`spdxVersion` like `SPDX-2.3`).
 *
 * @param document - the parsed JSON report
 * @returns true when the document has an SPDX 2.x style version
 */
export function looksLikeSpdx(document: unknown): boolean {
  return (
    typeof document === 'object' &&
    document !== null &&
    !Array.isArray(document) &&
    typeof (document as JsonObject).spdxVersion === 'string' &&
    ((document as JsonObject).spdxVersion as string).startsWith('SPDX-')
  );
}

/**
 * Parses an SPDX 2.3 (or 2.2) JSON document: its packages, except the ones
 * the document describes (the product itself), become dependencies.
 *
 * An SPDX document gives no findings. SPDX 2.x can link a package to an
 * advisory (`externalRefs` of category SECURITY, type `advisory`, `url`,
 * `cpe23Type`), but that is a pointer, not an assessment: it carries no
 * severity, no CVSS and no VEX status, and the specification (Annex K, "SPDX
 * consumers should always assume vulnerabilities enumerated by a SPDX creator
 * to be out-of-date") tells consumers not to rely on it. Vulnerabilities come
 * from scanners and VEX documents (SARIF, Trivy, Grype, CycloneDX), which
 * assess the package; the advisory reference of `04-SBOMwSecurity.json`
 * (CVE-2021-32012 on xlsx) is therefore not turned into a finding.
 *
 * @param document - the parsed JSON report
 * @returns the normalized report, without findings
 * @throws InputError naming the JSON place on a wrong shape or a version other than 2.3 or 2.2
 */
export function parseSpdx(document: unknown): ParsedReport {
  const spdx = expectObject(FORMAT, 'document', document);
  const version = spdx.spdxVersion;
  if (version === undefined || version === null) {
    const context = JSON.stringify(spdx['@context'] ?? '');
    throw reportError(
      FORMAT,
      'spdxVersion',
      context.includes('spdx.org/rdf/3')
        ? 'is missing: SPDX 3 JSON-LD is not supported, only SPDX 2.3 (and 2.2) JSON'
        : 'is missing',
    );
  }
  if (typeof version !== 'string') {
    throw reportError(
      FORMAT,
      'spdxVersion',
      `expected a string, got ${describeJsonType(version)}`,
    );
  }
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw reportError(
      FORMAT,
      'spdxVersion',
      `unsupported SPDX version ${JSON.stringify(
        version,
      )} (supported: SPDX-2.3 and SPDX-2.2)`,
    );
  }

  const documentId =
    stringField(FORMAT, spdx, 'SPDXID', 'document') ?? DEFAULT_DOCUMENT_ID;
  const packages = expectArray(FORMAT, 'packages', spdx.packages).map(
    (item, index) => expectObject(FORMAT, `packages[${index}]`, item),
  );
  const packageIds = packages.map((spdxPackage, index) =>
    stringField(FORMAT, spdxPackage, 'SPDXID', `packages[${index}]`, {
      required: true,
    }),
  );
  const relationships = readRelationships(spdx.relationships);
  const described = describedIds(
    spdx.documentDescribes,
    relationships,
    documentId,
  );
  // A document that describes every one of several packages is a list of
  // packages rather than a product with its dependencies: keep them all.
  const everyPackageDescribed =
    packages.length > 1 && packageIds.every(id => described.has(id!));
  const roots = everyPackageDescribed ? new Set<string>() : described;
  const directIds = directDependencyIds(relationships, roots);

  const byKey = new Map<string, NormalizedDependency>();
  packages.forEach((spdxPackage, index) => {
    const id = packageIds[index]!;
    if (roots.has(id)) return;
    const place = `packages[${index}]`;
    const dependency = dependencyOf(spdxPackage, place);
    const direct = directIds === undefined ? undefined : directIds.has(id);
    const key = dependencyKey(dependency);
    const known = byKey.get(key);
    if (known) {
      // The same package listed twice is direct if either listing is.
      if (direct) known.direct = true;
      return;
    }
    byKey.set(key, {
      ...dependency,
      ...(direct !== undefined ? { direct } : {}),
    });
  });

  const tool = toolOf(spdx.creationInfo);
  return {
    format: FORMAT,
    scanner: tool.name,
    ...(tool.version !== undefined ? { scannerVersion: tool.version } : {}),
    findings: [],
    dependencies: [...byKey.values()],
  };
}

function dependencyOf(
  spdxPackage: JsonObject,
  place: string,
): NormalizedDependency {
  const name = stringField(FORMAT, spdxPackage, 'name', place, {
    required: true,
  })!;
  const version = stringField(FORMAT, spdxPackage, 'versionInfo', place);
  const purl = purlOf(spdxPackage.externalRefs, `${place}.externalRefs`);
  const ecosystem = ecosystemOfPurl(purl);
  const concluded = licensesOf(
    stringField(FORMAT, spdxPackage, 'licenseConcluded', place),
  );
  return {
    ...(purl !== undefined ? { purl } : {}),
    name,
    ...(version !== undefined ? { version } : {}),
    ...(ecosystem !== undefined ? { ecosystem } : {}),
    // The concluded license is the reviewed one; the declared one stands in when there is none.
    licenses:
      concluded.length > 0
        ? concluded
        : licensesOf(
            stringField(FORMAT, spdxPackage, 'licenseDeclared', place),
          ),
  };
}

function purlOf(value: unknown, place: string): string | undefined {
  const references = expectArray(FORMAT, place, value);
  for (let index = 0; index < references.length; index++) {
    const reference = expectObject(
      FORMAT,
      `${place}[${index}]`,
      references[index],
    );
    if (reference.referenceType === 'purl') {
      return stringField(
        FORMAT,
        reference,
        'referenceLocator',
        `${place}[${index}]`,
        {
          required: true,
        },
      );
    }
  }
  return undefined;
}

/**
 * The licenses of an SPDX license expression. A conjunction of plain terms
 * (`MIT AND ISC`) is split, since every one of them applies; a choice (`OR`)
 * or a grouped expression stays one entry, since splitting it would claim
 * that every alternative applies.
 */
function licensesOf(expression: string | undefined): string[] {
  if (expression === undefined) return [];
  const trimmed = expression.trim();
  if (trimmed.length === 0 || NO_LICENSE.has(trimmed)) return [];
  if (/[()]|\sOR\s/.test(trimmed)) return [trimmed];
  const terms = trimmed
    .split(/\s+AND\s+/)
    .map(term => term.trim())
    .filter(term => term.length > 0 && !NO_LICENSE.has(term));
  return [...new Set(terms)];
}

function readRelationships(value: unknown): Relationship[] {
  return expectArray(FORMAT, 'relationships', value).map((item, index) => {
    const place = `relationships[${index}]`;
    const relationship = expectObject(FORMAT, place, item);
    return {
      from: stringField(FORMAT, relationship, 'spdxElementId', place, {
        required: true,
      })!,
      type: stringField(FORMAT, relationship, 'relationshipType', place, {
        required: true,
      })!,
      to: stringField(FORMAT, relationship, 'relatedSpdxElement', place, {
        required: true,
      })!,
    };
  });
}

/** What the document describes: `documentDescribes`, DESCRIBES and DESCRIBED_BY. */
function describedIds(
  value: unknown,
  relationships: Relationship[],
  documentId: string,
): Set<string> {
  const described = new Set<string>();
  expectArray(FORMAT, 'documentDescribes', value).forEach((id, index) => {
    if (typeof id !== 'string') {
      throw reportError(
        FORMAT,
        `documentDescribes[${index}]`,
        `expected a string, got ${describeJsonType(id)}`,
      );
    }
    described.add(id);
  });
  for (const relationship of relationships) {
    if (relationship.type === 'DESCRIBES' && relationship.from === documentId) {
      described.add(relationship.to);
    } else if (
      relationship.type === 'DESCRIBED_BY' &&
      relationship.to === documentId
    ) {
      described.add(relationship.from);
    }
  }
  return described;
}

/**
 * The packages a described root depends on or contains directly, or
 * undefined when the document has no dependency relationships at all (then
 * it does not say what is direct).
 */
function directDependencyIds(
  relationships: Relationship[],
  roots: Set<string>,
): Set<string> | undefined {
  let hasDependencyGraph = false;
  const direct = new Set<string>();
  for (const { from, type, to } of relationships) {
    if (DEPENDS_ON_TYPES.has(type)) {
      hasDependencyGraph = true;
      if (roots.has(from)) direct.add(to);
    } else if (DEPENDENCY_OF_TYPES.has(type)) {
      hasDependencyGraph = true;
      if (roots.has(to)) direct.add(from);
    }
  }
  return hasDependencyGraph ? direct : undefined;
}

/**
 * The tool that wrote the document, from `creationInfo.creators` entries
 * such as `Tool: syft-0.98.0` or `Tool: trivy-0.48.1`.
 */
function toolOf(value: unknown): { name: string; version?: string } {
  if (value === undefined || value === null) return { name: DEFAULT_SCANNER };
  const creationInfo = expectObject(FORMAT, 'creationInfo', value);
  const tools: Array<{ name: string; version?: string }> = [];
  expectArray(FORMAT, 'creationInfo.creators', creationInfo.creators).forEach(
    (creator, index) => {
      if (typeof creator !== 'string') {
        throw reportError(
          FORMAT,
          `creationInfo.creators[${index}]`,
          `expected a string, got ${describeJsonType(creator)}`,
        );
      }
      const tool = creator.match(/^Tool:\s*(.+)$/)?.[1].trim();
      if (!tool) return;
      const nameAndVersion = tool.match(/^(.+?)[-\s]v?(\d[\w.+-]*)$/);
      tools.push(
        nameAndVersion
          ? { name: nameAndVersion[1], version: nameAndVersion[2] }
          : { name: tool },
      );
    },
  );
  const names = [...new Set(tools.map(tool => tool.name))];
  if (names.length === 0) return { name: DEFAULT_SCANNER };
  if (names.length > 1) return { name: names.join(', ') };
  return tools[0];
}
