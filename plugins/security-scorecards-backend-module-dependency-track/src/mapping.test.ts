import {
  dependencyTrackReport,
  mapDependencyTrackFinding,
  statusOfDependencyTrackAnalysis,
} from './mapping';
import { DependencyTrackFinding } from './types';
import componentsFixture from './__fixtures__/components.json';
import findingsFixture from './__fixtures__/findings.json';

const findings = findingsFixture as DependencyTrackFinding[];

describe('dependencyTrackReport', () => {
  const report = dependencyTrackReport({
    findings,
    components: componentsFixture,
  });
  const byRule = (ruleId: string) =>
    report.findings.find(finding => finding.ruleId === ruleId)!;

  it('is an sca report of Dependency-Track with every finding and component', () => {
    expect(report).toMatchObject({
      format: 'dependency-track',
      scanner: 'Dependency-Track',
      coverage: ['sca'],
    });
    expect(report.findings).toHaveLength(findings.length);
    expect(report.dependencies).toHaveLength(componentsFixture.length);
  });

  it('maps a finding with its advisory, package, CVSS, EPSS and links', () => {
    expect(byRule('CVE-2021-44228')).toEqual({
      category: 'sca',
      ruleId: 'CVE-2021-44228',
      title: 'CVE-2021-44228 in org.apache.logging.log4j/log4j-core 2.14.1',
      description: expect.stringMatching(/^Apache Log4j2 2\.0-beta9 through/),
      severity: 'critical',
      cvss: {
        version: '3.1',
        score: 10,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
      },
      identifiers: [
        'CVE-2021-44228',
        'GHSA-jfh8-c2jp-5v3q',
        'CWE-20',
        'CWE-502',
      ],
      package: {
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar',
        name: 'org.apache.logging.log4j/log4j-core',
        version: '2.14.1',
        ecosystem: 'maven',
        fixedVersions: [],
      },
      scanner: 'Dependency-Track',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 'open',
      epss: 0.97565,
      references: [
        'https://logging.apache.org/log4j/2.x/security.html',
        'https://www.cisa.gov/known-exploited-vulnerabilities-catalog',
      ],
    });
  });

  it('takes the title of the advisory when it has one, and the attribution link', () => {
    expect(byRule('GHSA-35jh-r3h4-6jhm')).toMatchObject({
      title: 'Command Injection in lodash',
      severity: 'high',
      identifiers: [
        'GHSA-35jh-r3h4-6jhm',
        'CVE-2021-23337',
        'CWE-77',
        'CWE-94',
      ],
      package: { name: 'lodash', ecosystem: 'npm' },
      references: ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm'],
    });
  });

  it('reads the single CWE of older servers', () => {
    expect(byRule('CVE-2020-8840').identifiers).toEqual([
      'CVE-2020-8840',
      'CWE-502',
    ]);
  });

  it('maps every analysis state', () => {
    expect(
      report.findings.map(finding => [
        finding.ruleId,
        finding.status,
        finding.statusReason,
      ]),
    ).toEqual([
      ['CVE-2021-44228', 'open', undefined], // no analysis
      ['GHSA-35jh-r3h4-6jhm', 'open', undefined], // EXPLOITABLE
      ['CVE-2020-8840', 'open', undefined], // IN_TRIAGE
      [
        'CVE-2022-42889',
        'not_affected',
        'Dependency-Track analysis: NOT_AFFECTED, suppressed',
      ],
      [
        'CVE-2021-44906',
        'false_positive',
        'Dependency-Track analysis: FALSE_POSITIVE',
      ],
      ['GHSA-r683-j2x4-v87g', 'fixed', 'Dependency-Track analysis: RESOLVED'],
      [
        'GHSA-c2qf-rxjj-qqgw',
        'waived',
        'Suppressed in Dependency-Track (analysis state NOT_SET)',
      ],
      ['INT-2024-0007', 'open', undefined],
    ]);
  });

  it('rates an UNASSIGNED vulnerability without CVSS as info, and names a component without purl by group and name', () => {
    expect(byRule('INT-2024-0007')).toMatchObject({
      severity: 'info',
      identifiers: [],
      package: {
        name: 'com.example/acme-internal-crypto',
        version: '0.3.0',
        fixedVersions: [],
      },
    });
    expect(byRule('INT-2024-0007').cvss).toBeUndefined();
    expect(byRule('INT-2024-0007').package?.purl).toBeUndefined();
  });

  it('maps components to dependencies with their licenses', () => {
    expect(report.dependencies).toEqual([
      {
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar',
        name: 'org.apache.logging.log4j/log4j-core',
        version: '2.14.1',
        ecosystem: 'maven',
        licenses: ['Apache-2.0'],
      },
      {
        purl: 'pkg:npm/lodash@4.17.20',
        name: 'lodash',
        version: '4.17.20',
        ecosystem: 'npm',
        licenses: ['MIT'],
      },
      {
        purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1?type=jar',
        name: 'com.fasterxml.jackson.core/jackson-databind',
        version: '2.9.10.1',
        ecosystem: 'maven',
        licenses: ['The Apache Software License, Version 2.0'],
      },
      {
        purl: 'pkg:maven/org.apache.commons/commons-text@1.9?type=jar',
        name: 'org.apache.commons/commons-text',
        version: '1.9',
        ecosystem: 'maven',
        licenses: ['Apache-2.0'],
      },
      {
        purl: 'pkg:npm/minimist@1.2.5',
        name: 'minimist',
        version: '1.2.5',
        ecosystem: 'npm',
        licenses: ['MIT'],
      },
      {
        purl: 'pkg:npm/node-fetch@2.6.1',
        name: 'node-fetch',
        version: '2.6.1',
        ecosystem: 'npm',
        licenses: ['MIT'],
      },
      {
        purl: 'pkg:npm/semver@5.7.1',
        name: 'semver',
        version: '5.7.1',
        ecosystem: 'npm',
        licenses: ['ISC'],
      },
      {
        name: 'com.example/acme-internal-crypto',
        version: '0.3.0',
        licenses: [],
      },
      {
        purl: 'pkg:npm/%40babel/runtime@7.26.0',
        name: '@babel/runtime',
        version: '7.26.0',
        ecosystem: 'npm',
        licenses: ['MIT'],
      },
      {
        purl: 'pkg:cargo/wasm-bindgen@0.2.95',
        name: 'wasm-bindgen',
        version: '0.2.95',
        ecosystem: 'cargo',
        licenses: ['MIT OR Apache-2.0'],
      },
    ]);
    for (const dependency of report.dependencies) {
      expect(dependency).not.toHaveProperty('direct');
    }
  });

  it('keeps fingerprints stable across runs and distinct per vulnerability and component', () => {
    const again = dependencyTrackReport({
      findings: structuredClone(findings),
      components: [],
    });
    expect(again.findings.map(finding => finding.fingerprint)).toEqual(
      report.findings.map(finding => finding.fingerprint),
    );
    expect(new Set(report.findings.map(f => f.fingerprint)).size).toBe(
      findings.length,
    );

    const upgraded = structuredClone(findings[1]);
    upgraded.component!.version = '4.17.21';
    upgraded.component!.purl = 'pkg:npm/lodash@4.17.21';
    const otherSource = structuredClone(findings[1]);
    otherSource.vulnerability!.source = 'OSV';
    expect(mapDependencyTrackFinding(upgraded, 'x').fingerprint).not.toBe(
      byRule('GHSA-35jh-r3h4-6jhm').fingerprint,
    );
    expect(mapDependencyTrackFinding(otherSource, 'x').fingerprint).not.toBe(
      byRule('GHSA-35jh-r3h4-6jhm').fingerprint,
    );
  });

  it('de-duplicates findings and dependencies', () => {
    const doubled = dependencyTrackReport({
      findings: [...findings, ...structuredClone(findings)],
      components: [...componentsFixture, ...structuredClone(componentsFixture)],
    });
    expect(doubled.findings).toHaveLength(findings.length);
    expect(doubled.dependencies).toHaveLength(componentsFixture.length);
  });
});

