import {
  compareSeverity,
  severityFromLabel,
  severityFromScore,
  Severity,
} from './severity';

describe('severityFromScore', () => {
  it.each([
    [10, 'critical'],
    [9.0, 'critical'],
    [8.9, 'high'],
    [7.0, 'high'],
    [6.9, 'medium'],
    [4.0, 'medium'],
    [3.9, 'low'],
    [0.1, 'low'],
    [0, 'info'],
  ])('maps %s to %s', (score, expected) => {
    expect(severityFromScore(score)).toBe(expected);
  });

  it.each([-1, 10.1, Number.NaN])('rejects %s', score => {
    expect(() => severityFromScore(score)).toThrow(RangeError);
  });
});

describe('severityFromLabel', () => {
  it.each([
    ['CRITICAL', 'critical'],
    ['High', 'high'],
    ['moderate', 'medium'],
    ['MEDIUM', 'medium'],
    ['Negligible', 'low'],
    ['note', 'low'],
    ['none', 'info'],
    [' low ', 'low'],
  ])('maps %s to %s', (label, expected) => {
    expect(severityFromLabel(label)).toBe(expected);
  });

  it('has no severity for unknown labels', () => {
    expect(severityFromLabel('UNKNOWN')).toBeUndefined();
    expect(severityFromLabel('')).toBeUndefined();
    expect(severityFromLabel(undefined)).toBeUndefined();
  });

  it('has no severity for the names of Object.prototype properties', () => {
    for (const label of ['constructor', '__proto__', 'toString', 'valueOf']) {
      expect(severityFromLabel(label)).toBeUndefined();
    }
  });
});

describe('compareSeverity', () => {
  it('sorts the most severe first', () => {
    const sorted: Severity[] = ['low', 'critical', 'info', 'medium', 'high'];
    expect(sorted.sort(compareSeverity)).toEqual([
      'critical',
      'high',
      'medium',
      'low',
      'info',
    ]);
  });
});
