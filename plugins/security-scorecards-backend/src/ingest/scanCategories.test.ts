import { ParsedReport } from '@secdevops/plugin-security-scorecards-node';
import { NormalizedFinding } from '@secdevops/plugin-security-scorecards-common';
import { scanCategories } from './scanCategories';

function report(overrides: Partial<ParsedReport>): ParsedReport {
  return {
    format: 'sarif',
    scanner: 'Semgrep',
    findings: [],
    dependencies: [],
    ...overrides,
  };
}

const secretFinding = {
  category: 'secret',
} as NormalizedFinding;

describe('scanCategories', () => {
  it('counts a SARIF report of a code scanner without findings as SAST', () => {
    expect(scanCategories(report({}))).toEqual(['sast']);
  });

  it('recognises secret and IaC scanners that write SARIF', () => {
    expect(scanCategories(report({ scanner: 'gitleaks' }))).toEqual(['secret']);
    expect(scanCategories(report({ scanner: 'Checkov' }))).toEqual(['iac']);
  });

  it('adds the categories of the findings', () => {
    expect(
      scanCategories(report({ scanner: 'CodeQL', findings: [secretFinding] })),
    ).toEqual(['sast', 'secret']);
  });

  it('takes the coverage a report states over its format', () => {
    expect(
      scanCategories(
        report({ format: 'trivy', scanner: 'Trivy', coverage: ['container'] }),
      ),
    ).toEqual(['container']);
  });

  it('does not count an SBOM as a vulnerability scan', () => {
    expect(scanCategories(report({ format: 'spdx', scanner: 'syft' }))).toEqual(
      [],
    );
    expect(
      scanCategories(
        report({ format: 'cyclonedx', scanner: 'cdxgen', coverage: [] }),
      ),
    ).toEqual([]);
  });

  it('counts dependency audits as SCA', () => {
    expect(
      scanCategories(report({ format: 'npm-audit', scanner: 'npm audit' })),
    ).toEqual(['sca']);
  });
});
