import {
  EntityFacts,
  OpenFindingFacts,
} from '@secdevops/plugin-security-scorecards-node';
import {
  annotationCheck,
  gateEnforcedCheck,
  hasOwnerCheck,
  mttrCheck,
  openFindingsCheck,
  pastSlaCheck,
  sbomPresentCheck,
  scanFreshnessCheck,
  scoreTrendCheck,
} from './checkTypes';

const NOW = new Date('2026-11-28T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

function facts(overrides: Partial<EntityFacts> = {}): EntityFacts {
  return {
    entityRef: 'component:default/payments',
    kind: 'component',
    ownerRef: 'group:default/team-payments',
    annotations: {},
    now: NOW,
    openFindings: [],
    lastScans: {},
    dependencyCount: 0,
    hasScans: true,
    fixedLast90Days: {
      critical: { count: 0, totalDays: 0 },
      high: { count: 0, totalDays: 0 },
      medium: { count: 0, totalDays: 0 },
      low: { count: 0, totalDays: 0 },
      info: { count: 0, totalDays: 0 },
    },
    slaDays: { critical: 7, high: 30, medium: 90, low: 180, info: undefined },
    gateRuns: { count: 0 },
    scoreHistory: {},
    ...overrides,
  };
}

function open(overrides: Partial<OpenFindingFacts>): OpenFindingFacts {
  return {
    category: 'sca',
    severity: 'high',
    slaSeverity: 'high',
    knownExploited: false,
    count: 1,
    pastSla: 0,
    oldestFirstSeenAt: daysAgo(1),
    ...overrides,
  };
}

describe('has-owner', () => {
  it('passes with an owner and fails without', () => {
    expect(hasOwnerCheck.evaluate(facts(), {})).toEqual({
      status: 'pass',
      evidence: 'Owned by group:default/team-payments',
    });
    expect(hasOwnerCheck.evaluate(facts({ ownerRef: undefined }), {})).toEqual({
      status: 'fail',
      evidence: 'spec.owner is not set in the catalog',
    });
  });
});

describe('scan-freshness', () => {
  const sast = scanFreshnessCheck.parseParams({
    categories: ['sast'],
    maxAgeDays: 14,
  });

  it('passes on a recent scan and names its age and scanner', () => {
    expect(
      scanFreshnessCheck.evaluate(
        facts({ lastScans: { sast: { at: daysAgo(3), scanner: 'Semgrep' } } }),
        sast,
      ),
    ).toEqual({
      status: 'pass',
      evidence: 'SAST: last scan 3 days ago by Semgrep',
    });
  });

  it('fails on an old scan and on none', () => {
    expect(
      scanFreshnessCheck.evaluate(
        facts({ lastScans: { sast: { at: daysAgo(20), scanner: 'CodeQL' } } }),
        sast,
      ),
    ).toEqual({
      status: 'fail',
      evidence: 'SAST: last scan 20 days ago by CodeQL, older than 14 days',
    });
    expect(scanFreshnessCheck.evaluate(facts(), sast)).toEqual({
      status: 'fail',
      evidence: 'SAST: no scan received',
    });
  });

  it('takes the latest of several categories', () => {
    const params = scanFreshnessCheck.parseParams({
      categories: ['iac', 'container'],
      maxAgeDays: 30,
    });
    expect(
      scanFreshnessCheck.evaluate(
        facts({
          lastScans: {
            iac: { at: daysAgo(40), scanner: 'Checkov' },
            container: { at: daysAgo(2), scanner: 'Trivy' },
          },
        }),
        params,
      ),
    ).toEqual({
      status: 'pass',
      evidence: 'Container: last scan 2 days ago by Trivy',
    });
  });

  it('does not apply to an entity without anything of the categories', () => {
    const params = scanFreshnessCheck.parseParams({
      categories: ['iac', 'container'],
      onlyWhenPresent: true,
      presenceAnnotations: ['security-scorecards/container-image'],
    });
    expect(scanFreshnessCheck.evaluate(facts(), params).status).toBe(
      'not-applicable',
    );
    // An annotation says there is an image: now a scan is due.
    expect(
      scanFreshnessCheck.evaluate(
        facts({
          annotations: { 'security-scorecards/container-image': 'acme/pay' },
        }),
        params,
      ),
    ).toEqual({
      status: 'fail',
      evidence: 'IaC or Container: no scan received',
    });
    // So do findings of the category.
    expect(
      scanFreshnessCheck.evaluate(
        facts({ openFindings: [open({ category: 'iac' })] }),
        params,
      ).status,
    ).toBe('fail');
  });

  it('accepts an annotation instead of a scan', () => {
    const params = scanFreshnessCheck.parseParams({
      categories: ['dast'],
      orAnnotations: ['security-scorecards/runtime-protection'],
    });
    expect(
      scanFreshnessCheck.evaluate(
        facts({
          annotations: { 'security-scorecards/runtime-protection': 'AWS WAF' },
        }),
        params,
      ),
    ).toEqual({
      status: 'pass',
      evidence: 'security-scorecards/runtime-protection: AWS WAF',
    });
  });

  it('names the parameter that is wrong', () => {
    expect(() =>
      scanFreshnessCheck.parseParams({ categories: ['code'] }),
    ).toThrow("'categories' must be one or more of sast, sca");
    expect(() =>
      scanFreshnessCheck.parseParams({ categories: 'sast', maxAgeDays: -1 }),
    ).toThrow("'maxAgeDays' must be a non-negative number");
  });
});

describe('sbom-present', () => {
  it('counts the dependencies', () => {
    expect(
      sbomPresentCheck.evaluate(facts({ dependencyCount: 812 }), {}),
    ).toEqual({ status: 'pass', evidence: 'SBOM lists 812 dependencies' });
    expect(sbomPresentCheck.evaluate(facts(), {})).toEqual({
      status: 'fail',
      evidence: 'No SBOM received: no dependencies are known',
    });
  });
});

describe('open-findings', () => {
  const findings = [
    open({ severity: 'critical', slaSeverity: 'critical', count: 1 }),
    open({ severity: 'high', count: 2 }),
    open({ severity: 'medium', slaSeverity: 'medium', count: 5 }),
    open({ category: 'secret', severity: 'high', count: 3 }),
  ];

  it('counts open findings at or above a severity', () => {
    const params = openFindingsCheck.parseParams({ minSeverity: 'high' });
    expect(
      openFindingsCheck.evaluate(facts({ openFindings: findings }), params),
    ).toEqual({
      status: 'fail',
      evidence: '6 open high-or-above findings (1 critical and 5 high)',
    });
    expect(openFindingsCheck.evaluate(facts(), params)).toEqual({
      status: 'pass',
      evidence: 'No open high-or-above findings',
    });
  });

  it('counts one category, and allows up to max', () => {
    expect(
      openFindingsCheck.evaluate(
        facts({ openFindings: findings }),
        openFindingsCheck.parseParams({ category: 'secret' }),
      ),
    ).toEqual({
      status: 'fail',
      evidence: '3 open secret findings (3 high)',
    });
    expect(
      openFindingsCheck.evaluate(
        facts({ openFindings: findings }),
        openFindingsCheck.parseParams({ category: 'secret', max: 3 }),
      ).status,
    ).toBe('pass');
  });

  it('counts known-exploited findings only', () => {
    const params = openFindingsCheck.parseParams({ knownExploited: true });
    expect(
      openFindingsCheck.evaluate(facts({ openFindings: findings }), params)
        .status,
    ).toBe('pass');
    expect(
      openFindingsCheck.evaluate(
        facts({
          openFindings: [
            ...findings,
            open({ severity: 'low', knownExploited: true }),
          ],
        }),
        params,
      ),
    ).toEqual({
      status: 'fail',
      evidence: '1 open known-exploited finding (1 low)',
    });
  });
});

describe('past-sla', () => {
  const params = pastSlaCheck.parseParams({ severity: 'critical' });

  it('fails with the count and how overdue the oldest is', () => {
    expect(
      pastSlaCheck.evaluate(
        facts({
          openFindings: [
            open({
              severity: 'critical',
              slaSeverity: 'critical',
              count: 3,
              pastSla: 2,
              oldestFirstSeenAt: daysAgo(19),
            }),
          ],
        }),
        params,
      ),
    ).toEqual({
      status: 'fail',
      evidence:
        '2 critical findings past the 7-day SLA, the oldest 12 days overdue (first seen 2026-11-09)',
    });
  });

  it('counts known-exploited findings on the critical clock', () => {
    expect(
      pastSlaCheck.evaluate(
        facts({
          openFindings: [
            open({
              severity: 'low',
              slaSeverity: 'critical',
              knownExploited: true,
              pastSla: 1,
              oldestFirstSeenAt: daysAgo(8),
            }),
          ],
        }),
        params,
      ).status,
    ).toBe('fail');
  });

  it('passes within the SLA, and does not apply without one', () => {
    expect(
      pastSlaCheck.evaluate(
        facts({
          openFindings: [
            open({ severity: 'critical', slaSeverity: 'critical' }),
          ],
        }),
        params,
      ),
    ).toEqual({
      status: 'pass',
      evidence: '1 open critical finding, none past the 7-day SLA',
    });
    expect(
      pastSlaCheck.evaluate(
        facts(),
        pastSlaCheck.parseParams({ severity: 'info' }),
      ),
    ).toEqual({
      status: 'not-applicable',
      evidence: 'info findings have no SLA',
    });
  });
});

describe('annotation', () => {
  it('passes when set, fails when missing', () => {
    const params = annotationCheck.parseParams({
      annotation: 'security-scorecards/runbook-url',
    });
    expect(
      annotationCheck.evaluate(
        facts({
          annotations: {
            'security-scorecards/runbook-url': 'https://runbooks/pay',
          },
        }),
        params,
      ),
    ).toEqual({
      status: 'pass',
      evidence: 'security-scorecards/runbook-url: https://runbooks/pay',
    });
    expect(annotationCheck.evaluate(facts(), params)).toEqual({
      status: 'fail',
      evidence: 'Annotation security-scorecards/runbook-url is not set',
    });
  });

  it('checks the age of a date', () => {
    const params = annotationCheck.parseParams({
      annotation: 'security-scorecards/last-security-review',
      maxAgeDays: 180,
    });
    const review = (value: string) =>
      annotationCheck.evaluate(
        facts({
          annotations: { 'security-scorecards/last-security-review': value },
        }),
        params,
      );
    expect(review('2026-09-14')).toMatchObject({ status: 'pass' });
    expect(review('2025-01-31')).toMatchObject({
      status: 'fail',
      evidence: expect.stringMatching(/older than 180 days$/),
    });
    expect(review('last spring')).toEqual({
      status: 'fail',
      evidence:
        "security-scorecards/last-security-review is 'last spring', not a date such as 2026-01-31",
    });
  });
});

describe('mttr', () => {
  const params = mttrCheck.parseParams({ severity: 'critical' });
  const fixed = (count: number, totalDays: number) =>
    facts({
      fixedLast90Days: {
        ...facts().fixedLast90Days,
        critical: { count, totalDays },
      },
    });

  it('compares the mean time to remediate with the SLA', () => {
    expect(mttrCheck.evaluate(fixed(3, 12.6), params)).toEqual({
      status: 'pass',
      evidence: 'critical MTTR 4.2 days over 3 fixes in 90 days, limit 7 days',
    });
    expect(mttrCheck.evaluate(fixed(2, 30), params).status).toBe('fail');
  });

  it('does not apply without fixes', () => {
    expect(mttrCheck.evaluate(fixed(0, 0), params)).toEqual({
      status: 'not-applicable',
      evidence: 'No critical findings fixed in 90 days',
    });
  });
});

describe('score-trend', () => {
  it('fails when the score went down', () => {
    const evaluate = (current: number, then: number) =>
      scoreTrendCheck.evaluate(
        facts({
          scoreHistory: {
            current,
            thirtyDaysAgo: { day: '2026-10-29', score: then },
          },
        }),
        {},
      );
    expect(evaluate(72, 70)).toEqual({
      status: 'pass',
      evidence: 'Score 72 now, 70 on 2026-10-29',
    });
    expect(evaluate(60, 70).status).toBe('fail');
    expect(scoreTrendCheck.evaluate(facts(), {}).status).toBe('not-applicable');
  });
});

describe('gate-enforced', () => {
  const params = gateEnforcedCheck.parseParams({ maxAgeDays: 30 });

  it('passes on a recent gate run', () => {
    expect(
      gateEnforcedCheck.evaluate(
        facts({
          gateRuns: { count: 5, latestAt: daysAgo(2), latestPassed: false },
        }),
        params,
      ),
    ).toEqual({
      status: 'pass',
      evidence: 'Last CI gate run 2 days ago (failed), 5 runs in 90 days',
    });
  });

  it('fails without a recent one', () => {
    expect(
      gateEnforcedCheck.evaluate(
        facts({
          gateRuns: { count: 1, latestAt: daysAgo(45), latestPassed: true },
        }),
        params,
      ).status,
    ).toBe('fail');
    expect(gateEnforcedCheck.evaluate(facts(), params).status).toBe('fail');
    expect(() => gateEnforcedCheck.parseParams({ maxAgeDays: 120 })).toThrow(
      "'maxAgeDays' must be at most 90",
    );
  });
});
