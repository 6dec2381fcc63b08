import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import {
  Escalation,
  EscalationState,
  Severity,
  DAY_MS,
} from '@secdevops/plugin-security-scorecards-common';
import { CatalogEntityCache } from '../catalog/CatalogEntityCache';
import { EntityFilter } from '../catalog/EntityFilter';
import { GroupTree } from '../catalog/GroupTree';
import { SlaPolicy } from '../sla/SlaPolicy';
import {
  BreachedEntity,
  EscalationDatabase,
  EscalationProgress,
  EscalationQuery,
  PlannedStep,
  StoredEscalation,
  StoredStep,
} from './EscalationDatabase';

/** A claim that was never confirmed as sent can be taken over after this long. */
const CLAIM_LEASE_MS = 10 * 60 * 1000;

/** How escalations climb the group hierarchy (`securityScorecards.escalation`). */
export interface EscalationSettings {
  /** Days between two levels. Default 7. */
  intervalDays: number;
  /** The highest level; unset: the top of the group tree. */
  maxLevel?: number;
  /** The group that answers for entities without an owner group. */
  fallbackGroupRef?: string;
}

/** Reads `securityScorecards.escalation`, failing on values that cannot work. */
export function readEscalationSettings(config: Config): EscalationSettings {
  const key = 'securityScorecards.escalation';
  const escalation = config.getOptionalConfig(key);
  const intervalDays = escalation?.getOptionalNumber('intervalDays') ?? 7;
  if (!(intervalDays > 0)) {
    throw new Error(`${key}.intervalDays must be a positive number of days`);
  }
  const maxLevel = escalation?.getOptionalNumber('maxLevel');
  if (
    maxLevel !== undefined &&
    !(Number.isInteger(maxLevel) && maxLevel >= 1)
  ) {
    throw new Error(`${key}.maxLevel must be a whole number of 1 or more`);
  }
  const fallbackGroup = escalation?.getOptionalString('fallbackGroup');
  let fallbackGroupRef: string | undefined;
  if (fallbackGroup) {
    let ref;
    try {
      ref = parseEntityRef(fallbackGroup, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
    } catch (error) {
      throw new Error(`${key}.fallbackGroup is not an entity ref: ${error}`);
    }
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new Error(
        `${key}.fallbackGroup must be a group, such as group:default/security; got '${fallbackGroup}'`,
      );
    }
    fallbackGroupRef = stringifyEntityRef(ref);
  }
  return {
    intervalDays,
    ...(maxLevel !== undefined ? { maxLevel } : {}),
    ...(fallbackGroupRef ? { fallbackGroupRef } : {}),
  };
}

/** What one run did. */
export interface EscalationRunResult {
  /** Entities with open findings past their SLA. */
  breached: number;
  opened: number;
  closed: number;
  /** Steps this run sent. */
  notified: number;
  /** Steps whose notification failed; the next run retries them. */
  failed: number;
  /** Breached entities without an owner group and without a fallback group. */
  unowned: number;
}

const notificationSeverities: Record<Severity, NotificationSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'normal',
  low: 'normal',
  info: 'normal',
};

/**
 * Escalates SLA breaches up the catalog's group hierarchy. Each run finds
 * the entities with open findings past their SLA, times a ladder from each
 * one's oldest unresolved breach — level 1 at the breach to the owner group
 * (the fallback group without one), level n after (n - 1) intervals to the
 * (n - 1)th ancestor, up to `maxLevel` or the top of the tree — and sends one
 * notification per reached level. A step is claimed in the database before
 * it is sent, so that it is sent once across runs, restarts and backend
 * instances. Escalations of entities without breached open findings (fixed
 * or waived) are closed, as are those of entities gone from the catalog.
 */
