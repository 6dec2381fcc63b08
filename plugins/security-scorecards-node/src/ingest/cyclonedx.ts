import {
  compareSeverity,
  Cvss,
  FindingCategory,
  FindingPackage,
  FindingStatus,
  dependencyKey,
  NormalizedDependency,
  NormalizedFinding,
  Severity,
  severityFromLabel,
  severityFromScore,
} from '@secdevops/plugin-security-scorecards-common';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { canonicalVulnerabilityId } from './advisoryHelpers';
import {
  describeJsonType,
  ecosystemOfPurl,
  expectArray,
  expectObject,
  fingerprintOf,
  isJsonObject,
  JsonObject,
  optionalNumber,
  optionalString,
  reportError,
  stringField,
  expectList,
  isJsonList,
  JsonList,
  safeHttpUrls,
} from './normalize';
import { collectReport, rereadable } from './collectReport';
import { LazyJsonPath } from './lazyJson';
import { LazyList } from './lazyList';
import {
  LazyXmlListSpec,
  MalformedXmlError,
  scanXmlLists,
  XmlListScan,
} from './lazyXml';
import { ParsedReport, ReportFormat, StreamedReport } from './types';

const FORMAT: ReportFormat = 'cyclonedx';

/** The long lists of a BOM, read one element at a time. */
export const CYCLONEDX_LAZY_PATHS: LazyJsonPath[] = [
  ['components'],
  ['vulnerabilities'],
  ['dependencies'],
];
const SUPPORTED_SPEC_VERSIONS = new Set([
  '1.2',
  '1.3',
  '1.4',
  '1.5',
  '1.6',
  '1.7',
]);
const DEFAULT_SCANNER = 'CycloneDX';
const MAX_TEXT_LENGTH = 4000;

/** Package URL types of operating system packages, whose findings are `container` findings. */
const OS_PACKAGE_TYPES = new Set(['apk', 'deb', 'rpm']);
/**
 * Component types that are dependencies even without a purl. Other types
 * without a purl (Trivy's `package-lock.json` application, Grype's scanned
 * `file`, an `operating-system`) group packages rather than being one.
 */
const DEPENDENCY_COMPONENT_TYPES = new Set(['library', 'framework']);

// `0*` and the number share no digit: `0*(\d+)` is quadratic on zeros.
const CWE_ID = /^(?:CWE-)?0*([1-9]\d*|0)$/i;
/** Trivy writes the fixed versions only into `recommendation`, in this exact sentence. */
const TRIVY_RECOMMENDATION = /^Upgrade \S+ to version (.+)$/;
/**
 * Only real HTML tags are removed: descriptions quote code such as
 * `List<String>` that must survive.
 */
const HTML_TAG =
  /<\/?(?:[abipsu]|abbr|blockquote|br|code|dd|del|div|dl|dt|em|h[1-6]|hr|img|ins|kbd|li|ol|pre|samp|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|tr|tt|ul)(?:\s[^<>]*)?\/?>/gi;

/** Nesting depth of components up to which error places are written out in full. */
const MAX_EXACT_PLACE_DEPTH = 16;

const XML_NAMESPACE = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/;
const XML_ATTRIBUTE_PREFIX = '@_';
const XML_TEXT = '#text';
const XML_CDATA = '#cdata';
/**
 * Bounds the element depth fast-xml-parser accepts (it builds its result
 * recursively); 100 levels leave room for about 48 levels of nested components.
 */
const XML_MAX_NESTED_TAGS = 100;
/** The long lists of an XML BOM, read one element at a time (in this order). */
const XML_LAZY_LISTS: readonly LazyXmlListSpec[] = [
  { container: 'components', item: 'component' },
  { container: 'dependencies', item: 'dependency' },
  { container: 'vulnerabilities', item: 'vulnerability' },
];
/**
 * fast-xml-parser's options: every element as an array (so that one and many
 * children read the same), attributes prefixed `@_`, no entity processing.
 */
const XML_PARSER = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: XML_ATTRIBUTE_PREFIX,
  textNodeName: XML_TEXT,
  cdataPropName: XML_CDATA,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: XML_MAX_NESTED_TAGS,
  isArray: (_tagName, _path, _isLeaf, isAttribute) => !isAttribute,
});

/** A component of the BOM, read once and indexed by `bom-ref` and purl. */
interface ComponentInfo {
  ref?: string;
  name: string;
  version?: string;
  purl?: string;
  ecosystem?: string;
  licenses: string[];
  isOsPackage: boolean;
  isDependency: boolean;
}

/** One CVSS (or other) rating of a vulnerability, validated. */
interface Rating {
  score?: number;
  severity?: Severity;
  method?: string;
  vector?: string;
  sourceName?: string;
  sourceUrl?: string;
}

/**
 * Reads fast-xml-parser's tree (every element an array, attributes prefixed
 * `@_`, text as `#text`, CDATA as `#cdata`) in the CycloneDX namespace's prefix.
 */
class XmlReader {
  constructor(private readonly prefix: string) {}

  /** The qualified name of a local name, as the tree names it. */
  name(localName: string): string {
    return this.prefix ? `${this.prefix}:${localName}` : localName;
  }

  /** The child elements with a local name. */
  children(node: unknown, localName: string): unknown[] {
    if (!isJsonObject(node)) return [];
    const value = node[this.name(localName)];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }

  child(node: unknown, localName: string): unknown {
    return this.children(node, localName)[0];
  }

  /** The decoded text of a child element, or undefined when absent or empty. */
  text(node: unknown, localName: string): string | undefined {
    return textOfElement(this.child(node, localName));
  }

  attribute(node: unknown, name: string): string | undefined {
    if (!isJsonObject(node)) return undefined;
    const value = node[`${XML_ATTRIBUTE_PREFIX}${name}`];
    return typeof value === 'string' ? decodeXmlText(value) : undefined;
  }
}

/**
 * Whether a JSON document is a CycloneDX BOM: `bomFormat` is `CycloneDX` and
 * there is a `specVersion` (its range is checked by the parser, so that an
 * unsupported version gets a clear error rather than "unknown format").
 *
 * @param document - the parsed JSON report
 * @returns true when the document is a CycloneDX JSON BOM
 */
export function looksLikeCycloneDxJson(document: unknown): boolean {
  return (
    isJsonObject(document) &&
    document.bomFormat === 'CycloneDX' &&
    typeof document.specVersion === 'string'
  );
}

