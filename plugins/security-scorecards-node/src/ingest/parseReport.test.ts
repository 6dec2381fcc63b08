import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { collectReport } from './collectReport';
import { parseCycloneDxJson } from './cyclonedx';
import { createSecretHasher, sha256Hex } from './normalize';
import {
  FailedScanError,
  parseReport,
  readReport,
  ReportTooLargeError,
} from './parseReport';
import { parseSarif } from './sarif';
import { ParsedReport, ReportFormat } from './types';

const fixturesDir = path.join(__dirname, '__fixtures__');

function fixtureBytes(relativePath: string): Buffer {
  return fs.readFileSync(path.join(fixturesDir, relativePath));
}

const fixtures: Array<[string, ReportFormat]> = [
  ['sarif/valid-sarif.sarif', 'sarif'],
  ['sarif/Suppressions.sarif', 'sarif'],
  ['sarif/megalinter-report.sarif', 'sarif'],
  ['sarif/alpine-310.sarif.golden', 'sarif'],
  ['sarif/issue_10191.json', 'sarif'],
  ['sarif/no_runs.sarif', 'sarif'],
  ['gitleaks/sarif_simple.sarif', 'sarif'],
  ['gitleaks/gitleaks8_many.json', 'gitleaks'],
  ['cyclonedx/bom.xml', 'cyclonedx'],
  ['cyclonedx/no-severity.json', 'cyclonedx'],
  ['cyclonedx/npm-cyclonedx.json.golden', 'cyclonedx'],
  ['cyclonedx/vex.json', 'cyclonedx'],
  ['cyclonedx/TestCycloneDxPresenterDir.golden', 'cyclonedx'],
  ['spdx/04-SBOMwSecurity.json', 'spdx'],
  ['trivy/all_statuses.json', 'trivy'],
  ['trivy/cvssv4_severity_source.json', 'trivy'],
  ['trivy/npm-with-suppressed.json.golden', 'trivy'],
  ['trivy/npm.json.golden', 'trivy'],
  ['grype/keycloak-test.json', 'grype'],
  ['grype/many_vulns_with_epss_values.json', 'grype'],
  ['osv-scanner/multiple-packages-with-vulns.json', 'osv'],
  ['osv-scanner/results-empty.json', 'osv'],
  ['npm-audit/many_vulns.json', 'npm-audit'],
  ['github-dependabot/created.payload.json', 'github-dependabot'],
  ['github-code-scanning/created.payload.json', 'github-code-scanning'],
];

describe('parseReport', () => {
  it.each<[string, ReportFormat]>(fixtures)(
    'recognises %s as %s',
    (fixture, format) => {
      const report = parseReport(fixtureBytes(fixture), { format: 'auto' });

      expect(report.format).toBe(format);
      expect(parseReport(fixtureBytes(fixture), { format })).toEqual(report);
    },
  );

  it('reads a gzip-compressed report', () => {
    const plain = fixtureBytes('trivy/npm.json.golden');
    const compressed = gzipSync(plain);

    expect(
      parseReport(compressed, { format: 'auto', contentEncoding: 'gzip' }),
    ).toEqual(parseReport(plain, { format: 'auto' }));
  });

  it('reads a report with a byte order mark', () => {
    const plain = fixtureBytes('npm-audit/many_vulns.json');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);

    expect(parseReport(withBom, { format: 'npm-audit' }).findings).toHaveLength(
      parseReport(plain, { format: 'npm-audit' }).findings.length,
    );
  });

  it('refuses a body over the size limit', () => {
    const body = fixtureBytes('sarif/valid-sarif.sarif');

    expect(() =>
      parseReport(body, { format: 'sarif', maxBytes: 1000 }),
    ).toThrow(ReportTooLargeError);
    expect(() =>
      parseReport(body, { format: 'sarif', maxBytes: 1000 }),
    ).toThrow(
      `The sarif report is ${body.length} bytes, more than the limit of 1000`,
    );
  });

  it('stops a gzip bomb at the size limit', () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100 * 1024);

    expect(() =>
      parseReport(bomb, {
        format: 'auto',
        contentEncoding: 'gzip',
        maxBytes: 10 * 1024 * 1024,
      }),
    ).toThrow(/decompresses to more than the limit of 10485760 bytes/);
  });

  it.each<[string, Buffer, Partial<Parameters<typeof parseReport>[1]>, RegExp]>(
    [
      [
        'malformed JSON',
        Buffer.from('{"runs": ['),
        { format: 'sarif' },
        /Invalid sarif report: malformed JSON/,
      ],
      [
        'an empty body',
        Buffer.alloc(0),
        { format: 'auto' },
        /Invalid report: the body is empty/,
      ],
      [
        'JSON of no known format',
        Buffer.from('{"hello": "world"}'),
        { format: 'auto' },
        /Unrecognised report: the JSON matches none of sarif, cyclonedx/,
      ],
      [
        'XML named as SARIF',
        Buffer.from('<bom/>'),
        { format: 'sarif' },
        /Invalid sarif report: expected JSON, got XML/,
      ],
      [
        'XML that is no BOM',
        Buffer.from('<html><body/></html>'),
        { format: 'auto' },
        /XML that is not a CycloneDX BOM/,
      ],
      [
        'a body that is not gzip',
        Buffer.from('{}'),
        { format: 'auto', contentEncoding: 'gzip' },
        /Invalid report: the body is not valid gzip/,
      ],
      [
        'an unknown encoding',
        Buffer.from('{}'),
        { format: 'auto', contentEncoding: 'br' },
        /Unsupported Content-Encoding 'br'/,
      ],
      [
        'an unsupported format name',
        Buffer.from('{}'),
        { format: 'nessus' as ReportFormat },
        /Unsupported report format 'nessus'/,
      ],
    ],
  )('rejects %s with a clear InputError', (_name, body, options, message) => {
    let thrown: unknown;
    try {
      parseReport(body, { format: 'auto', ...options });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('rejects deep nesting before parsing, naming where', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

    expect(() => parseReport(Buffer.from(deep), { format: 'auto' })).toThrow(
      'Invalid report: JSON nested deeper than 64 levels at byte 64',
    );
  });

  it('does not count brackets inside strings as nesting', () => {
    const document = {
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: '[[[[{{{{'.repeat(20) } }, results: [] },
      ],
    };

    expect(
      parseReport(Buffer.from(JSON.stringify(document)), { format: 'sarif' })
        .findings,
    ).toEqual([]);
  });
});

