import { describeOpenFindings, timeAgo } from './format';

describe('timeAgo', () => {
  const now = Date.parse('2026-11-28T12:00:00.000Z');

  it.each([
    ['2026-11-28T11:59:30.000Z', 'just now'],
    ['2026-11-28T11:55:00.000Z', '5 minutes ago'],
    ['2026-11-28T09:00:00.000Z', '3 hours ago'],
    ['2026-11-27T11:00:00.000Z', 'yesterday'],
    ['2026-11-14T12:00:00.000Z', '14 days ago'],
  ])('says %s was %s', (time, expected) => {
    expect(timeAgo(time, now)).toBe(expected);
  });
});

describe('describeOpenFindings', () => {
  it('names the non-zero severities, most severe first', () => {
    expect(
      describeOpenFindings({
        critical: 0,
        high: 2,
        medium: 0,
        low: 7,
        info: 1,
      }),
    ).toBe('2 high, 7 low, 1 info');
    expect(
      describeOpenFindings({
        critical: 0,
        high: 0,
        medium: 0,
        low: 0,
        info: 0,
      }),
    ).toBe('none');
  });
});
