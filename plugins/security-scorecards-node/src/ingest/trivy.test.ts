import { InputError } from '@backstage/errors';
import { readLazily } from './__testUtils__/lazyReading';
import {
  allJsonFixtures,
  clone,
  countBy,
  errorOf,
  findingOf,
  inputErrorWith,
  readFixture,
  readFixtureText,
} from './__testUtils__/parserFixtures';
import { collectReport } from './collectReport';
import { LazyJsonArray } from './lazyJson';
import { createSecretHasher } from './normalize';
import {
  looksLikeTrivy,
  parseTrivy,
  streamTrivy,
  TRIVY_LAZY_PATHS,
} from './trivy';
import { SCRIPT_URL, URL_CREDENTIALS } from './__testUtils__/unsafeUrls';

/** A leaked token, which no report may contain. */
const secret = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c';
/** A repository scan with a misconfiguration, a secret and a suppressed secret. */
const trivyDocument = (misconfigurationLine: number, secretLine: number) => ({
  SchemaVersion: 2,
  ArtifactName: '.',
  ArtifactType: 'repository',
  Results: [
    {
      Target: 'Dockerfile',
      Class: 'config',
      Type: 'dockerfile',
      Misconfigurations: [
        {
          Type: 'Dockerfile Security Check',
          ID: 'DS002',
          AVDID: 'AVD-DS-0002',
          Title: 'Image user should not be <b>root</b>',
          Description:
            'Running containers with root user can lead to a container escape situation.',
          Message:
            'Specify at least 1 USER command in Dockerfile with non-root user as argument',
          Resolution: 'Add USER instruction to the Dockerfile',
          Severity: 'HIGH',
          PrimaryURL: 'https://avd.aquasec.com/misconfig/ds002',
          References: [
            'https://docs.docker.com/develop/develop-images/dockerfile_best-practices/',
          ],
          Status: 'FAIL',
          CauseMetadata: {
            Provider: 'Dockerfile',
            Service: 'general',
            StartLine: misconfigurationLine,
            EndLine: misconfigurationLine,
            Code: {
              Lines: [
                {
                  Number: misconfigurationLine,
                  Content: 'FROM alpine:3.13',
                  IsCause: true,
                },
              ],
            },
          },
        },
        {
          ID: 'DS001',
          Title: "':latest' tag used",
          Severity: 'MEDIUM',
          Status: 'PASS',
        },
      ],
    },
    {
      Target: 'config/settings.env',
      Class: 'secret',
      Secrets: [
        {
          RuleID: 'github-pat',
          Category: 'GitHub',
          Severity: 'CRITICAL',
          Title: 'GitHub Personal Access Token',
          StartLine: secretLine,
          EndLine: secretLine,
          Code: {
            Lines: [
              {
                Number: secretLine,
                Content: `GITHUB_TOKEN=${secret}`,
                IsCause: true,
              },
            ],
          },
          // Trivy masks the secret here; an unmasked one must not leak either.
          Match: `GITHUB_TOKEN=${secret}`,
        },
      ],
      ExperimentalModifiedFindings: [
        {
          Type: 'secret',
          Status: 'ignored',
          Statement: 'test fixture token',
          Source: '.trivyignore',
          Finding: {
            RuleID: 'aws-access-key-id',
            Category: 'AWS',
            Severity: 'CRITICAL',
            Title: 'AWS Access Key ID',
            StartLine: 9,
            Match: 'AWS_ACCESS_KEY_ID=********************',
          },
        },
      ],
    },
  ],
});

