import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { REPORT_FORMATS } from '@secdevops/plugin-security-scorecards-node';
import fc from 'fast-check';
import { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { serviceComponent } from '../__testUtils__/catalog';
import { createTestDatabases } from '../__testUtils__/databases';
import { openApiViolations } from '../__testUtils__/openApiSpec';
import { reportFixture } from '../__testUtils__/reports';
import { securityScorecardsPlugin } from '../plugin';

/*
 * Fuzzing uploads: mutated reports of every format, sent through the HTTP
 * router to a real database for an entity that has findings from an earlier
 * scan, are answered 201 or a documented 4xx (400, 413, 422) with an error
 * body, and an upload that is refused changes nothing that is stored. The
 * parsers themselves are fuzzed harder, without a database, in
 * security-scorecards-node (src/ingest/fuzz.test.ts). FUZZ_RUNS scales the
 * cases, FUZZ_SEED sets the seed.
 */

const DEFAULT_SEED = 20_261_213;
const seed = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
/** Cases per format and database: FUZZ_RUNS (default 500, as in -node) over 50. */
const runsPerFormat = Math.max(
  1,
  Math.round(Number(process.env.FUZZ_RUNS ?? 500) / 50),
);

const ENTITY_REF = 'component:default/payments';
/** The scope every upload here replaces, so that each meets the earlier findings. */
const SOURCE = 'fuzz';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Reports that read cleanly, one or two per format, as the earlier scan. */
const seeds: Array<{ target: string; fixture: string }> = [
  { target: 'sarif', fixture: 'sarif/valid-sarif.sarif' },
  { target: 'cyclonedx', fixture: 'cyclonedx/vex.json' },
  { target: 'cyclonedx-xml', fixture: 'cyclonedx/bom.xml' },
  { target: 'spdx', fixture: 'spdx/04-SBOMwSecurity.json' },
  { target: 'trivy', fixture: 'trivy/npm-with-suppressed.json.golden' },
  { target: 'grype', fixture: 'grype/keycloak-test.json' },
  { target: 'osv', fixture: 'osv-scanner/multiple-packages-with-vulns.json' },
  { target: 'npm-audit', fixture: 'npm-audit/many_vulns.json' },
  { target: 'gitleaks', fixture: 'gitleaks/gitleaks8_many.json' },
  {
    target: 'github-dependabot',
    fixture: 'github-dependabot/created.payload.json',
  },
  {
    target: 'github-code-scanning',
    fixture: 'github-code-scanning/created.payload.json',
  },
];

/** The statuses a refused upload may get, and the error each comes with. */
const documentedRefusals: Record<number, string[]> = {
  400: ['InputError'],
  413: ['ReportTooLargeError'],
  422: ['FailedScanError', 'FailedScanRecordedError'],
};

// ---------------------------------------------------------------------------
// Mutations, few and aimed at the store: a finding that breaks after others
// were read (in the second or third batch), values a column may not hold,
// bytes and encodings the parser must refuse before anything is written.

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    null,
    '',
    {},
    [],
    2 ** 31,
    -(2 ** 31) - 1,
    1e308,
    0.5,
    'x'.repeat(300),
    'x'.repeat(70_000),
    '\u0000',
    '\ud800',
    'CRITICAL',
    'pkg:npm/',
    'CVSS:3.1/AV:X',
  ),
);

type JsonMutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'breakLate'; copies: number; at: number; value: unknown };

const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    value: oddValue,
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('breakLate' as const),
    copies: fc.integer({ min: 0, max: 1_200 }),
    at: fc.nat(),
    value: oddValue,
  }),
);

type JsonPath = Array<string | number>;

