import { InputError } from '@backstage/errors';
import { readLazily } from './__testUtils__/lazyReading';
import {
  allJsonFixtures,
  clone,
  countBy,
  findingOf,
  errorOf,
  readFixture,
  readFixtureText,
} from './__testUtils__/parserFixtures';
import { collectReport } from './collectReport';
import {
  GRYPE_LAZY_PATHS,
  looksLikeGrype,
  parseGrype,
  streamGrype,
} from './grype';
import { LazyJsonArray } from './lazyJson';
import { ALL_JSON_LAZY_PATHS } from './parseReport';
import { SCRIPT_URL } from './__testUtils__/unsafeUrls';

interface GrypeMatchJson {
  vulnerability: Record<string, unknown>;
  relatedVulnerabilities: unknown[];
  artifact: Record<string, unknown>;
}

interface GrypeDocument {
  matches: GrypeMatchJson[];
  ignoredMatches?: unknown[];
}

describe('parseGrype', () => {
  describe('keycloak-test.json', () => {
    const report = parseGrype(readFixture('grype/keycloak-test.json'));

    it('reads the report as a whole', () => {
      expect(report.format).toBe('grype');
      expect(report.scanner).toBe('Grype');
      expect(report.scannerVersion).toBe('0.66.0');
      expect(report.findings).toHaveLength(6);
      expect(report.dependencies).toHaveLength(6);
      expect(countBy(report.findings, 'severity')).toEqual({ low: 6 });
      // rpm artifacts: the image's OS packages.
      expect(countBy(report.findings, 'category')).toEqual({ container: 6 });
      // fix.state wont-fix is the vendor's decision, not a triage.
      expect(countBy(report.findings, 'status')).toEqual({ open: 6 });
    });

    it('reads one match per package of the same CVE', () => {
      expect(report.findings.map(finding => finding.package?.name)).toEqual([
        'nspr',
        'nss',
        'nss-softokn',
        'nss-softokn-freebl',
        'nss-sysinit',
        'nss-util',
      ]);
      const finding = findingOf(report.findings, 'CVE-2020-12413', 'nss');
      expect(finding.title).toBe('CVE-2020-12413 in nss 3.79.0-17.el9_1');
      expect(finding.description).toMatch(/^A flaw was found in Mozilla nss\./);
      // Grype's severity (Red Hat's Low) wins over the 5.9 score.
      expect(finding.severity).toBe('low');
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 5.9,
        vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N',
      });
      expect(finding.identifiers).toEqual(['CVE-2020-12413']);
      expect(finding.package).toEqual({
        purl: 'pkg:rpm/rhel/nss@3.79.0-17.el9_1?arch=x86_64&upstream=nss-3.79.0-17.el9_1.src.rpm&distro=rhel-9.1',
        name: 'nss',
        version: '3.79.0-17.el9_1',
        ecosystem: 'rpm',
        fixedVersions: [],
      });
      // The rpm database is no place in code.
      expect(finding.location).toBeUndefined();
      expect(finding.epss).toBeUndefined();
      expect(finding.knownExploited).toBeUndefined();
      expect(finding.references).toEqual([
        'https://access.redhat.com/security/cve/CVE-2020-12413',
      ]);
    });

    it('reads the matched artifacts as dependencies with their licenses', () => {
      expect(report.dependencies[0]).toEqual({
        purl: 'pkg:rpm/rhel/nspr@4.34.0-17.el9_1?arch=x86_64&upstream=nss-3.79.0-17.el9_1.src.rpm&distro=rhel-9.1',
        name: 'nspr',
        version: '4.34.0-17.el9_1',
        ecosystem: 'rpm',
        licenses: ['MPLv2.0'],
      });
    });
  });

  describe('many_vulns_with_epss_values.json', () => {
    const report = parseGrype(
      readFixture('grype/many_vulns_with_epss_values.json'),
    );

    it('reads the report as a whole', () => {
      expect(report.scannerVersion).toBe('0.94.0');
      expect(report.findings).toHaveLength(15);
      // All matches are on the one busybox binary.
      expect(report.dependencies).toHaveLength(1);
      expect(countBy(report.findings, 'severity')).toEqual({
        critical: 1,
        high: 10,
        medium: 2,
        low: 2,
      });
      // A binary artifact is not an OS package.
      expect(countBy(report.findings, 'category')).toEqual({ sca: 15 });
      expect(countBy(report.findings, 'status')).toEqual({ open: 15 });
    });

    it('reads EPSS and prefers CVSS 3.1 over 2.0', () => {
      const finding = findingOf(report.findings, 'CVE-2022-28391');
      expect(finding.epss).toBe(0.0719);
      expect(finding.severity).toBe('high');
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 8.8,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H',
      });
      expect(finding.package).toEqual({
        purl: 'pkg:generic/busybox@1.32.1',
        name: 'busybox',
        version: '1.32.1',
        ecosystem: 'generic',
        fixedVersions: [],
      });
      expect(finding.location).toEqual({ path: '/bin/[' });
      expect(finding.references?.[0]).toBe(
        'https://nvd.nist.gov/vuln/detail/CVE-2022-28391',
      );
      expect(finding.description).toMatch(/^BusyBox through 1\.35\.0/);
    });

    it('reads fixed versions', () => {
      const finding = findingOf(report.findings, 'CVE-2021-42376');
      expect(finding.package?.fixedVersions).toEqual(['1.34.0']);
      expect(finding.cvss?.score).toBe(5.5);
      expect(finding.severity).toBe('medium');
      expect(finding.epss).toBe(0.00028);
    });

    it('reads the critical one', () => {
      const finding = findingOf(report.findings, 'CVE-2022-48174');
      expect(finding.severity).toBe('critical');
      expect(finding.cvss?.score).toBe(9.8);
      expect(finding.epss).toBe(0.00451);
    });

    it('reads the dependency', () => {
      expect(report.dependencies).toEqual([
        {
          purl: 'pkg:generic/busybox@1.32.1',
          name: 'busybox',
          version: '1.32.1',
          ecosystem: 'generic',
          licenses: [],
        },
      ]);
    });
  });

  describe('GHSA matches, KEV and suppressed matches', () => {
    const base = readFixture(
      'grype/many_vulns_with_epss_values.json',
    ) as GrypeDocument;
    const document = clone(base);
    const ghsaMatch = clone(base.matches[0]);
    ghsaMatch.vulnerability = {
      id: 'GHSA-jfh8-c2jp-5v3q',
      dataSource: 'https://github.com/advisories/GHSA-jfh8-c2jp-5v3q',
      namespace: 'github:language:java',
      severity: 'Unknown',
      urls: [],
      cvss: [],
      knownExploited: [
        { cve: 'CVE-2021-44228', knownRansomwareCampaignUse: 'Known' },
      ],
      epss: [
        {
          cve: 'CVE-2021-44228',
          epss: 0.94358,
          percentile: 0.99957,
          date: '2025-06-18',
        },
      ],
      fix: { versions: ['2.15.0'], state: 'fixed' },
      advisories: [],
      risk: 100,
    };
    ghsaMatch.relatedVulnerabilities = [
      {
        id: 'CVE-2021-44228',
        dataSource: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
        severity: 'Critical',
        urls: [],
        description:
          'Apache Log4j2 JNDI features do not protect against attacker controlled LDAP.',
        cvss: [
          {
            version: '3.1',
            vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
            metrics: { baseScore: 10 },
            vendorMetadata: {},
          },
        ],
        cwes: [
          {
            cve: 'CVE-2021-44228',
            cwe: 'CWE-502',
            source: 'nvd@nist.gov',
            type: 'Primary',
          },
        ],
      },
    ];
    ghsaMatch.artifact = {
      ...ghsaMatch.artifact,
      name: 'log4j-core',
      version: '2.14.1',
      type: 'java-archive',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      locations: [{ path: '/app/lib/log4j-core-2.14.1.jar' }],
    };
    document.matches = [ghsaMatch];
    const ignored = clone(base.matches[12]);
    document.ignoredMatches = [
      {
        ...ignored,
        appliedIgnoreRules: [
          {
            namespace: '',
            vulnerability: 'CVE-2021-42376',
            reason: 'only used at build time',
          },
        ],
      },
      {
        ...clone(base.matches[13]),
        appliedIgnoreRules: [
          {
            namespace: '',
            'vex-status': 'not_affected',
            'vex-justification': 'vulnerable_code_not_present',
          },
        ],
      },
    ];
    const report = parseGrype(document);

    it('takes CVSS, CWEs and the description of the related CVE', () => {
      const finding = findingOf(report.findings, 'GHSA-jfh8-c2jp-5v3q');
      expect(finding.identifiers).toEqual([
        'GHSA-jfh8-c2jp-5v3q',
        'CVE-2021-44228',
        'CWE-502',
      ]);
      expect(finding.cvss?.score).toBe(10);
      // Unknown label: the highest CVSS score decides.
      expect(finding.severity).toBe('critical');
      expect(finding.description).toMatch(/^Apache Log4j2/);
      expect(finding.knownExploited).toBe(true);
      expect(finding.epss).toBe(0.94358);
      expect(finding.category).toBe('sca');
      expect(finding.package?.ecosystem).toBe('maven');
      expect(finding.location).toEqual({
        path: '/app/lib/log4j-core-2.14.1.jar',
      });
    });

    it('stores ignored matches as waived or not affected', () => {
      expect(report.findings).toHaveLength(3);
      expect(countBy(report.findings, 'status')).toEqual({
        open: 1,
        waived: 1,
        not_affected: 1,
      });
      const waived = findingOf(report.findings, 'CVE-2021-42376');
      expect(waived.status).toBe('waived');
      expect(waived.statusReason).toBe(
        'only used at build time; ignore rule for CVE-2021-42376',
      );
      const notAffected = findingOf(report.findings, 'CVE-2024-58251');
      expect(notAffected.status).toBe('not_affected');
      expect(notAffected.statusReason).toBe('vulnerable_code_not_present');
    });

    it('reads the same when its matches and ignored matches are lazy', () => {
      const lazy = readLazily(
        JSON.stringify(document),
        GRYPE_LAZY_PATHS,
        'grype report',
      ) as Record<string, unknown>;
      expect(lazy.matches).toBeInstanceOf(LazyJsonArray);
      expect(lazy.ignoredMatches).toBeInstanceOf(LazyJsonArray);
      expect(collectReport(streamGrype(lazy))).toEqual(report);
    });
  });

  it('keeps fingerprints across re-scans that change scores and order', () => {
    const document = readFixture(
      'grype/many_vulns_with_epss_values.json',
    ) as GrypeDocument;
    const before = parseGrype(document);
    const rescan = clone(document);
    rescan.matches.reverse();
    for (const match of rescan.matches) {
      match.vulnerability.risk = 0;
      match.vulnerability.epss = [];
    }
    const after = parseGrype(rescan);
    expect(new Set(after.findings.map(finding => finding.fingerprint))).toEqual(
      new Set(before.findings.map(finding => finding.fingerprint)),
    );
  });

  it('keeps only http and https links without credentials', () => {
    const document = clone(
      readFixture('grype/keycloak-test.json'),
    ) as GrypeDocument;
    const [match] = document.matches;
    const vulnerability = match.vulnerability as Record<string, unknown>;
    vulnerability.dataSource = SCRIPT_URL;
    vulnerability.urls = [
      'data:text/html,x',
      'https://user:pw@example.com/advisory',
      'https://nvd.nist.gov/vuln/detail/CVE-2020-12413',
    ];
    document.matches = [match];
    expect(parseGrype(document).findings[0].references).toEqual([
      'https://nvd.nist.gov/vuln/detail/CVE-2020-12413',
    ]);
  });

  it('gives another installed version another fingerprint', () => {
    const document = readFixture('grype/keycloak-test.json') as GrypeDocument;
    const upgraded = clone(document);
    upgraded.matches[0].artifact.version = '4.35.0-1.el9_2';
    const before = parseGrype(document).findings[0];
    const after = parseGrype(upgraded).findings[0];
    expect(after.fingerprint).not.toBe(before.fingerprint);
  });

  describe('wrong shapes', () => {
    it.each([
      [[1, 2], '(root)'],
      [{}, 'matches'],
      [{ matches: {} }, 'matches'],
      [{ matches: [3] }, 'matches[0]'],
      [{ matches: [{ artifact: { name: 'a' } }] }, 'matches[0].vulnerability'],
      [
        { matches: [{ vulnerability: { id: 'CVE-2020-1' } }] },
        'matches[0].artifact',
      ],
      [
        { matches: [{ vulnerability: {}, artifact: { name: 'a' } }] },
        'matches[0].vulnerability.id',
      ],
      [
        { matches: [{ vulnerability: { id: 'CVE-2020-1' }, artifact: {} }] },
        'matches[0].artifact.name',
      ],
      [
        {
          matches: [
            {
              vulnerability: { id: 'CVE-2020-1', cvss: 'high' },
              artifact: { name: 'a' },
            },
          ],
        },
        'matches[0].vulnerability.cvss',
      ],
      [
        { matches: [], ignoredMatches: [{ appliedIgnoreRules: [5] }] },
        'ignoredMatches[0].appliedIgnoreRules[0]',
      ],
    ])('rejects %j naming %s', (document, place) => {
      expect(() => parseGrype(document)).toThrow(InputError);
      expect(() => parseGrype(document)).toThrow(
        `Invalid grype report at ${place}:`,
      );
    });

    it('accepts a report without matches', () => {
      const report = parseGrype({
        matches: [],
        descriptor: { name: 'grype', version: '0.90.0' },
      });
      expect(report.findings).toEqual([]);
      expect(report.dependencies).toEqual([]);
    });
  });
});

