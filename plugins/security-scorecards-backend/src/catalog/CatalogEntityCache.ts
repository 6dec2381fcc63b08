import {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import {
  batches,
  bulkInsert,
  upsertClause,
  migratedDatabaseClient,
  timestampValue,
} from '../database/sql';

/** What the cache keeps of a catalog entity. */
export interface CachedEntity {
  entityRef: string;
  /** Lower-case kind. */
  kind: string;
  title?: string;
  ownerRef?: string;
  /** The group that answers for the entity: the owner, or an owning user's first group. */
  ownerGroupRef?: string;
  /** Groups: the parent group. */
  parentRef?: string;
  annotations: Record<string, string>;
}

/** A group of the cached hierarchy. */
export interface CachedGroup {
  entityRef: string;
  title?: string;
  parentRef?: string;
}

type CatalogEntityRow = {
  entity_ref: string;
  kind: string;
  title: string | null;
  owner_ref: string | null;
  owner_group_ref: string | null;
  parent_ref: string | null;
  annotations: string;
  refreshed_at: Date | string | number;
  missing_since: Date | string | number | null;
};

const columns: ReadonlyArray<keyof CatalogEntityRow> = [
  'entity_ref',
  'kind',
  'title',
  'owner_ref',
  'owner_group_ref',
  'parent_ref',
  'annotations',
  'refreshed_at',
  'missing_since',
];

const PAGE_SIZE = 500;

/** Tables that hold data of an entity, removed when it has left the catalog for good. */
const ENTITY_DATA_TABLES: Array<{ table: string; column: string }> = [
  { table: 'findings', column: 'entity_ref' },
  { table: 'dependencies', column: 'entity_ref' },
  { table: 'scans', column: 'entity_ref' },
  { table: 'entity_check_results', column: 'entity_ref' },
  { table: 'entity_scorecards', column: 'entity_ref' },
  { table: 'scorecard_history', column: 'subject_ref' },
  { table: 'gate_runs', column: 'entity_ref' },
  { table: 'source_runs', column: 'entity_ref' },
  { table: 'escalations', column: 'entity_ref' },
];

/**
 * The catalog facts scorecards and rollups need — kind, owner, the group
 * tree, annotations — kept in the plugin's database so that they can be
 * joined in set-based queries, and refreshed from the catalog on a schedule.
 * Entities that leave the catalog are marked missing at once (they leave the
 * rollups) and their data is removed after the retention period.
 */
export class CatalogEntityCache {
  static async create(options: {
    database: DatabaseService;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    /** Lower-case kinds that get scorecards. */
    kinds: string[];
    clock?: () => Date;
  }): Promise<CatalogEntityCache> {
    return new CatalogEntityCache(
      await migratedDatabaseClient(options.database),
      options,
    );
  }

  private readonly clock: () => Date;

  constructor(
    private readonly db: Knex,
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      kinds: string[];
      clock?: () => Date;
    },
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Lower-case kinds that get scorecards. */
  get kinds(): string[] {
    return this.options.kinds;
  }

  /**
   * Reads every group, user and scored entity from the catalog and replaces
   * the cache with them.
   */
  async refresh(): Promise<{ entities: number; missing: number }> {
    const now = this.clock();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const userGroups = new Map<string, string>();
    for await (const user of this.queryAll(['user'], credentials)) {
      const group = firstGroupOf(user);
      if (group) userGroups.set(stringifyEntityRef(user), group);
    }
    const rows: CatalogEntityRow[] = [];
    for await (const entity of this.queryAll(
      ['group', ...this.options.kinds],
      credentials,
    )) {
      rows.push(this.toRow(entity, userGroups, now));
    }

    await this.db.transaction(async tx => {
      for (const batch of batches(rows, 2000)) {
        await bulkInsert(
          tx,
          'catalog_entities',
          columns,
          batch,
          upsertClause(['entity_ref'], columns),
        );
      }
    });
    const missing = await this.db<CatalogEntityRow>('catalog_entities')
      .where('refreshed_at', '<', timestampValue(this.db, now))
      .whereNull('missing_since')
      .update({ missing_since: now });
    this.options.logger.info(
      `Security scorecards: cached ${rows.length} catalog entities, ${missing} newly missing`,
    );
    return { entities: rows.length, missing };
  }

  /** Caches one entity now, e.g. on its first scan, before the next refresh. */
  async upsert(entity: Entity): Promise<CachedEntity> {
    const userGroups = new Map<string, string>();
    const ownerRef = ownerRefOf(entity);
    if (ownerRef && parseEntityRef(ownerRef).kind === 'user') {
      const owner = await this.options.catalog.getEntityByRef(ownerRef, {
        credentials: await this.options.auth.getOwnServiceCredentials(),
      });
      const group = owner && firstGroupOf(owner);
      if (group) userGroups.set(ownerRef, group);
    }
    const row = this.toRow(entity, userGroups, this.clock());
    await this.db('catalog_entities')
      .insert(row)
      .onConflict('entity_ref')
      .merge();
    return toCachedEntity(row);
  }

  async get(entityRef: string): Promise<CachedEntity | undefined> {
    const row = await this.db<CatalogEntityRow>('catalog_entities')
      .where({ entity_ref: entityRef })
      .whereNull('missing_since')
      .first();
    return row ? toCachedEntity(row) : undefined;
  }

  /** Every group in the catalog. */
  async listGroups(): Promise<CachedGroup[]> {
    const rows = await this.db<CatalogEntityRow>('catalog_entities')
      .where({ kind: 'group' })
      .whereNull('missing_since')
      .select('entity_ref', 'title', 'parent_ref');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      ...(row.title ? { title: row.title } : {}),
      ...(row.parent_ref ? { parentRef: row.parent_ref } : {}),
    }));
  }

  /**
   * Removes the data of entities missing from the catalog since before
   * `before`, and their cache rows.
   */
  async removeMissingSince(before: Date): Promise<string[]> {
    const refs = (
      await this.db<CatalogEntityRow>('catalog_entities')
        .where('missing_since', '<', timestampValue(this.db, before))
        .select('entity_ref')
    ).map(row => row.entity_ref);
    for (const batch of batches(refs, 500)) {
      await this.db.transaction(async tx => {
        // Not left to the foreign key's cascade, which SQLite may not enforce.
        await tx('escalation_steps')
          .whereIn(
            'escalation_id',
            tx('escalations').whereIn('entity_ref', batch).select('id'),
          )
          .delete();
        for (const { table, column } of ENTITY_DATA_TABLES) {
          await tx(table).whereIn(column, batch).delete();
        }
        await tx('catalog_entities').whereIn('entity_ref', batch).delete();
      });
    }
    return refs;
  }

  private async *queryAll(
    kinds: string[],
    credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
  ): AsyncGenerator<Entity> {
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { kind: kinds },
              limit: PAGE_SIZE,
              fields: [
                'kind',
                'metadata.name',
                'metadata.namespace',
                'metadata.title',
                'metadata.annotations',
                'spec.owner',
                'spec.parent',
                'spec.memberOf',
                'relations',
              ],
            },
        { credentials },
      );
      yield* page.items;
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
  }

  private toRow(
    entity: Entity,
    userGroups: Map<string, string>,
    now: Date,
  ): CatalogEntityRow {
    const entityRef = stringifyEntityRef(entity);
    const kind = entity.kind.toLocaleLowerCase('en-US');
    const ownerRef = ownerRefOf(entity);
    const ownerKind = ownerRef ? parseEntityRef(ownerRef).kind : undefined;
    let ownerGroupRef: string | undefined;
    if (ownerKind === 'group') ownerGroupRef = ownerRef;
    else if (ownerRef && ownerKind === 'user') {
      ownerGroupRef = userGroups.get(ownerRef);
    }
    const parent = kind === 'group' ? entity.spec?.parent : undefined;
    return {
      entity_ref: entityRef,
      kind,
      title: entity.metadata.title ?? entity.metadata.name,
      owner_ref: ownerRef ?? null,
      owner_group_ref: ownerGroupRef ?? null,
      parent_ref:
        typeof parent === 'string' && parent
          ? stringifyEntityRef(
              parseEntityRef(parent, {
                defaultKind: 'group',
                defaultNamespace: entity.metadata.namespace ?? 'default',
              }),
            )
          : null,
      annotations: JSON.stringify(entity.metadata.annotations ?? {}),
      refreshed_at: timestampValue(this.db, now) as any,
      missing_since: null,
    };
  }
}