function nodePaths(
  value: unknown,
  path: JsonPath = [],
  found: JsonPath[] = [],
) {
  found.push(path);
  if (Array.isArray(value)) {
    value.forEach((item, index) => nodePaths(item, [...path, index], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      nodePaths(item, [...path, key], found);
    }
  }
  return found;
}

function valueAt(document: unknown, path: JsonPath): any {
  return path.reduce<any>((value, step) => value?.[step], document);
}

/** The longest array of a document: the list of findings or components, as a rule. */
function longestArray(document: unknown): unknown[] | undefined {
  let longest: unknown[] | undefined;
  for (const path of nodePaths(document)) {
    const value = valueAt(document, path);
    if (Array.isArray(value) && value.length > (longest?.length ?? 0)) {
      longest = value;
    }
  }
  return longest;
}

function applyJsonMutation(document: unknown, mutation: JsonMutation): unknown {
  if (mutation.kind === 'breakLate') {
    const list = longestArray(document);
    if (!list) return document;
    // Copies of the first element, then one wrong element after them all.
    const text = JSON.stringify(list[0]);
    for (let copy = 0; copy < mutation.copies; copy++) {
      list.push(JSON.parse(text));
    }
    const last = JSON.parse(text);
    const paths = nodePaths(last);
    const path = paths[mutation.at % paths.length];
    if (path.length === 0) {
      list.push(mutation.value);
    } else {
      valueAt(last, path.slice(0, -1))[path[path.length - 1]] = mutation.value;
      list.push(last);
    }
    return document;
  }
  const paths = nodePaths(document);
  const path = paths[mutation.at % paths.length];
  if (path.length === 0) {
    return mutation.kind === 'replace' ? mutation.value : {};
  }
  const parent = valueAt(document, path.slice(0, -1));
  const key = path[path.length - 1];
  if (mutation.kind === 'replace') {
    parent[key] = mutation.value;
  } else if (Array.isArray(parent)) {
    parent.splice(key as number, 1);
  } else {
    delete parent[key];
  }
  return document;
}

type XmlMutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'dropCloseTag'; at: number }
  | { kind: 'breakLastVulnerability'; text: string };

const xmlMutation: fc.Arbitrary<XmlMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      '<!ENTITY a "b">',
      '&xxe;',
      '&#0;',
      '<component>',
      '</component>',
      '<__proto__>x</__proto__>',
      '<![CDATA[',
      `<name>${'x'.repeat(300)}</name>`,
    ),
  }),
  fc.record({ kind: fc.constant('dropCloseTag' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('breakLastVulnerability' as const),
    text: fc.constantFrom(
      '<ratings><rating><score>high</score></rating></ratings>',
      '<id></id>',
      '<affects><target><ref></ref></target></affects>',
      '<unclosed>',
    ),
  }),
);

function applyXmlMutation(xml: string, mutation: XmlMutation): string {
  const offsets = (needle: string) => {
    const found: number[] = [];
    for (
      let at = xml.indexOf(needle);
      at >= 0;
      at = xml.indexOf(needle, at + 1)
    ) {
      found.push(at);
    }
    return found;
  };
  if (mutation.kind === 'insert') {
    const tags = offsets('<');
    const at = tags[mutation.at % tags.length] ?? 0;
    return xml.slice(0, at) + mutation.text + xml.slice(at);
  }
  if (mutation.kind === 'dropCloseTag') {
    const tags = offsets('</');
    const at = tags[mutation.at % tags.length];
    if (at === undefined) return xml;
    return xml.slice(0, at) + xml.slice(xml.indexOf('>', at) + 1);
  }
  // A BOM without vulnerabilities gets its last component broken instead.
  const end = Math.max(
    xml.lastIndexOf('</vulnerability>'),
    xml.lastIndexOf('</component>'),
  );
  return end < 0 ? xml : xml.slice(0, end) + mutation.text + xml.slice(end);
}

type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'insert'; at: number; bytes: readonly number[] };

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.constantFrom(
      [0xff],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0x00],
      [0x22],
      [0x5b],
    ),
  }),
);

