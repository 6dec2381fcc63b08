import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CheckResult,
  CheckStatus,
  emptySeverityCounts,
  FindingCategory,
  SEVERITIES,
  Severity,
  SeverityCounts,
  DAY_MS,
} from '@secdevops/plugin-security-scorecards-common';
import {
  EntityFacts,
  OpenFindingFacts,
} from '@secdevops/plugin-security-scorecards-node';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import {
  batches,
  bulkInsert,
  upsertClause,
  isPostgres,
  migratedDatabaseClient,
  timestampValue,
  toDate,
} from '../database/sql';
import { SlaPolicy } from '../sla/SlaPolicy';
import { slaCutoffSql } from '../sla/slaSql';
import { Grade } from './rubric';

/** The subject of the organisation-wide history points. */
export const ORGANIZATION_SUBJECT = 'organization';

/** The stored scorecard of an entity. */
export interface StoredScorecard {
  entityRef: string;
  levelRank: number;
  score: number;
  reason?: string;
  checks: CheckResult[];
  openFindings: SeverityCounts;
  pastSla: number;
  lastScans: Partial<Record<FindingCategory, string>>;
  evaluatedAt: Date;
}

/** A result to store: the grade and the facts it was made from. */
export interface EvaluatedEntity {
  facts: EntityFacts;
  grade: Grade;
}

/** Per-severity counts and sums as the rollup queries return them. */
export interface RollupTotals {
  entityCount: number;
  levelCounts: Map<number, number>;
  scoreSum: number;
  atTarget: number;
  openFindings: SeverityCounts;
  pastSla: number;
  fixed: Record<Severity, { count: number; days: number }>;
}

/** One entity of a rollup listing. */
export interface RollupEntityRow {
  entityRef: string;
  title?: string;
  ownerRef?: string;
  levelRank: number;
  score: number;
  openFindings: SeverityCounts;
  pastSla: number;
  evaluatedAt: Date;
}

/** A history point to store. */
export interface HistoryPoint {
  subjectRef: string;
  day: string;
  levelRank?: number;
  score: number;
  entityCount?: number;
  openFindings: SeverityCounts;
  pastSla: number;
}

/** The bucket of entities whose owner group is not in a scope's map. */
export const UNOWNED_BUCKET = '';

/**
 * Which entities a rollup covers and how they are split: `buckets` maps the
 * owner group of an entity to the bucket (child group) it counts for. With
 * `includeUnowned`, entities whose owner group is not in the map count too,
 * in {@link UNOWNED_BUCKET}.
 */
export interface RollupScope {
  kinds: string[];
  buckets: Map<string, string>;
  includeUnowned?: boolean;
}

export function emptyTotals(): RollupTotals {
  return {
    entityCount: 0,
    levelCounts: new Map(),
    scoreSum: 0,
    atTarget: 0,
    openFindings: emptySeverityCounts(),
    pastSla: 0,
    fixed: Object.fromEntries(
      SEVERITIES.map(severity => [severity, { count: 0, days: 0 }]),
    ) as RollupTotals['fixed'],
  };
}

export function addTotals(into: RollupTotals, from: RollupTotals): void {
  into.entityCount += from.entityCount;
  for (const [rank, count] of from.levelCounts) {
    into.levelCounts.set(rank, (into.levelCounts.get(rank) ?? 0) + count);
  }
  into.scoreSum += from.scoreSum;
  into.atTarget += from.atTarget;
  into.pastSla += from.pastSla;
  for (const severity of SEVERITIES) {
    into.openFindings[severity] += from.openFindings[severity];
    into.fixed[severity].count += from.fixed[severity].count;
    into.fixed[severity].days += from.fixed[severity].days;
  }
}

type ScorecardRow = {
  entity_ref: string;
  level_rank: number;
  score: number;
  reason: string | null;
  checks: string;
  open_critical: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_info: number;
  past_sla: number;
  last_scans: string;
  result_sha256: string;
  evaluated_at: Date | string | number;
  changed_at: Date | string | number;
} & Record<string, unknown>;

