import {
  countBy,
  errorOf,
  findingOf,
  fixtureFiles,
  inputErrorWith,
  readFixture,
  readFixtureText,
} from './__testUtils__/parserFixtures';
import {
  looksLikeCycloneDxJson,
  looksLikeCycloneDxXml,
  parseCycloneDxJson,
  parseCycloneDxXml,
  streamCycloneDxXml,
} from './cyclonedx';
import { collectReport } from './collectReport';
import { ParsedReport } from './types';
import { SCRIPT_URL } from './__testUtils__/unsafeUrls';

describe('parseCycloneDxJson', () => {
  describe('npm-cyclonedx.json.golden (Trivy, CycloneDX 1.7)', () => {
    const report = parseCycloneDxJson(
      readFixture('cyclonedx', 'npm-cyclonedx.json.golden'),
    );

    it('reads the tool and the 12 libraries, not the lock file application', () => {
      expect(report.format).toBe('cyclonedx');
      expect(report.scanner).toBe('trivy');
      expect(report.scannerVersion).toBe('dev');
      // 13 components, of which package-lock.json is an application without a purl.
      expect(report.dependencies).toHaveLength(12);
      expect(
        report.dependencies.map(dependency => dependency.name),
      ).not.toContain('package-lock.json');
    });

    it('marks what the lock file under the root depends on as direct', () => {
      // root -> package-lock.json -> jquery, promise, react, redux
      expect(
        countBy(report.dependencies, dependency => String(dependency.direct)),
      ).toEqual({
        true: 4,
        false: 8,
      });
      expect(
        report.dependencies
          .filter(dependency => dependency.direct)
          .map(dependency => dependency.name)
          .sort(),
      ).toEqual(['jquery', 'promise', 'react', 'redux']);
      expect(
        report.dependencies.find(dependency => dependency.name === 'jquery'),
      ).toEqual({
        purl: 'pkg:npm/jquery@3.3.9',
        name: 'jquery',
        version: '3.3.9',
        ecosystem: 'npm',
        licenses: ['MIT'],
        direct: true,
      });
      expect(
        report.dependencies.find(dependency => dependency.name === 'asap'),
      ).toMatchObject({
        licenses: [],
        direct: false,
      });
      expect(
        countBy(report.dependencies, dependency =>
          dependency.licenses.join('|'),
        ),
      ).toEqual({
        MIT: 5,
        '': 7,
      });
    });

    it('reads the one vulnerability with the highest CVSS of its 11 ratings', () => {
      expect(report.findings).toHaveLength(1);
      expect(countBy(report.findings, finding => finding.severity)).toEqual({
        medium: 1,
      });
      expect(countBy(report.findings, finding => finding.category)).toEqual({
        sca: 1,
      });
      expect(countBy(report.findings, finding => finding.status)).toEqual({
        open: 1,
      });
      const finding = findingOf(report.findings, 'CVE-2019-11358', 'jquery');
      expect(finding.title).toBe('CVE-2019-11358 in jquery@3.3.9');
      expect(finding.cvss).toEqual({
        version: '3.1',
        score: 6.1,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
      });
      expect(finding.identifiers).toEqual(['CVE-2019-11358', 'CWE-79']);
      expect(finding.package).toEqual({
        purl: 'pkg:npm/jquery@3.3.9',
        name: 'jquery',
        version: '3.3.9',
        ecosystem: 'npm',
        fixedVersions: ['3.4.0'],
      });
      expect(finding.description).toMatch(
        /^jQuery before 3\.4\.0, as used in Drupal/,
      );
      expect(finding.description).toMatch(/Upgrade jquery to version 3\.4\.0$/);
      expect(finding.references).toHaveLength(80);
      expect(finding.references![0]).toBe(
        'https://avd.aquasec.com/nvd/cve-2019-11358',
      );
      expect(finding.scanner).toBe('trivy');
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('TestCycloneDxPresenterDir.golden (Grype, CycloneDX 1.7 JSON)', () => {
    const report = parseCycloneDxJson(
      readFixture('cyclonedx', 'TestCycloneDxPresenterDir.golden'),
    );

    it('reads both packages, without a dependency graph', () => {
      expect(report.scanner).toBe('grype');
      expect(report.scannerVersion).toBe('[not provided]');
      expect(report.dependencies).toEqual([
        { name: 'package-1', version: '1.1.1', licenses: [] },
        {
          purl: 'pkg:deb/package-2@2.2.2',
          name: 'package-2',
          version: '2.2.2',
          ecosystem: 'deb',
          licenses: ['Apache-2.0', 'MIT'],
        },
      ]);
    });

    it('prefers the label, keeps EPSS and KEV out of CVSS, and resolves refs', () => {
      expect(report.findings).toHaveLength(2);
      expect(countBy(report.findings, finding => finding.severity)).toEqual({
        low: 1,
        critical: 1,
      });
      // package-1 is an rpm (syft:package:type) and package-2 a deb purl.
      expect(countBy(report.findings, finding => finding.category)).toEqual({
        container: 2,
      });
      expect(countBy(report.findings, finding => finding.status)).toEqual({
        open: 2,
      });

      const first = findingOf(report.findings, 'CVE-1999-0001');
      // The rating says "low" although its score is 8.2: the source's label wins.
      expect(first.severity).toBe('low');
      expect(first.cvss).toEqual({
        version: '3.1',
        score: 8.2,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H',
      });
      expect(first.epss).toBe(0.03);
      expect(first.knownExploited).toBeUndefined();
      expect(first.package).toEqual({
        name: 'package-1',
        version: '1.1.1',
        fixedVersions: [],
      });
      expect(first.identifiers).toEqual(['CVE-1999-0001']);

      const second = findingOf(report.findings, 'CVE-1999-0002');
      expect(second.severity).toBe('critical');
      expect(second.cvss?.score).toBe(8.5);
      expect(second.epss).toBe(0.08);
      expect(second.knownExploited).toBe(true);
      expect(second.package).toEqual({
        purl: 'pkg:deb/package-2@2.2.2',
        name: 'package-2',
        version: '2.2.2',
        ecosystem: 'deb',
        fixedVersions: [],
      });
    });
  });

  describe('vex.json (CycloneDX 1.4 VEX)', () => {
    const report = parseCycloneDxJson(readFixture('cyclonedx', 'vex.json'));

    it('keeps one finding per statement and affected product', () => {
      expect(report.scanner).toBe('CycloneDX');
      expect(report.dependencies).toEqual([]);
      // 4 vulnerabilities: ABC+JKL exploitable, ABC not_affected, JKL not_affected, JKL resolved.
      expect(report.findings).toHaveLength(5);
      expect(countBy(report.findings, finding => finding.severity)).toEqual({
        critical: 2,
        info: 3,
      });
      expect(countBy(report.findings, finding => finding.status)).toEqual({
        open: 2,
        not_affected: 2,
        fixed: 1,
      });
      expect(countBy(report.findings, finding => finding.category)).toEqual({
        sca: 5,
      });
      expect(
        new Set(report.findings.map(finding => finding.fingerprint)).size,
      ).toBe(5);
    });

    it('reads the VEX analysis and keeps unresolved BOM-Links as the package name', () => {
      const abc = 'urn:cdx:cbb2cd68-2857-43b8-a10b-e8c03d277d18/1#product-ABC';
      const jkl = 'urn:cdx:e4c3eedc-4978-470c-ad02-6ffff63738ff/1#product-JKL';
      const exploitable = report.findings.filter(
        finding => finding.status === 'open' && finding.package?.name === abc,
      );
      expect(exploitable).toHaveLength(1);
      expect(exploitable[0]).toMatchObject({
        ruleId: 'CVE-2021-44228',
        severity: 'critical',
        identifiers: ['CVE-2021-44228'],
        cvss: {
          version: '3.1',
          score: 10,
          vector: 'AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        },
        package: { name: abc, fixedVersions: [] },
      });
      expect(exploitable[0].statusReason).toBeUndefined();
      expect(exploitable[0].description).toContain(
        'Versions: 2.4 (affected), 2.6 (affected), vers:generic/>=2.9|<=4.1 (affected)',
      );

      const notAffected = report.findings.find(
        finding =>
          finding.status === 'not_affected' && finding.package?.name === abc,
      )!;
      expect(notAffected.severity).toBe('info');
      expect(notAffected.statusReason).toBe(
        'code_not_present: These versions of Product ABC are not affected by the vulnerability. Class with vulnerable code was removed before shipping.',
      );

      const fixed = report.findings.find(
        finding => finding.status === 'fixed',
      )!;
      expect(fixed.package?.name).toBe(jkl);
      expect(fixed.statusReason).toBe(
        'This version of Product JKL has been fixed.',
      );
    });
  });

  describe('no-severity.json (rating with a score and no severity)', () => {
    const report = parseCycloneDxJson(
      readFixture('cyclonedx', 'no-severity.json'),
    );

    it('derives the severity from the score', () => {
      expect(report.dependencies).toEqual([]);
      expect(report.findings).toHaveLength(1);
      expect(countBy(report.findings, finding => finding.severity)).toEqual({
        critical: 1,
      });
      expect(countBy(report.findings, finding => finding.category)).toEqual({
        sca: 1,
      });
      expect(countBy(report.findings, finding => finding.status)).toEqual({
        open: 1,
      });
      expect(report.findings[0]).toMatchObject({
        ruleId: 'CVE-2021-44228',
        // method CVSSv3, but the vector says 3.1
        cvss: {
          version: '3.1',
          score: 10,
          vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        },
        // The ref resolves to nothing in this BOM.
        package: { name: 'gerbwetbqt', fixedVersions: [] },
      });
    });
  });

  it('is "info" without any rating', () => {
    const report = parseCycloneDxJson({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      vulnerabilities: [{ id: 'GHSA-ABCD-2345-wxyz', cwes: ['CWE-79', 89] }],
    });
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'GHSA-ABCD-2345-wxyz',
        title: 'GHSA-ABCD-2345-wxyz',
        severity: 'info',
        identifiers: ['GHSA-abcd-2345-wxyz', 'CWE-79', 'CWE-89'],
        status: 'open',
      }),
    ]);
    expect(report.findings[0].package).toBeUndefined();
  });

  it('links only http and https advisories without credentials', () => {
    const advisories = [
      { url: SCRIPT_URL },
      { url: 'data:text/html,<script>alert(1)</script>' },
      { url: 'https://user:pw@example.com/advisory' },
      { url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm' },
    ];
    const report = parseCycloneDxJson({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      vulnerabilities: [{ id: 'CVE-2021-23337', advisories }],
    });
    expect(report.findings[0].references).toEqual([
      'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
    ]);
    const unsafeOnly = parseCycloneDxJson({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      vulnerabilities: [
        { id: 'CVE-2021-23337', advisories: advisories.slice(0, 3) },
      ],
    });
    expect(unsafeOnly.findings[0].references).toBeUndefined();
  });

  it('truncates long text to 4,000 characters and removes HTML', () => {
    const report = parseCycloneDxJson({
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      vulnerabilities: [
        {
          id: 'CVE-2024-0001',
          description: `<p>${'a'.repeat(5000)}</p>`,
          affects: [{ ref: 'b'.repeat(5000) }],
        },
      ],
    });
    const [finding] = report.findings;
    expect(finding.description).toHaveLength(4000);
    expect(finding.description).toMatch(/^a+\u2026$/);
    expect(finding.title).toHaveLength(4000);
  });

  it('counts nested components as dependencies, to a hostile depth', () => {
    type Component = {
      type: string;
      name: string;
      version: string;
      components?: Component[];
    };
    const top: Component = {
      type: 'library',
      name: 'level-0',
      version: '1.0.0',
    };
    let current = top;
    for (let level = 1; level < 20000; level++) {
      const next: Component = {
        type: 'library',
        name: `level-${level}`,
        version: '1.0.0',
      };
      current.components = [next];
      current = next;
    }
    const report = parseCycloneDxJson({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [top, { type: 'library', name: 'sibling', version: '2.0.0' }],
    });
    expect(report.dependencies).toHaveLength(20001);
    expect(report.dependencies[0].name).toBe('level-0');
    expect(report.dependencies[1].name).toBe('level-1');
    expect(report.dependencies[20000].name).toBe('sibling');
  });

  it('reads licenses, groups and a dependency graph with cycles', () => {
    const report = parseCycloneDxJson({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      metadata: {
        component: { 'bom-ref': 'root', type: 'application', name: 'app' },
      },
      components: [
        {
          'bom-ref': 'a',
          type: 'library',
          group: 'org.example',
          name: 'a',
          version: '1',
          purl: 'pkg:maven/org.example/a@1',
          licenses: [{ expression: 'MIT OR Apache-2.0' }],
        },
        {
          'bom-ref': 'b',
          type: 'library',
          group: '@scope',
          name: 'b',
          version: '2',
          purl: 'pkg:npm/%40scope/b@2',
          licenses: [
            { license: { name: 'Custom' } },
            { license: { id: 'ISC' } },
          ],
        },
        { 'bom-ref': 'c', type: 'library', name: 'c', version: '3' },
      ],
      dependencies: [
        { ref: 'root', dependsOn: ['a'] },
        { ref: 'a', dependsOn: ['b'] },
        { ref: 'b', dependsOn: ['a'] },
      ],
    });
    expect(report.dependencies).toEqual([
      {
        purl: 'pkg:maven/org.example/a@1',
        name: 'org.example:a',
        version: '1',
        ecosystem: 'maven',
        licenses: ['MIT OR Apache-2.0'],
        direct: true,
      },
      {
        purl: 'pkg:npm/%40scope/b@2',
        name: '@scope/b',
        version: '2',
        ecosystem: 'npm',
        licenses: ['Custom', 'ISC'],
        direct: false,
      },
      { name: 'c', version: '3', licenses: [], direct: false },
    ]);
  });

  it('keeps fingerprints stable across reordering and rewording, and apart across versions', () => {
    const bom = (order: 'forward' | 'reverse', description: string) => {
      const components = [
        {
          'bom-ref': 'x1',
          type: 'library',
          name: 'x',
          version: '1.0.0',
          purl: 'pkg:npm/x@1.0.0',
        },
        {
          'bom-ref': 'x2',
          type: 'library',
          name: 'x',
          version: '2.0.0',
          purl: 'pkg:npm/x@2.0.0',
        },
      ];
      const vulnerabilities = [
        {
          id: 'CVE-2020-0001',
          description,
          affects: [{ ref: 'x1' }, { ref: 'x2' }],
        },
        { id: 'CVE-2020-0002', description, affects: [{ ref: 'x1' }] },
      ];
      if (order === 'reverse') {
        components.reverse();
        vulnerabilities.reverse();
      }
      return {
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        components,
        vulnerabilities,
      };
    };
    const fingerprints = (report: ParsedReport) =>
      Object.fromEntries(
        report.findings.map(finding => [
          `${finding.ruleId} ${finding.package?.version}`,
          finding.fingerprint,
        ]),
      );
    const before = fingerprints(
      parseCycloneDxJson(bom('forward', 'first wording')),
    );
    const after = fingerprints(
      parseCycloneDxJson(bom('reverse', 'second wording')),
    );
    expect(Object.keys(before)).toHaveLength(3);
    expect(after).toEqual(before);
    expect(before['CVE-2020-0001 1.0.0']).not.toBe(
      before['CVE-2020-0001 2.0.0'],
    );
  });

  it('rejects specVersions outside 1.2 to 1.7, naming the version', () => {
    for (const specVersion of ['1.1', '1.0', '1.8', '2.0']) {
      expect(
        errorOf(() =>
          parseCycloneDxJson({ bomFormat: 'CycloneDX', specVersion }),
        ),
      ).toEqual(inputErrorWith('cyclonedx', 'specVersion', `"${specVersion}"`));
    }
    expect(
      errorOf(() =>
        parseCycloneDxJson({ bomFormat: 'CycloneDX', specVersion: 1.4 }),
      ),
    ).toEqual(inputErrorWith('cyclonedx', 'specVersion', 'expected a string'));
    expect(
      errorOf(() => parseCycloneDxJson({ bomFormat: 'CycloneDX' })),
    ).toEqual(inputErrorWith('cyclonedx', 'specVersion', 'missing'));
  });

  it.each([
    [{}, 'bomFormat'],
    [[1, 2], 'document'],
    ['CycloneDX', 'document'],
    [null, 'document'],
    [{ bomFormat: 'SPDX', specVersion: '1.4' }, 'bomFormat'],
    [
      { bomFormat: 'CycloneDX', specVersion: '1.4', components: {} },
      'components',
    ],
    [
      { bomFormat: 'CycloneDX', specVersion: '1.4', components: [1] },
      'components[0]',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        components: [{ type: 'library' }],
      },
      'components[0].name',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        components: [{ name: 'a', components: [{ name: 7 }] }],
      },
      'components[0].components[0].name',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        components: [{ name: 'a', licenses: 'MIT' }],
      },
      'components[0].licenses',
    ],
    [{ bomFormat: 'CycloneDX', specVersion: '1.4', metadata: [] }, 'metadata'],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        metadata: { tools: 'trivy' },
      },
      'metadata.tools',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        dependencies: [{ dependsOn: [] }],
      },
      'dependencies[0].ref',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        dependencies: [{ ref: 'a', dependsOn: [1] }],
      },
      'dependencies[0].dependsOn[0]',
    ],
    [
      { bomFormat: 'CycloneDX', specVersion: '1.4', vulnerabilities: {} },
      'vulnerabilities',
    ],
    [
      { bomFormat: 'CycloneDX', specVersion: '1.4', vulnerabilities: [{}] },
      'vulnerabilities[0].id',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        vulnerabilities: [{ id: 'X', ratings: [{ score: 'high' }] }],
      },
      'vulnerabilities[0].ratings[0].score',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        vulnerabilities: [
          { id: 'X', ratings: [{ score: 11, method: 'CVSSv31' }] },
        ],
      },
      'vulnerabilities[0].ratings[0].score',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        vulnerabilities: [{ id: 'X', affects: [{}] }],
      },
      'vulnerabilities[0].affects[0].ref',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        vulnerabilities: [{ id: 'X', cwes: ['injection'] }],
      },
      'vulnerabilities[0].cwes[0]',
    ],
    [
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        vulnerabilities: [{ id: 'X', analysis: 'not_affected' }],
      },
      'vulnerabilities[0].analysis',
    ],
  ])('rejects a wrong shape (%j) naming %s', (document, place) => {
    expect(errorOf(() => parseCycloneDxJson(document))).toEqual(
      inputErrorWith('cyclonedx', `at ${place}:`),
    );
  });
});

