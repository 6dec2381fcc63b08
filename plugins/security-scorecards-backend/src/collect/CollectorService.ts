import {
  AuthService,
  DatabaseService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { isError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CollectorStatus,
  CollectRunResponse,
  IngestScanResponse,
} from '@secdevops/plugin-security-scorecards-common';
import { Knex } from 'knex';
import { migratedDatabaseClient, toDate } from '../database/sql';
import { CollectedScan, Collector } from './types';

type SourceRunRow = {
  source_id: string;
  entity_ref: string;
  last_run_at: Date | string | number;
  last_success_at: Date | string | number | null;
  last_error: string | null;
  state: string | null;
};

/** Kinds whose entities collectors may apply to: not the organisation's own. */
const COLLECTED_KINDS = ['component', 'system', 'resource', 'api'];
const PAGE_SIZE = 200;
const MAX_ERROR_LENGTH = 2000;

export interface CollectorServiceOptions {
  collectors: Collector[];
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Stores what a collector collected as the latest scan of its source. */
  storeScan: (
    entity: Entity,
    scan: CollectedScan,
    createdBy: string,
  ) => Promise<IngestScanResponse>;
  /** Entities collected at the same time per collector; default 4. */
  concurrency?: number;
  /** Longest run for one entity; default 300 seconds. */
  timeoutSeconds?: number;
  clock?: () => Date;
}

/**
 * Runs pull collectors: each on its schedule for every entity it applies
 * to, with bounded concurrency, storing what they collect as scans and
 * recording per collector and entity when it last ran and whether it failed.
 */
export class CollectorService {
  static async create(
    options: CollectorServiceOptions & { database: DatabaseService },
  ): Promise<CollectorService> {
    return new CollectorService(
      await migratedDatabaseClient(options.database),
      options,
    );
  }

  private readonly collectors: Map<string, Collector>;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Knex,
    private readonly options: CollectorServiceOptions,
  ) {
    this.collectors = new Map();
    for (const collector of options.collectors) {
      if (this.collectors.has(collector.id)) {
        throw new Error(
          `Two finding sources have the id '${collector.id}'${
            collector.id === 'url'
              ? ' (url is the built-in report-URL source)'
              : ''
          }`,
        );
      }
      this.collectors.set(collector.id, collector);
    }
    this.clock = options.clock ?? (() => new Date());
  }

  get ids(): string[] {
    return [...this.collectors.keys()];
  }

  /** Runs one collector for one entity now, and records the run. */
  async collect(sourceId: string, entity: Entity): Promise<CollectRunResponse> {
    const collector = this.collectors.get(sourceId);
    const entityRef = stringifyEntityRef(entity);
    if (!collector) {
      throw new NotFoundError(
        `No finding source '${sourceId}'; installed: ${
          this.ids.join(', ') || 'none'
        }`,
      );
    }
    if (!collector.appliesTo(entity)) {
      throw new NotFoundError(
        `The finding source '${sourceId}' does not apply to ${entityRef} (it lacks the annotation the source reads)`,
      );
    }
    const previous = await this.db<SourceRunRow>('source_runs')
      .where({ source_id: sourceId, entity_ref: entityRef })
      .first();
    const startedAt = this.clock();
    const scans: IngestScanResponse[] = [];
    let errors: string[] = [];
    let state = previous?.state ?? null;
    try {
      const result = await collector.collect(entity, {
        signal: AbortSignal.timeout(
          (this.options.timeoutSeconds ?? 300) * 1000,
        ),
        ...(previous?.state ? { state: previous.state } : {}),
      });
      for (const scan of result.scans) {
        scans.push(
          await this.options.storeScan(
            entity,
            scan,
            `plugin:security-scorecards/source/${sourceId}`,
          ),
        );
      }
      errors = result.errors ?? [];
      state = result.state ?? state;
    } catch (error) {
      errors = [isError(error) ? error.message : String(error)];
    }

    const error = errors.join('; ').slice(0, MAX_ERROR_LENGTH) || undefined;
    await this.db<SourceRunRow>('source_runs')
      .insert({
        source_id: sourceId,
        entity_ref: entityRef,
        last_run_at: startedAt,
        last_success_at: error ? previous?.last_success_at ?? null : startedAt,
        last_error: error ?? null,
        state,
      })
      .onConflict(['source_id', 'entity_ref'])
      .merge();
    if (error) {
      this.options.logger.warn(
        `Security scorecards: source ${sourceId} failed for ${entityRef}: ${error}`,
      );
    }
    let status: CollectRunResponse['status'] = 'stored';
    if (error) status = 'failed';
    else if (scans.length === 0) status = 'unchanged';
    return {
      sourceId,
      entityRef,
      status,
      ...(error ? { error } : {}),
      scans,
    };
  }

  /** Runs one collector for every entity it applies to, a few at a time. */
  async collectAll(
    sourceId: string,
  ): Promise<Record<CollectRunResponse['status'], number>> {
    const collector = this.collectors.get(sourceId);
    if (!collector) throw new NotFoundError(`No finding source '${sourceId}'`);
    const counts = { stored: 0, unchanged: 0, failed: 0 };
    const queue: Entity[] = [];
    for await (const entity of this.entities()) {
      if (collector.appliesTo(entity)) queue.push(entity);
    }
    const worker = async () => {
      for (let entity = queue.shift(); entity; entity = queue.shift()) {
        const { status } = await this.collect(sourceId, entity);
        counts[status] += 1;
      }
    };
    await Promise.all(
      Array.from({ length: this.options.concurrency ?? 4 }, worker),
    );
    return counts;
  }

  /** How each collector last ran for an entity. */
  async statuses(entityRef: string): Promise<CollectorStatus[]> {
    const rows = await this.db<SourceRunRow>('source_runs')
      .where({ entity_ref: entityRef })
      .orderBy('source_id');
    return rows.map(row => ({
      sourceId: row.source_id,
      lastRunAt: toDate(row.last_run_at).toISOString(),
      ...(row.last_success_at !== null
        ? { lastSuccessAt: toDate(row.last_success_at).toISOString() }
        : {}),
      ...(row.last_error ? { error: row.last_error } : {}),
    }));
  }

  /**
   * Schedules every collector through the Backstage scheduler (one run
   * across instances), at `securityScorecards.sources.<id>.schedule` or the
   * collector's default frequency.
   */
  async schedule(scheduler: SchedulerService, config: Config): Promise<void> {
    for (const collector of this.collectors.values()) {
      const custom = config.getOptionalConfig(
        `securityScorecards.sources.${collector.id}.schedule`,
      );
      await scheduler.scheduleTask({
        id: `security-scorecards-source-${collector.id}`,
        ...(custom
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(custom)
          : {
              frequency: collector.defaultFrequency,
              timeout: { hours: 1 },
              initialDelay: { minutes: 1 },
            }),
        fn: async () => {
          const counts = await this.collectAll(collector.id);
          this.options.logger.info(
            `Security scorecards: source ${collector.id} stored ${counts.stored}, unchanged ${counts.unchanged}, failed ${counts.failed}`,
          );
        },
      });
    }
  }

  private async *entities(): AsyncGenerator<Entity> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : { filter: { kind: COLLECTED_KINDS }, limit: PAGE_SIZE },
        { credentials },
      );
      yield* page.items;
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
  }
}
