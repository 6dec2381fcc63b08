import {
  dependencyKey,
  NormalizedDependency,
} from '@secdevops/plugin-security-scorecards-common';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { isJsonList, JsonList } from './lazyList';
import {
  describeJsonType,
  ecosystemOfPurl,
  expectArray,
  expectList,
  expectObject,
  isJsonObject,
  JsonObject,
  reportError,
  stringField,
} from './normalize';
import { ParsedReport, ReportFormat, StreamedReport } from './types';

const FORMAT: ReportFormat = 'spdx';

/**
 * The packages and the relationships, read one element at a time: an SBOM of
 * an image lists thousands of each.
 */
export const SPDX_LAZY_PATHS: LazyJsonPath[] = [
  ['packages'],
  ['relationships'],
];
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
 * The packages of a document as dependencies, and what the reading learns
 * of the document, kept across passes as sets of ids: what is described,
 * whether every package is, which ids and packages are direct.
 */
class SpdxDependencies {
  #described?: Set<string>;
  #hasDependencyGraph = false;
  #everyPackageDescribed?: boolean;
  #directIds?: Set<string>;
  #directKeys?: Set<string>;

  constructor(
    private readonly packages: JsonList,
    private readonly relationships: JsonList,
    private readonly documentId: string,
    private readonly documentDescribes: Set<string>,
  ) {}

  /** Every package but the described ones (the product), in document order. */
  *read(): Generator<NormalizedDependency> {
    const described = this.described();
    // A document that describes every one of several packages is a list of
    // packages rather than a product with its dependencies: keep them all.
    this.#everyPackageDescribed ??= this.describesEveryPackage(described);
    const roots = this.#everyPackageDescribed ? new Set<string>() : described;
    for (const { id, dependency } of this.dependenciesBut(roots)) {
      // Without dependency relationships the document does not say what is direct.
      if (!this.#hasDependencyGraph) {
        yield dependency;
        continue;
      }
      const directIds = this.directIds(roots);
      // The same package listed twice is direct if either listing is; the
      // first listing, the one kept, must say so.
      const direct =
        directIds.has(id) ||
        (directIds.size > 0 &&
          this.directKeys(roots, directIds).has(dependencyKey(dependency)));
      yield { ...dependency, direct };
    }
  }