const scorecardColumns = [
  'entity_ref',
  'level_rank',
  'score',
  'reason',
  'checks',
  ...SEVERITIES.map(severity => `open_${severity}`),
  'past_sla',
  ...SEVERITIES.flatMap(severity => [
    `fixed_90d_${severity}`,
    `fixed_90d_days_${severity}`,
  ]),
  'last_scans',
  'result_sha256',
  'evaluated_at',
  'changed_at',
];

const historyColumns = [
  'subject_ref',
  'day',
  'level_rank',
  'score',
  'entity_count',
  ...SEVERITIES.map(severity => `open_${severity}`),
  'past_sla',
];

/** `YYYY-MM-DD` of a time, in UTC. */
export function dayOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/**
 * Storage of scorecards: the facts the rubric reads, computed for many
 * entities at once in a few grouped queries; the results; daily history; and
 * the grouped queries of the rollups.
 */
export class ScorecardDatabase {
  static async create(options: {
    database: DatabaseService;
    sla: SlaPolicy;
  }): Promise<ScorecardDatabase> {
    return new ScorecardDatabase(
      await migratedDatabaseClient(options.database),
      options.sla,
    );
  }

  constructor(private readonly db: Knex, private readonly sla: SlaPolicy) {}

  /** Refs of the scored entities that are in the catalog. */
  async listEntityRefs(kinds: string[]): Promise<string[]> {
    const rows = await this.db('catalog_entities')
      .whereIn('kind', kinds)
      .whereNull('missing_since')
      .orderBy('entity_ref')
      .select('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  /**
   * The facts of the given entities (all scored entities in the catalog when
   * `entityRefs` is absent), each fact computed for every entity in one
   * grouped query.
   */
  async loadFacts(options: {
    kinds: string[];
    entityRefs?: string[];
    now: Date;
  }): Promise<EntityFacts[]> {
    const { now } = options;
    const entityQuery = this.db('catalog_entities')
      .whereIn('kind', options.kinds)
      .whereNull('missing_since')
      .select('entity_ref', 'kind', 'title', 'owner_ref', 'annotations');
    if (options.entityRefs)
      entityQuery.whereIn('entity_ref', options.entityRefs);
    const entityRows = await entityQuery;
    const facts = new Map<string, EntityFacts>();
    for (const row of entityRows) {
      facts.set(row.entity_ref, {
        entityRef: row.entity_ref,
        kind: row.kind,
        ...(row.title ? { title: row.title } : {}),
        ...(row.owner_ref ? { ownerRef: row.owner_ref } : {}),
        annotations: JSON.parse(row.annotations),
        now,
        openFindings: [],
        lastScans: {},
        dependencyCount: 0,
        hasScans: false,
        fixedLast90Days: Object.fromEntries(
          SEVERITIES.map(severity => [severity, { count: 0, totalDays: 0 }]),
        ) as EntityFacts['fixedLast90Days'],
        slaDays: { ...this.sla.days },
        gateRuns: { count: 0 },
        scoreHistory: {},
      });
    }
    if (facts.size === 0) return [];
    // A few entities are read by ref; many, by reading all and keeping theirs.
    const wanted =
      options.entityRefs && options.entityRefs.length <= 500
        ? options.entityRefs
        : undefined;
    const scoped = (query: Knex.QueryBuilder) =>
      restrictTo(query, 'entity_ref', wanted);

    const [openRows, fixedRows, scanRows, dependencyRows, gateRows] =
      await Promise.all([
        scoped(this.openFindingsQuery(now)),
        scoped(this.fixedFindingsQuery(now)),
        scoped(
          // A failed scan is no evidence that anything was scanned.
          this.db('scans')
            .where('status', 'succeeded')
            .groupBy('entity_ref', 'categories', 'scanner')
            .select('entity_ref', 'categories', 'scanner')
            .max({ at: 'created_at' }),
        ),
        scoped(
          this.db('dependencies')
            .groupBy('entity_ref')
            .select('entity_ref')
            .count({ count: '*' }),
        ),
        scoped(
          this.db('gate_runs')
            .where(
              'created_at',
              '>=',
              timestampValue(this.db, new Date(now.getTime() - 90 * DAY_MS)),
            )
            .groupBy('entity_ref')
            .select('entity_ref')
            .count({ count: '*' })
            .max({ latest_at: 'created_at' })
            .select(
              this.db.raw(
                'MAX(CASE WHEN passed = ? THEN created_at END) AS latest_passed_at',
                [true],
              ),
            ),
        ),
      ]);

    for (const row of openRows) {
      const entity = facts.get(row.entity_ref);
      if (!entity) continue;
      const knownExploited = Boolean(row.known_exploited);
      const group: OpenFindingFacts = {
        category: row.category,
        severity: row.severity,
        slaSeverity: this.sla.slaSeverity(row.severity, knownExploited),
        knownExploited,
        count: Number(row.count),
        pastSla: Number(row.past_sla),
        oldestFirstSeenAt: toDate(row.oldest),
      };
      entity.openFindings.push(group);
    }
    for (const row of fixedRows) {
      const entity = facts.get(row.entity_ref);
      if (!entity) continue;
      entity.fixedLast90Days[row.severity as Severity] = {
        count: Number(row.count),
        totalDays: Number(row.days),
      };
    }
    for (const row of scanRows) {
      const entity = facts.get(row.entity_ref);
      if (!entity) continue;
      entity.hasScans = true;
      const at = toDate(row.at);
      for (const category of String(row.categories)
        .split(',')
        .filter(Boolean) as FindingCategory[]) {
        const known = entity.lastScans[category];
        if (!known || known.at < at) {
          entity.lastScans[category] = { at, scanner: row.scanner };
        }
      }
    }
    for (const row of dependencyRows) {
      const entity = facts.get(row.entity_ref);
      if (entity) entity.dependencyCount = Number(row.count);
    }
    for (const row of gateRows) {
      const entity = facts.get(row.entity_ref);
      if (!entity || row.latest_at === null) continue;
      const latestAt = toDate(row.latest_at);
      entity.gateRuns = {
        count: Number(row.count),
        latestAt,
        latestPassed:
          row.latest_passed_at !== null &&
          toDate(row.latest_passed_at).getTime() === latestAt.getTime(),
      };
    }
    await this.loadScoreHistory(facts, now, wanted);
    return [...facts.values()];
  }

  /** Open findings per entity, category, severity and exploitation, with past-SLA counts. */
  private openFindingsQuery(now: Date): Knex.QueryBuilder {
    const dueBefore = slaCutoffSql(this.db, this.sla, now, 'breachedBefore');
    return this.db('findings')
      .where('status', 'open')
      .groupBy('entity_ref', 'category', 'severity', 'known_exploited')
      .select('entity_ref', 'category', 'severity', 'known_exploited')
      .count({ count: '*' })
      .min({ oldest: 'first_seen_at' })
      .select(
        this.db.raw(
          `SUM(CASE WHEN first_seen_at < ${dueBefore.sql} THEN 1 ELSE 0 END) AS past_sla`,
          dueBefore.bindings,
        ),
      );
  }

  /** Findings fixed in the last 90 days per entity and severity, with the days they were open. */
  private fixedFindingsQuery(now: Date): Knex.QueryBuilder {
    const openDays = isPostgres(this.db)
      ? 'EXTRACT(EPOCH FROM (fixed_at - first_seen_at)) / 86400.0'
      : '(fixed_at - first_seen_at) / 86400000.0';
    return this.db('findings')
      .where('status', 'fixed')
      .where(
        'fixed_at',
        '>=',
        timestampValue(this.db, new Date(now.getTime() - 90 * DAY_MS)),
      )
      .groupBy('entity_ref', 'severity')
      .select('entity_ref', 'severity')
      .count({ count: '*' })
      .select(this.db.raw(`SUM(${openDays}) AS days`));
  }

  /** The score of the previous evaluation, and the oldest point of the last 30 days. */
  private async loadScoreHistory(
    facts: Map<string, EntityFacts>,
    now: Date,
    wanted: string[] | undefined,
  ): Promise<void> {
    const scoped = (query: Knex.QueryBuilder, column: string) =>
      restrictTo(query, column, wanted);
    const today = dayOf(now);
    const since = dayOf(new Date(now.getTime() - 30 * DAY_MS));
    const oldest = scoped(
      this.db('scorecard_history')
        .where('day', '>=', since)
        .where('day', '<', today)
        .groupBy('subject_ref')
        .select('subject_ref')
        .min({ day: 'day' }),
      'subject_ref',
    ).as('oldest');
    const [current, past] = await Promise.all([
      scoped(
        this.db('entity_scorecards').select('entity_ref', 'score'),
        'entity_ref',
      ),
      this.db('scorecard_history as h')
        .join(oldest, join =>
          join
            .on('oldest.subject_ref', '=', 'h.subject_ref')
            .andOn('oldest.day', '=', 'h.day'),
        )
        .select('h.subject_ref', 'h.day', 'h.score'),
    ]);
    for (const row of current) {
      const entity = facts.get(row.entity_ref);
      if (entity) entity.scoreHistory.current = Number(row.score);
    }
    for (const row of past) {
      const entity = facts.get(row.subject_ref);
      if (entity) {
        entity.scoreHistory.thirtyDaysAgo = {
          day: row.day,
          score: Number(row.score),
        };
      }
    }
  }

  /**
   * Stores results: rows whose result changed are rewritten with their check
   * rows; the others only get the evaluation time. Also writes today's
   * history point of each entity. Returns the entities whose result changed.
   */
  async saveResults(
    results: EvaluatedEntity[],
    now: Date,
  ): Promise<{ changed: string[] }> {
    if (results.length === 0) return { changed: [] };
    const refs = results.map(result => result.facts.entityRef);
    const known = new Map<string, string>();
    for (const batch of batches(refs, 500)) {
      const rows = await this.db('entity_scorecards')
        .whereIn('entity_ref', batch)
        .select('entity_ref', 'result_sha256');
      for (const row of rows) known.set(row.entity_ref, row.result_sha256);
    }

    const timestamp = timestampValue(this.db, now);
    const changed: ScorecardRow[] = [];
    const unchanged: string[] = [];
    const history: HistoryPoint[] = [];
    for (const { facts, grade } of results) {
      const row = toScorecardRow(facts, grade, timestamp);
      if (known.get(row.entity_ref) === row.result_sha256) {
        unchanged.push(row.entity_ref);
      } else {
        changed.push(row);
      }
      history.push({
        subjectRef: facts.entityRef,
        day: dayOf(now),
        levelRank: grade.level.rank,
        score: grade.score,
        openFindings: openCountsOf(facts),
        pastSla: pastSlaOf(facts),
      });
    }

    await this.db.transaction(async tx => {
      for (const batch of batches(changed, 1000)) {
        await bulkInsert(
          tx,
          'entity_scorecards',
          scorecardColumns,
          batch,
          upsertClause(['entity_ref'], scorecardColumns),
        );
        const batchRefs = batch.map(row => row.entity_ref);
        for (const refs500 of batches(batchRefs, 500)) {
          await tx('entity_check_results')
            .whereIn('entity_ref', refs500)
            .delete();
        }
        await bulkInsert(
          tx,
          'entity_check_results',
          ['entity_ref', 'check_id', 'status'],
          batch.flatMap(row =>
            (JSON.parse(row.checks) as CheckResult[]).map(check => ({
              entity_ref: row.entity_ref,
              check_id: check.id,
              status: check.status,
            })),
          ),
          '',
        );
      }
      for (const batch of batches(unchanged, 500)) {
        await tx('entity_scorecards')
          .whereIn('entity_ref', batch)
          .update({ evaluated_at: timestamp });
      }
      await this.writeHistory(tx, history);
    });
    return { changed: changed.map(row => row.entity_ref) };
  }

  /** Upserts history points (one per subject and day). */
  async saveHistory(points: HistoryPoint[]): Promise<void> {
    await this.db.transaction(tx => this.writeHistory(tx, points));
  }

  private async writeHistory(
    tx: Knex.Transaction,
    points: HistoryPoint[],
  ): Promise<void> {
    const rows = points.map(point => ({
      subject_ref: point.subjectRef,
      day: point.day,
      level_rank: point.levelRank ?? null,
      score: point.score,
      entity_count: point.entityCount ?? null,
      ...Object.fromEntries(
        SEVERITIES.map(severity => [
          `open_${severity}`,
          point.openFindings[severity],
        ]),
      ),
      past_sla: point.pastSla,
    }));
    for (const batch of batches(rows, 2000)) {
      await bulkInsert(
        tx,
        'scorecard_history',
        historyColumns,
        batch,
        upsertClause(['subject_ref', 'day'], historyColumns),
      );
    }
  }

  async getScorecard(entityRef: string): Promise<StoredScorecard | undefined> {
    const row: ScorecardRow | undefined = await this.db('entity_scorecards')
      .where({ entity_ref: entityRef })
      .first();
    if (!row) return undefined;
    return {
      entityRef: row.entity_ref,
      levelRank: Number(row.level_rank),
      score: Number(row.score),
      ...(row.reason ? { reason: row.reason } : {}),
      checks: JSON.parse(row.checks),
      openFindings: severityCountsOf(row, 'open_'),
      pastSla: Number(row.past_sla),
      lastScans: JSON.parse(row.last_scans),
      evaluatedAt: toDate(row.evaluated_at),
    };
  }

  /** History points of an entity or group from `sinceDay` on, oldest first. */
  async getHistory(
    subjectRef: string,
    sinceDay: string,
  ): Promise<HistoryPoint[]> {
    const rows = await this.db('scorecard_history')
      .where({ subject_ref: subjectRef })
      .where('day', '>=', sinceDay)
      .orderBy('day', 'asc');
    return rows.map(row => ({
      subjectRef: row.subject_ref,
      day: row.day,
      ...(row.level_rank !== null ? { levelRank: Number(row.level_rank) } : {}),
      score: Number(row.score),
      ...(row.entity_count !== null
        ? { entityCount: Number(row.entity_count) }
        : {}),
      openFindings: severityCountsOf(row, 'open_'),
      pastSla: Number(row.past_sla),
    }));
  }

  /**
   * The scored entities of a scope joined with their bucket: a CTE of
   * (owner group, bucket) pairs, so each rollup query groups by bucket in
   * the database.
   */
  private scopedScorecards(scope: RollupScope): Knex.QueryBuilder {
    return this.withBuckets(
      this.db
        .from('entity_scorecards as s')
        .join('catalog_entities as c', 'c.entity_ref', 's.entity_ref')
        .whereIn('c.kind', scope.kinds)
        .whereNull('c.missing_since'),
      scope,
      'c.owner_group_ref',
    );
  }

  /**
   * Joins a query with the scope's (owner group, bucket) pairs on its owner
   * group column; rows outside the scope drop out unless the scope includes
   * unowned ones.
   */
  private withBuckets(
    query: Knex.QueryBuilder,
    scope: RollupScope,
    ownerColumn: string,
  ): Knex.QueryBuilder {
    const pairs = [...scope.buckets.entries()];
    if (pairs.length === 0) {
      return scope.includeUnowned ? query : query.whereRaw('1 = 0');
    }
    query.with(
      'buckets',
      ['owner_group_ref', 'bucket'],
      this.db.raw(
        `VALUES ${pairs.map(() => '(?, ?)').join(', ')}`,
        pairs.flat(),
      ),
    );
    return scope.includeUnowned
      ? query.leftJoin('buckets as b', 'b.owner_group_ref', ownerColumn)
      : query.join('buckets as b', 'b.owner_group_ref', ownerColumn);
  }

  /** The SQL of an entity's bucket, or undefined when all are unowned. */
  private bucketExpression(scope: RollupScope): string | undefined {
    if (scope.buckets.size === 0) return undefined;
    return scope.includeUnowned
      ? `COALESCE(b.bucket, '${UNOWNED_BUCKET}')`
      : 'b.bucket';
  }

  private groupedByBucket(
    query: Knex.QueryBuilder,
    scope: RollupScope,
    columns: string[],
  ): Knex.QueryBuilder {
    const bucket = this.bucketExpression(scope);
    if (bucket) {
      return query
        .select(this.db.raw(`${bucket} AS bucket`))
        .groupByRaw([bucket, ...columns].join(', '));
    }
    return query.groupBy(columns);
  }

  /** Totals per bucket of a scope. */
  async rollupTotals(
    scope: RollupScope,
    targetLevel: number,
  ): Promise<Map<string, RollupTotals>> {
    const sums = [
      ...SEVERITIES.map(severity => `open_${severity}`),
      'past_sla',
      ...SEVERITIES.flatMap(severity => [
        `fixed_90d_${severity}`,
        `fixed_90d_days_${severity}`,
      ]),
    ];
    const rows = await this.groupedByBucket(
      this.scopedScorecards(scope)
        .select('s.level_rank')
        .count({ entity_count: '*' })
        .sum({ score_sum: 's.score' })
        .select(
          sums.map(column =>
            this.db.raw('SUM(??) AS ??', [`s.${column}`, column]),
          ),
        ),
      scope,
      ['s.level_rank'],
    );
    const totals = new Map<string, RollupTotals>();
    for (const row of rows as Array<Record<string, any>>) {
      const key = String(row.bucket ?? UNOWNED_BUCKET);
      const into = totals.get(key) ?? emptyTotals();
      totals.set(key, into);
      const count = Number(row.entity_count);
      const rank = Number(row.level_rank);
      into.entityCount += count;
      into.levelCounts.set(rank, (into.levelCounts.get(rank) ?? 0) + count);
      into.scoreSum += Number(row.score_sum);
      if (rank >= targetLevel) into.atTarget += count;
      into.pastSla += Number(row.past_sla);
      for (const severity of SEVERITIES) {
        into.openFindings[severity] += Number(row[`open_${severity}`]);
        into.fixed[severity].count += Number(row[`fixed_90d_${severity}`]);
        into.fixed[severity].days += Number(row[`fixed_90d_days_${severity}`]);
      }
    }
    return totals;
  }

  /** Check results counted per bucket and check. */
  async complianceCounts(scope: RollupScope): Promise<
    Array<{
      bucket: string;
      checkId: string;
      pass: number;
      fail: number;
      notApplicable: number;
    }>
  > {
    const rows = await this.groupedByBucket(
      this.withBuckets(
        this.db
          .from('owner_group_check_counts as g')
          .select('g.check_id')
          .sum({ pass: 'g.pass', fail: 'g.fail', na: 'g.not_applicable' }),
        scope,
        'g.owner_group_ref',
      ),
      scope,
      ['g.check_id'],
    );
    return rows.map((row: Record<string, any>) => ({
      bucket: String(row.bucket ?? UNOWNED_BUCKET),
      checkId: row.check_id,
      pass: Number(row.pass),
      fail: Number(row.fail),
      notApplicable: Number(row.na),
    }));
  }

  /**
   * Recounts the check results of owner groups: of all of them, or of the
   * groups that own the given entities. Runs after evaluations and catalog
   * refreshes, which are what change results and ownership.
   */
  async refreshComplianceCounts(
    kinds: string[],
    entityRefs?: string[],
  ): Promise<void> {
    const owner = `COALESCE(c.owner_group_ref, '${UNOWNED_BUCKET}')`;
    await this.db.transaction(async tx => {
      const owners = entityRefs
        ? [
            ...new Set(
              (
                await tx('catalog_entities as c')
                  .whereIn('c.entity_ref', entityRefs)
                  .select(this.db.raw(`${owner} AS owner`))
              ).map((row: { owner: string }) => row.owner),
            ),
          ]
        : undefined;
      if (owners?.length === 0) return;
      const counts = tx('catalog_entities as c')
        .join('entity_check_results as r', 'r.entity_ref', 'c.entity_ref')
        .whereIn('c.kind', kinds)
        .whereNull('c.missing_since')
        .select(this.db.raw(`${owner} AS owner_group_ref`), 'r.check_id')
        .select(
          (['pass', 'fail', 'not-applicable'] as CheckStatus[]).map(status =>
            this.db.raw(`SUM(CASE WHEN r.status = ? THEN 1 ELSE 0 END) AS ??`, [
              status,
              status === 'not-applicable' ? 'not_applicable' : status,
            ]),
          ),
        )
        .groupByRaw(`${owner}, r.check_id`);
      const stale = tx('owner_group_check_counts');
      if (owners) {
        counts.whereRaw(
          `${owner} IN (${owners.map(() => '?').join(', ')})`,
          owners,
        );
        stale.whereIn('owner_group_ref', owners);
      }
      await stale.delete();
      await tx
        .into(
          tx.raw('?? (??, ??, ??, ??, ??)', [
            'owner_group_check_counts',
            'owner_group_ref',
            'check_id',
            'pass',
            'fail',
            'not_applicable',
          ]),
        )
        .insert(counts);
    });
  }

  /** Entities of a scope, lowest score first. */
  async listScopeEntities(
    scope: RollupScope,
    limit?: number,
  ): Promise<RollupEntityRow[]> {
    const query = this.scopedScorecards(scope)
      .select(
        's.entity_ref',
        'c.title',
        'c.owner_ref',
        's.level_rank',
        's.score',
        ...SEVERITIES.map(severity => `s.open_${severity}`),
        's.past_sla',
        's.evaluated_at',
      )
      .orderBy([
        { column: 's.score', order: 'asc' },
        { column: 's.level_rank', order: 'asc' },
        { column: 's.entity_ref', order: 'asc' },
      ]);
    if (limit !== undefined) query.limit(limit);
    const rows: Array<Record<string, any>> = await query;
    return rows.map(row => ({
      entityRef: row.entity_ref,
      ...(row.title ? { title: row.title } : {}),
      ...(row.owner_ref ? { ownerRef: row.owner_ref } : {}),
      levelRank: Number(row.level_rank),
      score: Number(row.score),
      openFindings: severityCountsOf(row, 'open_'),
      pastSla: Number(row.past_sla),
      evaluatedAt: toDate(row.evaluated_at),
    }));
  }

  /** Owner group of every scored entity, for the daily group history. */
  async listScoredEntityOwners(
    kinds: string[],
  ): Promise<Array<{ entityRef: string; ownerGroupRef?: string }>> {
    const rows = await this.db('entity_scorecards as s')
      .join('catalog_entities as c', 'c.entity_ref', 's.entity_ref')
      .whereIn('c.kind', kinds)
      .whereNull('c.missing_since')
      .select('s.entity_ref', 'c.owner_group_ref');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      ...(row.owner_group_ref ? { ownerGroupRef: row.owner_group_ref } : {}),
    }));
  }
}

