import { Config } from '@backstage/config';
import {
  CheckResult,
  MaturityLevel,
  RubricCheck,
  RubricLevel,
  RubricResponse,
} from '@secdevops/plugin-security-scorecards-common';
import {
  EntityFacts,
  ScorecardCheckType,
} from '@secdevops/plugin-security-scorecards-node';
import {
  DEFAULT_CHECKS,
  DEFAULT_LEVELS,
  DEFAULT_TARGET_LEVEL,
} from './defaultRubric';

/** A check as written in the rubric: its type and parameters. */
export interface RubricCheckDefinition extends RubricCheck {
  params: Record<string, unknown>;
}

/** A rubric check ready to run. */
interface CompiledCheck extends RubricCheck {
  checkType: ScorecardCheckType<unknown>;
  params: unknown;
}

/** The graded result of one entity. */
export interface Grade {
  level: MaturityLevel;
  score: number;
  reason?: string;
  checks: CheckResult[];
}

const LEVEL_ZERO = 'None';

/**
 * The security maturity rubric: levels, and checks that each belong to a
 * level. An entity's level is the highest level whose checks, and the
 * checks of all levels below, pass (checks that do not apply are skipped);
 * its score is the weighted share of the applicable checks that pass.
 */
export class Rubric {
  /**
   * The default rubric, replaced or extended by `securityScorecards.rubric`.
   * Errors name the config key at fault.
   */
  static fromConfig(
    config: Config,
    checkTypes: ReadonlyMap<string, ScorecardCheckType<any>>,
  ): Rubric {
    const rubric = config.getOptionalConfig('securityScorecards.rubric');
    const replace = rubric?.getOptionalBoolean('replaceDefault') ?? false;

    const levels = new Map<number, RubricLevel>(
      (replace ? [] : DEFAULT_LEVELS).map(level => [level.rank, level]),
    );
    for (const [index, level] of (
      rubric?.getOptionalConfigArray('levels') ?? []
    ).entries()) {
      const rank = level.getNumber('rank');
      if (!Number.isInteger(rank) || rank < 1) {
        throw new Error(
          `securityScorecards.rubric.levels[${index}].rank must be a whole number from 1`,
        );
      }
      levels.set(rank, {
        rank,
        name: level.getString('name'),
        ...(level.getOptionalString('description')
          ? { description: level.getString('description') }
          : {}),
      });
    }

    const checks = new Map<string, RubricCheckDefinition>(
      (replace ? [] : DEFAULT_CHECKS).map(check => [check.id, check]),
    );
    for (const [index, check] of (
      rubric?.getOptionalConfigArray('checks') ?? []
    ).entries()) {
      const place = `securityScorecards.rubric.checks[${index}]`;
      const id = check.getString('id');
      if (check.getOptionalBoolean('enabled') === false) {
        checks.delete(id);
        continue;
      }
      const base = checks.get(id);
      const read = <T>(key: string, get: (key: string) => T | undefined) =>
        check.has(key) ? get(key) : undefined;
      const definition = {
        ...base,
        id,
        level: read('level', k => check.getNumber(k)) ?? base?.level,
        title: read('title', k => check.getString(k)) ?? base?.title,
        description:
          read('description', k => check.getString(k)) ??
          base?.description ??
          '',
        guidance:
          read('guidance', k => check.getString(k)) ?? base?.guidance ?? '',
        type: read('type', k => check.getString(k)) ?? base?.type,
        weight: read('weight', k => check.getNumber(k)) ?? base?.weight ?? 1,
        practice: read('practice', k => check.getString(k)) ?? base?.practice,
        dsomm: check.has('dsomm')
          ? {
              activity: check.getString('dsomm.activity'),
              ...(check.getOptionalString('dsomm.url')
                ? { url: check.getString('dsomm.url') }
                : {}),
            }
          : base?.dsomm,
        params: check.has('params')
          ? (check.get('params') as Record<string, unknown>)
          : base?.params ?? {},
      };
      for (const key of ['level', 'title', 'type'] as const) {
        if (definition[key] === undefined) {
          throw new Error(`${place}.${key} is required for a new check`);
        }
      }
      checks.set(id, definition as RubricCheckDefinition);
    }

    const targetLevel =
      rubric?.getOptionalNumber('targetLevel') ?? DEFAULT_TARGET_LEVEL;
    return new Rubric(
      [...levels.values()],
      [...checks.values()],
      checkTypes,
      targetLevel,
    );
  }

