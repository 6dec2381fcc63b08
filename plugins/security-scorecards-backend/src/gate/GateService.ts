import { DatabaseService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  Finding,
  GateResult,
  GateRuleResult,
  GateViolation,
  MaturityLevel,
  SEVERITIES,
  Severity,
  SlaState,
} from '@secdevops/plugin-security-scorecards-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { FindingQuery, ScorecardStore } from '../database/ScorecardStore';
import { migratedDatabaseClient, toDate } from '../database/sql';
import { GateFacts, GateFindingMatches, evaluateGate } from './evaluateGate';
import { GateRequest } from './policy';

type GateRunRow = {
  id: string;
  entity_ref: string;
  passed: boolean | number;
  policy: string;
  result: string;
  source: string | null;
  commit_sha: string | null;
  branch: string | null;
  created_by: string;
  created_at: Date | string | number;
};

export interface GateServiceOptions {
  store: ScorecardStore;
  /** The entity's current maturity level. */
  level: (entityRef: string) => Promise<MaturityLevel>;
  /** Called after a run is recorded, e.g. to re-grade the entity. */
  onGateRecorded?: (entity: Entity) => Promise<void>;
  clock?: () => Date;
}

/**
 * Runs CI gates: evaluates a policy against an entity's current findings and
 * level, records the run (the rubric's gate-enforced check reads it), and
 * lists past runs. Runs are recorded and returned with the violating
 * findings; the router removes them (`withoutViolationDetails`) for a
 * caller that may not read the entity's findings.
 */
export class GateService {
  static async create(
    options: GateServiceOptions & { database: DatabaseService },
  ): Promise<GateService> {
    return new GateService(
      await migratedDatabaseClient(options.database),
      options,
    );
  }

  private readonly clock: () => Date;

  constructor(
    private readonly db: Knex,
    private readonly options: GateServiceOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  async run(
    entity: Entity,
    request: GateRequest,
    createdBy: string,
  ): Promise<GateResult> {
    const entityRef = stringifyEntityRef(entity);
    const evaluation = await evaluateGate(
      request.policy,
      this.factsOf(entityRef),
    );
    const createdAt = this.clock();
    const result: GateResult = {
      id: randomUUID(),
      entityRef,
      passed: evaluation.passed,
      rules: evaluation.rules,
      ...(request.source ? { source: request.source } : {}),
      ...(request.commit ? { commit: request.commit } : {}),
      ...(request.branch ? { branch: request.branch } : {}),
      createdAt: createdAt.toISOString(),
      createdBy,
    };
    await this.db<GateRunRow>('gate_runs').insert({
      id: result.id,
      entity_ref: entityRef,
      passed: result.passed,
      policy: JSON.stringify(request.policy),
      result: JSON.stringify(result.rules),
      source: request.source ?? null,
      commit_sha: request.commit ?? null,
      branch: request.branch ?? null,
      created_by: createdBy,
      created_at: createdAt,
    });
    await this.options.onGateRecorded?.(entity);
    return result;
  }

  /** Gate runs of an entity, newest first. */
  async list(entityRef: string, limit: number): Promise<GateResult[]> {
    const rows = await this.db<GateRunRow>('gate_runs')
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(row => ({
      id: row.id,
      entityRef: row.entity_ref,
      passed: Boolean(row.passed),
      rules: (JSON.parse(row.result) as GateRuleResult[]).map(rule => ({
        ...rule,
        // Runs recorded before the count was: their sample, at most 20.
        violationCount: rule.violationCount ?? rule.violations?.length ?? 0,
      })),
      ...(row.source ? { source: row.source } : {}),
      ...(row.commit_sha ? { commit: row.commit_sha } : {}),
      ...(row.branch ? { branch: row.branch } : {}),
      createdAt: toDate(row.created_at).toISOString(),
      createdBy: row.created_by,
    }));
  }

  private factsOf(entityRef: string): GateFacts {
    const { store, level } = this.options;
    const matches = async (
      query: Omit<FindingQuery, 'entityRef' | 'orderBy' | 'order' | 'offset'>,
    ): Promise<GateFindingMatches> => {
      const { items, totalCount } = await store.listFindings({
        entityRef,
        statuses: ['open'],
        orderBy: 'severity',
        order: 'desc',
        offset: 0,
        ...query,
      });
      return { total: totalCount, sample: items.map(toViolation) };
    };
    const atOrAbove = (severity?: Severity) =>
      severity
        ? SEVERITIES.slice(0, SEVERITIES.indexOf(severity) + 1)
        : undefined;
    return {
      openFindings: filter =>
        matches({
          severities: atOrAbove(filter.minSeverity),
          categories: filter.category ? [filter.category] : undefined,
          sources: filter.source ? [filter.source] : undefined,
          firstSeenSince: filter.firstSeenSince,
          orSuppressedInReport: filter.includeReportSuppressed,
          limit: Math.max(filter.limit, 1),
        }),
      pastSlaFindings: filter =>
        matches({
          severities: atOrAbove(filter.minSeverity),
          slaStates: ['breached' as SlaState],
          limit: Math.max(filter.limit, 1),
        }),
      latestScanTimes: async () => {
        const latest = new Map<string, Date>();
        for (const scan of await store.listScans({ entityRef, limit: 500 })) {
          // A failed scan changed nothing: its findings are the scan's before.
          if (scan.status === 'failed') continue;
          if (!latest.has(scan.source)) {
            latest.set(scan.source, new Date(scan.createdAt));
          }
        }
        return latest;
      },
      level: async () => {
        try {
          return await level(entityRef);
        } catch (error) {
          if (error instanceof NotFoundError) return { rank: 0, name: 'None' };
          throw error;
        }
      },
    };
  }
}

function toViolation(finding: Finding): GateViolation {
  return {
    findingId: finding.id,
    severity: finding.severity,
    category: finding.category,
    title: finding.title,
    ruleId: finding.ruleId,
    source: finding.source,
    ...(finding.location
      ? {
          location: finding.location.line
            ? `${finding.location.path}:${finding.location.line}`
            : finding.location.path,
        }
      : {}),
    ...(finding.package ? { packageName: finding.package.name } : {}),
    ...(finding.dueAt ? { dueAt: finding.dueAt } : {}),
  };
}
