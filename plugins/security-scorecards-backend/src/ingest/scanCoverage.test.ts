import { ParsedReport } from '@secdevops/plugin-security-scorecards-node';
import { scanCoverage } from './scanCoverage';

function report(overrides: Partial<ParsedReport>): ParsedReport {
  return {
    format: 'sarif',
    scanner: 'Semgrep',
    findings: [],
    dependencies: [],
    ...overrides,
  };
}

describe('scanCoverage', () => {
  it('counts a SARIF report of a code scanner without findings as SAST', () => {
    expect(scanCoverage(report({}))).toEqual(['sast']);
  });

  it('recognises secret and IaC scanners that write SARIF', () => {
    expect(scanCoverage(report({ scanner: 'gitleaks' }))).toEqual(['secret']);
    expect(scanCoverage(report({ scanner: 'Checkov' }))).toEqual(['iac']);
  });

  it('takes the coverage a report states over its format', () => {
    expect(
      scanCoverage(
        report({ format: 'trivy', scanner: 'Trivy', coverage: ['container'] }),
      ),
    ).toEqual(['container']);
  });

  it('does not count an SBOM as a vulnerability scan', () => {
    expect(scanCoverage(report({ format: 'spdx', scanner: 'syft' }))).toEqual(
      [],
    );
    expect(
      scanCoverage(
        report({ format: 'cyclonedx', scanner: 'cdxgen', coverage: [] }),
      ),
    ).toEqual([]);
  });

  it('counts dependency audits as SCA', () => {
    expect(
      scanCoverage(report({ format: 'npm-audit', scanner: 'npm audit' })),
    ).toEqual(['sca']);
  });
});