function applyByteMutation(bytes: Buffer, mutation: ByteMutation): Buffer {
  const at = mutation.at % Math.max(bytes.length, 1);
  if (mutation.kind === 'truncate') return bytes.subarray(0, at);
  if (mutation.kind === 'flip') {
    const flipped = Buffer.from(bytes);
    flipped[at] ^= mutation.mask;
    return flipped;
  }
  return Buffer.concat([
    bytes.subarray(0, at),
    Buffer.from(mutation.bytes),
    bytes.subarray(at),
  ]);
}

type Encoding = 'plain' | 'gzip' | 'corruptGzip' | 'notGzip';

interface UploadCase {
  structural: Array<JsonMutation | XmlMutation>;
  bytes: ByteMutation[];
  encoding: Encoding;
  format: string;
}

function uploadCase(xml: boolean, format: string): fc.Arbitrary<UploadCase> {
  return fc.record({
    structural: fc.array<JsonMutation | XmlMutation>(
      xml ? xmlMutation : jsonMutation,
      {
        maxLength: 2,
      },
    ),
    bytes: fc.array(byteMutation, { maxLength: 1 }),
    encoding: fc.constantFrom<Encoding>(
      'plain',
      'plain',
      'gzip',
      'corruptGzip',
      'notGzip',
    ),
    format: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(format, 'auto') },
      { weight: 1, arbitrary: fc.constantFrom(...REPORT_FORMATS) },
    ),
  });
}

/** The body and headers a case sends. */
function bodyOf(
  text: string,
  xml: boolean,
  upload: UploadCase,
): { body: Buffer; contentEncoding?: string } {
  let mutated = text;
  if (xml) {
    for (const mutation of upload.structural) {
      mutated = applyXmlMutation(mutated, mutation as XmlMutation);
    }
  } else if (upload.structural.length > 0) {
    let document = JSON.parse(text);
    for (const mutation of upload.structural) {
      document = applyJsonMutation(document, mutation as JsonMutation);
    }
    mutated = JSON.stringify(document) ?? 'null';
  }
  let body: Buffer = Buffer.from(mutated, 'utf8');
  for (const mutation of upload.bytes) body = applyByteMutation(body, mutation);
  switch (upload.encoding) {
    case 'gzip':
      return { body: gzipSync(body), contentEncoding: 'gzip' };
    case 'corruptGzip': {
      const compressed = gzipSync(body);
      return {
        body: compressed.subarray(0, Math.floor(compressed.length / 2)),
        contentEncoding: 'gzip',
      };
    }
    case 'notGzip':
      return { body, contentEncoding: 'gzip' };
    default:
      return { body };
  }
}

// ---------------------------------------------------------------------------
// What is stored

/** Every row of every table of the plugin, each table's rows in a stable order. */
async function storedRows(knex: Knex): Promise<Record<string, string[]>> {
  const client = String(knex.client.config.client);
  const tables: string[] = client.includes('sqlite')
    ? (await knex('sqlite_master').where({ type: 'table' }).select('name')).map(
        row => row.name,
      )
    : (
        await knex('pg_tables')
          .whereRaw('schemaname = current_schema()')
          .select('tablename')
      ).map(row => row.tablename);
  const rows: Record<string, string[]> = {};
  for (const table of tables.sort()) {
    if (table.startsWith('knex_') || table.startsWith('sqlite_')) continue;
    rows[table] = (await knex(table).select())
      .map(row => JSON.stringify(row))
      .sort();
  }
  return rows;
}

/**
 * What a refused upload changed: nothing, but for a 422 the failed scan it
 * records (a `scans` row with status `failed`).
 */
function changesOf(
  before: Record<string, string[]>,
  after: Record<string, string[]>,
  status: number,
): string[] {
  const changes: string[] = [];
  for (const table of new Set([
    ...Object.keys(before),
    ...Object.keys(after),
  ])) {
    const old = new Set(before[table] ?? []);
    const now = new Set(after[table] ?? []);
    const removed = [...old].filter(row => !now.has(row));
    let added = [...now].filter(row => !old.has(row));
    if (status === 422 && table === 'scans') {
      added = added.filter(row => JSON.parse(row).status !== 'failed');
    }
    for (const row of removed) changes.push(`${table}: removed ${row}`);
    for (const row of added) changes.push(`${table}: added ${row}`);
  }
  return changes;
}