/**
 * Parses a CycloneDX 1.2 to 1.7 JSON BOM: components become dependencies,
 * `vulnerabilities` (with VEX `analysis`) become findings.
 *
 * @param document - the parsed JSON report
 * @returns the normalized report
 * @throws InputError naming the JSON place on a wrong shape or an unsupported specVersion
 */
export function parseCycloneDxJson(document: unknown): ParsedReport {
  return collectReport(streamCycloneDxJson(document));
}

/**
 * Reads a CycloneDX JSON BOM as {@link parseCycloneDxJson} does, except that
 * the vulnerabilities are read as the findings are iterated.
 *
 * @param document - the JSON report; its top-level lists may be lazy arrays
 * @returns the report, its findings read on iteration
 * @throws InputError naming the JSON place on a wrong shape or an unsupported specVersion
 */
export function streamCycloneDxJson(document: unknown): StreamedReport {
  const bom = expectObject(FORMAT, 'document', document);
  if (bom.bomFormat !== 'CycloneDX') {
    throw reportError(
      FORMAT,
      'bomFormat',
      bom.bomFormat === undefined
        ? 'is missing'
        : `expected "CycloneDX", got ${JSON.stringify(bom.bomFormat)}`,
    );
  }
  checkSpecVersion(bom.specVersion, 'specVersion');
  return normalizeBom(bom);
}

/**
 * Whether a text is a CycloneDX XML BOM: its root element is `bom` in a
 * `http://cyclonedx.org/schema/bom/1.x` namespace. Reads only the prolog and
 * the root start tag.
 *
 * @param text - the report as text
 * @returns true when the text is a CycloneDX XML BOM
 */
export function looksLikeCycloneDxXml(text: string): boolean {
  if (typeof text !== 'string') return false;
  const rootTag = rootStartTag(text);
  if (!rootTag) return false;
  const prefix = rootTag.prefix
    ? `:${rootTag.prefix.replace(/\./g, '\\.')}`
    : '';
  const namespace = new RegExp(
    `\\sxmlns${prefix}\\s*=\\s*(["'])http://cyclonedx\\.org/schema/bom/1\\.\\d+\\1`,
  );
  return rootTag.localName === 'bom' && namespace.test(rootTag.attributes);
}

/**
 * Parses a CycloneDX 1.2 to 1.7 XML BOM into the same model as the JSON form.
 *
 * No entity is ever expanded: a document with a DOCTYPE or ENTITY declaration
 * is refused (XXE, billion laughs), and only the five predefined entities and
 * numeric character references are decoded.
 *
 * @param xml - the report as text, or as UTF-8 bytes
 * @returns the normalized report
 * @throws InputError on a DOCTYPE, malformed XML (with line and column), a
 *   namespace other than CycloneDX 1.2 to 1.7, or a wrong shape
 */
export function parseCycloneDxXml(xml: string | Buffer): ParsedReport {
  return collectReport(streamCycloneDxXml(xml));
}

/**
 * Reads a CycloneDX XML BOM as {@link parseCycloneDxXml} does, without
 * holding it as one element tree: the whole text is checked (no DOCTYPE,
 * well-formed), then one pass finds where each `<component>`, `<dependency>`
 * and `<vulnerability>` of the root's lists starts and ends; the rest of the
 * BOM is parsed at once, and each element of those lists is parsed alone when
 * it is read (the components and the graph here, the vulnerabilities as the
 * findings are iterated).
 *
 * @param xml - the report as text, or as UTF-8 bytes (kept, not copied, for
 *   the elements to be read from)
 * @returns the report, its findings read on iteration
 * @throws InputError on a DOCTYPE, malformed XML (with line and column), a
 *   namespace other than CycloneDX 1.2 to 1.7, or a wrong shape outside the
 *   vulnerabilities; a wrong vulnerability throws when it is reached
 */
export function streamCycloneDxXml(xml: string | Buffer): StreamedReport {
  const start = checkXml(xml);
  let scan: XmlListScan;
  try {
    scan = scanXmlLists(xml, XML_LAZY_LISTS, {
      start,
      maxNestedTags: XML_MAX_NESTED_TAGS,
    });
  } catch (error) {
    if (!(error instanceof MalformedXmlError)) throw error;
    throw reportError(FORMAT, 'document', `malformed XML: ${error.message}`);
  }
  const tree = parseXml(scan.skeleton, 'document');
  const topLevel = Object.entries(
    expectObject(FORMAT, 'document', tree),
  ).filter(([name]) => !name.startsWith('?'));
  if (topLevel.length !== 1) {
    throw reportError(
      FORMAT,
      'document',
      `expected one root element, got ${topLevel.length}`,
    );
  }
  const [rootName, rootValue] = topLevel[0];
  const separator = rootName.indexOf(':');
  const prefix = separator >= 0 ? rootName.slice(0, separator) : '';
  const localName = separator >= 0 ? rootName.slice(separator + 1) : rootName;
  if (localName !== 'bom') {
    throw reportError(FORMAT, rootName, 'expected the root element <bom>');
  }
  const reader = new XmlReader(prefix);
  const root = Array.isArray(rootValue) ? rootValue[0] : rootValue;
  const namespace = reader.attribute(
    root,
    prefix ? `xmlns:${prefix}` : 'xmlns',
  );
  const namespaceVersion = namespace?.match(XML_NAMESPACE)?.[1];
  if (!namespaceVersion) {
    throw reportError(
      FORMAT,
      'bom@xmlns',
      `expected the namespace http://cyclonedx.org/schema/bom/1.x, got ${
        namespace === undefined ? 'none' : JSON.stringify(namespace)
      }`,
    );
  }
  checkSpecVersion(namespaceVersion, 'bom@xmlns');
  // Only the bounds are kept with the lists, not the skeleton.
  const lists = scan.lists;
  const lazyList = <T>(
    index: number,
    place: string,
    map: (node: unknown) => T,
  ): LazyList<T> | undefined => {
    const bounds = lists[index];
    if (bounds === undefined) return undefined;
    const itemName = reader.name(XML_LAZY_LISTS[index].item);
    return new LazyList(xml, bounds, (text, itemIndex) => {
      const element = expectObject(
        FORMAT,
        `${place}[${itemIndex}]`,
        parseXml(text, `${place}[${itemIndex}]`),
      )[itemName];
      return map(Array.isArray(element) ? element[0] : element);
    });
  };
  return normalizeBom(
    bomOfXml(reader, root, namespaceVersion, {
      components: lazyList(0, 'components', node =>
        componentTreeOfXml(reader, node),
      ),
      dependencies: lazyList(1, 'dependencies', node =>
        dependencyOfXml(reader, node),
      ),
      vulnerabilities: lazyList(2, 'vulnerabilities', node =>
        vulnerabilityOfXml(reader, node),
      ),
    }),
  );
}

