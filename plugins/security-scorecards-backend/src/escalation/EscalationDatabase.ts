import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  EscalationClosedReason,
  EscalationState,
  SEVERITIES,
  Severity,
} from '@secdevops/plugin-security-scorecards-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  batches,
  migratedDatabaseClient,
  timestampValue,
  toDate,
} from '../database/sql';
import { SlaPolicy } from '../sla/SlaPolicy';
import { slaCutoffSql } from '../sla/slaSql';

/** An entity in the catalog with open findings past their SLA. */
export interface BreachedEntity {
  entityRef: string;
  title?: string;
  /** The owner group, or an owning user's first group, from the catalog cache. */
  ownerGroupRef?: string;
  /** Open findings past their SLA. */
  findingCount: number;
  /** The earliest due date among them. */
  breachedAt: Date;
  /** The highest SLA severity among them. */
  severity: Severity;
}

/** A level of an escalation's ladder as a run plans it. */
export interface PlannedStep {
  level: number;
  targetRef: string;
  dueAt: Date;
}

/** An escalation as stored. */
export interface StoredEscalation {
  id: string;
  entityRef: string;
  state: EscalationState;
  closedReason?: EscalationClosedReason;
  ownerGroupRef?: string;
  level: number;
  targetRef: string;
  findingCount: number;
  severity: Severity;
  breachedAt: Date;
  nextStepAt?: Date;
  /** The ladder the latest run planned. */
  ladder: PlannedStep[];
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
}

/** What a run sets on an active escalation. */
export type EscalationProgress = Pick<
  StoredEscalation,
  | 'ownerGroupRef'
  | 'level'
  | 'targetRef'
  | 'findingCount'
  | 'severity'
  | 'breachedAt'
  | 'nextStepAt'
  | 'ladder'
>;

/** A stored step of a ladder: claimed, and notified once sent. */
export interface StoredStep {
  escalationId: string;
  level: number;
  targetRef: string;
  dueAt: Date;
  claimedAt: Date;
  notifiedAt?: Date;
}

type EscalationRow = {
  id: string;
  entity_ref: string;
  state: string;
  closed_reason: string | null;
  owner_group_ref: string | null;
  level: number;
  target_ref: string;
  finding_count: number;
  severity: string;
  breached_at: Date | string | number;
  next_step_at: Date | string | number | null;
  ladder: string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
  closed_at: Date | string | number | null;
};

type StepRow = {
  escalation_id: string;
  level: number;
  target_ref: string;
  due_at: Date | string | number;
  claimed_at: Date | string | number;
  notified_at: Date | string | number | null;
};

/**
 * The SQL of escalations: the grouped query for breached entities, the
 * escalation records, and the steps each run claims before sending them.
 */
export class EscalationDatabase {
  static async create(options: {
    database: DatabaseService;
    sla: SlaPolicy;
  }): Promise<EscalationDatabase> {
    return new EscalationDatabase(
      await migratedDatabaseClient(options.database),
      options.sla,
    );
  }

  constructor(private readonly db: Knex, private readonly sla: SlaPolicy) {}

  /**
   * Entities in the catalog with open findings past their SLA at `now`, in
   * one query grouped by entity, severity and exploitation (which decide the
   * SLA); the earliest due date per entity is the earliest first-seen time
   * of each group plus its SLA.
   */
  async breachedEntities(now: Date): Promise<BreachedEntity[]> {
    const cutoff = slaCutoffSql(this.db, this.sla, now, 'breachedBefore', 'f');
    const rows: Array<{
      entity_ref: string;
      title: string | null;
      owner_group_ref: string | null;
      severity: Severity;
      known_exploited: boolean | number;
      count: string | number;
      oldest: Date | string | number;
    }> = await this.db('findings as f')
      .join('catalog_entities as ce', 'ce.entity_ref', 'f.entity_ref')
      .where('f.status', 'open')
      .whereNull('ce.missing_since')
      .whereRaw(`f.first_seen_at < ${cutoff.sql}`, cutoff.bindings)
      .groupBy(
        'f.entity_ref',
        'ce.title',
        'ce.owner_group_ref',
        'f.severity',
        'f.known_exploited',
      )
      .select(
        'f.entity_ref',
        'ce.title',
        'ce.owner_group_ref',
        'f.severity',
        'f.known_exploited',
      )
      .count({ count: '*' })
      .min({ oldest: 'f.first_seen_at' });

    const entities = new Map<string, BreachedEntity>();
    for (const row of rows) {
      const knownExploited = Boolean(row.known_exploited);
      const dueAt = this.sla.dueAt(
        row.severity,
        knownExploited,
        toDate(row.oldest),
      );
      if (!dueAt) continue;
      const severity = this.sla.slaSeverity(row.severity, knownExploited);
      const entity = entities.get(row.entity_ref);
      if (!entity) {
        entities.set(row.entity_ref, {
          entityRef: row.entity_ref,
          ...(row.title ? { title: row.title } : {}),
          ...(row.owner_group_ref
            ? { ownerGroupRef: row.owner_group_ref }
            : {}),
          findingCount: Number(row.count),
          breachedAt: dueAt,
          severity,
        });
        continue;
      }
      entity.findingCount += Number(row.count);
      if (dueAt < entity.breachedAt) entity.breachedAt = dueAt;
      if (SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(entity.severity)) {
        entity.severity = severity;
      }
    }
    return [...entities.values()].sort((a, b) =>
      a.entityRef < b.entityRef ? -1 : 1,
    );
  }

