import { InputError } from '@backstage/errors';
import { readLazily } from './__testUtils__/lazyReading';
import {
  allJsonFixtures,
  clone,
  countBy,
  errorOf,
  findingOf,
  readFixture,
  readFixtureText,
} from './__testUtils__/parserFixtures';
import { collectReport } from './collectReport';
import { LazyJsonArray } from './lazyJson';
import { looksLikeOsv, OSV_LAZY_PATHS, parseOsv, streamOsv } from './osv';
import { ALL_JSON_LAZY_PATHS } from './parseReport';
import { SCRIPT_URL } from './__testUtils__/unsafeUrls';

interface OsvDocument {
  results: Array<{
    source: { path: string; type: string };
    packages: Array<{
      package: Record<string, unknown>;
      vulnerabilities: Array<Record<string, unknown>>;
      groups: Array<Record<string, unknown>>;
    }>;
  }>;
}

describe('parseOsv', () => {
  describe('multiple-packages-with-vulns.json', () => {
    const report = parseOsv(
      readFixture('osv-scanner/multiple-packages-with-vulns.json'),
    );

    it('reads one finding per group and package', () => {
      expect(report.format).toBe('osv');
      expect(report.scanner).toBe('OSV-Scanner');
      // 3 packages, each with 2 records (a GHSA and a RUSTSEC) in 1 group.
      expect(report.findings).toHaveLength(3);
      expect(report.dependencies).toHaveLength(3);
      expect(countBy(report.findings, 'severity')).toEqual({
        critical: 1,
        high: 1,
        medium: 1,
      });
      expect(countBy(report.findings, 'category')).toEqual({ sca: 3 });
      expect(countBy(report.findings, 'status')).toEqual({ open: 3 });
    });

    it('names a group by its CVE and computes the CVSS score from the vector', () => {
      const finding = findingOf(report.findings, 'CVE-2022-23639');
      expect(finding.title).toBe(
        'crossbeam-utils Race Condition vulnerability',
      );
      expect(finding.description).toMatch(/^### Impact/);
      // GitHub's label HIGH; the computed 8.1 agrees.
      expect(finding.severity).toBe('high');
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 8.1,
        vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
      });
      expect(finding.identifiers).toEqual([
        'GHSA-qc84-gqf4-9926',
        'CVE-2022-23639',
        'CWE-362',
      ]);
      expect(finding.package).toEqual({
        purl: 'pkg:cargo/crossbeam-utils@0.6.6',
        name: 'crossbeam-utils',
        version: '0.6.6',
        ecosystem: 'cargo',
        fixedVersions: ['0.8.7'],
      });
      expect(finding.location).toEqual({ path: '/path/to/Cargo.lock' });
      expect(finding.references).toContain(
        'https://nvd.nist.gov/vuln/detail/CVE-2022-23639',
      );
      expect(finding.references).toContain(
        'https://crates.io/crates/crossbeam-utils',
      );
    });

    it('uses the GHSA id and the MODERATE label of a group without CVE or CVSS', () => {
      const finding = findingOf(report.findings, 'GHSA-wfg4-322g-9vqv');
      expect(finding.severity).toBe('medium');
      expect(finding.cvss).toBeUndefined();
      expect(finding.identifiers).toEqual(['GHSA-wfg4-322g-9vqv']);
      expect(finding.package?.fixedVersions).toEqual(['0.6.2']);
      expect(finding.package?.version).toBe('0.5.6');
    });

    it('lists the fixed versions of every range for the package', () => {
      const finding = findingOf(report.findings, 'CVE-2021-25900');
      expect(finding.severity).toBe('critical');
      expect(finding.cvss?.score).toBe(9.8);
      expect(finding.package?.fixedVersions).toEqual(['0.6.14', '1.6.1']);
      expect(finding.identifiers).toEqual([
        'GHSA-43w2-9j62-hq99',
        'CVE-2021-25900',
        'CWE-787',
      ]);
    });

    it('reads the packages as dependencies', () => {
      expect(report.dependencies).toEqual([
        {
          purl: 'pkg:cargo/crossbeam-utils@0.6.6',
          name: 'crossbeam-utils',
          version: '0.6.6',
          ecosystem: 'cargo',
          licenses: [],
        },
        {
          purl: 'pkg:cargo/memoffset@0.5.6',
          name: 'memoffset',
          version: '0.5.6',
          ecosystem: 'cargo',
          licenses: [],
        },
        {
          purl: 'pkg:cargo/smallvec@1.6.0',
          name: 'smallvec',
          version: '1.6.0',
          ecosystem: 'cargo',
          licenses: [],
        },
      ]);
    });
  });

  describe('results-empty.json', () => {
    it('reads no findings and no dependencies', () => {
      const report = parseOsv(readFixture('osv-scanner/results-empty.json'));
      expect(report.findings).toEqual([]);
      expect(report.dependencies).toEqual([]);
    });
  });

  describe('groups', () => {
    const base = readFixture(
      'osv-scanner/multiple-packages-with-vulns.json',
    ) as OsvDocument;

    it('prefers the group max_severity', () => {
      const document = clone(base);
      document.results[0].packages[1].groups[0].max_severity = '9.1';
      expect(
        findingOf(parseOsv(document).findings, 'GHSA-wfg4-322g-9vqv').severity,
      ).toBe('critical');
    });

    it('makes a finding per record without groups, merging records that alias each other', () => {
      const document = clone(base);
      for (const entry of document.results[0].packages) entry.groups = [];
      const report = parseOsv(document);
      // A record and its aliases name the same CVE or GHSA, so the two records
      // of each package still make one finding.
      expect(report.findings.map(finding => finding.ruleId)).toEqual([
        'CVE-2022-23639',
        'GHSA-wfg4-322g-9vqv',
        'CVE-2021-25900',
      ]);
      expect(report.findings).toHaveLength(3);
    });

    it('falls back to the highest computed score without label or group severity', () => {
      const document = clone(base);
      const smallvec = document.results[0].packages[2];
      for (const record of smallvec.vulnerabilities)
        delete record.database_specific;
      expect(
        findingOf(parseOsv(document).findings, 'CVE-2021-25900').severity,
      ).toBe('critical');
    });

    it('maps other ecosystems to package URLs', () => {
      const document = clone(base);
      document.results[0].packages[0].package = {
        name: '@babel/traverse',
        version: '7.22.0',
        ecosystem: 'npm',
      };
      document.results[0].packages[1].package = {
        name: 'org.apache.logging.log4j:log4j-core',
        version: '2.14.1',
        ecosystem: 'Maven',
      };
      document.results[0].packages[2].package = {
        name: 'openssl',
        version: '3.0.11-1~deb12u1',
        ecosystem: 'Debian:12',
      };
      const report = parseOsv(document);
      expect(report.dependencies.map(dependency => dependency.purl)).toEqual([
        'pkg:npm/%40babel/traverse@7.22.0',
        'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        'pkg:deb/debian/openssl@3.0.11-1~deb12u1',
      ]);
      // An OS package is about the image; its fixed versions come only from
      // affected entries of that package, here none.
      const openssl = report.findings.find(
        finding => finding.package?.name === 'openssl',
      );
      expect(openssl?.category).toBe('container');
      expect(openssl?.package?.fixedVersions).toEqual([]);
    });
  });

  it.each(['constructor', '__proto__', 'toString'])(
    'has no package URL or CVSS version for an ecosystem and severity type %s',
    name => {
      const report = parseOsv({
        results: [
          {
            source: { path: '/src/lock.json', type: 'lockfile' },
            packages: [
              {
                package: {
                  name: 'left-pad',
                  version: '1.0.0',
                  ecosystem: name,
                },
                vulnerabilities: [
                  {
                    id: 'GHSA-aaaa-bbbb-cccc',
                    severity: [
                      {
                        type: name,
                        score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
                      },
                    ],
                  },
                ],
                groups: [],
              },
            ],
          },
        ],
      });
      expect(report.dependencies[0].purl).toBeUndefined();
      expect(report.findings[0].package?.purl).toBeUndefined();
      expect(report.findings[0].cvss).toBeUndefined();
      expect(report.findings[0].category).toBe('sca');
    },
  );

  it('keeps only http and https references without credentials', () => {
    const document = clone(
      readFixture('osv-scanner/multiple-packages-with-vulns.json'),
    ) as OsvDocument;
    for (const entry of document.results[0].packages) {
      for (const record of entry.vulnerabilities) {
        record.references = [
          { type: 'WEB', url: SCRIPT_URL },
          { type: 'WEB', url: 'https://user:pw@example.com/x' },
          { type: 'ADVISORY', url: 'https://osv.dev/vulnerability/X' },
        ];
      }
    }
    for (const finding of parseOsv(document).findings) {
      expect(finding.references).toEqual(['https://osv.dev/vulnerability/X']);
    }
  });

  it('keeps fingerprints when the lock file is scanned from another directory', () => {
    const document = readFixture(
      'osv-scanner/multiple-packages-with-vulns.json',
    ) as OsvDocument;
    const elsewhere = clone(document);
    elsewhere.results[0].source.path = '/home/runner/work/app/Cargo.lock';
    const before = parseOsv(document).findings.map(
      finding => finding.fingerprint,
    );
    const after = parseOsv(elsewhere).findings.map(
      finding => finding.fingerprint,
    );
    expect(after).toEqual(before);
    const upgraded = clone(document);
    upgraded.results[0].packages[0].package.version = '0.7.0';
    expect(parseOsv(upgraded).findings[0].fingerprint).not.toBe(before[0]);
  });

  describe('wrong shapes', () => {
    it.each([
      [[1, 2], '(root)'],
      [{}, 'results'],
      [{ results: {} }, 'results'],
      [{ results: [1] }, 'results[0]'],
      [{ results: [{ source: 'x', packages: [] }] }, 'results[0].source'],
      [{ results: [{ packages: {} }] }, 'results[0].packages'],
      [{ results: [{ packages: [{}] }] }, 'results[0].packages[0].package'],
      [
        { results: [{ packages: [{ package: { version: '1' } }] }] },
        'results[0].packages[0].package.name',
      ],
      [
        {
          results: [
            {
              packages: [
                { package: { name: 'a' }, vulnerabilities: [{ summary: 'x' }] },
              ],
            },
          ],
        },
        'results[0].packages[0].vulnerabilities[0].id',
      ],
      [
        { results: [{ packages: [{ package: { name: 'a' }, groups: [{}] }] }] },
        'results[0].packages[0].groups[0].ids',
      ],
      [
        {
          results: [
            { packages: [{ package: { name: 'a' }, groups: [{ ids: [] }] }] },
          ],
        },
        'results[0].packages[0].groups[0].ids',
      ],
    ])('rejects %j naming %s', (document, place) => {
      expect(() => parseOsv(document)).toThrow(InputError);
      expect(() => parseOsv(document)).toThrow(
        `Invalid osv report at ${place}:`,
      );
    });
  });
});