export class EscalationService {
  static async create(options: {
    database: DatabaseService;
    sla: SlaPolicy;
    catalogCache: CatalogEntityCache;
    notifications: NotificationService;
    logger: LoggerService;
    settings: EscalationSettings;
    clock?: () => Date;
  }): Promise<EscalationService> {
    return new EscalationService({
      ...options,
      database: await EscalationDatabase.create(options),
    });
  }

  private readonly clock: () => Date;

  constructor(
    private readonly options: {
      database: EscalationDatabase;
      catalogCache: CatalogEntityCache;
      notifications: NotificationService;
      logger: LoggerService;
      settings: EscalationSettings;
      clock?: () => Date;
    },
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  get settings(): EscalationSettings {
    return this.options.settings;
  }

  async run(): Promise<EscalationRunResult> {
    const { database, catalogCache } = this.options;
    const now = this.clock();
    const tree = new GroupTree(await catalogCache.listGroups());
    const breached = await database.breachedEntities(now);
    let active = await database.activeEscalations();
    const result: EscalationRunResult = {
      breached: breached.length,
      opened: 0,
      closed: 0,
      notified: 0,
      failed: 0,
      unowned: 0,
    };

    // Nothing past its SLA any more: fixed, waived, or the entity is gone.
    const breachedRefs = new Set(breached.map(entity => entity.entityRef));
    const resolved = [...active.values()].filter(
      escalation => !breachedRefs.has(escalation.entityRef),
    );
    if (resolved.length > 0) {
      const inCatalog = await database.entitiesInCatalog(
        resolved.map(escalation => escalation.entityRef),
      );
      for (const escalation of resolved) {
        const reason = inCatalog.has(escalation.entityRef)
          ? 'resolved'
          : 'entity-removed';
        if (await database.closeEscalation(escalation.id, reason, now)) {
          result.closed += 1;
        }
      }
    }

    const progressByEntity = new Map<string, EscalationProgress>();
    const toOpen: Array<{ entityRef: string } & EscalationProgress> = [];
    for (const entity of breached) {
      const progress = this.progressOf(entity, tree, now);
      if (!progress) {
        result.unowned += 1;
        continue;
      }
      progressByEntity.set(entity.entityRef, progress);
      const existing = active.get(entity.entityRef);
      if (!existing) {
        toOpen.push({ entityRef: entity.entityRef, ...progress });
      } else if (changed(existing, progress)) {
        await database.updateEscalation(existing.id, progress, now);
      }
    }
    if (toOpen.length > 0) {
      await database.openEscalations(toOpen, now);
      // Read back what is active now, the rows another instance opened included.
      active = await database.activeEscalations();
      result.opened = toOpen.filter(entity =>
        active.has(entity.entityRef),
      ).length;
    }
    if (result.unowned > 0) {
      this.options.logger.warn(
        `Security scorecards: ${result.unowned} entities with SLA breaches have no owner group; set securityScorecards.escalation.fallbackGroup to escalate them`,
      );
    }

    const entitiesByRef = new Map(
      breached.map(entity => [entity.entityRef, entity] as const),
    );
    const escalations = [...progressByEntity.keys()].flatMap(entityRef => {
      const escalation = active.get(entityRef);
      return escalation ? [escalation] : [];
    });
    const stored = await database.stepsOf(
      escalations.map(escalation => escalation.id),
    );
    const staleBefore = new Date(now.getTime() - CLAIM_LEASE_MS);
    for (const escalation of escalations) {
      const progress = progressByEntity.get(escalation.entityRef)!;
      const sent = new Map(
        (stored.get(escalation.id) ?? []).map(step => [step.level, step]),
      );
      for (const step of progress.ladder) {
        if (step.dueAt > now) break;
        const existing = sent.get(step.level);
        if (existing?.notifiedAt) continue;
        if (existing && existing.claimedAt.getTime() >= staleBefore.getTime()) {
          continue;
        }
        if (
          !(await database.claimStep(escalation.id, step, now, staleBefore))
        ) {
          continue;
        }
        const entity = entitiesByRef.get(escalation.entityRef)!;
        try {
          await this.notify(entity, progress, step, now);
          await database.markNotified(escalation.id, step.level, this.clock());
          result.notified += 1;
        } catch (error) {
          result.failed += 1;
          this.options.logger.warn(
            `Security scorecards: could not notify ${step.targetRef} of the level ${step.level} escalation of ${entity.entityRef}; the next run retries: ${error}`,
          );
          await database.releaseStep(escalation.id, step.level);
          // The levels above wait, so that the ladder is sent in order.
          break;
        }
      }
    }
    return result;
  }

  /**
   * Escalations of one entity, of the entities whose owner group (or
   * fallback group) is in a group's subtree, or of all entities; only of the
   * entities `visible` passes (all without it), asked once before the limit
   * applies.
   */
  async list(query: {
    entityRef?: string;
    groupRef?: string;
    state?: EscalationState;
    limit: number;
    visible?: EntityFilter;
  }): Promise<Escalation[]> {
    const { database, catalogCache } = this.options;
    let ownerGroupRefs: string[] | undefined;
    if (query.groupRef) {
      const tree = new GroupTree(await catalogCache.listGroups());
      ownerGroupRefs = [...tree.subtreeBuckets(query.groupRef).keys()];
    }
    const criteria: EscalationQuery = {
      ...(query.entityRef ? { entityRefs: [query.entityRef] } : {}),
      ...(ownerGroupRefs ? { ownerGroupRefs } : {}),
      ...(query.state ? { state: query.state } : {}),
    };
    if (query.visible) {
      const candidates = await database.listEntityRefs(criteria);
      const allowed = await query.visible(candidates);
      criteria.entityRefs = candidates.filter(ref => allowed.has(ref));
      if (criteria.entityRefs.length === 0) return [];
    }
    const escalations = await database.list({
      ...criteria,
      limit: query.limit,
    });
    const steps = await database.stepsOf(escalations.map(e => e.id));
    return escalations.map(escalation =>
      toEscalation(escalation, steps.get(escalation.id) ?? []),
    );
  }

  /** Where an entity's escalation stands at `now`; undefined when nobody answers for it. */
  private progressOf(
    entity: BreachedEntity,
    tree: GroupTree,
    now: Date,
  ): EscalationProgress | undefined {
    const { intervalDays, maxLevel, fallbackGroupRef } = this.options.settings;
    const ownerGroupRef = entity.ownerGroupRef ?? fallbackGroupRef;
    if (!ownerGroupRef) return undefined;
    const chain = tree.chainOf(ownerGroupRef);
    const targets = maxLevel ? chain.slice(0, maxLevel) : chain;
    const ladder: PlannedStep[] = targets.map((targetRef, index) => ({
      level: index + 1,
      targetRef,
      dueAt: new Date(
        entity.breachedAt.getTime() + index * intervalDays * DAY_MS,
      ),
    }));
    const reached = ladder.filter(step => step.dueAt <= now);
    // A breach is in the past, so level 1 is always reached.
    const current = reached[reached.length - 1] ?? ladder[0];
    const next = ladder.find(step => step.dueAt > now);
    return {
      ownerGroupRef,
      level: current.level,
      targetRef: current.targetRef,
      findingCount: entity.findingCount,
      severity: entity.severity,
      breachedAt: entity.breachedAt,
      ...(next ? { nextStepAt: next.dueAt } : {}),
      ladder,
    };
  }

  private async notify(
    entity: BreachedEntity,
    progress: EscalationProgress,
    step: PlannedStep,
    now: Date,
  ): Promise<void> {
    const ref = parseEntityRef(entity.entityRef);
    const name = entity.title ?? ref.name;
    const daysOverdue = Math.max(
      0,
      Math.floor((now.getTime() - progress.breachedAt.getTime()) / DAY_MS),
    );
    const findings =
      progress.findingCount === 1
        ? '1 open finding is'
        : `${progress.findingCount} open findings are`;
    const days = daysOverdue === 1 ? '1 day' : `${daysOverdue} days`;
    const owner =
      entity.ownerGroupRef ??
      `none (escalated to the fallback group ${progress.ownerGroupRef})`;
    const top = progress.ladder.length;
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: step.targetRef },
      payload: {
        title: `${capitalize(
          progress.severity,
        )} SLA breach on ${name}: escalation level ${step.level}`,
        description: `${findings} past the remediation SLA on ${
          entity.entityRef
        } (highest severity ${
          progress.severity
        }), the oldest ${days} overdue since ${progress.breachedAt
          .toISOString()
          .slice(0, 10)}. Escalated to ${step.targetRef} at level ${
          step.level
        } of ${top}; owner group: ${owner}.`,
        link: `/catalog/${encodeURIComponent(
          ref.namespace,
        )}/${encodeURIComponent(
          ref.kind.toLocaleLowerCase('en-US'),
        )}/${encodeURIComponent(ref.name)}/security?sla=breached`,
        severity: notificationSeverities[progress.severity],
        topic: 'security-scorecards-escalation',
        scope: `security-scorecards:escalation:${entity.entityRef}:${step.level}`,
      },
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

function changed(
  escalation: StoredEscalation,
  progress: EscalationProgress,
): boolean {
  const time = (date?: Date) => date?.getTime();
  return (
    escalation.ownerGroupRef !== progress.ownerGroupRef ||
    escalation.level !== progress.level ||
    escalation.targetRef !== progress.targetRef ||
    escalation.findingCount !== progress.findingCount ||
    escalation.severity !== progress.severity ||
    time(escalation.breachedAt) !== time(progress.breachedAt) ||
    time(escalation.nextStepAt) !== time(progress.nextStepAt) ||
    JSON.stringify(escalation.ladder) !== JSON.stringify(progress.ladder)
  );
}

/**
 * The API form: the planned ladder with the time each level was notified;
 * levels sent to a group no longer on the ladder (the hierarchy changed) keep
 * the group they went to. A closed escalation shows the levels it reached.
 */
function toEscalation(
  escalation: StoredEscalation,
  steps: StoredStep[],
): Escalation {
  const byLevel = new Map(steps.map(step => [step.level, step]));
  const planned =
    escalation.state === 'active'
      ? escalation.ladder
      : escalation.ladder.filter(step => byLevel.has(step.level));
  const levels = new Set(planned.map(step => step.level));
  const ladder = [
    ...planned.map(step => {
      const stored = byLevel.get(step.level);
      return {
        level: step.level,
        targetRef: stored?.targetRef ?? step.targetRef,
        dueAt: (stored?.dueAt ?? step.dueAt).toISOString(),
        ...(stored?.notifiedAt
          ? { notifiedAt: stored.notifiedAt.toISOString() }
          : {}),
      };
    }),
    ...steps
      .filter(step => !levels.has(step.level))
      .map(step => ({
        level: step.level,
        targetRef: step.targetRef,
        dueAt: step.dueAt.toISOString(),
        ...(step.notifiedAt
          ? { notifiedAt: step.notifiedAt.toISOString() }
          : {}),
      })),
  ].sort((a, b) => a.level - b.level);
  return {
    id: escalation.id,
    entityRef: escalation.entityRef,
    targetRef: escalation.targetRef,
    level: escalation.level,
    state: escalation.state,
    ...(escalation.closedReason
      ? { closedReason: escalation.closedReason }
      : {}),
    ...(escalation.closedAt
      ? { closedAt: escalation.closedAt.toISOString() }
      : {}),
    findingCount: escalation.findingCount,
    severity: escalation.severity,
    breachedAt: escalation.breachedAt.toISOString(),
    ...(escalation.state === 'active' && escalation.nextStepAt
      ? { nextStepAt: escalation.nextStepAt.toISOString() }
      : {}),
    ladder,
  };
}
