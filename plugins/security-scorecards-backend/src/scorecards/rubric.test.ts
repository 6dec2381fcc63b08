import { ConfigReader } from '@backstage/config';
import {
  CheckOutcome,
  EntityFacts,
  ScorecardCheckType,
} from '@secdevops/plugin-security-scorecards-node';
import { builtInCheckTypes } from './checkTypes';
import { DEFAULT_CHECKS } from './defaultRubric';
import { Rubric } from './rubric';

/** A check type whose outcome the test sets per check id. */
function scriptedCheckType(
  outcomes: Record<string, CheckOutcome['status']>,
): ScorecardCheckType<{ id: string }> {
  return {
    type: 'scripted',
    description: 'Answers what the test says',
    parseParams: params => ({ id: String(params.id) }),
    evaluate: (_facts, { id }) => ({
      status: outcomes[id] ?? 'pass',
      evidence: `scripted ${id}`,
    }),
  };
}

const facts = {
  entityRef: 'component:default/payments',
  hasScans: true,
} as EntityFacts;

function rubricOf(outcomes: Record<string, CheckOutcome['status']>) {
  const check = (id: string, level: number, weight = 1) => ({
    id,
    level,
    weight,
    title: id,
    description: '',
    guidance: `fix ${id}`,
    type: 'scripted',
    params: { id },
  });
  return new Rubric(
    [
      { rank: 1, name: 'Baseline' },
      { rank: 2, name: 'Managed' },
      { rank: 3, name: 'Defined' },
    ],
    [check('a', 1, 3), check('b', 1), check('c', 2), check('d', 3)],
    new Map([['scripted', scriptedCheckType(outcomes)]]),
  );
}

describe('Rubric.grade', () => {
  it('reaches the highest level whose checks and all below pass', () => {
    expect(rubricOf({}).grade(facts).level).toEqual({
      rank: 3,
      name: 'Defined',
    });
    expect(rubricOf({ d: 'fail' }).grade(facts).level.rank).toBe(2);
    // A failing level-1 check keeps the entity at level 0, even though the
    // checks of levels 2 and 3 pass.
    expect(rubricOf({ b: 'fail' }).grade(facts).level).toEqual({
      rank: 0,
      name: 'None',
    });
  });

  it('does not count checks that do not apply', () => {
    const grade = rubricOf({ c: 'not-applicable' }).grade(facts);
    expect(grade.level.rank).toBe(3);
    expect(grade.score).toBe(100);
  });

  it('scores the weighted share of applicable checks that pass', () => {
    // Weights a=3, b=1, c=1, d=1; a fails: 3 of 6.
    expect(rubricOf({ a: 'fail' }).grade(facts).score).toBe(50);
    // b fails and d does not apply: 4 of 5.
    expect(
      rubricOf({ b: 'fail', d: 'not-applicable' }).grade(facts).score,
    ).toBe(80);
  });

  it('puts an entity without any scan at level 0 and says why', () => {
    const grade = rubricOf({}).grade({ ...facts, hasScans: false });
    expect(grade.level.rank).toBe(0);
    expect(grade.reason).toMatch(/No scan has been received/);
  });

  it('reports a check that throws as failing, with the error', () => {
    const rubric = new Rubric(
      [{ rank: 1, name: 'Baseline' }],
      [
        {
          id: 'broken',
          level: 1,
          weight: 1,
          title: 'Broken',
          description: '',
          guidance: '',
          type: 'broken',
          params: {},
        },
      ],
      new Map([
        [
          'broken',
          {
            type: 'broken',
            description: '',
            parseParams: () => ({}),
            evaluate: () => {
              throw new Error('no data');
            },
          },
        ],
      ]),
    );
    expect(rubric.grade(facts).checks[0]).toMatchObject({
      status: 'fail',
      evidence: 'The check could not be evaluated: no data',
    });
  });
});

describe('Rubric.fromConfig', () => {
  const checkTypes = new Map(
    builtInCheckTypes.map(checkType => [checkType.type, checkType]),
  );
  const fromConfig = (rubric: object) =>
    Rubric.fromConfig(
      new ConfigReader({ securityScorecards: { rubric } }),
      checkTypes,
    );

  it('ships the default rubric: four levels and every check', () => {
    const rubric = Rubric.fromConfig(
      new ConfigReader({}),
      checkTypes,
    ).describe();
    expect(rubric.levels.map(level => level.name)).toEqual([
      'Baseline',
      'Managed',
      'Defined',
      'Optimizing',
    ]);
    expect(rubric.checks.map(check => check.id)).toEqual(
      DEFAULT_CHECKS.map(check => check.id),
    );
    expect(rubric.targetLevel).toBe(2);
    for (const check of rubric.checks) {
      expect(check.guidance).not.toBe('');
      expect(check.practice).toBeDefined();
    }
  });

  it('changes, removes and adds checks, and renames levels', () => {
    const rubric = fromConfig({
      targetLevel: 3,
      levels: [{ rank: 4, name: 'Excellent' }],
      checks: [
        {
          id: 'sast-scan-fresh',
          params: { categories: ['sast'], maxAgeDays: 7 },
        },
        { id: 'runtime-protection', enabled: false },
        {
          id: 'container-scanned',
          level: 2,
          type: 'scan-freshness',
          title: 'Container image scanned',
          params: { categories: ['container'], onlyWhenPresent: true },
        },
      ],
    }).describe();
    expect(rubric.targetLevel).toBe(3);
    expect(rubric.levels[3].name).toBe('Excellent');
    const ids = rubric.checks.map(check => check.id);
    expect(ids).not.toContain('runtime-protection');
    expect(ids).toContain('container-scanned');
    // Only the given fields change.
    expect(
      rubric.checks.find(check => check.id === 'sast-scan-fresh'),
    ).toMatchObject({ title: 'SAST scan within 14 days', level: 2 });
  });

  it('replaces the default rubric', () => {
    const rubric = fromConfig({
      replaceDefault: true,
      levels: [{ rank: 1, name: 'Basic' }],
      checks: [{ id: 'owner', level: 1, type: 'has-owner', title: 'Owned' }],
    }).describe();
    expect(rubric.checks.map(check => check.id)).toEqual(['owner']);
    expect(rubric.levels).toEqual([{ rank: 1, name: 'Basic' }]);
  });

  it('names the check and parameter that are wrong', () => {
    expect(() =>
      fromConfig({ checks: [{ id: 'x', level: 1, title: 'X', type: 'nope' }] }),
    ).toThrow("Rubric check 'x' has unknown type 'nope'");
    expect(() =>
      fromConfig({
        checks: [{ id: 'sca-scan-fresh', params: { categories: ['code'] } }],
      }),
    ).toThrow(
      "Rubric check 'sca-scan-fresh' (scan-freshness) has invalid params: 'categories' must be one or more of",
    );
    expect(() =>
      fromConfig({ checks: [{ id: 'x', type: 'has-owner', title: 'X' }] }),
    ).toThrow(
      'securityScorecards.rubric.checks[0].level is required for a new check',
    );
    expect(() =>
      fromConfig({
        checks: [{ id: 'x', level: 9, type: 'has-owner', title: 'X' }],
      }),
    ).toThrow(
      "Rubric check 'x' is at level 9, which the rubric does not define",
    );
  });
});