describe('streamGrype', () => {
  it.each([
    'grype/keycloak-test.json',
    'grype/many_vulns_with_epss_values.json',
  ])('reads %s lazily as parseGrype reads it whole', fixture => {
    const text = readFixtureText(fixture);
    const lazy = readLazily(text, GRYPE_LAZY_PATHS, 'grype report') as Record<
      string,
      unknown
    >;
    expect(lazy.matches).toBeInstanceOf(LazyJsonArray);
    const streamed = streamGrype(lazy);
    expect(collectReport(streamed)).toEqual(parseGrype(JSON.parse(text)));
    // Every pass reads the matches again.
    expect([...streamed.findings]).toEqual([...streamed.findings]);
    expect([...streamed.dependencies]).toHaveLength(
      (JSON.parse(text) as GrypeDocument).matches.length,
    );
  });

  it('reads the matches as they are iterated, failing at a malformed one', () => {
    const base = readFixture('grype/keycloak-test.json') as GrypeDocument;
    const text = `{"descriptor":{"name":"grype","version":"0.66.0"},"matches":[${JSON.stringify(
      base.matches[0],
    )},{"vulnerability": nope}]}`;
    const report = streamGrype(
      readLazily(text, GRYPE_LAZY_PATHS, 'grype report'),
    );
    expect(report.scanner).toBe('Grype');
    expect(report.scannerVersion).toBe('0.66.0');

    const findings = report.findings[Symbol.iterator]();
    expect(findings.next().value).toMatchObject({ ruleId: 'CVE-2020-12413' });
    const error = errorOf(() => findings.next());
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      'Invalid grype report: malformed JSON at matches[1]',
    );

    const dependencies = report.dependencies[Symbol.iterator]();
    expect(dependencies.next().value).toMatchObject({ name: 'nspr' });
    expect(() => dependencies.next()).toThrow('malformed JSON at matches[1]');
  });

  it('checks the shape of the report at once', () => {
    expect(() =>
      streamGrype(
        readLazily('{"matches":{}}', GRYPE_LAZY_PATHS, 'grype report'),
      ),
    ).toThrow(
      'Invalid grype report at matches: expected an array, got an object',
    );
    expect(() =>
      streamGrype(
        readLazily(
          '{"matches":[],"descriptor":[]}',
          GRYPE_LAZY_PATHS,
          'grype report',
        ),
      ),
    ).toThrow('Invalid grype report at descriptor:');
  });
});

describe('looksLikeGrype', () => {
  it('detects a report whose matches are lazy', () => {
    const lazy = readLazily(
      readFixtureText('grype/keycloak-test.json'),
      GRYPE_LAZY_PATHS,
      'grype report',
    );
    expect((lazy as Record<string, unknown>).matches).toBeInstanceOf(
      LazyJsonArray,
    );
    expect(looksLikeGrype(lazy)).toBe(true);
  });

  it.each(allJsonFixtures())(
    "detects %s/%s read with every format's lazy lists only when it is Grype JSON",
    (folder, file) => {
      const lazy = readLazily(
        readFixtureText(folder, file),
        ALL_JSON_LAZY_PATHS,
        'grype report',
      );
      expect(looksLikeGrype(lazy)).toBe(folder === 'grype');
    },
  );

  it.each(allJsonFixtures())(
    'detects %s/%s only when it is Grype JSON',
    (folder, _file, document) => {
      expect(looksLikeGrype(document)).toBe(folder === 'grype');
    },
  );

  it.each([
    [null],
    [[]],
    [{ matches: [] }],
    [{ matches: {}, descriptor: { name: 'grype' } }],
  ])('rejects %j', document => {
    expect(looksLikeGrype(document)).toBe(false);
  });
});
