/*
 * Test helper for the parser fuzz tests: seed reports of every format, the
 * fast-check arbitraries that mutate them (JSON structure, bytes, XML), and
 * the check that a parse either succeeds with a well-formed report or throws
 * one of the documented errors.
 */
import { InputError } from '@backstage/errors';
import {
  FINDING_CATEGORIES,
  FINDING_STATUSES,
  NormalizedDependency,
  NormalizedFinding,
  SEVERITIES,
} from '@secdevops/plugin-security-scorecards-common';
import fc from 'fast-check';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  FailedScanError,
  ParseReportOptions,
  ReportTooLargeError,
} from '../parseReport';
import { ParsedReport, REPORT_FORMATS, ReportFormat } from '../types';
import { readFixtureText } from './parserFixtures';

/** A valid report that mutations start from. */
export interface FuzzSeed {
  /** Where it comes from: a fixture path, or `inline:<what>`. */
  name: string;
  format: ReportFormat;
  text: string;
}

/** A target of the fuzz tests: a format, and for CycloneDX, JSON or XML. */
export interface FuzzTarget {
  name: string;
  format: ReportFormat;
  xml: boolean;
  seeds: FuzzSeed[];
}

/** A small SARIF log written by hand: a rule with CWE tags, a suppressed result, an invocation. */
const inlineSarif = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'Semgrep',
          version: '1.50.0',
          rules: [
            {
              id: 'r1',
              shortDescription: { text: 'Rule one' },
              defaultConfiguration: { level: 'warning' },
              properties: {
                'security-severity': '7.5',
                tags: ['security', 'external/cwe/cwe-79'],
              },
            },
          ],
        },
      },
      invocations: [{ executionSuccessful: true }],
      results: [
        {
          ruleId: 'r1',
          ruleIndex: 0,
          level: 'error',
          message: { text: 'first' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'src/a.ts' },
                region: { startLine: 3 },
              },
            },
          ],
          partialFingerprints: { primaryLocationLineHash: 'abc:1' },
        },
        {
          ruleId: 'r2',
          message: { text: 'second' },
          suppressions: [
            { kind: 'inSource', status: 'accepted', justification: 'ok' },
          ],
        },
      ],
    },
  ],
});

/** A small CycloneDX 1.5 XML BOM written by hand: components, a graph and two vulnerabilities. */
const inlineCycloneDxXml = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <tools><components><component type="application"><name>fuzz &amp; co</name><version>2.0</version></component></components></tools>
    <component type="application" bom-ref="root"><name>app</name></component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:npm/left-pad@1.3.0">
      <name>left-pad</name><version>1.3.0</version>
      <licenses><license><id>MIT</id></license></licenses>
      <purl>pkg:npm/left-pad@1.3.0</purl>
    </component>
    <component type="library" bom-ref="b"><name>b</name><version>0.1</version><purl>pkg:pypi/b@0.1</purl></component>
  </components>
  <dependencies>
    <dependency ref="root"><dependency ref="pkg:npm/left-pad@1.3.0"/></dependency>
    <dependency ref="pkg:npm/left-pad@1.3.0"><dependency ref="b"/></dependency>
  </dependencies>
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>CVE-2024-0001</id>
      <ratings><rating><score>7.5</score><severity>high</severity><method>CVSSv31</method><vector>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N</vector></rating></ratings>
      <cwes><cwe>79</cwe></cwes>
      <description><![CDATA[Something <b>bad</b>]]></description>
      <analysis><state>not_affected</state><detail>never called</detail></analysis>
      <affects><target><ref>pkg:npm/left-pad@1.3.0</ref></target></affects>
    </vulnerability>
    <vulnerability><id>CVE-2024-0002</id><affects><target><ref>b</ref></target></affects></vulnerability>
  </vulnerabilities>