  /**
   * What the document describes: `documentDescribes`, DESCRIBES and
   * DESCRIBED_BY. Reads (and checks) every relationship once.
   */
  private described(): Set<string> {
    if (this.#described) return this.#described;
    const described = new Set(this.documentDescribes);
    let hasDependencyGraph = false;
    for (const { from, type, to } of readRelationships(this.relationships)) {
      if (type === 'DESCRIBES' && from === this.documentId) {
        described.add(to);
      } else if (type === 'DESCRIBED_BY' && to === this.documentId) {
        described.add(from);
      } else if (DEPENDS_ON_TYPES.has(type) || DEPENDENCY_OF_TYPES.has(type)) {
        hasDependencyGraph = true;
      }
    }
    this.#hasDependencyGraph = hasDependencyGraph;
    this.#described = described;
    return described;
  }

  /**
   * Whether there are several packages and the document describes each.
   * Reads the packages only up to the first one not described, most often
   * the first or the second.
   */
  private describesEveryPackage(described: Set<string>): boolean {
    const { packages } = this;
    if (packages.length <= 1 || described.size === 0) return false;
    for (let index = 0; index < packages.length; index++) {
      const { id } = readPackage(`packages[${index}]`, packages.at(index));
      if (!described.has(id)) return false;
    }
    return true;
  }

  /** The ids a root depends on or contains directly. */
  private directIds(roots: Set<string>): Set<string> {
    if (this.#directIds) return this.#directIds;
    const direct = new Set<string>();
    if (roots.size > 0) {
      for (const { from, type, to } of readRelationships(this.relationships)) {
        if (DEPENDS_ON_TYPES.has(type)) {
          if (roots.has(from)) direct.add(to);
        } else if (DEPENDENCY_OF_TYPES.has(type)) {
          if (roots.has(to)) direct.add(from);
        }
      }
    }
    this.#directIds = direct;
    return direct;
  }

  /**
   * The dependency keys of the direct packages, for a package listed again
   * under another id. Reads (and checks) every package once, when a package
   * that is not direct by its own id is first met.
   */
  private directKeys(roots: Set<string>, directIds: Set<string>): Set<string> {
    if (this.#directKeys) return this.#directKeys;
    const keys = new Set<string>();
    for (const { id, dependency } of this.dependenciesBut(roots)) {
      if (directIds.has(id)) keys.add(dependencyKey(dependency));
    }
    this.#directKeys = keys;
    return keys;
  }

  /**
   * Every package but the roots, in document order, with its id, read (and
   * checked) as a dependency when it is reached.
   */
  private *dependenciesBut(
    roots: Set<string>,
  ): Generator<{ id: string; dependency: NormalizedDependency }> {
    const { packages } = this;
    for (let index = 0; index < packages.length; index++) {
      const place = `packages[${index}]`;
      const { spdxPackage, id } = readPackage(place, packages.at(index));
      if (roots.has(id)) continue;
      yield { id, dependency: dependencyOf(spdxPackage, place) };
    }
  }
}

/**
 * Whether a JSON document is an SPDX 2.x document (`spdxVersion` like `SPDX-2.3`).
 *
 * @param document - the JSON report; its lists may be lazy arrays
 * @returns true when the document has an SPDX 2.x style version
 */
export function looksLikeSpdx(document: unknown): boolean {
  return (
    isJsonObject(document) &&
    !isJsonList(document) &&
    typeof document.spdxVersion === 'string' &&
    document.spdxVersion.startsWith('SPDX-')
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
  return collectReport(streamSpdx(document));
}

/**
 * Reads an SPDX 2.3 (or 2.2) JSON document as {@link parseSpdx} does, except
 * that the packages and relationships are read as the dependencies are
 * iterated; the document, its version, `documentDescribes` and
 * `creationInfo` are checked at once.
 *
 * Of the relationships only ids are kept: what the document describes, and
 * which packages a described one depends on directly. A package listed
 * twice is direct if either listing is: the first listing says so.
 *
 * @param document - the JSON report; `packages` and `relationships` may be lazy arrays
 * @returns the report, without findings, its dependencies read on iteration
 * @throws InputError naming the JSON place on a wrong shape or a version other than 2.3 or 2.2
 */
export function streamSpdx(document: unknown): StreamedReport {
  if (isJsonList(document)) {
    throw reportError(FORMAT, 'document', 'expected an object, got an array');
  }
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
  const packages = expectList(FORMAT, 'packages', spdx.packages);
  const relationships = expectList(FORMAT, 'relationships', spdx.relationships);
  const documentDescribes = readDocumentDescribes(spdx.documentDescribes);
  const tool = toolOf(spdx.creationInfo);
  const dependencies = new SpdxDependencies(
    packages,
    relationships,
    documentId,
    documentDescribes,
  );
  return {
    format: FORMAT,
    scanner: tool.name,
    ...(tool.version !== undefined ? { scannerVersion: tool.version } : {}),
    findings: [],
    dependencies: rereadable(() => dependencies.read()),
  };
}

/** A package of the document, checked to be an object with an SPDXID. */
function readPackage(
  place: string,
  value: unknown,
): { spdxPackage: JsonObject; id: string } {
  const spdxPackage = expectObject(FORMAT, place, value);
  const id = stringField(FORMAT, spdxPackage, 'SPDXID', place, {
    required: true,
  })!;
  return { spdxPackage, id };
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
  const terms = conjunctionTerms(trimmed)
    .map(term => term.trim())
    .filter(term => term.length > 0 && !NO_LICENSE.has(term));
  return [...new Set(terms)];
}

/**
 * The terms of `A AND B AND C`: what `expression.split(/\s+AND\s+/)` gives,
 * in linear time. That pattern is retried at every character of a long run
 * of whitespace that is not followed by `AND`, which takes quadratic time.
 * Here the text is split at its whitespace runs instead, each read once, and
 * a run, `AND`, a run is a separator.
 */
function conjunctionTerms(expression: string): string[] {
  // Alternating words and whitespace runs (`\s+` and `\S+` cannot share a
  // character, so the split is linear).
  const pieces = expression.split(/(\s+)/);
  const terms: string[] = [];
  let term = '';
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index];
    const isSeparator =
      piece === 'AND' &&
      index > 0 &&
      index < pieces.length - 1 &&
      pieces[index - 1] !== '' &&
      pieces[index + 1] !== '' &&
      /^\s/.test(pieces[index - 1]) &&
      /^\s/.test(pieces[index + 1]) &&
      term.length > 0;
    if (isSeparator) {
      // The run before AND ends the term; the run after it is skipped.
      terms.push(term.slice(0, term.length - pieces[index - 1].length));
      term = '';
      index++;
    } else {
      term += piece;
    }
  }
  terms.push(term);
  return terms;
}

/** The relationships, read and checked one at a time. */
function* readRelationships(relationships: JsonList): Generator<Relationship> {
  for (let index = 0; index < relationships.length; index++) {
    const place = `relationships[${index}]`;
    const relationship = expectObject(FORMAT, place, relationships.at(index));
    yield {
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
  }
}

/** The ids of `documentDescribes`. */
function readDocumentDescribes(value: unknown): Set<string> {
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
  return described;
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
      const tool = toolOfCreator(creator);
      if (!tool) return;
      tools.push(toolNameAndVersion(tool));
    },
  );
  const names = [...new Set(tools.map(tool => tool.name))];
  if (names.length === 0) return { name: DEFAULT_SCANNER };
  if (names.length > 1) return { name: names.join(', ') };
  return tools[0];
}

/** A line terminator, which `.` in a pattern does not match. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * The tool of a `Tool: syft-0.98.0` creator, trimmed: what
 * `/^Tool:\s*(.+)$/` captures, without its backtracking (`\s*` and `.+`
 * share spaces: quadratic on a long run of them).
 */
function toolOfCreator(creator: string): string | undefined {
  if (!creator.startsWith('Tool:')) return undefined;
  const tool = creator.slice('Tool:'.length).trimStart();
  return LINE_TERMINATOR.test(tool) ? undefined : tool.trim();
}

/** A character of a version, `[\w.+-]`. */
function isVersionCharacter(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0x2b || // +
    code === 0x2d // -
  );
}

/**
 * The name and version of a tool such as `syft-0.98.0`, `trivy 0.48.1` or
 * `scanner-v2`: what `/^(.+?)[-\s]v?(\d[\w.+-]*)$/` captures (the name up to
 * the first separator that a version follows), in linear time. That pattern
 * reads the rest of the text again at every `-` (quadratic on `x-1-1-1...!`);
 * here one backward pass finds where the text is all version characters.
 */
function toolNameAndVersion(tool: string): { name: string; version?: string } {
  // versionFrom: the first index from which every character to the end is
  // a version character.
  let versionFrom = tool.length;
  while (
    versionFrom > 0 &&
    isVersionCharacter(tool.charCodeAt(versionFrom - 1))
  )
    versionFrom--;
  for (let separator = 1; separator < tool.length - 1; separator++) {
    const character = tool[separator];
    if (character !== '-' && !/\s/.test(character)) continue;
    let version = separator + 1;
    if (tool[version] === 'v') version++;
    const code = tool.charCodeAt(version);
    if (code >= 0x30 && code <= 0x39 && version + 1 >= versionFrom) {
      return {
        name: tool.slice(0, separator),
        version: tool.slice(version),
      };
    }
  }
  return { name: tool };
}