/** Restricts a query to some entities; all entities without a list. */
function restrictTo(
  query: Knex.QueryBuilder,
  column: string,
  entityRefs: string[] | undefined,
): Knex.QueryBuilder {
  return entityRefs ? query.whereIn(column, entityRefs) : query;
}

function severityCountsOf(
  row: Record<string, unknown>,
  prefix: string,
): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const severity of SEVERITIES) {
    counts[severity] = Number(row[`${prefix}${severity}`] ?? 0);
  }
  return counts;
}

/** Open findings of an entity per reported severity. */
export function openCountsOf(facts: EntityFacts): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const group of facts.openFindings) counts[group.severity] += group.count;
  return counts;
}

export function pastSlaOf(facts: EntityFacts): number {
  return facts.openFindings.reduce((sum, group) => sum + group.pastSla, 0);
}

function toScorecardRow(
  facts: EntityFacts,
  grade: Grade,
  timestamp: string | number,
): ScorecardRow {
  const openFindings = openCountsOf(facts);
  const lastScans = Object.fromEntries(
    Object.entries(facts.lastScans).map(([category, scan]) => [
      category,
      scan!.at.toISOString(),
    ]),
  );
  const content: Record<string, unknown> = {
    level_rank: grade.level.rank,
    score: grade.score,
    reason: grade.reason ?? null,
    checks: JSON.stringify(grade.checks),
    ...Object.fromEntries(
      SEVERITIES.map(severity => [`open_${severity}`, openFindings[severity]]),
    ),
    past_sla: pastSlaOf(facts),
    ...Object.fromEntries(
      SEVERITIES.flatMap(severity => [
        [`fixed_90d_${severity}`, facts.fixedLast90Days[severity].count],
        [
          `fixed_90d_days_${severity}`,
          facts.fixedLast90Days[severity].totalDays,
        ],
      ]),
    ),
    last_scans: JSON.stringify(lastScans),
  };
  const resultSha256 = createHash('sha256')
    .update(JSON.stringify(content))
    .digest('hex');
  return {
    entity_ref: facts.entityRef,
    ...content,
    result_sha256: resultSha256,
    evaluated_at: timestamp,
    changed_at: timestamp,
  } as ScorecardRow;
}