  /** The active escalations, by entity. */
  async activeEscalations(): Promise<Map<string, StoredEscalation>> {
    const rows = await this.db<EscalationRow>('escalations')
      .where('state', 'active')
      .select('*');
    return new Map(
      rows.map(row => [row.entity_ref, toEscalation(row)] as const),
    );
  }

  /**
   * Opens escalations for entities without an active one. Another instance
   * opening one for the same entity at the same time wins quietly (the
   * partial unique index on active escalations per entity).
   */
  async openEscalations(
    escalations: Array<{ entityRef: string } & EscalationProgress>,
    now: Date,
  ): Promise<void> {
    for (const batch of batches(escalations, 200)) {
      await this.db('escalations')
        .insert(
          batch.map(escalation => ({
            id: randomUUID(),
            entity_ref: escalation.entityRef,
            state: 'active',
            closed_reason: null,
            ...progressRow(escalation),
            created_at: now,
            updated_at: now,
            closed_at: null,
          })),
        )
        .onConflict()
        .ignore();
    }
  }

  async updateEscalation(
    id: string,
    progress: EscalationProgress,
    now: Date,
  ): Promise<void> {
    await this.db('escalations')
      .where({ id, state: 'active' })
      .update({ ...progressRow(progress), updated_at: now });
  }

  async closeEscalation(
    id: string,
    reason: EscalationClosedReason,
    now: Date,
  ): Promise<boolean> {
    const updated = await this.db('escalations')
      .where({ id, state: 'active' })
      .update({
        state: 'closed',
        closed_reason: reason,
        next_step_at: null,
        updated_at: now,
        closed_at: now,
      });
    return updated > 0;
  }

  /** Which of these entities are in the catalog (cached and not missing). */
  async entitiesInCatalog(entityRefs: string[]): Promise<Set<string>> {
    const present = new Set<string>();
    for (const batch of batches(entityRefs, 500)) {
      const rows = await this.db('catalog_entities')
        .whereIn('entity_ref', batch)
        .whereNull('missing_since')
        .select('entity_ref');
      for (const row of rows) present.add(row.entity_ref);
    }
    return present;
  }

  /** The stored steps of escalations, by escalation id. */
  async stepsOf(escalationIds: string[]): Promise<Map<string, StoredStep[]>> {
    const steps = new Map<string, StoredStep[]>();
    for (const batch of batches(escalationIds, 500)) {
      const rows = await this.db<StepRow>('escalation_steps')
        .whereIn('escalation_id', batch)
        .orderBy('level')
        .select('*');
      for (const row of rows) {
        const list = steps.get(row.escalation_id) ?? [];
        list.push(toStep(row));
        steps.set(row.escalation_id, list);
      }
    }
    return steps;
  }

  /**
   * Claims a step before its notification is sent: true for exactly one
   * caller across instances (the primary key of escalation and level). A
   * claim that was never confirmed as sent (a crash between claim and send)
   * can be taken over once it is older than `staleBefore`.
   */
  async claimStep(
    escalationId: string,
    step: PlannedStep,
    now: Date,
    staleBefore: Date,
  ): Promise<boolean> {
    const inserted: unknown[] = await this.db('escalation_steps')
      .insert({
        escalation_id: escalationId,
        level: step.level,
        target_ref: step.targetRef,
        due_at: step.dueAt,
        claimed_at: now,
        notified_at: null,
      })
      .onConflict(['escalation_id', 'level'])
      .ignore()
      .returning('level');
    if (inserted.length > 0) return true;
    const taken = await this.db('escalation_steps')
      .where({ escalation_id: escalationId, level: step.level })
      .whereNull('notified_at')
      .where('claimed_at', '<', timestampValue(this.db, staleBefore))
      .update({ target_ref: step.targetRef, claimed_at: now });
    return taken > 0;
  }

