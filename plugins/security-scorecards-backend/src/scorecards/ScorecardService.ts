import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ChildGroupRollup,
  ComplianceRow,
  EntityScorecard,
  GroupScorecard,
  RollupEntity,
  ScorecardHistoryPoint,
  ScorecardRollupStats,
  ScoreTrend,
  SEVERITIES,
  Severity,
  DAY_MS,
} from '@secdevops/plugin-security-scorecards-common';
import { CatalogEntityCache } from '../catalog/CatalogEntityCache';
import { EntityFilter } from '../catalog/EntityFilter';
import { GroupTree } from '../catalog/GroupTree';
import { Rubric } from './rubric';
import {
  addTotals,
  dayOf,
  emptyTotals,
  EvaluatedEntity,
  HistoryPoint,
  openCountsOf,
  ORGANIZATION_SUBJECT,
  pastSlaOf,
  RollupScope,
  RollupTotals,
  ScorecardDatabase,
  UNOWNED_BUCKET,
} from './ScorecardDatabase';

const LOWEST_ENTITIES = 10;
const TREND_DAYS = 90;
/** The compliance column of entities owned by the group itself. */
const SELF_COLUMN = 'self';
/** The compliance column of entities without an owner group, on the organisation page. */
const UNOWNED_COLUMN = 'unowned';
const SECURITY_CHAMPION_ANNOTATION = 'security-scorecards/security-champion';

/**
 * Grades entities against the rubric and answers the scorecard questions:
 * one entity, a group's subtree, the organisation, history and export.
 */
export class ScorecardService {
  private readonly clock: () => Date;

