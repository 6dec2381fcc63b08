import { ResponseError } from '@backstage/errors';
import {
  daysSince,
  describeOpenFindings,
  dueIn,
  errorMessageOf,
  formatDayCount,
  formatDays,
  levelColour,
  levelLabel,
  levelOfRank,
  looksLikeEntityRef,
  shortRef,
  timeAgo,
} from './format';

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

describe('display helpers', () => {
  const now = Date.parse('2026-11-28T12:00:00.000Z');

  it('says when a finding is due', () => {
    expect(dueIn('2026-12-03T12:00:00.000Z', now)).toBe('in 5 days');
    expect(dueIn('2026-11-25T12:00:00.000Z', now)).toBe('3 days ago');
    expect(dueIn('2026-11-28T15:00:00.000Z', now)).toBe('today');
  });

  it('formats mean times to remediate', () => {
    expect(formatDays(12.46)).toBe('12.5 days');
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(null)).toBe('–');
  });

  it('names levels from the rubric, or by rank without it', () => {
    const levels = [{ rank: 2, name: 'Managed' }];
    expect(levelLabel(levelOfRank(2, levels))).toBe('L2 Managed');
    expect(levelLabel(levelOfRank(3, levels))).toBe('L3 Level 3');
    expect(levelLabel(levelOfRank(0, undefined))).toBe('L0 Not graded');
  });

  it('gives the top colour to ranks beyond the palette', () => {
    expect(levelColour(9)).toEqual(levelColour(5));
    expect(levelColour(-1)).toEqual(levelColour(0));
  });

  it('shortens entity refs in the default namespace', () => {
    expect(shortRef('component:default/payments-api')).toBe('payments-api');
    expect(shortRef('group:acme/payments')).toBe('acme/payments');
  });

  it('tells entity refs from e-mail addresses and names', () => {
    expect(looksLikeEntityRef('user:default/ken.thompson')).toBe(true);
    expect(looksLikeEntityRef('ken.thompson')).toBe(true);
    expect(looksLikeEntityRef('ken@acme.example')).toBe(false);
    expect(looksLikeEntityRef('Ken Thompson')).toBe(false);
  });
});

describe('daysSince', () => {
  const now = Date.parse('2026-11-28T12:00:00.000Z');

  it('counts whole days, never below zero', () => {
    expect(daysSince('2026-11-18T13:00:00.000Z', now)).toBe(9);
    expect(daysSince('2026-11-18T12:00:00.000Z', now)).toBe(10);
    expect(daysSince('2026-12-01T12:00:00.000Z', now)).toBe(0);
    expect(formatDayCount(1)).toBe('1 day');
    expect(formatDayCount(10)).toBe('10 days');
  });
});

describe('errorMessageOf', () => {
  it("gives the backend's message of a response error", async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'InputError', message: 'justification is required' },
          response: { statusCode: 400 },
        }),
        {
          status: 400,
          statusText: 'Bad Request',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );

    expect(errorMessageOf(error)).toBe('justification is required');
    expect(errorMessageOf(new Error('offline'))).toBe('offline');
    expect(errorMessageOf('odd')).toBe('odd');
  });
});