describe('mapDependencyTrackFinding', () => {
  const base: DependencyTrackFinding = {
    component: { name: 'lib', version: '1.0.0', purl: 'pkg:pypi/lib@1.0.0' },
    vulnerability: { source: 'OSV', vulnId: 'PYSEC-2024-1' },
    analysis: { isSuppressed: false },
  };

  it('rates an UNASSIGNED vulnerability from its CVSS score', () => {
    expect(
      mapDependencyTrackFinding(
        {
          ...base,
          vulnerability: {
            ...base.vulnerability,
            severity: 'UNASSIGNED',
            cvssV3BaseScore: 7.5,
            cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
          },
        },
        'x',
      ),
    ).toMatchObject({
      severity: 'high',
      cvss: { version: '3.1', score: 7.5 },
      title: 'PYSEC-2024-1 in lib 1.0.0',
      package: { ecosystem: 'pypi' },
    });
  });

  it('falls back to a CVSS 2.0 rating without the parentheses', () => {
    expect(
      mapDependencyTrackFinding(
        {
          ...base,
          vulnerability: {
            ...base.vulnerability,
            severity: 'MEDIUM',
            cvssV2BaseScore: 5,
            cvssV2Vector: '(AV:N/AC:L/Au:N/C:N/I:N/A:P)',
          },
        },
        'x',
      ).cvss,
    ).toEqual({
      version: '2.0',
      score: 5,
      vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P',
    });
  });

  it('reads INFO and LOW labels', () => {
    const severityOf = (severity: string) =>
      mapDependencyTrackFinding(
        { ...base, vulnerability: { ...base.vulnerability, severity } },
        'x',
      ).severity;
    expect(severityOf('INFO')).toBe('info');
    expect(severityOf('LOW')).toBe('low');
    expect(severityOf('MEDIUM')).toBe('medium');
  });

  it('names the place of a finding without a vulnerability id', () => {
    expect(() =>
      mapDependencyTrackFinding(
        { ...base, vulnerability: { source: 'NVD' } },
        'findings[3]',
      ),
    ).toThrow(
      'Dependency-Track answered without findings[3].vulnerability.vulnId, which every answer has',
    );
  });
});