// ---------------------------------------------------------------------------
// Normalization, shared by JSON and XML
// ---------------------------------------------------------------------------

function checkSpecVersion(value: unknown, place: string): string {
  if (value === undefined || value === null)
    throw reportError(FORMAT, place, 'is missing');
  if (typeof value !== 'string') {
    throw reportError(
      FORMAT,
      place,
      `expected a string, got ${describeJsonType(value)}`,
    );
  }
  if (!SUPPORTED_SPEC_VERSIONS.has(value)) {
    throw reportError(
      FORMAT,
      place,
      `unsupported CycloneDX specVersion ${JSON.stringify(
        value,
      )} (supported: 1.2 to 1.7)`,
    );
  }
  return value;
}

/** Normalizes a BOM in the JSON model (the XML form is mapped onto it first). */
function normalizeBom(bom: JsonObject): StreamedReport {
  const metadata =
    bom.metadata === undefined || bom.metadata === null
      ? undefined
      : expectObject(FORMAT, 'metadata', bom.metadata);
  const rootComponent =
    metadata?.component === undefined || metadata?.component === null
      ? undefined
      : expectObject(FORMAT, 'metadata.component', metadata.component);
  const rootRef = stringField(
    FORMAT,
    rootComponent,
    'bom-ref',
    'metadata.component',
  );
  const tool = toolOf(metadata);

  const components = readComponents(bom.components);
  const byRef = new Map<string, ComponentInfo>();
  const byPurl = new Map<string, ComponentInfo>();
  for (const component of components) {
    if (component.ref !== undefined && !byRef.has(component.ref)) {
      byRef.set(component.ref, component);
    }
    if (component.purl !== undefined && !byPurl.has(component.purl)) {
      byPurl.set(component.purl, component);
    }
  }
  const directRefs = directDependencyRefs(bom.dependencies, rootRef, byRef);

  return {
    format: FORMAT,
    scanner: tool.name,
    ...(tool.version !== undefined ? { scannerVersion: tool.version } : {}),
    findings: rereadable(() =>
      readFindings(bom, tool.name, {
        byRef,
        byPurl,
        serialNumber: optionalString(bom.serialNumber),
      }),
    ),
    dependencies: dependenciesOf(components, directRefs),
    // A BOM with a vulnerabilities list, even an empty one, is the result of
    // a vulnerability scan; one without is an inventory only.
    coverage: isJsonList(bom.vulnerabilities) ? ['sca'] : [],
  };
}

/**
 * The tools that wrote the BOM: `metadata.tools` is an array of
 * `{ vendor, name, version }` up to 1.4 and `{ components, services }` since 1.5.
 */
function toolOf(metadata: JsonObject | undefined): {
  name: string;
  version?: string;
} {
  const tools = metadata?.tools;
  if (tools === undefined || tools === null) return { name: DEFAULT_SCANNER };
  const entries: Array<{ value: unknown; place: string }> = [];
  if (Array.isArray(tools)) {
    tools.forEach((value, index) =>
      entries.push({ value, place: `metadata.tools[${index}]` }),
    );
  } else {
    const grouped = expectObject(FORMAT, 'metadata.tools', tools);
    for (const key of ['components', 'services']) {
      expectArray(FORMAT, `metadata.tools.${key}`, grouped[key]).forEach(
        (value, index) =>
          entries.push({ value, place: `metadata.tools.${key}[${index}]` }),
      );
    }
  }
  const names: string[] = [];
  const versions: Array<string | undefined> = [];
  for (const { value, place } of entries) {
    const entry = expectObject(FORMAT, place, value);
    const name = stringField(FORMAT, entry, 'name', place);
    if (name === undefined || names.includes(name)) continue;
    names.push(name);
    versions.push(stringField(FORMAT, entry, 'version', place));
  }
  if (names.length === 0) return { name: DEFAULT_SCANNER };
  return {
    name: names.join(', '),
    // A version only means something when one tool wrote the report.
    ...(names.length === 1 && versions[0] !== undefined
      ? { version: versions[0] }
      : {}),
  };
}

/**
 * Reads all components, nested ones included, in document order (a parent,
 * then its children, then its next sibling). Iterative, so that a hostile
 * nesting depth cannot overflow the stack; error places are shortened with
 * an ellipsis below {@link MAX_EXACT_PLACE_DEPTH} levels so that building
 * them stays linear.
 */
function readComponents(value: unknown): ComponentInfo[] {
  const result: ComponentInfo[] = [];
  const stack: Array<{
    items: JsonList;
    listPlace: string;
    depth: number;
    next: number;
  }> = [
    {
      items: expectList(FORMAT, 'components', value),
      listPlace: 'components',
      depth: 0,
      next: 0,
    },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.items.length) {
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const place = `${frame.listPlace}[${index}]`;
    const component = expectObject(FORMAT, place, frame.items.at(index));
    result.push(readComponent(component, place));
    if (component.components === undefined || component.components === null)
      continue;
    const depth = frame.depth + 1;
    let listPlace: string;
    if (depth <= MAX_EXACT_PLACE_DEPTH) listPlace = `${place}.components`;
    else if (depth === MAX_EXACT_PLACE_DEPTH + 1)
      listPlace = `${place}.\u2026.components`;
    else listPlace = frame.listPlace;
    stack.push({
      items: expectArray(FORMAT, `${listPlace}`, component.components),
      listPlace,
      depth,
      next: 0,
    });
  }
  return result;
}

