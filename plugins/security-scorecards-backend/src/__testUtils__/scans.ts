import { NormalizedFinding } from '@secdevops/plugin-security-scorecards-common';
import { NewScan } from '../database/ScorecardStore';

/** An open, high-severity Trivy SCA finding `CVE-2024-<fingerprint>`, with overrides. */
export function findingOf(
  fingerprint: string,
  overrides: Partial<NormalizedFinding> = {},
): NormalizedFinding {
  return {
    category: 'sca',
    ruleId: `CVE-2024-${fingerprint}`,
    title: `Vulnerability ${fingerprint}`,
    severity: 'high',
    identifiers: [`CVE-2024-${fingerprint}`],
    scanner: 'Trivy',
    fingerprint,
    status: 'open',
    ...overrides,
  };
}

/** A Trivy SCA scan of payments by alice, with no findings or dependencies unless overridden. */
export function scanOf(overrides: Partial<NewScan> = {}): NewScan {
  return {
    entityRef: 'component:default/payments',
    source: 'trivy',
    format: 'trivy',
    scanner: 'Trivy',
    createdBy: 'user:default/alice',
    categories: ['sca'],
    findings: [],
    dependencies: [],
    ...overrides,
  };
}