describe('streamOsv', () => {
  const fixture = 'osv-scanner/multiple-packages-with-vulns.json';

  /** The packages lists of every result, as the document holds them. */
  function packageLists(document: unknown): unknown[] {
    const { results } = document as {
      results: Array<Record<string, unknown>>;
    };
    return results.map(result => result.packages);
  }

  it.each([
    [fixture, readFixtureText(fixture), 1],
    [
      'osv-scanner/results-empty.json',
      readFixtureText('osv-scanner/results-empty.json'),
      0,
    ],
    [
      'two results, a package listed in both',
      JSON.stringify(
        (() => {
          const document = readFixture(fixture) as OsvDocument;
          const other = clone(document.results[0]);
          other.source.path = '/path/to/other/Cargo.lock';
          other.packages.reverse();
          document.results.push(other);
          return document;
        })(),
        null,
        2,
      ),
      2,
    ],
  ])(
    'reads %s lazily as parseOsv reads it whole',
    (_name, text, resultCount) => {
      const lazy = readLazily(text, OSV_LAZY_PATHS, 'osv report');
      const lists = packageLists(lazy);
      expect(lists).toHaveLength(resultCount);
      for (const list of lists) expect(list).toBeInstanceOf(LazyJsonArray);

      const streamed = streamOsv(lazy);
      expect(collectReport(streamed)).toEqual(parseOsv(JSON.parse(text)));
      // Every pass reads the packages again.
      expect([...streamed.findings]).toEqual([...streamed.findings]);
      expect([...streamed.dependencies]).toEqual([...streamed.dependencies]);
    },
  );

  it('reads the packages as they are iterated, failing at a malformed one', () => {
    const base = readFixture(fixture) as OsvDocument;
    const text = `{"results":[{"source":{"path":"/path/to/Cargo.lock","type":"lockfile"},"packages":[${JSON.stringify(
      base.results[0].packages[0],
    )},{"package": nope}]}]}`;
    const report = streamOsv(readLazily(text, OSV_LAZY_PATHS, 'osv report'));
    expect(report.scanner).toBe('OSV-Scanner');

    const findings = report.findings[Symbol.iterator]();
    expect(findings.next().value).toMatchObject({ ruleId: 'CVE-2022-23639' });
    const error = errorOf(() => findings.next());
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'Invalid osv report: malformed JSON at results[0].packages[1]',
    );

    const dependencies = report.dependencies[Symbol.iterator]();
    expect(dependencies.next().value).toMatchObject({
      name: 'crossbeam-utils',
    });
    expect(() => dependencies.next()).toThrow(
      'malformed JSON at results[0].packages[1]',
    );
  });

  it('checks the report and its results at once', () => {
    expect(() =>
      streamOsv(readLazily('{"results":{}}', OSV_LAZY_PATHS, 'osv report')),
    ).toThrow(
      'Invalid osv report at results: expected an array, got an object',
    );
    expect(() =>
      streamOsv(
        readLazily(
          '{"results":[{"packages":{}}]}',
          OSV_LAZY_PATHS,
          'osv report',
        ),
      ),
    ).toThrow('Invalid osv report at results[0].packages:');
    expect(() =>
      streamOsv(
        readLazily(
          '{"results":[{"source":7,"packages":[]}]}',
          OSV_LAZY_PATHS,
          'osv report',
        ),
      ),
    ).toThrow('Invalid osv report at results[0].source:');
  });
});