describe('parseTrivy', () => {
  describe('npm.json.golden', () => {
    const report = parseTrivy(readFixture('trivy/npm.json.golden'));

    it('reads the report as a whole', () => {
      expect(report.format).toBe('trivy');
      expect(report.scanner).toBe('Trivy');
      expect(report.scannerVersion).toBe('dev');
      expect(report.findings).toHaveLength(1);
      expect(report.dependencies).toHaveLength(12);
      expect(countBy(report.findings, 'severity')).toEqual({ medium: 1 });
      expect(countBy(report.findings, 'category')).toEqual({ sca: 1 });
      // Status "fixed" is the vendor's fix status, not a triage: still open.
      expect(countBy(report.findings, 'status')).toEqual({ open: 1 });
    });

    it('reads the jquery vulnerability', () => {
      const finding = findingOf(report.findings, 'CVE-2019-11358');
      expect(finding.title).toBe(
        "jquery: Prototype pollution in object's prototype leading to denial of service, remote code execution, or property injection",
      );
      expect(finding.description).toMatch(/^jQuery before 3\.4\.0/);
      expect(finding.package).toEqual({
        purl: 'pkg:npm/jquery@3.3.9',
        name: 'jquery',
        version: '3.3.9',
        ecosystem: 'npm',
        fixedVersions: ['3.4.0'],
      });
      // The package starts at line 11 of package-lock.json (Packages[].Locations).
      expect(finding.location).toEqual({ path: 'package-lock.json', line: 11 });
      expect(finding.identifiers).toEqual(['CVE-2019-11358', 'CWE-79']);
      // SeveritySource is ghsa but there is no ghsa CVSS entry: NVD's is taken.
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 6.1,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
      });
      expect(finding.references?.[0]).toBe(
        'https://avd.aquasec.com/nvd/cve-2019-11358',
      );
      expect(finding.references).toContain(
        'https://github.com/advisories/GHSA-6c3j-c64m-qhgq',
      );
      expect(finding.scanner).toBe('Trivy');
    });

    it('reads the packages as dependencies', () => {
      const jquery = report.dependencies.find(
        dependency => dependency.name === 'jquery',
      );
      expect(jquery).toEqual({
        purl: 'pkg:npm/jquery@3.3.9',
        name: 'jquery',
        version: '3.3.9',
        ecosystem: 'npm',
        licenses: ['MIT'],
      });
      const asap = report.dependencies.find(
        dependency => dependency.name === 'asap',
      );
      expect(asap?.licenses).toEqual([]);
      expect(asap?.direct).toBeUndefined();
    });
  });

  describe('npm-with-suppressed.json.golden', () => {
    const report = parseTrivy(
      readFixture('trivy/npm-with-suppressed.json.golden'),
    );

    it('reads the open and the VEX-suppressed vulnerability', () => {
      expect(report.findings).toHaveLength(2);
      expect(report.dependencies).toHaveLength(2);
      expect(countBy(report.findings, 'severity')).toEqual({ high: 1, low: 1 });
      expect(countBy(report.findings, 'category')).toEqual({ sca: 2 });
      expect(countBy(report.findings, 'status')).toEqual({
        open: 1,
        not_affected: 1,
      });
    });

    it('reads the open vulnerability with its comma separated fixed versions', () => {
      const finding = findingOf(report.findings, 'CVE-2017-20165');
      expect(finding.status).toBe('open');
      expect(finding.severity).toBe('high');
      expect(finding.package?.fixedVersions).toEqual(['3.1.0', '2.6.9']);
      expect(finding.package?.version).toBe('3.0.1');
      expect(finding.location).toEqual({ path: 'package-lock.json', line: 11 });
      expect(finding.identifiers).toEqual(['CVE-2017-20165', 'CWE-1333']);
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 7.5,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      });
    });

    it('stores the modified finding as not affected with the VEX statement', () => {
      const finding = findingOf(report.findings, 'CVE-2017-16137');
      expect(finding.status).toBe('not_affected');
      expect(finding.statusReason).toBe(
        'vulnerable_code_not_in_execute_path; source: ./vex.json',
      );
      expect(finding.severity).toBe('low');
      expect(finding.title).toBe(
        'nodejs-debug: Regular expression Denial of Service',
      );
      expect(finding.package?.fixedVersions).toEqual([
        '2.6.9',
        '3.1.0',
        '3.2.7',
        '4.3.1',
      ]);
      expect(finding.identifiers).toEqual(['CVE-2017-16137', 'CWE-400']);
      // SeveritySource ghsa: GitHub's 3.7, not NVD's 5.3.
      expect(finding.cvss?.score).toBe(3.7);
    });

    it('reads direct and indirect dependencies', () => {
      expect(report.dependencies).toEqual([
        {
          purl: 'pkg:npm/debug@3.0.1',
          name: 'debug',
          version: '3.0.1',
          ecosystem: 'npm',
          licenses: [],
          direct: true,
        },
        {
          purl: 'pkg:npm/ms@2.0.0',
          name: 'ms',
          version: '2.0.0',
          ecosystem: 'npm',
          licenses: [],
          direct: false,
        },
      ]);
    });
  });

  describe('cvssv4_severity_source.json', () => {
    const report = parseTrivy(readFixture('trivy/cvssv4_severity_source.json'));

    it('reads the report as a whole', () => {
      expect(report.scannerVersion).toBe('0.69.1');
      expect(report.findings).toHaveLength(3);
      expect(report.dependencies).toHaveLength(1);
      expect(countBy(report.findings, 'severity')).toEqual({
        medium: 1,
        low: 2,
      });
      expect(countBy(report.findings, 'category')).toEqual({ sca: 3 });
      expect(countBy(report.findings, 'status')).toEqual({ open: 3 });
    });

    it('prefers the CVSS 4.0 rating of the severity source', () => {
      const finding = findingOf(report.findings, 'CVE-2025-66614');
      expect(finding.severity).toBe('medium');
      expect(finding.cvss).toEqual({
        version: '4.0',
        score: 6.3,
        vector:
          'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N',
      });
      expect(finding.identifiers).toEqual([
        'CVE-2025-66614',
        'GHSA-fpj8-gq4v-p354',
        'CWE-20',
      ]);
      expect(finding.package).toEqual({
        purl: 'pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.109',
        name: 'org.apache.tomcat:tomcat-catalina',
        version: '9.0.109',
        ecosystem: 'maven',
        fixedVersions: ['11.0.14', '10.1.49', '9.0.112'],
      });
      // The jar the package was found in, no line.
      expect(finding.location).toEqual({ path: 'catalina.jar' });
    });

    it('keeps the label severity over a higher score of another vendor', () => {
      // LOW by GitHub (V40 2.3) while Red Hat rates 5.3.
      const finding = findingOf(report.findings, 'CVE-2025-61795');
      expect(finding.severity).toBe('low');
      expect(finding.cvss?.score).toBe(2.3);
      expect(finding.cvss?.version).toBe('4.0');
    });

    it('reads the jar as a dependency', () => {
      expect(report.dependencies).toEqual([
        {
          purl: 'pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.109',
          name: 'org.apache.tomcat:tomcat-catalina',
          version: '9.0.109',
          ecosystem: 'maven',
          licenses: [],
        },
      ]);
    });
  });

  describe('all_statuses.json', () => {
    const report = parseTrivy(readFixture('trivy/all_statuses.json'));

    it('reads the image scan as container findings, only not_affected changes the status', () => {
      expect(report.scannerVersion).toBeUndefined();
      expect(report.findings).toHaveLength(8);
      expect(report.dependencies).toHaveLength(0);
      expect(countBy(report.findings, 'severity')).toEqual({ low: 8 });
      expect(countBy(report.findings, 'category')).toEqual({ container: 8 });
      expect(countBy(report.findings, 'status')).toEqual({
        open: 7,
        not_affected: 1,
      });
    });

    it('marks the not_affected vulnerability', () => {
      const finding = findingOf(report.findings, 'CVE-2019-18276');
      expect(finding.status).toBe('not_affected');
      expect(finding.statusReason).toMatch(/not_affected/);
      expect(finding.package).toEqual({
        name: 'bash',
        version: '5.0-4',
        ecosystem: 'deb',
        fixedVersions: [],
      });
      // An OS package has no place in code.
      expect(finding.location).toBeUndefined();
      // SeveritySource debian has no CVSS entry: NVD's.
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 7.8,
        vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
      });
      // The LOW label wins over the 7.8 score.
      expect(finding.severity).toBe('low');
    });

    it('keeps the other vendor statuses open', () => {
      for (const id of [
        'CVE-2011-3374',
        'TEMP-0841856-B18BAF',
        'CVE-2018-1000876',
        'CVE-2018-12697',
        'CVE-2018-12698',
        'CVE-2018-12699',
        'CVE-2018-12934',
      ]) {
        expect(findingOf(report.findings, id).status).toBe('open');
      }
    });

    it('reads a Debian temporary id without CVSS', () => {
      const finding = findingOf(report.findings, 'TEMP-0841856-B18BAF');
      expect(finding.identifiers).toEqual([]);
      expect(finding.cvss).toBeUndefined();
      expect(finding.title).toBe(
        '[Privilege escalation possible to other user than root]',
      );
      expect(finding.references).toEqual([
        'https://security-tracker.debian.org/tracker/TEMP-0841856-B18BAF',
      ]);
    });

    it('reads several CWEs', () => {
      expect(
        findingOf(report.findings, 'CVE-2018-1000876').identifiers,
      ).toEqual(['CVE-2018-1000876', 'CWE-190', 'CWE-787']);
    });
  });

  describe('misconfigurations and secrets', () => {
    const report = parseTrivy(trivyDocument(3, 7));

    it('reads failed checks as iac findings and skips passed ones', () => {
      const iac = report.findings.filter(finding => finding.category === 'iac');
      expect(iac).toHaveLength(1);
      const [finding] = iac;
      expect(finding.ruleId).toBe('DS002');
      expect(finding.title).toBe('Image user should not be root');
      expect(finding.severity).toBe('high');
      expect(finding.location).toEqual({ path: 'Dockerfile', line: 3 });
      expect(finding.description).toContain(
        'Resolution: Add USER instruction to the Dockerfile',
      );
      expect(finding.references?.[0]).toBe(
        'https://avd.aquasec.com/misconfig/ds002',
      );
      expect(finding.status).toBe('open');
    });

    it('reads secrets without storing them, and a .trivyignore suppression as waived', () => {
      const secrets = report.findings.filter(
        finding => finding.category === 'secret',
      );
      expect(secrets).toHaveLength(2);
      const token = findingOf(secrets, 'github-pat');
      expect(token.severity).toBe('critical');
      expect(token.title).toBe('GitHub Personal Access Token');
      expect(token.location).toEqual({ path: 'config/settings.env', line: 7 });
      expect(token.status).toBe('open');
      const ignored = findingOf(secrets, 'aws-access-key-id');
      expect(ignored.status).toBe('waived');
      expect(ignored.statusReason).toBe(
        'test fixture token; source: .trivyignore',
      );
      expect(JSON.stringify(report)).not.toContain(secret);
      expect(JSON.stringify(report)).not.toContain('GITHUB_TOKEN=');
    });

    it('counts the findings', () => {
      expect(report.findings).toHaveLength(3);
      expect(countBy(report.findings, 'severity')).toEqual({
        high: 1,
        critical: 2,
      });
      expect(countBy(report.findings, 'status')).toEqual({
        open: 2,
        waived: 1,
      });
      expect(report.dependencies).toHaveLength(0);
    });

    it('keeps fingerprints of misconfigurations and secrets when lines shift', () => {
      const shiftedReport = parseTrivy(trivyDocument(13, 42));
      expect(
        shiftedReport.findings.map(finding => finding.fingerprint),
      ).toEqual(report.findings.map(finding => finding.fingerprint));
      expect(
        shiftedReport.findings.map(finding => finding.location?.line),
      ).toEqual([13, 42, 9]);
    });
  });

  it('hashes the matched line of a secret with the given hasher', () => {
    const hashSecret = createSecretHasher('a key of at least 16 bytes');
    const plain = parseTrivy(trivyDocument(3, 7)).findings;
    const keyed = parseTrivy(trivyDocument(3, 7), { hashSecret }).findings;
    const plainToken = findingOf(plain, 'github-pat');
    const keyedToken = findingOf(keyed, 'github-pat');
    expect(keyedToken.fingerprint).not.toBe(plainToken.fingerprint);
    // Suppressed secrets (ModifiedFindings) are hashed with it too.
    expect(findingOf(keyed, 'aws-access-key-id').fingerprint).not.toBe(
      findingOf(plain, 'aws-access-key-id').fingerprint,
    );
    // Other findings do not hold a secret and keep their fingerprint.
    expect(findingOf(keyed, 'DS002').fingerprint).toBe(
      findingOf(plain, 'DS002').fingerprint,
    );
    expect(JSON.stringify(keyed)).not.toContain(secret);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'reads a result whose Class and Type are %s as a package result',
    name => {
      const report = parseTrivy({
        SchemaVersion: 2,
        Results: [
          {
            Target: 'package-lock.json',
            Class: name,
            Type: name,
            Packages: [{ Name: 'lodash', Version: '4.17.20' }],
            Vulnerabilities: [
              {
                VulnerabilityID: 'CVE-2021-23337',
                PkgName: 'lodash',
                InstalledVersion: '4.17.20',
                Severity: name,
              },
            ],
          },
        ],
      });
      expect(report.coverage).toEqual(['sca']);
      expect(report.findings[0]).toMatchObject({
        category: 'sca',
        severity: 'info',
        package: { name: 'lodash', ecosystem: name.toLowerCase() },
      });
      expect(report.dependencies[0].ecosystem).toBe(name.toLowerCase());
    },
  );

  it('keeps only http and https links without credentials', () => {
    const report = parseTrivy({
      SchemaVersion: 2,
      Results: [
        {
          Target: 'package-lock.json',
          Class: 'lang-pkgs',
          Type: 'npm',
          Vulnerabilities: [
            {
              VulnerabilityID: 'CVE-2021-23337',
              PkgName: 'lodash',
              PrimaryURL: SCRIPT_URL,
              References: [
                'https://nvd.nist.gov/vuln/detail/CVE-2021-23337',
                'vbscript:msgbox(1)',
                'data:text/html,x',
                `https://${URL_CREDENTIALS}@example.com/advisory`,
                'http://example.com/advisory',
                'not a url',
              ],
            },
          ],
        },
      ],
    });
    expect(report.findings[0].references).toEqual([
      'https://nvd.nist.gov/vuln/detail/CVE-2021-23337',
      'http://example.com/advisory',
    ]);
  });

  it('keeps the fingerprint of a vulnerability when its package moves in the lock file', () => {
    const document = readFixture('trivy/npm.json.golden') as {
      Results: Array<{
        Packages: Array<{
          ID: string;
          Locations: Array<{ StartLine: number }>;
        }>;
      }>;
    };
    const before = parseTrivy(document).findings[0];
    const shifted = clone(document);
    for (const pkg of shifted.Results[0].Packages) {
      if (pkg.ID === 'jquery@3.3.9') pkg.Locations[0].StartLine = 40;
    }
    const after = parseTrivy(shifted).findings[0];
    expect(after.location?.line).toBe(40);
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('gives the same vulnerability in two targets two fingerprints', () => {
    const document = readFixture('trivy/npm.json.golden') as {
      Results: Array<{ Target: string }>;
    };
    const twoTargets = clone(document);
    const copy = clone(twoTargets.Results[0]);
    copy.Target = 'web/package-lock.json';
    twoTargets.Results.push(copy);
    const report = parseTrivy(twoTargets);
    expect(report.findings).toHaveLength(2);
    expect(
      new Set(report.findings.map(finding => finding.fingerprint)).size,
    ).toBe(2);
    expect(report.dependencies).toHaveLength(12);
  });

  it('truncates long texts to 4000 characters', () => {
    const document = clone(readFixture('trivy/npm.json.golden')) as {
      Results: Array<{ Vulnerabilities: Array<{ Description: string }> }>;
    };
    document.Results[0].Vulnerabilities[0].Description = 'x'.repeat(10000);
    expect(parseTrivy(document).findings[0].description).toHaveLength(4000);
  });

  describe('wrong shapes', () => {
    it.each([
      [[1, 2], '(root)'],
      ['trivy', '(root)'],
      [{}, 'SchemaVersion'],
      [{ SchemaVersion: 1, Results: [] }, 'SchemaVersion'],
      [{ SchemaVersion: 2, Results: {} }, 'Results'],
      [{ SchemaVersion: 2, Results: [7] }, 'Results[0]'],
      [
        {
          SchemaVersion: 2,
          Results: [{ Target: 'a', Vulnerabilities: 'many' }],
        },
        'Results[0].Vulnerabilities',
      ],
      [
        {
          SchemaVersion: 2,
          Results: [{ Target: 'a', Vulnerabilities: [{ PkgName: 'x' }] }],
        },
        'Results[0].Vulnerabilities[0].VulnerabilityID',
      ],
      [
        {
          SchemaVersion: 2,
          Results: [
            {
              Target: 'a',
              Vulnerabilities: [{ VulnerabilityID: 'CVE-2020-1234' }],
            },
          ],
        },
        'Results[0].Vulnerabilities[0].PkgName',
      ],
      [
        {
          SchemaVersion: 2,
          Results: [{ Target: 'a', Secrets: [{ Title: 'x' }] }],
        },
        'Results[0].Secrets[0].RuleID',
      ],
      [
        {
          SchemaVersion: 2,
          Results: [{ Target: 'a', Packages: [{ Version: '1' }] }],
        },
        'Results[0].Packages[0].Name',
      ],
      [
        {
          SchemaVersion: 2,
          Results: [
            {
              Target: 'a',
              ExperimentalModifiedFindings: [{ Type: 'other', Finding: {} }],
            },
          ],
        },
        'Results[0].ExperimentalModifiedFindings[0].Type',
      ],
    ])('rejects %j naming %s', (document, place) => {
      expect(() => parseTrivy(document)).toThrow(InputError);
      expect(() => parseTrivy(document)).toThrow(
        `Invalid trivy report at ${place}:`,
      );
    });

    it('names the unsupported version', () => {
      expect(() => parseTrivy({ SchemaVersion: 3, Results: [] })).toThrow(
        /version 3/,
      );
    });

    it('accepts a report without results (a clean scan)', () => {
      const report = parseTrivy({
        SchemaVersion: 2,
        ArtifactName: 'x',
        ArtifactType: 'filesystem',
      });
      expect(report.findings).toEqual([]);
      expect(report.dependencies).toEqual([]);
    });
  });
});

describe('looksLikeTrivy', () => {
  it.each(allJsonFixtures())(
    'detects %s/%s only when it is Trivy JSON',
    (folder, _file, document) => {
      expect(looksLikeTrivy(document)).toBe(folder === 'trivy');
    },
  );

  it.each([
    [null],
    [[]],
    [{}],
    [{ SchemaVersion: '2', Results: [] }],
    [{ SchemaVersion: 2 }],
  ])('rejects %j', document => {
    expect(looksLikeTrivy(document)).toBe(false);
  });
});

describe('streamTrivy', () => {
  const fixtures = [
    'trivy/npm.json.golden',
    'trivy/npm-with-suppressed.json.golden',
    'trivy/cvssv4_severity_source.json',
    'trivy/all_statuses.json',
  ];
  const listKeys = [
    'Packages',
    'Vulnerabilities',
    'Misconfigurations',
    'Secrets',
    'ExperimentalModifiedFindings',
    'ModifiedFindings',
  ];

  /** The lists of every result, by key, as the document holds them. */
  function resultLists(document: unknown): unknown[] {
    const { Results } = document as { Results: Array<Record<string, unknown>> };
    return Results.flatMap(result =>
      listKeys.filter(key => key in result).map(key => result[key]),
    );
  }

  it.each([
    ...fixtures.map((fixture): [string, string] => [
      fixture,
      readFixtureText(fixture),
    ]),
    [
      'misconfigurations and secrets',
      JSON.stringify(trivyDocument(3, 7), null, 2),
    ],
  ])('reads %s lazily as parseTrivy reads it whole', (_name, text) => {
    const document = readLazily(
      Buffer.from(text),
      TRIVY_LAZY_PATHS,
      'trivy report',
    );
    const lists = resultLists(document);
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list).toBeInstanceOf(LazyJsonArray);

    const report = collectReport(streamTrivy(document));
    expect(report).toEqual(parseTrivy(JSON.parse(text)));
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('throws for a malformed vulnerability only when the findings reach it', () => {
    const bytes = Buffer.from(
      `{
        "SchemaVersion": 2,
        "Results": [
          {
            "Target": "package-lock.json",
            "Class": "lang-pkgs",
            "Type": "npm",
            "Vulnerabilities": [
              {
                "VulnerabilityID": "CVE-2019-11358",
                "PkgName": "jquery",
                "InstalledVersion": "3.3.9",
                "Severity": "MEDIUM"
              },
              { "VulnerabilityID": "CVE-2020-11022", "PkgName": }
            ]
          }
        ]
      }`,
    );
    const document = readLazily(bytes, TRIVY_LAZY_PATHS, 'trivy report');
    const report = streamTrivy(document);
    expect(report.coverage).toEqual(['sca']);

    const findings = report.findings[Symbol.iterator]();
    const first = findings.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({
      ruleId: 'CVE-2019-11358',
      package: { name: 'jquery', version: '3.3.9' },
    });
    expect(errorOf(() => findings.next())).toEqual(
      inputErrorWith(
        'trivy',
        'malformed JSON',
        'Results[0].Vulnerabilities[1]',
      ),
    );
    expect(() => [...report.findings]).toThrow(
      /malformed JSON at Results\[0\]\.Vulnerabilities\[1\]/,
    );
    expect(() => collectReport(report)).toThrow(
      'Results[0].Vulnerabilities[1]',
    );
    expect([...report.dependencies]).toEqual([]);
  });

  it('checks the report and its lists when called, before any finding is read', () => {
    const lazyDocument = (results: string) =>
      readLazily(
        Buffer.from(`{"SchemaVersion":2,"Results":${results}}`),
        TRIVY_LAZY_PATHS,
        'trivy report',
      );
    expect(() =>
      streamTrivy(lazyDocument('[{"Target":"a","Secrets":"many"}]')),
    ).toThrow('Invalid trivy report at Results[0].Secrets:');
    expect(() => streamTrivy(lazyDocument('[7]'))).toThrow(
      'Invalid trivy report at Results[0]:',
    );
    expect(() => streamTrivy({ SchemaVersion: 3, Results: [] })).toThrow(
      /version 3/,
    );
  });

  it('names a malformed package when the dependencies reach it', () => {
    const document = readLazily(
      Buffer.from(
        '{"SchemaVersion":2,"Results":[{"Target":"a","Type":"npm","Packages":[{"Name":"a","Version":"1"},{"Name":}]}]}',
      ),
      TRIVY_LAZY_PATHS,
      'trivy report',
    );
    const report = streamTrivy(document);
    expect([...report.findings]).toEqual([]);
    expect(errorOf(() => [...report.dependencies])).toEqual(
      inputErrorWith('trivy', 'malformed JSON', 'Results[0].Packages[1]'),
    );
  });

  it('reads the same findings and dependencies on every pass', () => {
    const document = readLazily(
      Buffer.from(readFixtureText('trivy/npm-with-suppressed.json.golden')),
      TRIVY_LAZY_PATHS,
      'trivy report',
    );
    const report = streamTrivy(document);
    const firstPass = [...report.findings].map(finding => finding.fingerprint);
    const secondPass = [...report.findings].map(finding => finding.fingerprint);
    expect(firstPass.length).toBeGreaterThan(0);
    expect(secondPass).toEqual(firstPass);
    expect([...report.dependencies]).toEqual([...report.dependencies]);
  });

  it('passes the lazy lists to looksLikeTrivy', () => {
    const document = readLazily(
      Buffer.from(readFixtureText('trivy/npm.json.golden')),
      TRIVY_LAZY_PATHS,
      'trivy report',
    );
    expect(looksLikeTrivy(document)).toBe(true);
  });
});