  constructor(
    private readonly options: {
      database: ScorecardDatabase;
      catalogCache: CatalogEntityCache;
      rubric: Rubric;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  get rubric(): Rubric {
    return this.options.rubric;
  }

  private get kinds(): string[] {
    return this.options.catalogCache.kinds;
  }

  /**
   * Re-evaluates every scored entity in a few set-based queries, stores the
   * results and today's history of every entity, group and the organisation.
   */
  async evaluateAll(): Promise<{ entities: number }> {
    const now = this.clock();
    const facts = await this.options.database.loadFacts({
      kinds: this.kinds,
      now,
    });
    const results = facts.map(entityFacts => ({
      facts: entityFacts,
      grade: this.options.rubric.grade(entityFacts),
    }));
    const { changed } = await this.options.database.saveResults(results, now);
    await this.refreshComplianceCounts(changed);
    await this.saveGroupHistory(results, now);
    return { entities: results.length };
  }

  /** Re-evaluates one entity, e.g. after a scan of it was stored. */
  async evaluateEntity(entity: Entity): Promise<void> {
    const cached = await this.options.catalogCache.upsert(entity);
    if (!this.kinds.includes(cached.kind)) return;
    await this.evaluateEntityRefs([cached.entityRef]);
  }

  /**
   * Re-evaluates entities already in the catalog cache, e.g. after a waiver
   * changed their findings.
   */
  async evaluateEntityRefs(entityRefs: string[]): Promise<void> {
    const now = this.clock();
    const facts = await this.options.database.loadFacts({
      kinds: this.kinds,
      entityRefs,
      now,
    });
    const { changed } = await this.options.database.saveResults(
      facts.map(entityFacts => ({
        facts: entityFacts,
        grade: this.options.rubric.grade(entityFacts),
      })),
      now,
    );
    await this.refreshComplianceCounts(changed);
  }

  /** Recounts the compliance figures of the groups owning changed entities. */
  private async refreshComplianceCounts(changed: string[]): Promise<void> {
    if (changed.length === 0) return;
    // Past a few hundred entities one recount of everything is cheaper.
    await this.options.database.refreshComplianceCounts(
      this.kinds,
      changed.length <= 500 ? changed : undefined,
    );
  }

  /**
   * Recounts the rollups' per-group figures after the catalog cache changed
   * owners, or entities left or came back.
   */
  async catalogRefreshed(): Promise<void> {
    await this.options.database.refreshComplianceCounts(this.kinds);
  }

  async getEntityScorecard(entityRef: string): Promise<EntityScorecard> {
    const entity = await this.options.catalogCache.get(entityRef);
    if (!entity || !this.kinds.includes(entity.kind)) {
      throw new NotFoundError(
        entity
          ? `${entityRef} is a ${
              entity.kind
            }; scorecards are kept for ${this.kinds.join(', ')}`
          : `No scorecard for ${entityRef}: it is not in the catalog, or the catalog was not read yet`,
      );
    }
    let stored = await this.options.database.getScorecard(entityRef);
    if (!stored) {
      await this.evaluateEntityRefs([entityRef]);
      stored = await this.options.database.getScorecard(entityRef);
    }
    if (!stored) throw new NotFoundError(`No scorecard for ${entityRef}`);
    const history = await this.history(entityRef, TREND_DAYS);
    return {
      entityRef,
      level: this.options.rubric.levelOf(stored.levelRank),
      score: stored.score,
      ...(stored.reason ? { reason: stored.reason } : {}),
      checks: stored.checks,
      openFindings: stored.openFindings,
      pastSla: stored.pastSla,
      lastScans: stored.lastScans,
      ...(entity.ownerRef ? { ownerRef: entity.ownerRef } : {}),
      ...(entity.annotations[SECURITY_CHAMPION_ANNOTATION]
        ? {
            securityChampion: entity.annotations[SECURITY_CHAMPION_ANNOTATION],
          }
        : {}),
      evaluatedAt: stored.evaluatedAt.toISOString(),
      trend: {
        days30: trendOf(history, stored.score, 30, this.clock()),
        days90: trendOf(history, stored.score, 90, this.clock()),
      },
    };
  }

  /**
   * Daily points of an entity, a group (its subtree) or, without a ref, the
   * organisation.
   */
  async history(
    subjectRef: string | undefined,
    days: number,
  ): Promise<ScorecardHistoryPoint[]> {
    const since = dayOf(new Date(this.clock().getTime() - days * DAY_MS));
    const points = await this.options.database.getHistory(
      subjectRef ?? ORGANIZATION_SUBJECT,
      since,
    );
    return points.map(point => ({
      day: point.day,
      score: point.score,
      ...(point.levelRank !== undefined ? { level: point.levelRank } : {}),
      openFindings: point.openFindings,
      pastSla: point.pastSla,
      ...(point.entityCount !== undefined
        ? { entityCount: point.entityCount }
        : {}),
    }));
  }

  /**
   * The rollup of a group's whole subtree, or of the organisation. Its totals
   * count every entity; the lowest entities listed are those `visible`
   * passes (all without it), asked once.
   */
  async getGroupScorecard(options: {
    groupRef?: string;
    targetLevel?: number;
    visible?: EntityFilter;
  }): Promise<GroupScorecard> {
    const targetLevel = options.targetLevel ?? this.options.rubric.targetLevel;
    const tree = new GroupTree(await this.options.catalogCache.listGroups());
    const { scope, columns } = this.scopeOf(tree, options.groupRef);
    const { database, rubric } = this.options;

    const [totalsByBucket, compliance, lowest, trend] = await Promise.all([
      database.rollupTotals(scope, targetLevel),
      database.complianceCounts(scope),
      this.lowestEntitiesOf(scope, options.visible),
      this.history(options.groupRef, TREND_DAYS),
    ]);

    const overall = emptyTotals();
    for (const totals of totalsByBucket.values()) addTotals(overall, totals);
    const children: ChildGroupRollup[] = columns
      .filter(column => column.groupRef)
      .map(column => ({
        groupRef: column.groupRef!,
        ...(tree.get(column.groupRef!)?.title
          ? { title: tree.get(column.groupRef!)!.title }
          : {}),
        ...this.statsOf(totalsByBucket.get(column.bucket) ?? emptyTotals()),
      }));

    const cells = new Map<string, ComplianceRow['cells']>();
    for (const { bucket, checkId, ...counts } of compliance) {
      const column = columns.find(candidate => candidate.bucket === bucket);
      if (!column) continue;
      const row = cells.get(checkId) ?? {};
      cells.set(checkId, row);
      row[column.key] = counts;
    }
    const group = options.groupRef ? tree.get(options.groupRef) : undefined;
    return {
      ...(options.groupRef ? { groupRef: options.groupRef } : {}),
      ...(group?.title ? { title: group.title } : {}),
      targetLevel,
      ...this.statsOf(overall),
      children,
      lowestEntities: lowest.map(row => this.toRollupEntity(row)),
      compliance: rubric.describe().checks.map(check => ({
        checkId: check.id,
        title: check.title,
        level: check.level,
        cells: cells.get(check.id) ?? {},
      })),
      trend,
    };
  }

  /**
   * Every entity of a group's subtree (or the organisation) that `visible`
   * passes (all without it), lowest score first, as CSV.
   */
  async exportCsv(
    groupRef?: string,
    options: { visible?: EntityFilter } = {},
  ): Promise<string> {
    const tree = new GroupTree(await this.options.catalogCache.listGroups());
    const { scope } = this.scopeOf(tree, groupRef);
    const rows = await visibleRows(
      await this.options.database.listScopeEntities(scope),
      options.visible,
    );
    const header = [
      'entityRef',
      'title',
      'owner',
      'levelRank',
      'level',
      'score',
      ...SEVERITIES,
      'pastSla',
      'evaluatedAt',
    ];
    const lines = rows.map(row =>
      [
        row.entityRef,
        row.title ?? '',
        row.ownerRef ?? '',
        row.levelRank,
        this.options.rubric.levelOf(row.levelRank).name,
        row.score,
        ...SEVERITIES.map(severity => row.openFindings[severity]),
        row.pastSla,
        row.evaluatedAt.toISOString(),
      ]
        .map(csvField)
        .join(','),
    );
    return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
  }

  /**
   * The lowest-scoring entities of a scope that `visible` passes. Filtered,
   * the whole scope is read so that one batched check finds the lowest
   * visible ones.
   */
  private async lowestEntitiesOf(
    scope: RollupScope,
    visible: EntityFilter | undefined,
  ) {
    const { database } = this.options;
    if (!visible) return database.listScopeEntities(scope, LOWEST_ENTITIES);
    const rows = await visibleRows(
      await database.listScopeEntities(scope),
      visible,
    );
    return rows.slice(0, LOWEST_ENTITIES);
  }

  /**
   * Which entities a rollup covers and its columns: a group's subtree split
   * by direct child (plus the group's own entities), or the organisation
   * split by top-level group (plus entities without an owner group).
   */
  private scopeOf(
    tree: GroupTree,
    groupRef: string | undefined,
  ): {
    scope: RollupScope;
    columns: Array<{ key: string; bucket: string; groupRef?: string }>;
  } {
    if (groupRef) {
      if (!tree.has(groupRef)) {
        throw new NotFoundError(`No group ${groupRef} in the catalog`);
      }
      return {
        scope: {
          kinds: this.kinds,
          buckets: tree.subtreeBuckets(groupRef),
        },
        columns: [
          ...tree
            .childrenOf(groupRef)
            .map(child => ({ key: child, bucket: child, groupRef: child })),
          { key: SELF_COLUMN, bucket: groupRef },
        ],
      };
    }
    return {
      scope: {
        kinds: this.kinds,
        buckets: tree.rootBuckets(),
        includeUnowned: true,
      },
      columns: [
        ...tree
          .roots()
          .map(root => ({ key: root, bucket: root, groupRef: root })),
        { key: UNOWNED_COLUMN, bucket: UNOWNED_BUCKET },
      ],
    };
  }

  private statsOf(totals: RollupTotals): ScorecardRollupStats {
    const levelDistribution: Record<string, number> = {};
    for (const level of [0, ...this.options.rubric.levels.map(l => l.rank)]) {
      levelDistribution[String(level)] = totals.levelCounts.get(level) ?? 0;
    }
    const mttrDays = Object.fromEntries(
      SEVERITIES.map(severity => {
        const { count, days } = totals.fixed[severity];
        return [
          severity,
          count > 0 ? Math.round((days / count) * 10) / 10 : null,
        ];
      }),
    ) as Record<Severity, number | null>;
    return {
      entityCount: totals.entityCount,
      levelDistribution,
      averageScore:
        totals.entityCount > 0
          ? Math.round((totals.scoreSum / totals.entityCount) * 10) / 10
          : 0,
      atTarget: totals.atTarget,
      shareAtTarget:
        totals.entityCount > 0
          ? Math.round((totals.atTarget / totals.entityCount) * 1000) / 1000
          : 0,
      openFindings: totals.openFindings,
      pastSla: totals.pastSla,
      mttrDays,
    };
  }

  private toRollupEntity(row: {
    entityRef: string;
    title?: string;
    ownerRef?: string;
    levelRank: number;
    score: number;
    openFindings: RollupEntity['openFindings'];
    pastSla: number;
    evaluatedAt: Date;
  }): RollupEntity {
    return {
      entityRef: row.entityRef,
      ...(row.title ? { title: row.title } : {}),
      ...(row.ownerRef ? { ownerRef: row.ownerRef } : {}),
      level: this.options.rubric.levelOf(row.levelRank),
      score: row.score,
      openFindings: row.openFindings,
      pastSla: row.pastSla,
      evaluatedAt: row.evaluatedAt.toISOString(),
    };
  }

  /** Today's history point of every group's subtree and of the organisation. */
  private async saveGroupHistory(
    results: EvaluatedEntity[],
    now: Date,
  ): Promise<void> {
    const tree = new GroupTree(await this.options.catalogCache.listGroups());
    const owners = new Map(
      (await this.options.database.listScoredEntityOwners(this.kinds)).map(
        owner => [owner.entityRef, owner.ownerGroupRef],
      ),
    );
    const totals = new Map<string, RollupTotals>();
    const add = (subject: string, result: EvaluatedEntity) => {
      const into = totals.get(subject) ?? emptyTotals();
      totals.set(subject, into);
      into.entityCount += 1;
      into.scoreSum += result.grade.score;
      into.pastSla += pastSlaOf(result.facts);
      const open = openCountsOf(result.facts);
      for (const severity of SEVERITIES) {
        into.openFindings[severity] += open[severity];
      }
    };
    for (const result of results) {
      add(ORGANIZATION_SUBJECT, result);
      const ownerGroup = owners.get(result.facts.entityRef);
      if (!ownerGroup || !tree.has(ownerGroup)) continue;
      for (const group of tree.chainOf(ownerGroup)) add(group, result);
    }
    const day = dayOf(now);
    const points: HistoryPoint[] = [...totals.entries()].map(
      ([subjectRef, subject]) => ({
        subjectRef,
        day,
        score: Math.round((subject.scoreSum / subject.entityCount) * 10) / 10,
        entityCount: subject.entityCount,
        openFindings: subject.openFindings,
        pastSla: subject.pastSla,
      }),
    );
    await this.options.database.saveHistory(points);
  }
}

/** How the score moved from the oldest point of the period to now. */
function trendOf(
  history: ScorecardHistoryPoint[],
  score: number,
  days: number,
  now: Date,
): ScoreTrend {
  const since = dayOf(new Date(now.getTime() - days * DAY_MS));
  const today = dayOf(now);
  const first = history.find(point => point.day >= since && point.day < today);
  if (!first) return { days, to: score, delta: 0, direction: 'flat' };
  const delta = Math.round((score - first.score) * 10) / 10;
  return {
    days,
    from: first.score,
    to: score,
    delta,
    direction: directionOf(delta),
  };
}

function directionOf(delta: number): ScoreTrend['direction'] {
  if (delta > 0) return 'up';
  return delta < 0 ? 'down' : 'flat';
}

/** The rows of the entities `visible` passes, in order; all without it. */
async function visibleRows<T extends { entityRef: string }>(
  rows: T[],
  visible: EntityFilter | undefined,
): Promise<T[]> {
  if (!visible) return rows;
  const allowed = await visible(rows.map(row => row.entityRef));
  return rows.filter(row => allowed.has(row.entityRef));
}

function csvField(value: string | number): string {
  const text = String(value);
  // Quote fields with separators, and neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Parses a `targetLevel` query value. */
export function parseTargetLevel(
  value: unknown,
  rubric: Rubric,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const ranks = rubric.levels.map(level => level.rank);
  if (
    typeof value !== 'string' ||
    !Number.isInteger(number) ||
    !ranks.includes(number)
  ) {
    throw new InputError(
      `targetLevel must be one of the rubric's level ranks: ${ranks.join(
        ', ',
      )}`,
    );
  }
  return number;
}