/** The document of a JSON fixture, parsed at once. */
function eagerDocument(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
}

const eagerParsers: Partial<
  Record<ReportFormat, (document: unknown) => ParsedReport>
> = {
  sarif: parseSarif,
  cyclonedx: parseCycloneDxJson,
};

function fingerprintsOf(findings: Iterable<{ fingerprint: string }>) {
  return [...findings].map(finding => finding.fingerprint);
}

/**
 * A SARIF log whose second result is not JSON, written by hand: reading it
 * lazily reaches the first result before the broken one.
 */
const sarifWithBrokenResult = Buffer.from(
  [
    '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep"}},',
    '"results":[',
    '{"ruleId":"r1","level":"error","message":{"text":"first"},',
    '"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.ts"},"region":{"startLine":1}}}]},',
    '{"ruleId":"r2","message":{"text":},"locations":[]},',
    '{"ruleId":"r3","message":{"text":"third"}}',
    ']}]}',
  ].join('\n'),
  'utf8',
);

describe('readReport', () => {
  it.each(fixtures)('reads %s (%s) as parseReport does', (fixture, format) => {
    const bytes = fixtureBytes(fixture);

    const streamed = readReport(bytes, { format: 'auto' });
    const collected = collectReport(streamed);

    expect(streamed.format).toBe(format);
    expect(collected).toEqual(parseReport(bytes, { format: 'auto' }));
    expect(collectReport(readReport(bytes, { format }))).toEqual(collected);
  });

  const eagerFixtures = fixtures.flatMap(([fixture, format]) => {
    const eagerParser = eagerParsers[format];
    return eagerParser && !fixture.endsWith('.xml')
      ? [{ fixture, format, eagerParser }]
      : [];
  });

  it('compares SARIF and CycloneDX fixtures with their eager parsers', () => {
    expect(eagerFixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(eagerFixtures)(
    'reads $fixture as the eager $format parser does',
    ({ fixture, eagerParser }) => {
      const bytes = fixtureBytes(fixture);

      expect(collectReport(readReport(bytes, { format: 'auto' }))).toEqual(
        eagerParser(eagerDocument(bytes)),
      );
    },
  );

  it.each([
    'sarif/megalinter-report.sarif',
    'sarif/valid-sarif.sarif',
    'cyclonedx/vex.json',
    'cyclonedx/npm-cyclonedx.json.golden',
  ])('reads the findings of %s again on every pass', fixture => {
    const report = readReport(fixtureBytes(fixture), { format: 'auto' });

    const first = fingerprintsOf(report.findings);
    const second = fingerprintsOf(report.findings);

    expect(first.length + [...report.dependencies].length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect([...report.dependencies]).toEqual([...report.dependencies]);
    expect([...report.findings]).toEqual([...report.findings]);
  });

  it('reads SARIF results lazily, failing at the malformed one', () => {
    const report = readReport(sarifWithBrokenResult, { format: 'auto' });
    expect(report.format).toBe('sarif');
    expect(report.scanner).toBe('Semgrep');

    const iterator = report.findings[Symbol.iterator]();
    const first = iterator.next();
    expect(first.done).toBe(false);
    expect(first.value).toEqual(
      expect.objectContaining({ fingerprint: expect.any(String) }),
    );

    let thrown: unknown;
    try {
      iterator.next();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toContain('runs[0].results[1]');
    expect((thrown as Error).message).toMatch(/malformed JSON/);

    // A fresh pass reads the first result again, and fails again.
    const again = report.findings[Symbol.iterator]();
    expect(again.next().value).toEqual(first.value);
    expect(() => again.next()).toThrow(/runs\[0\]\.results\[1\]/);
    expect(() =>
      parseReport(sarifWithBrokenResult, { format: 'sarif' }),
    ).toThrow(InputError);
  });

  it('reads a gzip-compressed SARIF log', () => {
    const plain = fixtureBytes('sarif/megalinter-report.sarif');
    const compressed = gzipSync(plain);

    const fromGzip = readReport(compressed, {
      format: 'auto',
      contentEncoding: 'gzip',
    });
    const fromPlain = readReport(plain, { format: 'auto' });

    expect(fromGzip.format).toBe('sarif');
    const findings = [...fromGzip.findings];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings).toEqual([...fromPlain.findings]);
    expect(collectReport(fromGzip)).toEqual(
      parseReport(plain, { format: 'sarif' }),
    );
  });

  it("reads a report whose JSON matches another format's lazy paths", () => {
    const plain = fixtureBytes('grype/keycloak-test.json');
    const document = eagerDocument(plain) as Record<string, unknown>;
    expect(document.components).toBeUndefined();
    const withComponents = Buffer.from(
      JSON.stringify({ ...document, components: [{ name: 'x' }] }),
    );

    expect(
      collectReport(readReport(withComponents, { format: 'auto' })),
    ).toEqual(parseReport(plain, { format: 'grype' }));
  });

  it('refuses a failed SARIF run when the log is read, before any finding is', () => {
    const failed = Buffer.from(
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'Semgrep' } },
            invocations: [
              {
                executionSuccessful: false,
                toolExecutionNotifications: [
                  { level: 'error', message: { text: 'Out of memory' } },
                ],
              },
            ],
            // Results read lazily: a partial list must not count as a scan.
            results: [{ ruleId: 'a', message: { text: 'partial' } }],
          },
        ],
      }),
    );
    for (const format of ['auto', 'sarif'] as const) {
      const error = (() => {
        try {
          readReport(failed, { format });
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(FailedScanError);
      expect(error).toMatchObject({ reason: 'Out of memory', tool: 'Semgrep' });
    }
  });

  it("recognises npm audit's error output and refuses it as a failed scan", () => {
    const failed = Buffer.from(
      JSON.stringify({
        error: {
          code: 'ENOAUDIT',
          summary: 'Your configured registry does not support audit requests.',
        },
      }),
    );
    expect(() => readReport(failed, { format: 'auto' })).toThrow(
      FailedScanError,
    );
  });

  it.each([
    ['gitleaks/sarif_simple.sarif', 'a secret'],
    ['gitleaks/gitleaks8_many.json', 'secretAWSsecret'],
  ])('hashes the secrets of %s with the given hasher', (fixture, secret) => {
    const hashSecret = createSecretHasher(Buffer.alloc(32, 7));
    const plain = parseReport(fixtureBytes(fixture), { format: 'auto' });
    const keyed = parseReport(fixtureBytes(fixture), {
      format: 'auto',
      hashSecret,
    });
    const hashes = keyed.findings.map(finding => finding.secret?.sha256);
    expect(hashes).toContain(hashSecret(secret));
    expect(hashes).not.toContain(sha256Hex(secret));
    expect(plain.findings.map(finding => finding.secret?.sha256)).toContain(
      sha256Hex(secret),
    );
    expect(keyed.findings.map(finding => finding.fingerprint)).not.toEqual(
      plain.findings.map(finding => finding.fingerprint),
    );
    expect(JSON.stringify(keyed)).not.toContain(secret);
  });

  it('rejects a bad escape in a key with an InputError', () => {
    expect(() =>
      readReport(Buffer.from('{"\\x":1}'), { format: 'auto' }),
    ).toThrow(InputError);
  });
});