function readComponent(component: JsonObject, place: string): ComponentInfo {
  const name = stringField(FORMAT, component, 'name', place, {
    required: true,
  })!;
  const group = stringField(FORMAT, component, 'group', place);
  const version = stringField(FORMAT, component, 'version', place);
  const purl = stringField(FORMAT, component, 'purl', place);
  const type = stringField(FORMAT, component, 'type', place);
  const ecosystem = ecosystemOfPurl(purl);
  return {
    ref: stringField(FORMAT, component, 'bom-ref', place),
    // Maven coordinates read group:artifact; npm scopes and Go paths read group/name.
    name: group ? `${group}${ecosystem === 'maven' ? ':' : '/'}${name}` : name,
    ...(version !== undefined ? { version } : {}),
    ...(purl !== undefined ? { purl } : {}),
    ...(ecosystem !== undefined ? { ecosystem } : {}),
    licenses: licensesOf(component.licenses, `${place}.licenses`),
    isOsPackage:
      OS_PACKAGE_TYPES.has(ecosystem ?? '') ||
      OS_PACKAGE_TYPES.has(
        syftPackageType(component.properties, `${place}.properties`) ?? '',
      ),
    isDependency:
      purl !== undefined ||
      type === undefined ||
      DEPENDENCY_COMPONENT_TYPES.has(type),
  };
}

/**
 * Syft (and so Grype) names the package type in a property; it is the only
 * hint for OS packages that have no purl.
 */
function syftPackageType(value: unknown, place: string): string | undefined {
  const properties = expectArray(FORMAT, place, value);
  for (let index = 0; index < properties.length; index++) {
    const property = expectObject(
      FORMAT,
      `${place}[${index}]`,
      properties[index],
    );
    if (property.name === 'syft:package:type')
      return optionalString(property.value);
  }
  return undefined;
}

/** SPDX ids, license names and expressions (an expression is kept whole). */
function licensesOf(value: unknown, place: string): string[] {
  const licenses: string[] = [];
  expectArray(FORMAT, place, value).forEach((item, index) => {
    const itemPlace = `${place}[${index}]`;
    const choice = expectObject(FORMAT, itemPlace, item);
    const expression = stringField(FORMAT, choice, 'expression', itemPlace);
    if (expression !== undefined) licenses.push(expression);
    if (choice.license !== undefined && choice.license !== null) {
      const license = expectObject(
        FORMAT,
        `${itemPlace}.license`,
        choice.license,
      );
      const id =
        stringField(FORMAT, license, 'id', `${itemPlace}.license`) ??
        stringField(FORMAT, license, 'name', `${itemPlace}.license`);
      if (id !== undefined) licenses.push(id);
    }
  });
  return [...new Set(licenses)];
}

/**
 * The refs the root component depends on directly, or undefined when the BOM
 * has no dependency graph for its root. A component that is not a dependency
 * itself (Trivy's lock file application between the root and the packages)
 * is looked through: what it depends on is direct.
 */
function directDependencyRefs(
  value: unknown,
  rootRef: string | undefined,
  byRef: Map<string, ComponentInfo>,
): Set<string> | undefined {
  const graph = new Map<string, string[]>();
  const dependencies = expectList(FORMAT, 'dependencies', value);
  for (let index = 0; index < dependencies.length; index++) {
    const item = dependencies.at(index);
    const place = `dependencies[${index}]`;
    const dependency = expectObject(FORMAT, place, item);
    const ref = stringField(FORMAT, dependency, 'ref', place, {
      required: true,
    })!;
    const dependsOn = expectArray(
      FORMAT,
      `${place}.dependsOn`,
      dependency.dependsOn,
    ).map((target, targetIndex) => {
      if (typeof target !== 'string') {
        throw reportError(
          FORMAT,
          `${place}.dependsOn[${targetIndex}]`,
          `expected a string, got ${describeJsonType(target)}`,
        );
      }
      return target;
    });
    const known = graph.get(ref);
    if (known) for (const target of dependsOn) known.push(target);
    else graph.set(ref, dependsOn);
  }
  if (rootRef === undefined || !graph.has(rootRef)) return undefined;

  const direct = new Set<string>();
  const visited = new Set<string>([rootRef]);
  const pending = [...graph.get(rootRef)!];
  while (pending.length > 0) {
    const ref = pending.pop()!;
    if (visited.has(ref)) continue;
    visited.add(ref);
    const component = byRef.get(ref);
    if (component && !component.isDependency) {
      for (const target of graph.get(ref) ?? []) pending.push(target);
    } else {
      direct.add(ref);
    }
  }
  return direct;
}

function dependenciesOf(
  components: ComponentInfo[],
  directRefs: Set<string> | undefined,
): NormalizedDependency[] {
  const byKey = new Map<string, NormalizedDependency>();
  for (const component of components) {
    if (!component.isDependency) continue;
    const direct =
      directRefs === undefined
        ? undefined
        : component.ref !== undefined && directRefs.has(component.ref);
    const key = dependencyKey(component);
    const known = byKey.get(key);
    if (known) {
      // The same package listed twice is direct if either listing is.
      if (direct) known.direct = true;
      continue;
    }
    byKey.set(key, {
      ...(component.purl !== undefined ? { purl: component.purl } : {}),
      name: component.name,
      ...(component.version !== undefined
        ? { version: component.version }
        : {}),
      ...(component.ecosystem !== undefined
        ? { ecosystem: component.ecosystem }
        : {}),
      licenses: component.licenses,
      ...(direct !== undefined ? { direct } : {}),
    });
  }
  return [...byKey.values()];
}

interface ComponentIndex {
  byRef: Map<string, ComponentInfo>;
  byPurl: Map<string, ComponentInfo>;
  serialNumber?: string;
}

/**
 * Resolves an `affects[].ref`: a `bom-ref`, a purl (Grype), or a BOM-Link
 * (`urn:cdx:serial/version#bom-ref`) into this same BOM.
 */