</bom>
`;

function fixtureSeed(format: ReportFormat, fixture: string): FuzzSeed {
  return { name: fixture, format, text: readFixtureText(fixture) };
}

/** A webhook payload's alert as the REST API lists it: a list of one alert. */
function alertListSeed(format: ReportFormat, fixture: string): FuzzSeed {
  const payload = JSON.parse(readFixtureText(fixture)) as { alert: unknown };
  return {
    name: `${fixture} (alert list)`,
    format,
    text: JSON.stringify([payload.alert, payload.alert]),
  };
}

/**
 * The fuzz targets: every format of `REPORT_FORMATS`, and CycloneDX XML
 * apart, each with small valid reports (the smaller fixtures, and reports
 * written here).
 */
export function fuzzTargets(): FuzzTarget[] {
  const json = (format: ReportFormat, seeds: FuzzSeed[]): FuzzTarget => ({
    name: format,
    format,
    xml: false,
    seeds,
  });
  return [
    json('sarif', [
      { name: 'inline:sarif', format: 'sarif', text: inlineSarif },
      fixtureSeed('sarif', 'sarif/Suppressions.sarif'),
    ]),
    json('cyclonedx', [
      fixtureSeed('cyclonedx', 'cyclonedx/no-severity.json'),
      fixtureSeed('cyclonedx', 'cyclonedx/vex.json'),
    ]),
    {
      name: 'cyclonedx-xml',
      format: 'cyclonedx',
      xml: true,
      seeds: [
        {
          name: 'inline:cyclonedx-xml',
          format: 'cyclonedx',
          text: inlineCycloneDxXml,
        },
      ],
    },
    json('spdx', [fixtureSeed('spdx', 'spdx/04-SBOMwSecurity.json')]),
    json('trivy', [
      fixtureSeed('trivy', 'trivy/npm-with-suppressed.json.golden'),
    ]),
    json('grype', [fixtureSeed('grype', 'grype/keycloak-test.json')]),
    json('osv', [
      fixtureSeed('osv', 'osv-scanner/multiple-packages-with-vulns.json'),
    ]),
    json('npm-audit', [fixtureSeed('npm-audit', 'npm-audit/many_vulns.json')]),
    json('gitleaks', [fixtureSeed('gitleaks', 'gitleaks/gitleaks8_many.json')]),
    json('github-dependabot', [
      fixtureSeed(
        'github-dependabot',
        'github-dependabot/created.payload.json',
      ),
      alertListSeed(
        'github-dependabot',
        'github-dependabot/created.payload.json',
      ),
    ]),
    json('github-code-scanning', [
      fixtureSeed(
        'github-code-scanning',
        'github-code-scanning/created.payload.json',
      ),
      alertListSeed(
        'github-code-scanning',
        'github-code-scanning/created.payload.json',
      ),
    ]),
  ];
}

// ---------------------------------------------------------------------------
// Values that parsers get wrong

/** Keys that reach `Object.prototype` when a parser copies objects carelessly. */
const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];

/** An object whose own key is `key` (even `__proto__`), as `JSON.parse` makes it. */
function objectWithKey(key: string, value: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return object;
}

const hugeString = fc
  .tuple(
    fc.integer({ min: 1_000, max: 300_000 }),
    fc.constantFrom('A', ' ', '\\', '"', 'é', '😀', '\u0000', '<', 'pkg:npm/'),
  )
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Strings of a type parsers check the form of: versions, purls, CVSS vectors, dates, numbers as text. */
const trickyString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  'NaN',
  'Infinity',
  '-1',
  '1e999',
  '0x10',
  'null',
  'undefined',
  '9'.repeat(400),
  'pkg:',
  'pkg:npm/',
  'pkg:npm/%E0%A4%A@1',
  'pkg:/@',
  'CVSS:3.1/AV:N',
  'CVSS:3.1/AV:X/AC:X/PR:X/UI:X/S:X/C:X/I:X/A:X',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  'AV:N/AC:L/Au:N/C:P/I:P/A:P',
  'CRITICAL',
  'unknown',
  '2024-13-45T99:99:99Z',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'file:///C:/a%20b.ts',
  '%',
  'a'.repeat(70_000),
);

/** Numbers at the edges: negative, fractional, huge, unsafe integers. */
const trickyNumber = fc.constantFrom(
  0,
  -1,
  0.5,
  -0.000001,
  11,
  101,
  1e308,
  -1e308,
  2 ** 53 + 2,
  2 ** 31,
  4294967296,
);

/** A JSON value a parser may not expect where it finds it. */
export const oddJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: trickyString },
  { weight: 2, arbitrary: trickyNumber },
  { weight: 1, arbitrary: hugeString },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[]], [{}]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 }))
      .map(([key, value]) => objectWithKey(key, value)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 2, max: 200 }), fc.boolean())
      .map(([depth, asArray]) => nested(depth, asArray, 1)),
  },
);

function nested(depth: number, asArray: boolean, inner: unknown): unknown {
  let value = inner;
  for (let level = 0; level < depth; level++) {
    value = asArray ? [value] : { a: value };
  }
  return value;
}

// ---------------------------------------------------------------------------
// (a) Structural mutations of JSON reports

type JsonPath = Array<string | number>;

/** One change to a JSON document, at the node `at` picks (modulo the number of nodes). */
export type StructuralMutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'wrap'; at: number }
  | { kind: 'retype'; at: number; to: RetypeTarget }
  | { kind: 'repeat'; at: number; times: number }
  | { kind: 'prototypeKey'; at: number; key: string; value: unknown }
  | { kind: 'nest'; at: number; depth: number; asArray: boolean }
  | { kind: 'rename'; at: number; key: string };

type RetypeTarget =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'array'
  | 'object'
  | 'stringified';

const at = fc.nat();

export const structuralMutation: fc.Arbitrary<StructuralMutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      at,
      value: oddJsonValue,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), at }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wrap' as const), at }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('retype' as const),
      at,
      to: fc.constantFrom<RetypeTarget>(
        'string',
        'number',
        'boolean',
        'null',
        'array',
        'object',
        'stringified',
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      at,
      times: fc.integer({ min: 2, max: 2_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('prototypeKey' as const),
      at,
      key: fc.constantFrom(...PROTOTYPE_KEYS),
      value: oddJsonValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      at,
      depth: fc.integer({ min: 1, max: 120 }),
      asArray: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      at,
      key: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, ''), fc.string()),
    }),
  },
);

/**
 * How much one repetition may add to a report: repetitions of repetitions
 * would otherwise grow a case to gigabytes.
 */
const REPEAT_BUDGET_CHARACTERS = 4 * 1024 * 1024;

/** How many times a part of this size may be repeated within the budget. */
function timesWithinBudget(times: number, size: number): number {
  return Math.max(
    1,
    Math.min(times, Math.floor(REPEAT_BUDGET_CHARACTERS / Math.max(size, 1))),
  );
}

/** The paths of the nodes of a JSON document (the first `limit`), the root first, depth first. */
function nodePaths(document: unknown, limit = 20_000): JsonPath[] {
  const paths: JsonPath[] = [];
  const visit = (value: unknown, path: JsonPath) => {
    // Enough places to pick from, even in a part repeated thousands of times.
    if (paths.length >= limit) return;
    paths.push(path);
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        visit((value as Record<string, unknown>)[key], [...path, key]);
      }
    }
  };
  visit(document, []);
  return paths;
}

function valueAt(document: unknown, path: JsonPath): unknown {
  let value = document;
  for (const step of path) value = (value as Record<string, unknown>)[step];
  return value;
}

function retype(value: unknown, to: RetypeTarget): unknown {
  switch (to) {
    case 'string':
      return typeof value === 'object' ? '[object Object]' : String(value);
    case 'number':
      // Not Number(value): an object with its own `toString` key has no number.
      if (typeof value === 'number') return -value;
      return typeof value === 'string' ? value.length : 1;
    case 'boolean':
      return !value;
    case 'null':
      return null;
    case 'array':
      return Array.isArray(value) ? {} : [value];
    case 'object':
      return Array.isArray(value) ? { ...value } : { value };
    case 'stringified':
    default:
      return JSON.stringify(value) ?? 'null';
  }
}

/**
 * Applies structural mutations to a JSON document, in order, and returns the
 * document (the root may be replaced). The document is changed in place.
 */
export function applyStructuralMutations(
  document: unknown,
  mutations: StructuralMutation[],
): unknown {
  let root = document;
  for (const mutation of mutations) {
    root = applyStructuralMutation(root, mutation);
  }
  return root;
}

function applyStructuralMutation(
  input: unknown,
  mutation: StructuralMutation,
): unknown {
  let root = input;
  const paths = nodePaths(root);
  const path = paths[mutation.at % paths.length];
  const current = valueAt(root, path);
  // The root has no parent.
  const parent =
    path.length === 0
      ? undefined
      : (valueAt(root, path.slice(0, -1)) as
          | Record<string, unknown>
          | unknown[]);
  const key = path[path.length - 1];
  const set = (value: unknown) => {
    if (path.length === 0) {
      root = value;
    } else {
      Object.defineProperty(parent, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  };
  switch (mutation.kind) {
    case 'replace':
      set(mutation.value);
      break;
    case 'delete':
      if (path.length === 0) {
        root = {};
      } else if (Array.isArray(parent)) {
        parent.splice(key as number, 1);
      } else {
        delete (parent as Record<string, unknown>)[key];
      }
      break;
    case 'wrap':
      set([current]);
      break;
    case 'retype':
      set(retype(current, mutation.to));
      break;
    case 'repeat': {
      const text = JSON.stringify(current) ?? 'null';
      // Copies, not one object many times: a later change to one must not
      // grow them all.
      const copies = Array.from(
        { length: timesWithinBudget(mutation.times, text.length) },
        () => JSON.parse(text),
      );
      if (Array.isArray(parent)) {
        parent.splice(key as number, 0, ...copies);
      } else {
        set(copies);
      }
      break;
    }
    case 'prototypeKey': {
      const target =
        current !== null && typeof current === 'object' ? current : parent;
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, mutation.key, {
          value: mutation.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        set(objectWithKey(mutation.key, current));
      }
      break;
    }
    case 'nest':
      set(nested(mutation.depth, mutation.asArray, current));
      break;
    case 'rename':
      if (parent && !Array.isArray(parent) && typeof key === 'string') {
        const object = parent as Record<string, unknown>;
        delete object[key];
        Object.defineProperty(object, mutation.key, {
          value: current,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      break;
    default:
      break;
  }
  return root;
}

// ---------------------------------------------------------------------------
// (b) Byte mutations, and the encoding the bytes are sent with

/** One change to the bytes of a report, at the offset `at` picks (modulo the length). */
export type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'insert'; at: number; bytes: readonly number[] }
  | { kind: 'deleteRange'; at: number; length: number }
  | { kind: 'repeatRange'; at: number; length: number; times: number }
  | { kind: 'prefix'; bytes: readonly number[] };

/** Bytes that are not UTF-8, or that are but are surprising: BOMs, surrogates, overlongs. */
const oddBytes = fc.constantFrom(
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xef, 0xbb, 0xbf],
  [0x00],
  [0x80],
);

/** Text that changes how a JSON or XML reader sees what follows. */
const syntaxBytes = fc
  .constantFrom(
    '{',
    '[',
    '"',
    '\\',
    '\\u',
    '\\ud800',
    '\\uZZZZ',
    ',',
    ':',
    '}',
    ']',
    'null',
    ',,',
    '"__proto__":{"polluted":1},',
    '<',
    '>',
    '&',
    ']]>',
    '<!--',
    '<![CDATA[',
    '</',
    '/>',
    '=',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  )
  .map(text => [...Buffer.from(text, 'utf8')]);

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at,
      mask: fc.integer({ min: 1, max: 255 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at,
      bytes: fc.oneof(
        oddBytes,
        syntaxBytes,
        fc.array(fc.integer({ min: 0, max: 255 }), {
          minLength: 1,
          maxLength: 16,
        }),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deleteRange' as const),
      at,
      length: fc.integer({ min: 1, max: 400 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeatRange' as const),
      at,
      length: fc.integer({ min: 1, max: 200 }),
      times: fc.integer({ min: 2, max: 2_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('prefix' as const),
      bytes: fc.oneof(oddBytes, syntaxBytes),
    }),
  },
);

/** Applies byte mutations to a body, in order. */
export function applyByteMutations(
  body: Buffer,
  mutations: ByteMutation[],
): Buffer {
  let bytes = body;
  for (const mutation of mutations) {
    const offset =
      'at' in mutation ? mutation.at % Math.max(bytes.length, 1) : 0;
    switch (mutation.kind) {
      case 'truncate':
        bytes = bytes.subarray(0, offset);
        break;
      case 'flip':
        if (bytes.length > 0) {
          bytes = Buffer.from(bytes);
          bytes[offset] ^= mutation.mask;
        }
        break;
      case 'insert':
        bytes = Buffer.concat([
          bytes.subarray(0, offset),
          Buffer.from(mutation.bytes),
          bytes.subarray(offset),
        ]);
        break;
      case 'deleteRange':
        bytes = Buffer.concat([
          bytes.subarray(0, offset),
          bytes.subarray(offset + mutation.length),
        ]);
        break;
      case 'repeatRange': {
        const range = bytes.subarray(offset, offset + mutation.length);
        const times = timesWithinBudget(mutation.times, range.length);
        bytes = Buffer.concat([
          bytes.subarray(0, offset),
          ...new Array<Buffer>(times).fill(range),
          bytes.subarray(offset),
        ]);
        break;
      }
      case 'prefix':
        bytes = Buffer.concat([Buffer.from(mutation.bytes), bytes]);
        break;
      default:
        break;
    }
  }
  return bytes;
}

/** How a mutated body is sent: as is, gzip-compressed (and maybe corrupted), or mislabelled. */
export type BodyEncoding =
  | { kind: 'plain' }
  | { kind: 'gzip'; header: string; corruption: ByteMutation[] }
  | { kind: 'gzipGarbage'; garbage: number[] }
  | { kind: 'notGzip'; header: string }
  | { kind: 'otherHeader'; header: string };

export const bodyEncoding: fc.Arbitrary<BodyEncoding> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'plain' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('gzip' as const),
      header: fc.constantFrom('gzip', 'x-gzip', ' GZIP '),
      corruption: fc.array(byteMutation, { maxLength: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('gzipGarbage' as const),
      garbage: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 512 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('notGzip' as const),
      header: fc.constantFrom('gzip', 'x-gzip'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('otherHeader' as const),
      header: fc.constantFrom('br', 'deflate', 'gzip, br', 'identity', '', '*'),
    }),
  },
);

/** The body and `Content-Encoding` an encoding makes of some bytes. */
export function encodeBody(
  bytes: Buffer,
  encoding: BodyEncoding,
): { body: Buffer; contentEncoding?: string } {
  switch (encoding.kind) {
    case 'gzip':
      return {
        body: applyByteMutations(gzipSync(bytes), encoding.corruption),
        contentEncoding: encoding.header,
      };
    case 'gzipGarbage':
      return {
        body: gzipSync(Buffer.from(encoding.garbage)),
        contentEncoding: 'gzip',
      };
    case 'notGzip':
      return { body: bytes, contentEncoding: encoding.header };
    case 'otherHeader':
      return { body: bytes, contentEncoding: encoding.header };
    case 'plain':
    default:
      return { body: bytes };
  }
}

// ---------------------------------------------------------------------------
// (c) XML mutations of CycloneDX XML

const XML_DECLARATIONS = [
  '<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
  '<!DOCTYPE bom SYSTEM "http://127.0.0.1:1/bom.dtd">',
  '<!DOCTYPE bom [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/x.dtd">%remote;]>',
  '<!DOCTYPE bom>',
  '<!DOCTYPE',
  '<!ENTITY xxe "x">',
  '<?xml version="1.0" encoding="UTF-16"?>',
  '<?xml-stylesheet href="x"?>',
];

const XML_ENTITY_REFERENCES = [
  '&xxe;',
  '&c;',
  '&#0;',
  '&#x110000;',
  '&#xD800;',
  '&#99999999999;',
  '&amp;',
  '&lt;',
  '&unknown;',
  '&',
  '&#;',
  '&#x;',
];

const XML_TAG_NAMES = [
  'component',
  'components',
  'bom',
  'vulnerability',
  'vulnerabilities',
  'dependency',
  'name',
  'purl',
  'ref',
  '__proto__',
  'constructor',
  'prototype',
  'cdx:component',
  'x:y:z',
  'a',
];

const XML_FRAGMENTS = [
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<!-- -- -->',
  '<?pi data?>',
  '<?xml version="1.0"?>',
  '</>',
  '<>',
  '< component>',
  '<component',
  '<component/',
  '"',
  "'",
];

const XML_ATTRIBUTES = [
  ' bom-ref="x"',
  ' bom-ref="a" bom-ref="b"',
  ' xmlns="http://cyclonedx.org/schema/bom/1.1"',
  ' xmlns="http://cyclonedx.org/schema/bom/1.9"',
  ' xmlns:cdx=""',
  ' a="',
  ' a=b',
  ' __proto__="x"',
  ' constructor="x"',
  ' type="__proto__"',
];

/** One change to the text of an XML report, at the markup `at` picks (modulo the number of `<`). */
export type XmlMutation =
  | { kind: 'declaration'; text: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'dropCloseTag'; at: number }
  | { kind: 'openTag'; at: number; name: string }
  | { kind: 'element'; at: number; name: string; text: string; raw: boolean }
  | { kind: 'deep'; at: number; depth: number; balanced: boolean }
  | { kind: 'attribute'; at: number; text: string }
  | { kind: 'renameTag'; at: number; name: string }
  | { kind: 'repeatElement'; at: number; times: number };

export const xmlMutation: fc.Arbitrary<XmlMutation> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('declaration' as const),
      text: fc.constantFrom(...XML_DECLARATIONS),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at,
      text: fc.constantFrom(
        ...XML_ENTITY_REFERENCES,
        ...XML_FRAGMENTS,
        ...XML_DECLARATIONS,
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('dropCloseTag' as const), at }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('openTag' as const),
      at,
      name: fc.constantFrom(...XML_TAG_NAMES),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('element' as const),
      at,
      name: fc.constantFrom(...XML_TAG_NAMES),
      text: fc.oneof(trickyString, fc.string(), hugeString),
      raw: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      at,
      depth: fc.integer({ min: 2, max: 5_000 }),
      balanced: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('attribute' as const),
      at,
      text: fc.constantFrom(...XML_ATTRIBUTES),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('renameTag' as const),
      at,
      name: fc.constantFrom(...XML_TAG_NAMES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeatElement' as const),
      at,
      times: fc.integer({ min: 2, max: 2_000 }),
    }),
  },
);

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"]/g,
    character =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' }[character]!),
  );
}

/** Every offset of a character in a text. */
function offsetsOf(text: string, character: string): number[] {
  const offsets: number[] = [];
  for (
    let index = text.indexOf(character);
    index >= 0;
    index = text.indexOf(character, index + 1)
  ) {
    offsets.push(index);
  }
  return offsets;
}

/** Applies XML mutations to the text of a report, in order. */
export function applyXmlMutations(
  text: string,
  mutations: XmlMutation[],
): string {
  let xml = text;
  for (const mutation of mutations) {
    xml = applyXmlMutation(xml, mutation);
  }
  return xml;
}

function applyXmlMutation(input: string, mutation: XmlMutation): string {
  let xml = input;
  const tags = offsetsOf(xml, '<');
  const tagOffset =
    'at' in mutation && tags.length > 0 ? tags[mutation.at % tags.length] : 0;
  const insert = (offset: number, inserted: string) => {
    xml = xml.slice(0, offset) + inserted + xml.slice(offset);
  };
  switch (mutation.kind) {
    case 'declaration': {
      const declarationEnd = xml.startsWith('<?xml') ? xml.indexOf('?>') : -1;
      insert(declarationEnd >= 0 ? declarationEnd + 2 : 0, mutation.text);
      break;
    }
    case 'insert':
      insert(tagOffset, mutation.text);
      break;
    case 'dropCloseTag': {
      const closeTags = offsetsOf(xml, '</');
      if (closeTags.length === 0) break;
      const start = closeTags[mutation.at % closeTags.length];
      const end = xml.indexOf('>', start);
      xml = xml.slice(0, start) + xml.slice(end < 0 ? xml.length : end + 1);
      break;
    }
    case 'openTag':
      insert(tagOffset, `<${mutation.name}>`);
      break;
    case 'element':
      insert(
        tagOffset,
        `<${mutation.name}>${
          mutation.raw ? mutation.text : escapeXml(mutation.text)
        }</${mutation.name}>`,
      );
      break;
    case 'deep':
      insert(
        tagOffset,
        `${'<a>'.repeat(mutation.depth)}${
          mutation.balanced ? '</a>'.repeat(mutation.depth) : ''
        }`,
      );
      break;
    case 'attribute': {
      const nameEnd = xml.slice(tagOffset).search(/[\s/>]/);
      if (nameEnd > 0) insert(tagOffset + nameEnd, mutation.text);
      break;
    }
    case 'renameTag': {
      const match = /^<\/?([^\s/>!?]+)/.exec(xml.slice(tagOffset));
      if (!match) break;
      const nameStart = tagOffset + match[0].length - match[1].length;
      xml =
        xml.slice(0, nameStart) +
        mutation.name +
        xml.slice(nameStart + match[1].length);
      break;
    }
    case 'repeatElement': {
      // The element that starts at the tag, up to the next end tag of its name.
      const match = /^<([^\s/>!?]+)/.exec(xml.slice(tagOffset));
      if (!match) break;
      const closing = `</${match[1]}>`;
      const end = xml.indexOf(closing, tagOffset);
      if (end < 0) break;
      const element = xml.slice(tagOffset, end + closing.length);
      insert(
        tagOffset,
        element.repeat(timesWithinBudget(mutation.times, element.length) - 1),
      );
      break;
    }
    default:
      break;
  }
  return xml;
}

// ---------------------------------------------------------------------------
// How a report is read

/** The format to read a mutated report as: its own, auto, or any other. */
export function formatFor(
  own: ReportFormat,
): fc.Arbitrary<ReportFormat | 'auto'> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(own) },
    { weight: 3, arbitrary: fc.constant('auto' as const) },
    { weight: 1, arbitrary: fc.constantFrom(...REPORT_FORMATS) },
  );
}

/** The limits to read with: mostly the defaults, sometimes tight ones. */
export const readLimits: fc.Arbitrary<
  Pick<ParseReportOptions, 'maxBytes' | 'maxDepth'>
> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record({ maxBytes: fc.integer({ min: 1, max: 64 * 1024 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ maxDepth: fc.integer({ min: 1, max: 12 }) }),
  },
);

// ---------------------------------------------------------------------------
// The checks

/** Whether an error is one the parsers document: 400, 413 or 422. */
export function isDocumentedError(error: unknown): boolean {
  return (
    error instanceof InputError ||
    error instanceof ReportTooLargeError ||
    error instanceof FailedScanError
  );
}

/**
 * The time a report of this size may take to read: generous, so that only a
 * parser that is quadratic (or hangs) passes it.
 */
export function timeBoundMs(bytes: number): number {
  return 2_000 + (2_000 * bytes) / (1024 * 1024);
}

/** The size of a body after decompression (or as is), for the time bound. */
export function decodedSize(body: Buffer, contentEncoding?: string): number {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'x-gzip') return body.length;
  try {
    return gunzipSync(body, { maxOutputLength: 200 * 1024 * 1024 }).length;
  } catch {
    return body.length;
  }
}

const severities = new Set<string>(SEVERITIES);
const categories = new Set<string>(FINDING_CATEGORIES);
const statuses = new Set<string>(FINDING_STATUSES);

const isString = (value: unknown): value is string => typeof value === 'string';
const isNonEmptyString = (value: unknown) => isString(value) && value !== '';
const isOptional = (value: unknown, test: (value: unknown) => boolean) =>
  value === undefined || test(value);
const isStringArray = (value: unknown) =>
  Array.isArray(value) && value.every(isString);
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** What is wrong with a finding, or undefined when nothing is. */
function findingProblem(finding: NormalizedFinding): string | undefined {
  const checks: Array<[string, boolean]> = [
    ['category', categories.has(finding.category)],
    ['severity', severities.has(finding.severity)],
    ['status', statuses.has(finding.status)],
    ['ruleId', isNonEmptyString(finding.ruleId)],
    ['title', isString(finding.title)],
    ['scanner', isNonEmptyString(finding.scanner)],
    ['fingerprint', isNonEmptyString(finding.fingerprint)],
    ['identifiers', isStringArray(finding.identifiers)],
    ['description', isOptional(finding.description, isString)],
    ['statusReason', isOptional(finding.statusReason, isString)],
    ['references', isOptional(finding.references, isStringArray)],
    [
      'knownExploited',
      isOptional(finding.knownExploited, value => typeof value === 'boolean'),
    ],
    [
      'epss',
      isOptional(
        finding.epss,
        value => isFiniteNumber(value) && value >= 0 && value <= 1,
      ),
    ],
    [
      'cvss',
      isOptional(
        finding.cvss,
        cvss =>
          typeof cvss === 'object' &&
          cvss !== null &&
          isOptional(
            (cvss as { score?: unknown }).score,
            score => isFiniteNumber(score) && score >= 0 && score <= 10,
          ) &&
          isOptional((cvss as { vector?: unknown }).vector, isString) &&
          isOptional((cvss as { version?: unknown }).version, isString),
      ),
    ],
    [
      'package',
      isOptional(
        finding.package,
        pkg =>
          typeof pkg === 'object' &&
          pkg !== null &&
          isNonEmptyString((pkg as { name?: unknown }).name) &&
          isStringArray((pkg as { fixedVersions?: unknown }).fixedVersions) &&
          isOptional((pkg as { purl?: unknown }).purl, isString) &&
          isOptional((pkg as { version?: unknown }).version, isString) &&
          isOptional((pkg as { ecosystem?: unknown }).ecosystem, isString),
      ),
    ],
    [
      'location',
      isOptional(
        finding.location,
        location =>
          typeof location === 'object' &&
          location !== null &&
          isString((location as { path?: unknown }).path) &&
          isOptional(
            (location as { line?: unknown }).line,
            line => Number.isInteger(line) && (line as number) > 0,
          ),
      ),
    ],
    [
      'secret',
      isOptional(
        finding.secret,
        secret =>
          typeof secret === 'object' &&
          secret !== null &&
          isString((secret as { redacted?: unknown }).redacted) &&
          isNonEmptyString((secret as { sha256?: unknown }).sha256),
      ),
    ],
  ];
  const failed = checks.filter(([, ok]) => !ok).map(([field]) => field);
  return failed.length > 0 ? `bad ${failed.join(', ')}` : undefined;
}

function dependencyProblem(
  dependency: NormalizedDependency,
): string | undefined {
  const checks: Array<[string, boolean]> = [
    ['name', isNonEmptyString(dependency.name)],
    ['licenses', isStringArray(dependency.licenses)],
    ['purl', isOptional(dependency.purl, isString)],
    ['version', isOptional(dependency.version, isString)],
    ['ecosystem', isOptional(dependency.ecosystem, isString)],
    [
      'direct',
      isOptional(dependency.direct, value => typeof value === 'boolean'),
    ],
  ];
  const failed = checks.filter(([, ok]) => !ok).map(([field]) => field);
  return failed.length > 0 ? `bad ${failed.join(', ')}` : undefined;
}

/**
 * What is wrong with a parsed report, or undefined when it is well-formed:
 * the format asked for, a scanner, findings and dependencies of the
 * documented shapes, unique fingerprints, and JSON that can be sent back.
 */
export function reportProblem(
  report: ParsedReport,
  format: ReportFormat | 'auto',
): string | undefined {
  if (!(REPORT_FORMATS as readonly string[]).includes(report.format)) {
    return `unknown format ${JSON.stringify(report.format)}`;
  }
  if (format !== 'auto' && report.format !== format) {
    return `format ${report.format}, asked for ${format}`;
  }
  if (!isNonEmptyString(report.scanner)) {
    return `scanner ${JSON.stringify(report.scanner)}`;
  }
  if (!isOptional(report.scannerVersion, isString)) {
    return `scannerVersion ${JSON.stringify(report.scannerVersion)}`;
  }
  if (
    !isOptional(
      report.coverage,
      coverage =>
        Array.isArray(coverage) &&
        coverage.every(category => categories.has(category)),
    )
  ) {
    return `coverage ${JSON.stringify(report.coverage)}`;
  }
  if (!Array.isArray(report.findings) || !Array.isArray(report.dependencies)) {
    return 'findings or dependencies are not arrays';
  }
  const fingerprints = new Set<string>();
  for (const [index, finding] of report.findings.entries()) {
    const problem = findingProblem(finding);
    if (problem) {
      return `findings[${index}]: ${problem}: ${JSON.stringify(finding).slice(
        0,
        500,
      )}`;
    }
    if (fingerprints.has(finding.fingerprint)) {
      return `findings[${index}]: fingerprint repeated`;
    }
    fingerprints.add(finding.fingerprint);
  }
  for (const [index, dependency] of report.dependencies.entries()) {
    const problem = dependencyProblem(dependency);
    if (problem) {
      return `dependencies[${index}]: ${problem}: ${JSON.stringify(
        dependency,
      ).slice(0, 500)}`;
    }
  }
  try {
    JSON.stringify(report);
  } catch (error) {
    return `not serializable: ${error}`;
  }
  return undefined;
}

/** A short, exact picture of a body for a failure message: its length and its start, base64. */
export function describeBody(body: Buffer): string {
  const start = body.subarray(0, 600);
  return `${body.length} bytes, starting (base64) ${start.toString(
    'base64',
  )} = ${JSON.stringify(start.toString('utf8'))}`;
}
