import { InputError } from '@backstage/errors';
import {
  DEFAULT_GATE_POLICY,
  GateRule,
} from '@secdevops/plugin-security-scorecards-common';
import {
  describeGateRule,
  MAX_GATE_RULES,
  parseGatePolicy,
  parseGateRequest,
} from './policy';

describe('parseGatePolicy', () => {
  it('reads every rule type', () => {
    const rules: GateRule[] = [
      { type: 'no-new-findings', severity: 'high' },
      { type: 'no-new-findings', severity: 'critical', source: 'semgrep' },
      { type: 'no-open-findings', severity: 'critical' },
      { type: 'no-open-findings', category: 'secret' },
      { type: 'no-open-findings', severity: 'medium', category: 'iac' },
      { type: 'no-open-findings' },
      { type: 'no-past-sla', severity: 'high' },
      { type: 'min-level', level: 2 },
    ];
    expect(parseGatePolicy({ rules })).toEqual({ rules });
  });

  it('reads the default policy', () => {
    expect(parseGatePolicy(DEFAULT_GATE_POLICY)).toEqual(DEFAULT_GATE_POLICY);
  });

  it.each([
    [
      null,
      'Invalid gate policy: the policy must be an object with rules; got null',
    ],
    [
      [],
      'Invalid gate policy: the policy must be an object with rules; got []',
    ],
    [{}, 'Invalid gate policy: rules must be a list of rules'],
    [{ rules: [] }, 'Invalid gate policy: rules must hold at least one rule'],
    [
      { rules: [], extra: true },
      'Invalid gate policy: extra is not a property of a policy; expected rules',
    ],
    [
      { rules: ['no-open-findings'] },
      'Invalid gate policy: rules[0] must be a rule object; got "no-open-findings"',
    ],
    [
      { rules: [{ type: 'no-open-findings' }, { type: 'no-bugs' }] },
      'Invalid gate policy: rules[1].type must be one of no-new-findings, no-open-findings, no-past-sla, min-level; got "no-bugs"',
    ],
    [
      { rules: [{ severity: 'high' }] },
      'Invalid gate policy: rules[0].type must be one of no-new-findings, no-open-findings, no-past-sla, min-level; got nothing',
    ],
    [
      {
        rules: [
          { type: 'no-open-findings', severity: 'critical' },
          { type: 'no-past-sla', severity: 'urgent' },
        ],
      },
      'Invalid gate policy: rules[1].severity must be one of critical, high, medium, low, info; got "urgent"',
    ],
    [
      { rules: [{ type: 'no-new-findings' }] },
      'Invalid gate policy: rules[0].severity must be one of critical, high, medium, low, info; got nothing',
    ],
    [
      { rules: [{ type: 'no-open-findings', category: 'bugs' }] },
      'Invalid gate policy: rules[0].category must be one of sast, sca, secret, iac, container, dast, other; got "bugs"',
    ],
    [
      { rules: [{ type: 'no-new-findings', severity: 'high', source: '' }] },
      'Invalid gate policy: rules[0].source must be a non-empty string; got ""',
    ],
    [
      { rules: [{ type: 'min-level', level: '2' }] },
      'Invalid gate policy: rules[0].level must be a maturity level rank, a whole number of 1 or more; got "2"',
    ],
    [
      { rules: [{ type: 'min-level', level: 1.5 }] },
      'Invalid gate policy: rules[0].level must be a maturity level rank, a whole number of 1 or more; got 1.5',
    ],
    [
      { rules: [{ type: 'min-level', level: 0 }] },
      'Invalid gate policy: rules[0].level must be a maturity level rank, a whole number of 1 or more; got 0',
    ],
    [
      { rules: [{ type: 'no-past-sla', severity: 'high', category: 'sca' }] },
      'Invalid gate policy: rules[0].category is not a property of a no-past-sla rule; expected type, severity',
    ],
  ])('rejects %j', (value, message) => {
    expect(() => parseGatePolicy(value)).toThrow(new InputError(message));
  });

  it('limits the number of rules', () => {
    const rules = Array.from({ length: MAX_GATE_RULES + 1 }, () => ({
      type: 'no-open-findings',
    }));
    expect(() => parseGatePolicy({ rules })).toThrow(
      `rules holds 51 rules, more than the limit of ${MAX_GATE_RULES}`,
    );
  });
});

describe('parseGateRequest', () => {
  it('uses the default policy when the body has none', () => {
    expect(parseGateRequest({})).toEqual({ policy: DEFAULT_GATE_POLICY });
    expect(parseGateRequest(undefined)).toEqual({
      policy: DEFAULT_GATE_POLICY,
    });
  });

  it('reads the policy and the pipeline context', () => {
    expect(
      parseGateRequest({
        policy: { rules: [{ type: 'min-level', level: 3 }] },
        source: 'semgrep',
        commit: 'abc123',
        branch: 'main',
      }),
    ).toEqual({
      policy: { rules: [{ type: 'min-level', level: 3 }] },
      source: 'semgrep',
      commit: 'abc123',
      branch: 'main',
    });
  });

  it.each([
    [
      'a string',
      'Invalid gate request: the body must be a JSON object; got "a string"',
    ],
    [
      { policy: { rules: [{ type: 'no-past-sla', severity: 'HIGH' }] } },
      'Invalid gate request: policy.rules[0].severity must be one of critical, high, medium, low, info; got "HIGH"',
    ],
    [
      { policy: [] },
      'Invalid gate request: policy must be an object with rules; got []',
    ],
    [
      { policy: { rule: [] } },
      'Invalid gate request: policy.rule is not a property of a policy; expected rules',
    ],
    [
      { commit: 42 },
      'Invalid gate request: commit must be a non-empty string; got 42',
    ],
    [
      { entityRef: 'component:default/a' },
      'Invalid gate request: entityRef is not a property of the body; expected policy, source, commit, branch',
    ],
    [
      { branch: 'b'.repeat(201) },
      'Invalid gate request: branch must be at most 200 characters long',
    ],
  ])('rejects %j', (body, message) => {
    expect(() => parseGateRequest(body)).toThrow(new InputError(message));
  });
});

describe('describeGateRule', () => {
  it.each<[GateRule, string]>([
    [
      { type: 'no-new-findings', severity: 'high' },
      'No new high or critical finding in the latest scan of each source',
    ],
    [
      { type: 'no-new-findings', severity: 'medium', source: 'semgrep' },
      'No new medium or higher finding in the latest scan of source semgrep',
    ],
    [
      { type: 'no-open-findings', severity: 'critical' },
      'No open critical finding',
    ],
    [
      { type: 'no-open-findings', category: 'secret' },
      'No open secret finding',
    ],
    [
      { type: 'no-open-findings', severity: 'high', category: 'sca' },
      'No open high or critical dependency (SCA) finding',
    ],
    [{ type: 'no-open-findings', severity: 'info' }, 'No open finding'],
    [
      { type: 'no-past-sla', severity: 'low' },
      'No low or higher finding past its SLA',
    ],
    [{ type: 'min-level', level: 3 }, 'Maturity level 3 or higher'],
  ])('describes %j', (rule, description) => {
    expect(describeGateRule(rule)).toBe(description);
  });
});