describe('parseCycloneDxXml', () => {
  describe('bom.xml (cyclonedx-node-module 2.0.0, CycloneDX 1.2)', () => {
    const report = parseCycloneDxXml(readFixtureText('cyclonedx', 'bom.xml'));

    it('reads the 43 components but not the described root', () => {
      expect(report.format).toBe('cyclonedx');
      expect(report.scanner).toBe('Node.js module');
      expect(report.scannerVersion).toBe('2.0.0');
      expect(report.findings).toEqual([]);
      expect(report.dependencies).toHaveLength(43);
      expect(
        report.dependencies.map(dependency => dependency.name),
      ).not.toContain('lhc-vdm-editor');
      expect(
        countBy(report.dependencies, dependency =>
          dependency.licenses.join('|'),
        ),
      ).toEqual({
        MIT: 33,
        ISC: 8,
        'Apache-2.0': 1,
        'BSD-2-Clause': 1,
      });
      expect(
        countBy(report.dependencies, dependency => dependency.ecosystem),
      ).toEqual({
        npm: 43,
      });
      // No dependency graph in this BOM: direct is unknown.
      expect(
        report.dependencies.every(
          dependency => dependency.direct === undefined,
        ),
      ).toBe(true);
      expect(report.dependencies[0]).toEqual({
        purl: 'pkg:npm/puppeteer@1.19.0',
        name: 'puppeteer',
        version: '1.19.0',
        ecosystem: 'npm',
        licenses: ['Apache-2.0'],
      });
      expect(report.dependencies[42]).toEqual({
        purl: 'pkg:npm/async-limiter@1.0.1',
        name: 'async-limiter',
        version: '1.0.1',
        ecosystem: 'npm',
        licenses: ['MIT'],
      });
    });
  });

  const vulnerableXml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- written by hand, CycloneDX 1.5 with a namespace prefix -->
<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.5" serialNumber="urn:uuid:11111111-2222-3333-4444-555555555555" version="1">
  <cdx:metadata>
    <cdx:tools>
      <cdx:components>
        <cdx:component type="application"><cdx:name>Example &amp; Scanner</cdx:name><cdx:version>1.10</cdx:version></cdx:component>
      </cdx:components>
    </cdx:tools>
    <cdx:component type="application" bom-ref="root"><cdx:name>app</cdx:name></cdx:component>
  </cdx:metadata>
  <cdx:components>
    <cdx:component type="library" bom-ref="pkg:npm/lodash@4.17.20">
      <cdx:name>lodash</cdx:name>
      <cdx:version>4.17.20</cdx:version>
      <cdx:licenses><cdx:expression>MIT OR Apache-2.0</cdx:expression></cdx:licenses>
      <cdx:purl>pkg:npm/lodash@4.17.20</cdx:purl>
      <cdx:components>
        <cdx:component type="library" bom-ref="inner">
          <cdx:name>inner</cdx:name>
          <cdx:version>0.1</cdx:version>
          <cdx:licenses><cdx:license><cdx:name>Custom &lt;Inc&gt;</cdx:name></cdx:license></cdx:licenses>
        </cdx:component>
      </cdx:components>
    </cdx:component>
    <cdx:component type="operating-system" bom-ref="os"><cdx:name>alpine</cdx:name><cdx:version>3.18</cdx:version></cdx:component>
    <cdx:component type="library" bom-ref="musl"><cdx:name>musl</cdx:name><cdx:version>1.2.4-r0</cdx:version><cdx:purl>pkg:apk/alpine/musl@1.2.4-r0</cdx:purl></cdx:component>
  </cdx:components>
  <cdx:dependencies>
    <cdx:dependency ref="root"><cdx:dependency ref="pkg:npm/lodash@4.17.20"/><cdx:dependency ref="os"/></cdx:dependency>
    <cdx:dependency ref="os"><cdx:dependency ref="musl"/></cdx:dependency>
    <cdx:dependency ref="pkg:npm/lodash@4.17.20"><cdx:dependency ref="inner"/></cdx:dependency>
  </cdx:dependencies>
  <cdx:vulnerabilities>
    <cdx:vulnerability bom-ref="v1">
      <cdx:id>CVE-2021-23337</cdx:id>
      <cdx:references><cdx:reference><cdx:id>GHSA-35jh-r3h4-6jhm</cdx:id><cdx:source><cdx:name>GitHub</cdx:name></cdx:source></cdx:reference></cdx:references>
      <cdx:ratings>
        <cdx:rating><cdx:source><cdx:name>NVD</cdx:name></cdx:source><cdx:score>7.2</cdx:score><cdx:severity>high</cdx:severity><cdx:method>CVSSv31</cdx:method><cdx:vector>CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H</cdx:vector></cdx:rating>
        <cdx:rating><cdx:score>6.5</cdx:score><cdx:method>CVSSv2</cdx:method></cdx:rating>
      </cdx:ratings>
      <cdx:cwes><cdx:cwe>94</cdx:cwe><cdx:cwe>77</cdx:cwe></cdx:cwes>
      <cdx:description><![CDATA[Lodash <b>versions</b> prior to 4.17.21 & earlier]]></cdx:description>
      <cdx:recommendation>Upgrade lodash to version 4.17.21</cdx:recommendation>
      <cdx:advisories><cdx:advisory><cdx:url>https://github.com/advisories/GHSA-35jh-r3h4-6jhm</cdx:url></cdx:advisory></cdx:advisories>
      <cdx:analysis><cdx:state>false_positive</cdx:state><cdx:detail>template() is never called &#8211; see &#x201C;ADR-7&#x201D;</cdx:detail></cdx:analysis>
      <cdx:affects>
        <cdx:target><cdx:ref>pkg:npm/lodash@4.17.20</cdx:ref></cdx:target>
        <cdx:target><cdx:ref>urn:cdx:11111111-2222-3333-4444-555555555555/1#inner</cdx:ref></cdx:target>
      </cdx:affects>
    </cdx:vulnerability>
    <cdx:vulnerability>
      <cdx:id>CVE-2023-0001</cdx:id>
      <cdx:ratings><cdx:rating><cdx:score>9.8</cdx:score><cdx:method>CVSSv31</cdx:method></cdx:rating></cdx:ratings>
      <cdx:affects><cdx:target><cdx:ref>musl</cdx:ref></cdx:target></cdx:affects>
    </cdx:vulnerability>
  </cdx:vulnerabilities>
</cdx:bom>`;

  it('maps components, nesting, the graph and vulnerabilities like the JSON form', () => {
    const report = parseCycloneDxXml(vulnerableXml);
    expect(report.scanner).toBe('Example & Scanner');
    expect(report.scannerVersion).toBe('1.10');
    expect(report.dependencies).toEqual([
      {
        purl: 'pkg:npm/lodash@4.17.20',
        name: 'lodash',
        version: '4.17.20',
        ecosystem: 'npm',
        licenses: ['MIT OR Apache-2.0'],
        direct: true,
      },
      {
        name: 'inner',
        version: '0.1',
        licenses: ['Custom <Inc>'],
        direct: false,
      },
      // The operating system is looked through: its packages are direct.
      {
        purl: 'pkg:apk/alpine/musl@1.2.4-r0',
        name: 'musl',
        version: '1.2.4-r0',
        ecosystem: 'apk',
        licenses: [],
        direct: true,
      },
    ]);
    expect(report.findings).toHaveLength(3);
    expect(countBy(report.findings, finding => finding.severity)).toEqual({
      high: 2,
      critical: 1,
    });
    expect(countBy(report.findings, finding => finding.category)).toEqual({
      sca: 2,
      container: 1,
    });
    expect(countBy(report.findings, finding => finding.status)).toEqual({
      false_positive: 2,
      open: 1,
    });
    const lodash = findingOf(report.findings, 'CVE-2021-23337', 'lodash');
    expect(lodash).toMatchObject({
      severity: 'high',
      cvss: {
        version: '3.1',
        score: 7.2,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      },
      identifiers: [
        'CVE-2021-23337',
        'GHSA-35jh-r3h4-6jhm',
        'CWE-94',
        'CWE-77',
      ],
      package: { version: '4.17.20', fixedVersions: ['4.17.21'] },
      statusReason: 'template() is never called \u2013 see \u201CADR-7\u201D',
      references: ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm'],
    });
    // CDATA is literal (no entity decoding) and HTML tags are removed.
    expect(lodash.description).toBe(
      'Lodash versions prior to 4.17.21 & earlier\n\nUpgrade lodash to version 4.17.21',
    );
    // A BOM-Link into this BOM resolves to the nested component.
    expect(
      findingOf(report.findings, 'CVE-2021-23337', 'inner').package?.version,
    ).toBe('0.1');
    expect(findingOf(report.findings, 'CVE-2023-0001', 'musl')).toMatchObject({
      category: 'container',
      severity: 'critical',
    });
  });

  it('gives the same findings and dependencies as the equivalent JSON BOM', () => {
    const json = parseCycloneDxJson({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      serialNumber: 'urn:uuid:11111111-2222-3333-4444-555555555555',
      metadata: {
        tools: {
          components: [
            { type: 'application', name: 'Example & Scanner', version: '1.10' },
          ],
        },
        component: { type: 'application', 'bom-ref': 'root', name: 'app' },
      },
      components: [
        {
          type: 'library',
          'bom-ref': 'pkg:npm/lodash@4.17.20',
          name: 'lodash',
          version: '4.17.20',
          licenses: [{ expression: 'MIT OR Apache-2.0' }],
          purl: 'pkg:npm/lodash@4.17.20',
          components: [
            {
              type: 'library',
              'bom-ref': 'inner',
              name: 'inner',
              version: '0.1',
              licenses: [{ license: { name: 'Custom <Inc>' } }],
            },
          ],
        },
        {
          type: 'operating-system',
          'bom-ref': 'os',
          name: 'alpine',
          version: '3.18',
        },
        {
          type: 'library',
          'bom-ref': 'musl',
          name: 'musl',
          version: '1.2.4-r0',
          purl: 'pkg:apk/alpine/musl@1.2.4-r0',
        },
      ],
      dependencies: [
        { ref: 'root', dependsOn: ['pkg:npm/lodash@4.17.20', 'os'] },
        { ref: 'os', dependsOn: ['musl'] },
        { ref: 'pkg:npm/lodash@4.17.20', dependsOn: ['inner'] },
      ],
      vulnerabilities: [
        {
          'bom-ref': 'v1',
          id: 'CVE-2021-23337',
          references: [
            { id: 'GHSA-35jh-r3h4-6jhm', source: { name: 'GitHub' } },
          ],
          ratings: [
            {
              source: { name: 'NVD' },
              score: 7.2,
              severity: 'high',
              method: 'CVSSv31',
              vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
            },
            { score: 6.5, method: 'CVSSv2' },
          ],
          cwes: [94, 77],
          description: 'Lodash <b>versions</b> prior to 4.17.21 & earlier',
          recommendation: 'Upgrade lodash to version 4.17.21',
          advisories: [
            { url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm' },
          ],
          analysis: {
            state: 'false_positive',
            detail: 'template() is never called \u2013 see \u201CADR-7\u201D',
          },
          affects: [
            { ref: 'pkg:npm/lodash@4.17.20' },
            { ref: 'urn:cdx:11111111-2222-3333-4444-555555555555/1#inner' },
          ],
        },
        {
          id: 'CVE-2023-0001',
          ratings: [{ score: 9.8, method: 'CVSSv31' }],
          affects: [{ ref: 'musl' }],
        },
      ],
    });
    expect(parseCycloneDxXml(vulnerableXml)).toEqual(json);
  });

  it('refuses an XXE attempt without reading the entity', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&xxe;</name></component></components></bom>`;
    expect(errorOf(() => parseCycloneDxXml(xxe))).toEqual(
      inputErrorWith('cyclonedx', 'DOCTYPE', 'not allowed'),
    );
  });

  it('refuses a billion laughs', () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let level = 1; level < 10; level++) {
      entities.push(
        `<!ENTITY lol${level} "${`&lol${level === 1 ? '' : level - 1};`.repeat(
          10,
        )}">`,
      );
    }
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 ${entities.join('\n ')}
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>&lol9;</name></component></components></bom>`;
    expect(errorOf(() => parseCycloneDxXml(laughs))).toEqual(
      inputErrorWith('cyclonedx', 'DOCTYPE'),
    );
    // A bare ENTITY declaration is refused just the same.
    expect(
      errorOf(() =>
        parseCycloneDxXml(
          '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><!ENTITY a "b"></bom>',
        ),
      ),
    ).toEqual(inputErrorWith('cyclonedx', 'DOCTYPE'));
  });

  it('leaves undefined entities as written', () => {
    const report = parseCycloneDxXml(
      '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>a&amp;b &unknown; &#0; &#65;</name></component></components></bom>',
    );
    expect(report.dependencies[0].name).toBe('a&b &unknown; &#0; A');
  });

  it('rejects malformed XML naming the line and column', () => {
    expect(
      errorOf(() =>
        parseCycloneDxXml(
          '<bom xmlns="http://cyclonedx.org/schema/bom/1.4">\n  <components>\n</bom>',
        ),
      ),
    ).toEqual(inputErrorWith('cyclonedx', 'line 3', 'column', 'malformed XML'));
    expect(errorOf(() => parseCycloneDxXml('not xml at all'))).toEqual(
      inputErrorWith('cyclonedx', 'malformed XML'),
    );
    expect(errorOf(() => parseCycloneDxXml(''))).toEqual(
      inputErrorWith('cyclonedx', 'cyclonedx'),
    );
  });

  it('rejects a hostile element depth', () => {
    const deep = `<bom xmlns="http://cyclonedx.org/schema/bom/1.4">${'<a>'.repeat(
      50000,
    )}${'</a>'.repeat(50000)}</bom>`;
    expect(errorOf(() => parseCycloneDxXml(deep))).toEqual(
      inputErrorWith('cyclonedx', 'malformed XML', 'nested'),
    );
  });

  it('rejects other roots, namespaces and versions', () => {
    expect(
      errorOf(() =>
        parseCycloneDxXml(
          '<sbom xmlns="http://cyclonedx.org/schema/bom/1.4"/>',
        ),
      ),
    ).toEqual(inputErrorWith('cyclonedx', 'expected the root element <bom>'));
    expect(errorOf(() => parseCycloneDxXml('<bom/>'))).toEqual(
      inputErrorWith('cyclonedx', 'bom@xmlns', 'namespace'),
    );
    expect(
      errorOf(() =>
        parseCycloneDxXml('<bom xmlns="http://cyclonedx.org/schema/bom/1.1"/>'),
      ),
    ).toEqual(inputErrorWith('cyclonedx', 'bom@xmlns', '"1.1"'));
    expect(
      errorOf(() =>
        parseCycloneDxXml('<bom xmlns="http://cyclonedx.org/schema/bom/1.8"/>'),
      ),
    ).toEqual(inputErrorWith('cyclonedx', '"1.8"'));
    expect(
      errorOf(() =>
        parseCycloneDxXml(
          '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><version>1</version></component></components></bom>',
        ),
      ),
    ).toEqual(inputErrorWith('cyclonedx', 'components[0].name'));
  });

  describe('streamed', () => {
    const fixtureXml = readFixtureText('cyclonedx', 'bom.xml');

    it('reads the fixtures the same from text, bytes and bytes with a byte order mark', () => {
      for (const xml of [fixtureXml, vulnerableXml]) {
        const whole = parseCycloneDxXml(xml);
        expect(collectReport(streamCycloneDxXml(xml))).toEqual(whole);
        expect(collectReport(streamCycloneDxXml(Buffer.from(xml)))).toEqual(
          whole,
        );
        expect(
          collectReport(streamCycloneDxXml(Buffer.from(`\uFEFF${xml}`))),
        ).toEqual(whole);
      }
      expect(parseCycloneDxXml(fixtureXml).dependencies).toHaveLength(43);
    });

    it('reads the findings again on every pass', () => {
      const report = streamCycloneDxXml(Buffer.from(vulnerableXml));
      const first = [...report.findings];
      expect(first).toHaveLength(3);
      expect([...report.findings]).toEqual(first);
      expect([...report.dependencies]).toEqual([...report.dependencies]);
      expect(report.coverage).toEqual(['sca']);
      expect(streamCycloneDxXml(fixtureXml).coverage).toEqual([]);
    });

    it('throws for a wrong vulnerability only when it is reached, naming its place', () => {
      const vulnerability = (id: number, score = '5.0') =>
        `<vulnerability><id>CVE-2024-${id}</id><ratings><rating><score>${score}</score></rating></ratings><affects><target><ref>a</ref></target></affects></vulnerability>`;
      const xml = `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library" bom-ref="a"><name>a</name></component></components><vulnerabilities>${vulnerability(
        1,
      )}${vulnerability(2)}${vulnerability(3, 'high')}${vulnerability(
        4,
      )}</vulnerabilities></bom>`;
      const report = streamCycloneDxXml(xml);
      const findings = report.findings[Symbol.iterator]();
      expect(findings.next().value).toMatchObject({ ruleId: 'CVE-2024-1' });
      expect(findings.next().value).toMatchObject({ ruleId: 'CVE-2024-2' });
      expect(errorOf(() => findings.next())).toEqual(
        inputErrorWith(
          'cyclonedx',
          'at vulnerabilities[2].ratings[0].score:',
          'expected a number',
        ),
      );
      expect(errorOf(() => parseCycloneDxXml(xml))).toEqual(
        inputErrorWith('cyclonedx', 'at vulnerabilities[2].ratings[0].score:'),
      );
      // A vulnerability without an id is just as wrong, and just as late.
      const withoutId = xml.replace('<id>CVE-2024-3</id>', '');
      const ids: string[] = [];
      expect(
        errorOf(() => {
          for (const finding of streamCycloneDxXml(withoutId).findings) {
            ids.push(finding.ruleId);
          }
        }),
      ).toEqual(
        inputErrorWith('cyclonedx', 'at vulnerabilities[2].id:', 'is missing'),
      );
      expect(ids).toEqual(['CVE-2024-1', 'CVE-2024-2']);
    });

    it('reads the components when the report is opened, naming a wrong one', () => {
      expect(
        errorOf(() =>
          streamCycloneDxXml(
            '<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component><name>a</name></component><component><components><component><version>1</version></component></components><name>b</name></component></components></bom>',
          ),
        ),
      ).toEqual(
        inputErrorWith('cyclonedx', 'at components[1].components[0].name:'),
      );
    });

    it('checks the whole text first, as the whole-tree parse does', () => {
      const inVulnerability = (content: string) =>
        `<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n<vulnerabilities>\n<vulnerability><id>A</id></vulnerability>\n<vulnerability><id>B</id>${content}</vulnerability>\n</vulnerabilities>\n</bom>`;
      // Malformed inside a list element: line and column in the whole text.
      expect(
        errorOf(() =>
          streamCycloneDxXml(inVulnerability('<detail>x</vulnerability>')),
        ),
      ).toEqual(inputErrorWith('cyclonedx', 'line 4, column', 'malformed XML'));
      // Too deep inside a list element: refused before anything is read.
      expect(
        errorOf(() =>
          streamCycloneDxXml(
            inVulnerability(`${'<a>'.repeat(120)}${'</a>'.repeat(120)}`),
          ),
        ),
      ).toEqual(
        inputErrorWith('cyclonedx', 'at document:', 'malformed XML', 'nested'),
      );
      expect(
        errorOf(() => streamCycloneDxXml(inVulnerability('<constructor/>'))),
      ).toEqual(
        inputErrorWith(
          'cyclonedx',
          'at document:',
          'malformed XML',
          'constructor',
        ),
      );
      expect(
        errorOf(() => streamCycloneDxXml(inVulnerability('<!DOCTYPE x>'))),
      ).toEqual(inputErrorWith('cyclonedx', 'DOCTYPE', 'not allowed'));
      expect(
        errorOf(() =>
          streamCycloneDxXml({ xml: '<bom/>' } as unknown as string),
        ),
      ).toEqual(
        inputErrorWith('cyclonedx', 'at document:', 'expected XML text'),
      );
    });

    it('is not fooled by end tags in comments, CDATA, instructions and attribute values', () => {
      const xml = `<?xml version="1.0"?>