  readonly levels: RubricLevel[];
  readonly targetLevel: number;
  private readonly checks: CompiledCheck[];

  constructor(
    levels: RubricLevel[],
    checks: RubricCheckDefinition[],
    checkTypes: ReadonlyMap<string, ScorecardCheckType<any>>,
    targetLevel: number = DEFAULT_TARGET_LEVEL,
  ) {
    this.levels = [...levels].sort((a, b) => a.rank - b.rank);
    const ranks = new Set(this.levels.map(level => level.rank));
    this.checks = checks.map(check => {
      const where = `Rubric check '${check.id}'`;
      if (!ranks.has(check.level)) {
        throw new Error(
          `${where} is at level ${check.level}, which the rubric does not define`,
        );
      }
      if (!(check.weight > 0)) {
        throw new Error(`${where} must have a positive weight`);
      }
      const checkType = checkTypes.get(check.type);
      if (!checkType) {
        throw new Error(
          `${where} has unknown type '${check.type}'; known types: ${[
            ...checkTypes.keys(),
          ].join(', ')}`,
        );
      }
      let params: unknown;
      try {
        params = checkType.parseParams(check.params ?? {});
      } catch (error) {
        throw new Error(
          `${where} (${check.type}) has invalid params: ${
            (error as Error).message
          }`,
        );
      }
      const { params: _raw, ...rest } = check;
      return { ...rest, checkType, params };
    });
    const ids = new Set<string>();
    for (const check of this.checks) {
      if (ids.has(check.id)) {
        throw new Error(`Rubric check id '${check.id}' is used twice`);
      }
      ids.add(check.id);
    }
    this.targetLevel = targetLevel;
  }

  /** Check ids in rubric order. */
  get checkIds(): string[] {
    return this.checks.map(check => check.id);
  }

  describe(): RubricResponse {
    return {
      levels: this.levels,
      checks: this.checks.map(
        ({ checkType: _type, params: _p, ...check }) => check,
      ),
      targetLevel: this.targetLevel,
    };
  }

  levelOf(rank: number): MaturityLevel {
    if (rank === 0) return { rank: 0, name: LEVEL_ZERO };
    const level = this.levels.find(candidate => candidate.rank === rank);
    return { rank, name: level?.name ?? `Level ${rank}` };
  }

  /** Evaluates every check and grades the entity. */
  grade(facts: EntityFacts): Grade {
    const checks: CheckResult[] = this.checks.map(check => {
      let outcome;
      try {
        outcome = check.checkType.evaluate(facts, check.params);
      } catch (error) {
        outcome = {
          status: 'fail' as const,
          evidence: `The check could not be evaluated: ${
            (error as Error).message
          }`,
        };
      }
      return {
        id: check.id,
        title: check.title,
        level: check.level,
        status: outcome.status,
        evidence: outcome.evidence,
        guidance: check.guidance,
        ...(check.description ? { description: check.description } : {}),
        ...(check.practice ? { practice: check.practice } : {}),
        ...(check.dsomm ? { dsomm: check.dsomm } : {}),
      };
    });

    let weightApplicable = 0;
    let weightPassed = 0;
    checks.forEach((result, index) => {
      if (result.status === 'not-applicable') return;
      weightApplicable += this.checks[index].weight;
      if (result.status === 'pass') weightPassed += this.checks[index].weight;
    });
    const score =
      weightApplicable === 0
        ? 0
        : Math.round((weightPassed / weightApplicable) * 1000) / 10;

    if (!facts.hasScans) {
      return {
        level: this.levelOf(0),
        score,
        reason:
          'No scan has been received for this entity yet: upload a report to grade it',
        checks,
      };
    }

    let rank = 0;
    for (const level of this.levels) {
      const failing = checks.some(
        check => check.level <= level.rank && check.status === 'fail',
      );
      if (failing) break;
      rank = level.rank;
    }
    return { level: this.levelOf(rank), score, checks };
  }
}