describe('looksLikeOsv', () => {
  it('detects a report whose packages are lazy', () => {
    const lazy = readLazily(
      readFixtureText('osv-scanner/multiple-packages-with-vulns.json'),
      OSV_LAZY_PATHS,
      'osv report',
    );
    const { results } = lazy as { results: Array<Record<string, unknown>> };
    expect(results[0].packages).toBeInstanceOf(LazyJsonArray);
    expect(looksLikeOsv(lazy)).toBe(true);
  });

  it.each(allJsonFixtures())(
    "detects %s/%s read with every format's lazy lists only when it is OSV-Scanner JSON",
    (folder, file) => {
      const lazy = readLazily(
        readFixtureText(folder, file),
        ALL_JSON_LAZY_PATHS,
        'osv report',
      );
      expect(looksLikeOsv(lazy)).toBe(folder === 'osv-scanner');
    },
  );

  it.each(allJsonFixtures())(
    'detects %s/%s only when it is OSV-Scanner JSON',
    (folder, _file, document) => {
      expect(looksLikeOsv(document)).toBe(folder === 'osv-scanner');
    },
  );

  it.each([
    [null],
    [[]],
    [{ results: [{ check_id: 'x', path: 'a' }] }],
    [{ results: [], errors: [] }],
  ])('rejects %j', document => {
    expect(looksLikeOsv(document)).toBe(false);
  });
});