/** What is wrong with a refused upload's answer: its status, its error, what it changed. */
function refusalProblems(
  response: { status: number; body: any },
  changes: string[],
): string[] {
  const problems = [...changes];
  const names = documentedRefusals[response.status];
  if (!names)
    problems.push(`status ${response.status} is no documented refusal`);
  if (names && !names.includes(response.body?.error?.name)) {
    problems.push(`error ${response.body?.error?.name} for ${response.status}`);
  }
  if (typeof response.body?.error?.message !== 'string') {
    problems.push('no error message');
  }
  return problems;
}

// ---------------------------------------------------------------------------

const databases = createTestDatabases();
const counts = { cases: 0 };
const answers = new Map<number, number>();
const startedAt = performance.now();

jest.setTimeout(Math.max(300_000, runsPerFormat * seeds.length * 4_000));

afterAll(() => {
  process.stdout.write(
    `fuzz ingest: ${counts.cases} uploads over ${seeds.length} formats in ${(
      (performance.now() - startedAt) /
      1000
    ).toFixed(
      1,
    )} s (FUZZ_SEED=${seed}, ${runsPerFormat} per format and database): ${[
      ...answers,
    ]
      .map(([status, count]) => `${count} × ${status}`)
      .join(', ')}\n`,
  );
});

async function startBackend(knex: Knex) {
  const { server } = await startTestBackend({
    features: [
      securityScorecardsPlugin,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({
        entities: [serviceComponent('payments', 'team-payments')],
      }),
      mockServices.rootConfig.factory({
        data: {
          securityScorecards: { ingest: { maxBodyBytes: MAX_BODY_BYTES } },
        },
      }),
    ],
  });
  return server;
}

describe.each(databases.eachSupportedId())(
  'fuzzing uploads on %p',
  (databaseId: TestDatabaseId) => {
    it('answers every mutated report 201 or a documented 4xx, and a refusal changes nothing', async () => {
      const knex = await databases.init(databaseId);
      const server = await startBackend(knex);
      const send = (body: Buffer, format: string, contentEncoding?: string) => {
        const sent = request(server)
          .post('/api/security-scorecards/scans')
          .query({ entityRef: ENTITY_REF, source: SOURCE, format })
          .set('Content-Type', 'application/octet-stream');
        if (contentEncoding) sent.set('Content-Encoding', contentEncoding);
        return sent.send(body);
      };

      for (const { target, fixture } of seeds) {
        const xml = fixture.endsWith('.xml');
        const format = xml ? 'cyclonedx' : target;
        const text = reportFixture(fixture).toString('utf8');
        // The earlier scan: its findings are what a refused upload must not touch.
        const restore = async () => {
          const earlier = await send(Buffer.from(text, 'utf8'), format);
          expect({ fixture, status: earlier.status }).toEqual({
            fixture,
            status: 201,
          });
        };
        await restore();

        await fc.assert(
          fc.asyncProperty(uploadCase(xml, format), async upload => {
            counts.cases++;
            const { body, contentEncoding } = bodyOf(text, xml, upload);
            const before = await storedRows(knex);
            const response = await send(body, upload.format, contentEncoding);
            answers.set(
              response.status,
              (answers.get(response.status) ?? 0) + 1,
            );
            const what = `${fixture} as ${upload.format}, answered ${
              response.status
            } ${JSON.stringify(response.body).slice(0, 500)}`;

            // Checked as lists of problems: an upload ends in one of two ways.
            const problems =
              response.status === 201
                ? []
                : refusalProblems(
                    response,
                    changesOf(before, await storedRows(knex), response.status),
                  );
            expect({
              what,
              violations: openApiViolations('POST', '/scans', response),
              problems,
            }).toEqual({ what, violations: [], problems: [] });
            if (response.status === 201) await restore();
          }),
          { seed, numRuns: runsPerFormat },
        );
      }
    });
  },
);