/** `spec.owner` as a full entity ref (kind group and the entity's namespace by default). */
export function ownerRefOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner.length === 0) return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}

/** The first group a user is a member of, by relation or by spec.memberOf. */
function firstGroupOf(user: Entity): string | undefined {
  const related = (user.relations ?? [])
    .filter(relation => relation.type === RELATION_MEMBER_OF)
    .map(relation => relation.targetRef)
    .sort();
  if (related.length > 0) return related[0];
  const memberOf = user.spec?.memberOf;
  if (!Array.isArray(memberOf)) return undefined;
  const groups = memberOf
    .filter((value): value is string => typeof value === 'string')
    .map(value =>
      stringifyEntityRef(
        parseEntityRef(value, {
          defaultKind: 'group',
          defaultNamespace: user.metadata.namespace ?? 'default',
        }),
      ),
    )
    .sort();
  return groups[0];
}

function toCachedEntity(row: CatalogEntityRow): CachedEntity {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    ...(row.title ? { title: row.title } : {}),
    ...(row.owner_ref ? { ownerRef: row.owner_ref } : {}),
    ...(row.owner_group_ref ? { ownerGroupRef: row.owner_group_ref } : {}),
    ...(row.parent_ref ? { parentRef: row.parent_ref } : {}),
    annotations: JSON.parse(row.annotations),
  };
}
