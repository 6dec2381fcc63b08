import { describeScope, waiverRequestOf } from './scope';

describe('describeScope', () => {
  it.each([
    [{ findingId: 'f-1' }, 'finding', 'Finding', 'f-1'],
    [{ ruleId: 'CVE-2021-23337' }, 'rule', 'Rule', 'CVE-2021-23337'],
    [{ purl: 'pkg:npm/lodash' }, 'package', 'Package', 'pkg:npm/lodash'],
  ])('names %j', (scope, type, label, value) => {
    expect(describeScope(scope)).toEqual({ type, label, value });
  });
});

describe('waiverRequestOf', () => {
  it('sends exactly one scope field, trimmed, and the VEX justification only when given', () => {
    expect(
      waiverRequestOf({
        entityRef: 'component:default/payments',
        scopeType: 'package',
        value: ' pkg:npm/lodash ',
        justification: ' Build time only ',
        expiresAt: '2026-12-31T22:59:59.999Z',
      }),
    ).toEqual({
      entityRef: 'component:default/payments',
      purl: 'pkg:npm/lodash',
      justification: 'Build time only',
      expiresAt: '2026-12-31T22:59:59.999Z',
    });
  });
});