describe('statusOfDependencyTrackAnalysis', () => {
  it.each([
    [undefined, false, 'open'],
    ['NOT_SET', false, 'open'],
    ['EXPLOITABLE', false, 'open'],
    ['IN_TRIAGE', false, 'open'],
    ['NOT_AFFECTED', false, 'not_affected'],
    ['FALSE_POSITIVE', false, 'false_positive'],
    ['RESOLVED', false, 'fixed'],
    [undefined, true, 'waived'],
    ['NOT_SET', true, 'waived'],
    ['EXPLOITABLE', true, 'waived'],
    ['IN_TRIAGE', true, 'waived'],
    ['NOT_AFFECTED', true, 'not_affected'],
    ['FALSE_POSITIVE', true, 'false_positive'],
    ['RESOLVED', true, 'fixed'],
  ])('state %s, suppressed %s is %s', (state, isSuppressed, status) => {
    expect(
      statusOfDependencyTrackAnalysis({ state, isSuppressed }).status,
    ).toBe(status);
  });

  it('gives the justification and details as the reason when the server sends them', () => {
    expect(
      statusOfDependencyTrackAnalysis({
        state: 'EXPLOITABLE',
        isSuppressed: true,
        justification: 'PROTECTED_AT_PERIMETER',
        details: 'WAF rule 942100 blocks the payload',
      }),
    ).toEqual({
      status: 'waived',
      statusReason:
        'PROTECTED_AT_PERIMETER: WAF rule 942100 blocks the payload',
    });
    expect(
      statusOfDependencyTrackAnalysis({
        state: 'NOT_AFFECTED',
        isSuppressed: false,
        justification: 'CODE_NOT_REACHABLE',
      }),
    ).toEqual({ status: 'not_affected', statusReason: 'CODE_NOT_REACHABLE' });
  });

  it('treats no analysis as open', () => {
    expect(statusOfDependencyTrackAnalysis(undefined)).toEqual({
      status: 'open',
    });
  });
});