function resolveRef(
  ref: string,
  index: ComponentIndex,
): ComponentInfo | undefined {
  const found = index.byRef.get(ref) ?? index.byPurl.get(ref);
  if (found) return found;
  const bomLink = ref.match(/^(urn:cdx:[^/#]+)\/\d+#(.+)$/);
  if (
    bomLink &&
    index.serialNumber === bomLink[1].replace(/^urn:cdx:/, 'urn:uuid:')
  ) {
    return index.byRef.get(decodeURIComponentSafely(bomLink[2]));
  }
  return undefined;
}

function* readFindings(
  bom: JsonObject,
  scanner: string,
  index: ComponentIndex,
): Generator<NormalizedFinding> {
  const vulnerabilities = expectList(
    FORMAT,
    'vulnerabilities',
    bom.vulnerabilities,
  );
  for (
    let vulnerabilityIndex = 0;
    vulnerabilityIndex < vulnerabilities.length;
    vulnerabilityIndex++
  ) {
    const item = vulnerabilities.at(vulnerabilityIndex);
    const place = `vulnerabilities[${vulnerabilityIndex}]`;
    const vulnerability = expectObject(FORMAT, place, item);
    const id =
      stringField(FORMAT, vulnerability, 'id', place) ??
      stringField(FORMAT, vulnerability, 'bom-ref', place);
    if (id === undefined)
      throw reportError(FORMAT, `${place}.id`, 'is missing');

    const ratings = expectArray(
      FORMAT,
      `${place}.ratings`,
      vulnerability.ratings,
    ).map((rating, ratingIndex) =>
      readRating(rating, `${place}.ratings[${ratingIndex}]`),
    );
    const bestCvss = highestCvssRating(ratings);
    const cvss = bestCvss ? cvssOf(bestCvss) : undefined;
    const severity = severityOf(ratings, bestCvss);
    const epss = ratings.find(isEpssRating)?.score;
    const knownExploited = ratings.some(isKevRating);
    const identifiers = identifiersOf(vulnerability, id, place);
    const references = advisoryUrls(
      vulnerability.advisories,
      `${place}.advisories`,
    );
    const { status, statusReason } = statusOf(
      vulnerability.analysis,
      `${place}.analysis`,
    );
    const recommendation = stringField(
      FORMAT,
      vulnerability,
      'recommendation',
      place,
    );
    const fixedVersions =
      recommendation
        ?.match(TRIVY_RECOMMENDATION)?.[1]
        .split(',')
        .map(version => version.trim())
        .filter(version => version.length > 0) ?? [];
    const descriptionParts = [
      stringField(FORMAT, vulnerability, 'description', place),
      stringField(FORMAT, vulnerability, 'detail', place),
      recommendation,
    ];

    const affects = expectArray(
      FORMAT,
      `${place}.affects`,
      vulnerability.affects,
    ).map((affect, affectIndex) => {
      const affectPlace = `${place}.affects[${affectIndex}]`;
      const target = expectObject(FORMAT, affectPlace, affect);
      return {
        ref: stringField(FORMAT, target, 'ref', affectPlace, {
          required: true,
        })!,
        versions: versionStatements(target.versions, `${affectPlace}.versions`),
      };
    });
    // A vulnerability that names nothing it affects is still a statement about the BOM.
    const targets = affects.length > 0 ? affects : [undefined];
    for (const target of targets) {
      const component = target ? resolveRef(target.ref, index) : undefined;
      let findingPackage: FindingPackage | undefined;
      let versionKey: string | undefined;
      let versionNote: string | undefined;
      if (component) {
        findingPackage = packageOf(component, [...fixedVersions]);
        versionKey = component.version;
      } else if (target) {
        // An unresolved ref (often a VEX BOM-Link to another BOM) has no
        // installed version; its version statements tell the findings apart.
        const refPurl = target.ref.startsWith('pkg:') ? target.ref : undefined;
        const ecosystem = ecosystemOfPurl(refPurl);
        findingPackage = {
          ...(refPurl !== undefined ? { purl: refPurl } : {}),
          name: target.ref,
          ...(ecosystem !== undefined ? { ecosystem } : {}),
          fixedVersions: [...fixedVersions],
        };
        versionKey = target.versions.join(', ');
        versionNote =
          target.versions.length > 0 ? `Versions: ${versionKey}` : undefined;
      }
      const packageName = findingPackage?.name;
      const isOsPackage =
        component?.isOsPackage ??
        OS_PACKAGE_TYPES.has(findingPackage?.ecosystem ?? '');
      const category: FindingCategory = isOsPackage ? 'container' : 'sca';
      const description = plainText([...descriptionParts, versionNote]);
      yield {
        category,
        ruleId: id,
        title: truncate(
          packageName
            ? `${id} in ${packageName}${
                component?.version ? `@${component.version}` : ''
              }`
            : id,
        ),
        ...(description !== undefined ? { description } : {}),
        severity,
        ...(cvss !== undefined ? { cvss } : {}),
        // Copies, so that findings of one vulnerability share no arrays.
        identifiers: [...identifiers],
        ...(findingPackage !== undefined ? { package: findingPackage } : {}),
        scanner,
        fingerprint: fingerprintOf(
          FORMAT,
          id,
          packageName ?? '',
          versionKey ?? '',
        ),
        status,
        ...(statusReason !== undefined ? { statusReason } : {}),
        ...(epss !== undefined ? { epss } : {}),
        ...(knownExploited ? { knownExploited } : {}),
        ...(references.length > 0 ? { references: [...references] } : {}),
      };
    }
  }
}

function packageOf(
  component: ComponentInfo,
  fixedVersions: string[],
): FindingPackage {
  return {
    ...(component.purl !== undefined ? { purl: component.purl } : {}),
    name: component.name,
    ...(component.version !== undefined ? { version: component.version } : {}),
    ...(component.ecosystem !== undefined
      ? { ecosystem: component.ecosystem }
      : {}),
    fixedVersions,
  };
}

/** `affects[].versions` as `2.4 (affected)`, `vers:generic/>=1.0|<=2.3 (unaffected)`. */
function versionStatements(value: unknown, place: string): string[] {
  return expectArray(FORMAT, place, value).flatMap((item, index) => {
    const itemPlace = `${place}[${index}]`;
    const entry = expectObject(FORMAT, itemPlace, item);
    const version =
      stringField(FORMAT, entry, 'version', itemPlace) ??
      stringField(FORMAT, entry, 'range', itemPlace);
    if (version === undefined) return [];
    const status = stringField(FORMAT, entry, 'status', itemPlace);
    return [status ? `${version} (${status})` : version];
  });
}

function readRating(value: unknown, place: string): Rating {
  const rating = expectObject(FORMAT, place, value);
  const method = stringField(FORMAT, rating, 'method', place);
  const source =
    rating.source === undefined || rating.source === null
      ? undefined
      : expectObject(FORMAT, `${place}.source`, rating.source);
  const score =
    rating.score === undefined || rating.score === null
      ? undefined
      : optionalNumber(rating.score);
  if (
    rating.score !== undefined &&
    rating.score !== null &&
    score === undefined
  ) {
    throw reportError(
      FORMAT,
      `${place}.score`,
      `expected a number, got ${describeJsonType(rating.score)}`,
    );
  }
  if (
    score !== undefined &&
    isCvssMethod(method) &&
    (score < 0 || score > 10)
  ) {
    throw reportError(
      FORMAT,
      `${place}.score`,
      `expected a score from 0 to 10, got ${score}`,
    );
  }
  const label = stringField(FORMAT, rating, 'severity', place);
  const severity = severityFromLabel(label);
  const vector = stringField(FORMAT, rating, 'vector', place);
  const sourceName = stringField(FORMAT, source, 'name', `${place}.source`);
  const sourceUrl = stringField(FORMAT, source, 'url', `${place}.source`);
  return {
    ...(score !== undefined ? { score } : {}),
    ...(severity !== undefined ? { severity } : {}),
    ...(method !== undefined ? { method } : {}),
    ...(vector !== undefined ? { vector } : {}),
    ...(sourceName !== undefined ? { sourceName } : {}),
    ...(sourceUrl !== undefined ? { sourceUrl } : {}),
  };
}

/**
 * CVSS ratings: `CVSSv2`…`CVSSv4`, or no method at all (most tools leave it
 * out for CVSS). `OWASP`, `SSVC` and `other` (EPSS, KEV in Grype) are other scales.
 */
function isCvssMethod(method: string | undefined): boolean {
  return method === undefined || /^CVSS/i.test(method);
}

function isEpssRating(rating: Rating): boolean {
  return (
    rating.method === 'other' &&
    rating.score !== undefined &&
    rating.score >= 0 &&
    rating.score <= 1 &&
    /epss/i.test(`${rating.sourceName ?? ''} ${rating.sourceUrl ?? ''}`)
  );
}

function isKevRating(rating: Rating): boolean {
  return (
    rating.method === 'other' &&
    /\bKEV\b|known-exploited/i.test(
      `${rating.sourceName ?? ''} ${rating.sourceUrl ?? ''}`,
    )
  );
}

function highestCvssRating(ratings: Rating[]): Rating | undefined {
  let best: Rating | undefined;
  for (const rating of ratings) {
    if (rating.score === undefined || !isCvssMethod(rating.method)) continue;
    if (best === undefined || rating.score > best.score!) best = rating;
  }
  return best;
}

function cvssOf(rating: Rating): Cvss {
  const version =
    rating.vector?.match(/^CVSS:(\d+\.\d+)\//)?.[1] ??
    cvssVersionOfMethod(rating.method);
  return {
    ...(version !== undefined ? { version } : {}),
    ...(rating.score !== undefined ? { score: rating.score } : {}),
    ...(rating.vector !== undefined ? { vector: rating.vector } : {}),
  };
}

function cvssVersionOfMethod(method: string | undefined): string | undefined {
  switch (method) {
    case 'CVSSv2':
      return '2.0';
    case 'CVSSv3':
      return '3.0';
    case 'CVSSv31':
      return '3.1';
    case 'CVSSv4':
      return '4.0';
    default:
      return undefined;
  }
}

/**
 * The scanner's own label wins over a computed one: of the ratings whose
 * label maps, the one with the highest CVSS score (an unscored label only when
 * no labelled rating has a score, then the most severe such label). Without
 * any label, the highest CVSS score decides; without either, `info`.
 */
function severityOf(ratings: Rating[], bestCvss: Rating | undefined): Severity {
  let labelled: { severity: Severity; score?: number } | undefined;
  for (const rating of ratings) {
    if (rating.severity === undefined) continue;
    const score = isCvssMethod(rating.method) ? rating.score : undefined;
    if (labelled === undefined) {
      labelled = { severity: rating.severity, score };
    } else if (score !== undefined) {
      if (labelled.score === undefined || score > labelled.score) {
        labelled = { severity: rating.severity, score };
      }
    } else if (
      labelled.score === undefined &&
      compareSeverity(rating.severity, labelled.severity) < 0
    ) {
      labelled = { severity: rating.severity };
    }
  }
  if (labelled) return labelled.severity;
  if (bestCvss?.score !== undefined) return severityFromScore(bestCvss.score);
  return 'info';
}

function identifiersOf(
  vulnerability: JsonObject,
  id: string,
  place: string,
): string[] {
  const identifiers: string[] = [];
  const addAdvisoryId = (candidate: string | undefined) => {
    const advisoryId = canonicalVulnerabilityId(candidate);
    if (advisoryId) identifiers.push(advisoryId);
  };
  addAdvisoryId(id);
  expectArray(FORMAT, `${place}.references`, vulnerability.references).forEach(
    (item, index) => {
      const reference = expectObject(
        FORMAT,
        `${place}.references[${index}]`,
        item,
      );
      addAdvisoryId(
        stringField(FORMAT, reference, 'id', `${place}.references[${index}]`),
      );
    },
  );
  expectArray(FORMAT, `${place}.cwes`, vulnerability.cwes).forEach(
    (cwe, index) => {
      const match =
        typeof cwe === 'number' || typeof cwe === 'string'
          ? String(cwe).match(CWE_ID)
          : null;
      if (!match) {
        throw reportError(
          FORMAT,
          `${place}.cwes[${index}]`,
          `expected a CWE number, got ${JSON.stringify(cwe)}`,
        );
      }
      identifiers.push(`CWE-${match[1]}`);
    },
  );
  return [...new Set(identifiers)];
}

/** The advisories' links; only `http:` and `https:` URLs are kept (`safeHttpUrls`). */
function advisoryUrls(value: unknown, place: string): string[] {
  const urls = expectArray(FORMAT, place, value).map((item, index) => {
    const advisory = expectObject(FORMAT, `${place}[${index}]`, item);
    return stringField(FORMAT, advisory, 'url', `${place}[${index}]`);
  });
  return safeHttpUrls(urls);
}

/** VEX: `analysis.state` says whether the vulnerability applies. */
function statusOf(
  value: unknown,
  place: string,
): { status: FindingStatus; statusReason?: string } {
  if (value === undefined || value === null) return { status: 'open' };
  const analysis = expectObject(FORMAT, place, value);
  const state = stringField(FORMAT, analysis, 'state', place);
  let status: FindingStatus;
  switch (state) {
    case 'not_affected':
      status = 'not_affected';
      break;
    case 'false_positive':
      status = 'false_positive';
      break;
    case 'resolved':
    case 'resolved_with_pedigree':
      status = 'fixed';
      break;
    default:
      // exploitable, in_triage or no state: the vulnerability stands.
      return { status: 'open' };
  }
  const statusReason = plainText(
    [
      stringField(FORMAT, analysis, 'justification', place),
      stringField(FORMAT, analysis, 'detail', place),
    ],
    ': ',
  );
  return { status, ...(statusReason !== undefined ? { statusReason } : {}) };
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/** Joins text parts as plain text: HTML tags removed, at most 4,000 characters. */
function plainText(
  parts: Array<string | undefined>,
  separator = '\n\n',
): string | undefined {
  const text = parts
    .map(part => part?.replace(HTML_TAG, '').trim())
    .filter((part): part is string => part !== undefined && part.length > 0)
    .join(separator);
  return text.length === 0 ? undefined : truncate(text);
}

function truncate(text: string): string {
  return text.length > MAX_TEXT_LENGTH
    ? `${text.slice(0, MAX_TEXT_LENGTH - 1)}\u2026`
    : text;
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------

/**
 * Checks the whole text of an XML BOM before any of it is read: it is text
 * or bytes, it declares no DOCTYPE or ENTITY, and it is well-formed.
 * XMLValidator reads the text in one pass, keeping only the stack of open
 * tags, so the check builds no tree.
 *
 * @returns where the document starts: after the byte order mark of bytes
 */
function checkXml(xml: unknown): number {
  let text: string;
  let start = 0;
  if (typeof xml === 'string') {
    text = xml;
  } else if (Buffer.isBuffer(xml)) {
    if (xml[0] === 0xef && xml[1] === 0xbb && xml[2] === 0xbf) start = 3;
    text = xml.toString('utf8', start);
  } else {
    throw reportError(
      FORMAT,
      'document',
      `expected XML text, got ${describeJsonType(xml)}`,
    );
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw reportError(
      FORMAT,
      'DOCTYPE',
      'document type declarations are not allowed',
    );
  }
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw reportError(
      FORMAT,
      `line ${line}, column ${col}`,
      `malformed XML: ${msg}`,
    );
  }
  return start;
}

/** Parses XML (a skeleton, or one element) into fast-xml-parser's tree. */
function parseXml(text: string, place: string): unknown {
  try {
    return XML_PARSER.parse(text);
  } catch (error) {
    throw reportError(
      FORMAT,
      place,
      `malformed XML: ${(error as Error).message}`,
    );
  }
}

/**
 * The root element's start tag, after the XML declaration, comments, PIs and
 * a DOCTYPE (skipped here so that such a BOM is recognised and then refused
 * with a clear error). A scan with indexOf, not a regular expression, so that
 * hostile input cannot make it backtrack.
 */
function rootStartTag(
  text: string,
): { prefix?: string; localName: string; attributes: string } | undefined {
  let position = text.startsWith('\uFEFF') ? 1 : 0;
  for (;;) {
    while (position < text.length && /\s/.test(text[position])) position++;
    let end: number;
    if (text.startsWith('<?', position)) {
      end = text.indexOf('?>', position + 2);
      if (end < 0) return undefined;
      position = end + 2;
    } else if (text.startsWith('<!--', position)) {
      end = text.indexOf('-->', position + 4);
      if (end < 0) return undefined;
      position = end + 3;
    } else if (text.startsWith('<!DOCTYPE', position)) {
      const subset = text.indexOf('[', position);
      const close = text.indexOf('>', position);
      if (close < 0) return undefined;
      if (subset >= 0 && subset < close) {
        const subsetEnd = text.indexOf(']', subset);
        end = subsetEnd < 0 ? -1 : text.indexOf('>', subsetEnd);
        if (end < 0) return undefined;
        position = end + 1;
      } else {
        position = close + 1;
      }
    } else {
      break;
    }
  }
  const close = text.indexOf('>', position);
  if (close < 0) return undefined;
  const match = text
    .slice(position, close)
    .match(/^<(?:([A-Z_][\w.-]*):)?([A-Z_][\w.-]*)(\s[\s\S]*)?$/i);
  if (!match) return undefined;
  return {
    ...(match[1] !== undefined ? { prefix: match[1] } : {}),
    localName: match[2],
    attributes: match[3] ?? '',
  };
}

const PREDEFINED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/**
 * Decodes the five predefined entities and numeric character references.
 * Anything else stays as written: no entity is ever defined or expanded.
 */
function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g,
    (reference, name: string) => {
      if (!name.startsWith('#')) return PREDEFINED_ENTITIES[name];
      const codePoint =
        name[1] === 'x'
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      const isCharacter =
        codePoint > 0 &&
        codePoint <= 0x10ffff &&
        !(codePoint >= 0xd800 && codePoint <= 0xdfff);
      return isCharacter ? String.fromCodePoint(codePoint) : reference;
    },
  );
}

function textOfElement(element: unknown): string | undefined {
  let text: string;
  if (typeof element === 'string') {
    text = decodeXmlText(element);
  } else if (isJsonObject(element)) {
    const plain = element[XML_TEXT];
    const cdata = element[XML_CDATA];
    // CDATA content is literal: it is not entity-decoded.
    const cdataParts = (Array.isArray(cdata) ? cdata : [cdata]).filter(
      (part): part is string => typeof part === 'string',
    );
    text =
      (typeof plain === 'string' ? decodeXmlText(plain) : '') +
      cdataParts.join('');
  } else {
    return undefined;
  }
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/**
 * Maps the XML BOM onto the JSON model, so that one normalization serves
 * both. A list read lazily replaces the (emptied) one of the tree.
 */
function bomOfXml(
  reader: XmlReader,
  root: unknown,
  specVersion: string,
  lazy: {
    components?: LazyList<JsonObject>;
    dependencies?: LazyList<JsonObject>;
    vulnerabilities?: LazyList<JsonObject>;
  },
): JsonObject {
  const metadata = reader.child(root, 'metadata');
  const metadataComponent = reader.child(metadata, 'component');
  const vulnerabilities = reader.child(root, 'vulnerabilities');
  return {
    bomFormat: 'CycloneDX',
    specVersion,
    serialNumber: reader.attribute(root, 'serialNumber'),
    metadata:
      metadata === undefined
        ? undefined
        : {
            tools: toolsOfXml(reader, reader.child(metadata, 'tools')),
            component:
              metadataComponent === undefined
                ? undefined
                : componentOfXml(reader, metadataComponent),
          },
    components:
      lazy.components ??
      reader
        .children(reader.child(root, 'components'), 'component')
        .map(component => componentTreeOfXml(reader, component)),
    dependencies:
      lazy.dependencies ??
      reader
        .children(reader.child(root, 'dependencies'), 'dependency')
        .map(dependency => dependencyOfXml(reader, dependency)),
    vulnerabilities:
      vulnerabilities === undefined
        ? undefined
        : lazy.vulnerabilities ??
          reader
            .children(vulnerabilities, 'vulnerability')
            .map(vulnerability => vulnerabilityOfXml(reader, vulnerability)),
  };
}

function dependencyOfXml(reader: XmlReader, dependency: unknown): JsonObject {
  return {
    ref: reader.attribute(dependency, 'ref'),
    dependsOn: reader
      .children(dependency, 'dependency')
      .map(target => reader.attribute(target, 'ref'))
      .filter(ref => ref !== undefined),
  };
}

/** `<tools><tool>` up to 1.4, `<tools><components><component>` and `<services>` since 1.5. */
function toolsOfXml(reader: XmlReader, tools: unknown): unknown {
  if (tools === undefined) return undefined;
  const legacy = reader.children(tools, 'tool');
  const nameAndVersion = (tool: unknown) => ({
    name: reader.text(tool, 'name'),
    version: reader.text(tool, 'version'),
  });
  if (legacy.length > 0) return legacy.map(nameAndVersion);
  return {
    components: reader
      .children(reader.child(tools, 'components'), 'component')
      .map(nameAndVersion),
    services: reader
      .children(reader.child(tools, 'services'), 'service')
      .map(nameAndVersion),
  };
}

function componentOfXml(reader: XmlReader, component: unknown): JsonObject {
  const licenses = reader.child(component, 'licenses');
  return {
    type: reader.attribute(component, 'type'),
    'bom-ref': detachedString(reader.attribute(component, 'bom-ref')),
    group: reader.text(component, 'group'),
    name: reader.text(component, 'name'),
    version: reader.text(component, 'version'),
    purl: reader.text(component, 'purl'),
    licenses: [
      ...reader.children(licenses, 'license').map(license => ({
        license: {
          id: reader.text(license, 'id'),
          name: reader.text(license, 'name'),
        },
      })),
      ...reader
        .children(licenses, 'expression')
        .map(expression => ({ expression: textOfElement(expression) })),
    ],
    properties: reader
      .children(reader.child(component, 'properties'), 'property')
      .map(property => ({
        name: reader.attribute(property, 'name'),
        value: textOfElement(property),
      })),
  };
}

/**
 * A `<component>` with its nested `<components><component>`, mapped
 * iteratively (breadth first; each list keeps its document order).
 */
function componentTreeOfXml(reader: XmlReader, node: unknown): JsonObject {
  const top = componentOfXml(reader, node);
  const pending: Array<{ node: unknown; component: JsonObject }> = [
    { node, component: top },
  ];
  for (let index = 0; index < pending.length; index++) {
    const { node: parentNode, component } = pending[index];
    const nested = reader.children(
      reader.child(parentNode, 'components'),
      'component',
    );
    if (nested.length > 0) {
      const nestedList: JsonObject[] = [];
      component.components = nestedList;
      for (const child of nested) {
        const childComponent = componentOfXml(reader, child);
        nestedList.push(childComponent);
        pending.push({ node: child, component: childComponent });
      }
    }
  }
  return top;
}

function vulnerabilityOfXml(
  reader: XmlReader,
  vulnerability: unknown,
): JsonObject {
  const analysis = reader.child(vulnerability, 'analysis');
  return {
    'bom-ref': reader.attribute(vulnerability, 'bom-ref'),
    id: reader.text(vulnerability, 'id'),
    references: reader
      .children(reader.child(vulnerability, 'references'), 'reference')
      .map(reference => ({ id: reader.text(reference, 'id') })),
    ratings: reader
      .children(reader.child(vulnerability, 'ratings'), 'rating')
      .map(rating => {
        const source = reader.child(rating, 'source');
        return {
          source: {
            name: reader.text(source, 'name'),
            url: reader.text(source, 'url'),
          },
          score: reader.text(rating, 'score'),
          severity: reader.text(rating, 'severity'),
          method: reader.text(rating, 'method'),
          vector: reader.text(rating, 'vector'),
        };
      }),
    cwes: reader
      .children(reader.child(vulnerability, 'cwes'), 'cwe')
      .map(cwe => textOfElement(cwe))
      .filter(cwe => cwe !== undefined),
    description: reader.text(vulnerability, 'description'),
    detail: reader.text(vulnerability, 'detail'),
    recommendation: reader.text(vulnerability, 'recommendation'),
    advisories: reader
      .children(reader.child(vulnerability, 'advisories'), 'advisory')
      .map(advisory => ({ url: reader.text(advisory, 'url') })),
    analysis:
      analysis === undefined
        ? undefined
        : {
            state: reader.text(analysis, 'state'),
            justification: reader.text(analysis, 'justification'),
            detail: reader.text(analysis, 'detail'),
          },
    affects: reader
      .children(reader.child(vulnerability, 'affects'), 'target')
      .map(target => ({
        ref: reader.text(target, 'ref'),
        versions: reader
          .children(reader.child(target, 'versions'), 'version')
          .map(version => ({
            version: reader.text(version, 'version'),
            range: reader.text(version, 'range'),
            status: reader.text(version, 'status'),
          })),
      })),
  };
}

/**
 * A copy of a string that keeps no larger text alive: V8 cuts a substring
 * (an attribute value) out of the text it comes from (the element's) as a
 * slice, which would keep the element's text in memory for as long as the
 * component index keeps the value.
 */
function detachedString(text: string | undefined): string | undefined {
  return text === undefined ? undefined : JSON.parse(JSON.stringify(text));
}
