import {
  compareSeverity,
  DEFAULT_GATE_POLICY,
  FindingCategory,
  FindingStatus,
  GateViolation,
  MaturityLevel,
  SEVERITIES,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';
import {
  evaluateGate,
  GATE_VIOLATION_SAMPLE_SIZE,
  GateFacts,
  GateFindingFilter,
} from './evaluateGate';

interface FakeFinding {
  id: string;
  severity: Severity;
  category: FindingCategory;
  source: string;
  status?: FindingStatus;
  firstSeenAt: string;
  dueAt?: string;
}

const now = new Date('2026-03-01T12:00:00Z');

/** The facts of one entity, kept in memory, with the semantics the store implements. */
function fakeFacts(options: {
  findings?: FakeFinding[];
  scans?: Record<string, string>;
  level?: MaturityLevel;
}): GateFacts & { calls: { latestScanTimes: number; level: number } } {
  const findings = options.findings ?? [];
  const calls = { latestScanTimes: 0, level: 0 };
  const atOrAbove = (severity: Severity, minSeverity?: Severity) =>
    !minSeverity || compareSeverity(severity, minSeverity) <= 0;
  const toMatches = (matching: FakeFinding[], limit: number) => ({
    total: matching.length,
    sample: matching
      .sort((a, b) => compareSeverity(a.severity, b.severity))
      .slice(0, limit)
      .map(
        (finding): GateViolation => ({
          findingId: finding.id,
          severity: finding.severity,
          category: finding.category,
          title: `Finding ${finding.id}`,
          ruleId: `rule-${finding.id}`,
          source: finding.source,
          location: `src/${finding.id}.ts:1`,
          ...(finding.dueAt ? { dueAt: finding.dueAt } : {}),
        }),
      ),
  });
  const open = findings.filter(f => (f.status ?? 'open') === 'open');
  return {
    calls,
    async openFindings(filter: GateFindingFilter) {
      return toMatches(
        open.filter(
          f =>
            atOrAbove(f.severity, filter.minSeverity) &&
            (!filter.category || f.category === filter.category) &&
            (!filter.source || f.source === filter.source) &&
            (!filter.firstSeenSince ||
              new Date(f.firstSeenAt) >= filter.firstSeenSince),
        ),
        filter.limit,
      );
    },
    async pastSlaFindings(filter) {
      return toMatches(
        open.filter(
          f =>
            atOrAbove(f.severity, filter.minSeverity) &&
            f.dueAt !== undefined &&
            new Date(f.dueAt) < now,
        ),
        filter.limit,
      );
    },
    async latestScanTimes() {
      calls.latestScanTimes += 1;
      return new Map(
        Object.entries(options.scans ?? {}).map(([source, time]) => [
          source,
          new Date(time),
        ]),
      );
    },
    async level() {
      calls.level += 1;
      return options.level ?? { rank: 0, name: 'None' };
    },
  };
}

const scans = {
  semgrep: '2026-03-01T10:00:00Z',
  trivy: '2026-02-20T10:00:00Z',
};

const findings: FakeFinding[] = [
  // Known before the latest semgrep scan.
  {
    id: 'old-high',
    severity: 'high',
    category: 'sast',
    source: 'semgrep',
    firstSeenAt: '2026-02-01T10:00:00Z',
  },
  // Added by the latest semgrep scan.
  {
    id: 'new-medium',
    severity: 'medium',
    category: 'sast',
    source: 'semgrep',
    firstSeenAt: '2026-03-01T10:00:00Z',
  },
  // Added by the latest trivy scan, long ago, and past its SLA.
  {
    id: 'trivy-critical',
    severity: 'critical',
    category: 'sca',
    source: 'trivy',
    firstSeenAt: '2026-02-20T10:00:00Z',
    dueAt: '2026-02-27T10:00:00Z',
  },
  // Waived: never counts.
  {
    id: 'waived-secret',
    severity: 'critical',
    category: 'secret',
    source: 'gitleaks',
    status: 'waived',
    firstSeenAt: '2026-03-01T11:00:00Z',
    dueAt: '2026-01-01T00:00:00Z',
  },
];

describe('evaluateGate', () => {
  describe('no-new-findings', () => {
    it('fails on findings first seen in the latest scan of each source', async () => {
      const result = await evaluateGate(
        { rules: [{ type: 'no-new-findings', severity: 'medium' }] },
        fakeFacts({ findings, scans }),
      );
      expect(result.passed).toBe(false);
      expect(result.rules).toEqual([
        {
          rule: { type: 'no-new-findings', severity: 'medium' },
          description:
            'No new medium or higher finding in the latest scan of each source',
          passed: false,
          details:
            '2 new medium or higher findings in the latest scan of semgrep, trivy',
          violationCount: 2,
          violations: [
            expect.objectContaining({
              findingId: 'trivy-critical',
              severity: 'critical',
              source: 'trivy',
            }),
            expect.objectContaining({
              findingId: 'new-medium',
              severity: 'medium',
              source: 'semgrep',
              title: 'Finding new-medium',
              location: 'src/new-medium.ts:1',
            }),
          ],
        },
      ]);
    });

    it('passes when the latest scans added nothing at or above the severity', async () => {
      const result = await evaluateGate(
        {
          rules: [
            { type: 'no-new-findings', severity: 'high', source: 'semgrep' },
          ],
        },
        fakeFacts({ findings, scans }),
      );
      expect(result.passed).toBe(true);
      expect(result.rules[0]).toMatchObject({
        passed: true,
        details:
          'No new high or critical finding in the latest scan of semgrep',
        violations: [],
      });
    });

    it('looks at the named source only', async () => {
      const result = await evaluateGate(
        {
          rules: [
            { type: 'no-new-findings', severity: 'high', source: 'trivy' },
          ],
        },
        fakeFacts({ findings, scans }),
      );
      expect(result.rules[0]).toMatchObject({
        passed: false,
        details: '1 new high or critical finding in the latest scan of trivy',
        violations: [expect.objectContaining({ findingId: 'trivy-critical' })],
      });
    });

    it('passes without scans', async () => {
      const result = await evaluateGate(
        {
          rules: [
            { type: 'no-new-findings', severity: 'info' },
            { type: 'no-new-findings', severity: 'info', source: 'codeql' },
          ],
        },
        fakeFacts({ findings, scans: {} }),
      );
      expect(result.passed).toBe(true);
      expect(result.rules.map(rule => rule.details)).toEqual([
        'No scan yet',
        'No scan of source codeql yet',
      ]);
    });
  });

  describe('no-open-findings', () => {
    it('fails on open findings at or above the severity', async () => {
      const result = await evaluateGate(
        { rules: [{ type: 'no-open-findings', severity: 'high' }] },
        fakeFacts({ findings, scans }),
      );
      expect(result.passed).toBe(false);
      expect(result.rules[0]).toMatchObject({
        description: 'No open high or critical finding',
        details: '2 open high or critical findings',
        violations: [
          expect.objectContaining({ findingId: 'trivy-critical' }),
          expect.objectContaining({ findingId: 'old-high' }),
        ],
      });
    });

    it('counts one category only when the rule names it', async () => {
      const result = await evaluateGate(
        {
          rules: [
            { type: 'no-open-findings', category: 'secret' },
            { type: 'no-open-findings', category: 'sca', severity: 'critical' },
          ],
        },
        fakeFacts({ findings, scans }),
      );
      expect(result.passed).toBe(false);
      expect(
        result.rules.map(({ passed, details }) => ({ passed, details })),
      ).toEqual([
        { passed: true, details: 'No open secret finding' },
        { passed: false, details: '1 open critical dependency (SCA) finding' },
      ]);
    });

    it('lists at most the sample size of violations', async () => {
      const many: FakeFinding[] = Array.from({ length: 45 }, (_, index) => ({
        id: `f${index}`,
        severity: SEVERITIES[index % SEVERITIES.length],
        category: 'sast',
        source: 'semgrep',
        firstSeenAt: '2026-03-01T10:00:00Z',
      }));
      const result = await evaluateGate(
        { rules: [{ type: 'no-open-findings' }] },
        fakeFacts({ findings: many, scans }),
      );
      expect(result.rules[0].details).toBe('45 open findings');
      // The count is of every violating finding, not of the sample.
      expect(result.rules[0].violationCount).toBe(45);
      expect(result.rules[0].violations).toHaveLength(
        GATE_VIOLATION_SAMPLE_SIZE,
      );
      expect(result.rules[0].violations?.[0]?.severity).toBe('critical');
    });
  });

  describe('no-past-sla', () => {
    it('fails on open findings past their due date', async () => {
      const result = await evaluateGate(
        { rules: [{ type: 'no-past-sla', severity: 'high' }] },
        fakeFacts({ findings, scans }),
      );
      expect(result.rules[0]).toEqual({
        rule: { type: 'no-past-sla', severity: 'high' },
        description: 'No high or critical finding past its SLA',
        passed: false,
        details: '1 high or critical finding past SLA',
        violationCount: 1,
        violations: [
          expect.objectContaining({
            findingId: 'trivy-critical',
            dueAt: '2026-02-27T10:00:00Z',
          }),
        ],
      });
    });

    it('passes when nothing is overdue', async () => {
      const result = await evaluateGate(
        { rules: [{ type: 'no-past-sla', severity: 'low' }] },
        fakeFacts({ findings: findings.slice(0, 2), scans }),
      );
      expect(result.rules[0]).toMatchObject({
        passed: true,
        details: 'No low or higher finding past SLA',
      });
    });
  });

  describe('min-level', () => {
    it('passes at or above the level', async () => {
      const result = await evaluateGate(
        { rules: [{ type: 'min-level', level: 2 }] },
        fakeFacts({ level: { rank: 2, name: 'Managed' } }),
      );
      expect(result).toEqual({
        passed: true,
        rules: [
          {
            rule: { type: 'min-level', level: 2 },
            description: 'Maturity level 2 or higher',
            passed: true,
            details: 'Level 2 (Managed)',
            violationCount: 0,
            violations: [],
          },
        ],
      });
    });

    it('fails below the level', async () => {
      const result = await evaluateGate(
        {
          rules: [
            { type: 'min-level', level: 3 },
            { type: 'min-level', level: 1 },
          ],
        },
        fakeFacts({ level: { rank: 0, name: 'None' } }),
      );
      expect(result.passed).toBe(false);
      expect(result.rules.map(rule => rule.details)).toEqual([
        'No level reached, below the required level 3',
        'No level reached, below the required level 1',
      ]);
    });
  });

  describe('the default policy', () => {
    it('fails on an open critical and an overdue high', async () => {
      const result = await evaluateGate(
        DEFAULT_GATE_POLICY,
        fakeFacts({ findings, scans }),
      );
      expect(result.passed).toBe(false);
      expect(
        result.rules.map(({ description, passed, details }) => ({
          description,
          passed,
          details,
        })),
      ).toEqual([
        {
          description: 'No open critical finding',
          passed: false,
          details: '1 open critical finding',
        },
        {
          description: 'No open secret finding',
          passed: true,
          details: 'No open secret finding',
        },
        {
          description: 'No high or critical finding past its SLA',
          passed: false,
          details: '1 high or critical finding past SLA',
        },
      ]);
    });

    it('passes on an entity with only lesser findings', async () => {
      const result = await evaluateGate(
        DEFAULT_GATE_POLICY,
        fakeFacts({ findings: findings.slice(0, 2), scans }),
      );
      expect(result.passed).toBe(true);
      expect(result.rules.every(rule => rule.passed)).toBe(true);
    });
  });

  it('asks for the scans and the level once per evaluation', async () => {
    const facts = fakeFacts({
      findings,
      scans,
      level: { rank: 1, name: 'Baseline' },
    });
    await evaluateGate(
      {
        rules: [
          { type: 'no-new-findings', severity: 'high' },
          { type: 'no-new-findings', severity: 'low', source: 'semgrep' },
          { type: 'min-level', level: 1 },
          { type: 'min-level', level: 2 },
        ],
      },
      facts,
    );
    expect(facts.calls).toEqual({ latestScanTimes: 1, level: 1 });
  });
});