  /** Records that a claimed step was sent. */
  async markNotified(
    escalationId: string,
    level: number,
    now: Date,
  ): Promise<void> {
    await this.db('escalation_steps')
      .where({ escalation_id: escalationId, level })
      .update({ notified_at: now });
  }

  /** Gives up a claim whose notification failed, so that the next run retries it. */
  async releaseStep(escalationId: string, level: number): Promise<void> {
    await this.db('escalation_steps')
      .where({ escalation_id: escalationId, level })
      .whereNull('notified_at')
      .delete();
  }

  /**
   * Escalations, active first (highest level, oldest breach first), then
   * closed ones, most recently closed first.
   */
  async list(
    query: EscalationQuery & { limit: number },
  ): Promise<StoredEscalation[]> {
    const rows = await this.matching(query)
      .orderByRaw(`CASE WHEN state = 'active' THEN 0 ELSE 1 END`)
      .orderByRaw('CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END')
      .orderBy('closed_at', 'desc')
      .orderBy('level', 'desc')
      .orderBy('breached_at', 'asc')
      .orderBy('entity_ref', 'asc')
      .orderBy('id', 'asc')
      .limit(query.limit)
      .select('*');
    return rows.map(toEscalation);
  }

  /** The entities that have escalations matching a query, each once. */
  async listEntityRefs(query: EscalationQuery): Promise<string[]> {
    const rows = await this.matching(query)
      .distinct('entity_ref')
      .orderBy('entity_ref', 'asc');
    return rows.map(row => row.entity_ref);
  }

  private matching(query: EscalationQuery) {
    const builder = this.db<EscalationRow>('escalations');
    const inAny = (column: string, values: string[]) =>
      builder.where(inner => {
        for (const batch of batches(values, 500)) {
          inner.orWhereIn(column, batch);
        }
        if (values.length === 0) inner.whereRaw('1 = 0');
      });
    if (query.entityRefs) inAny('entity_ref', query.entityRefs);
    if (query.ownerGroupRefs) inAny('owner_group_ref', query.ownerGroupRefs);
    if (query.state) builder.where('state', query.state);
    return builder;
  }
}

/** Which escalations a list holds; each absent criterion matches all. */
export interface EscalationQuery {
  entityRefs?: string[];
  ownerGroupRefs?: string[];
  state?: EscalationState;
}

function progressRow(progress: EscalationProgress) {
  return {
    owner_group_ref: progress.ownerGroupRef ?? null,
    level: progress.level,
    target_ref: progress.targetRef,
    finding_count: progress.findingCount,
    severity: progress.severity,
    breached_at: progress.breachedAt,
    next_step_at: progress.nextStepAt ?? null,
    ladder: JSON.stringify(
      progress.ladder.map(step => ({
        level: step.level,
        targetRef: step.targetRef,
        dueAt: step.dueAt.toISOString(),
      })),
    ),
  };
}

function toEscalation(row: EscalationRow): StoredEscalation {
  const ladder: Array<{ level: number; targetRef: string; dueAt: string }> =
    JSON.parse(row.ladder);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    state: row.state as EscalationState,
    ...(row.closed_reason
      ? { closedReason: row.closed_reason as EscalationClosedReason }
      : {}),
    ...(row.owner_group_ref ? { ownerGroupRef: row.owner_group_ref } : {}),
    level: Number(row.level),
    targetRef: row.target_ref,
    findingCount: Number(row.finding_count),
    severity: row.severity as Severity,
    breachedAt: toDate(row.breached_at),
    ...(row.next_step_at !== null
      ? { nextStepAt: toDate(row.next_step_at) }
      : {}),
    ladder: ladder.map(step => ({ ...step, dueAt: new Date(step.dueAt) })),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    ...(row.closed_at !== null ? { closedAt: toDate(row.closed_at) } : {}),
  };
}

function toStep(row: StepRow): StoredStep {
  return {
    escalationId: row.escalation_id,
    level: Number(row.level),
    targetRef: row.target_ref,
    dueAt: toDate(row.due_at),
    claimedAt: toDate(row.claimed_at),
    ...(row.notified_at !== null
      ? { notifiedAt: toDate(row.notified_at) }
      : {}),
  };
}