<!-- <bom><components></components></bom> -->
<bom xmlns="http://cyclonedx.org/schema/bom/1.6">
  <!-- </bom> -->
  <components>
    <!-- </components><components><component type="library"><name>ghost</name></component> -->
    <component type="library" bom-ref="a" note="x > y </component></components>">
      <name>a</name>
      <description><![CDATA[</component></components><component><name>ghost</name></component>]]></description>
      <?note text="</components>"?>
      <components><component type="library"><name>inner</name></component></components>
    </component>
    <component type="library" bom-ref='b' note='"</components>"'><name>b</name></component>
  </components>
  <vulnerabilities>
    <vulnerability><id>CVE-1</id><description><![CDATA[</vulnerability></vulnerabilities><vulnerability><id>ghost</id>]]></description><affects><target><ref>a</ref></target></affects></vulnerability>
    <!-- <vulnerability><id>ghost</id></vulnerability> -->
    <vulnerability><id>CVE-2</id><affects><target><ref>b</ref></target></affects></vulnerability>
  </vulnerabilities>
</bom>`;
      const report = parseCycloneDxXml(Buffer.from(xml));
      expect(report.dependencies.map(dependency => dependency.name)).toEqual([
        'a',
        'inner',
        'b',
      ]);
      expect(
        report.findings.map(finding => [finding.ruleId, finding.package?.name]),
      ).toEqual([
        ['CVE-1', 'a'],
        ['CVE-2', 'b'],
      ]);
      expect(report.findings[0].description).toBe(
        '</vulnerability></vulnerabilities><vulnerability><id>ghost</id>',
      );
    });

    it('reads a generated BOM of 20,000 vulnerabilities as its JSON form, with a prefixed or default namespace', () => {
      const count = 20000;
      const json = {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        metadata: {
          tools: { components: [{ name: 'generator', version: '1' }] },
          component: { 'bom-ref': 'root', name: 'root' },
        },
        components: Array.from({ length: count / 10 }, (_, index) => ({
          type: 'library',
          'bom-ref': `c${index}`,
          name: `lib${index}`,
          version: `1.${index}`,
          purl: `pkg:npm/lib${index}@1.${index}`,
          ...(index % 5 === 0
            ? {
                components: [
                  {
                    type: 'library',
                    'bom-ref': `n${index}`,
                    name: `nested${index}`,
                  },
                ],
              }
            : {}),
        })),
        dependencies: [
          { ref: 'root', dependsOn: ['c0', 'c1', 'c2'] },
          { ref: 'c0', dependsOn: ['n0'] },
        ],
        vulnerabilities: Array.from({ length: count }, (_, index) => ({
          id: `CVE-2024-${index}`,
          ratings: [{ score: (index % 100) / 10, method: 'CVSSv31' }],
          cwes: [(index % 40) + 1],
          affects: [{ ref: `c${index % (count / 10)}` }],
        })),
      };
      const xmlOf = (prefix: string) => {
        const p = prefix ? `${prefix}:` : '';
        const parts = [
          `<${p}bom xmlns${
            prefix ? `:${prefix}` : ''
          }="http://cyclonedx.org/schema/bom/1.6">`,
          `<${p}metadata><${p}tools><${p}components><${p}component><${p}name>generator</${p}name><${p}version>1</${p}version></${p}component></${p}components></${p}tools>`,
          `<${p}component bom-ref="root"><${p}name>root</${p}name></${p}component></${p}metadata>`,
          `<${p}components>`,
        ];
        json.components.forEach((component, index) => {
          parts.push(
            `<${p}component type="library" bom-ref="c${index}"><${p}name>${component.name}</${p}name><${p}version>${component.version}</${p}version><${p}purl>${component.purl}</${p}purl>`,
            component.components
              ? `<${p}components><${p}component type="library" bom-ref="n${index}"><${p}name>nested${index}</${p}name></${p}component></${p}components>`
              : '',
            `</${p}component>\n`,
          );
        });
        parts.push(
          `</${p}components><${p}dependencies>`,
          `<${p}dependency ref="root"><${p}dependency ref="c0"/><${p}dependency ref="c1"/><${p}dependency ref="c2"/></${p}dependency>`,
          `<${p}dependency ref="c0"><${p}dependency ref="n0"/></${p}dependency>`,
          `</${p}dependencies><${p}vulnerabilities>`,
        );
        json.vulnerabilities.forEach(vulnerability => {
          parts.push(
            `<${p}vulnerability><${p}id>${vulnerability.id}</${p}id><${p}ratings><${p}rating><${p}score>${vulnerability.ratings[0].score}</${p}score><${p}method>CVSSv31</${p}method></${p}rating></${p}ratings>`,
            `<${p}cwes><${p}cwe>${vulnerability.cwes[0]}</${p}cwe></${p}cwes><${p}affects><${p}target><${p}ref>${vulnerability.affects[0].ref}</${p}ref></${p}target></${p}affects></${p}vulnerability>\n`,
          );
        });
        parts.push(`</${p}vulnerabilities></${p}bom>`);
        return parts.join('');
      };
      const expected = parseCycloneDxJson(json);
      expect(expected.findings).toHaveLength(count);
      expect(expected.dependencies).toHaveLength(count / 10 + count / 50);
      const prefixed = xmlOf('cdx');
      expect(parseCycloneDxXml(Buffer.from(prefixed))).toEqual(expected);
      const streamed = streamCycloneDxXml(xmlOf(''));
      expect([...streamed.findings]).toEqual(expected.findings);
      expect([...streamed.dependencies]).toEqual(expected.dependencies);
    }, 60_000);
  });
});

describe('CycloneDX detection', () => {
  const otherFixtures = fixtureFiles()
    .filter(([folder]) => folder !== 'cyclonedx')
    .map(([folder, file]) => `${folder}/${file}`);

  it('recognises the CycloneDX fixtures', () => {
    for (const file of [
      'npm-cyclonedx.json.golden',
      'TestCycloneDxPresenterDir.golden',
      'vex.json',
      'no-severity.json',
    ]) {
      expect(looksLikeCycloneDxJson(readFixture('cyclonedx', file))).toBe(true);
    }
    expect(looksLikeCycloneDxXml(readFixtureText('cyclonedx', 'bom.xml'))).toBe(
      true,
    );
    expect(
      looksLikeCycloneDxJson(readFixtureText('cyclonedx', 'bom.xml')),
    ).toBe(false);
  });

  it('does not claim the other formats', () => {
    expect(otherFixtures.length).toBeGreaterThan(10);
    for (const file of otherFixtures) {
      const text = readFixtureText(file);
      expect([file, looksLikeCycloneDxXml(text)]).toEqual([file, false]);
      expect([file, looksLikeCycloneDxJson(JSON.parse(text))]).toEqual([
        file,
        false,
      ]);
    }
  });

  it('recognises XML forms strictly', () => {
    expect(
      looksLikeCycloneDxXml(
        '\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.6"/>',
      ),
    ).toBe(true);
    // Recognised, so that parsing refuses the DOCTYPE with a clear error.
    expect(
      looksLikeCycloneDxXml(
        '<!DOCTYPE bom [<!ENTITY x "y">]><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>',
      ),
    ).toBe(true);
    expect(
      looksLikeCycloneDxXml('<bom xmlns="http://example.com/bom/1.4"/>'),
    ).toBe(false);
    expect(
      looksLikeCycloneDxXml(
        '<cdx:bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>',
      ),
    ).toBe(false);
    expect(
      looksLikeCycloneDxXml(
        '<project><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/></project>',
      ),
    ).toBe(false);
    expect(looksLikeCycloneDxXml(`${'<!---->'.repeat(20000)}<x`)).toBe(false);
    expect(looksLikeCycloneDxJson({ bomFormat: 'CycloneDX' })).toBe(false);
    expect(looksLikeCycloneDxJson([])).toBe(false);
  });
});
