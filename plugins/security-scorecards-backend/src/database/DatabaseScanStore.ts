import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ScanSummary } from '@secdevops/plugin-security-scorecards-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { NewScan, ScanStore } from './ScanStore';

const migrationsDirectory = resolvePackagePath(
  '@secdevops/plugin-security-scorecards-backend',
  'migrations',
);

/** A row of the `scans` table. */
type RawScanRow = {
  id: string;
  entity_ref: string;
  source: string;
  format: string;
  scanner: string;
  scanner_version: string | null;
  commit_sha: string | null;
  branch: string | null;
  created_by: string;
  created_at: Date | string;
  open_critical: number;
  open_high: number;
  open_medium: number;
  open_low: number;
  open_info: number;
  dependency_count: number;
};

/**
 * Runs the plugin's migrations unless the app config says to skip them, and
 * returns the database client.
 *
 * @internal
 */
export async function migratedDatabaseClient(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDirectory });
  }
  return client;
}

/**
 * {@link ScanStore} on the plugin's SQL database (PostgreSQL or SQLite).
 *
 * @internal
 */
export class DatabaseScanStore implements ScanStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseScanStore> {
    return new DatabaseScanStore(
      await migratedDatabaseClient(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async recordScan(scan: NewScan): Promise<ScanSummary> {
    const row: RawScanRow = {
      id: randomUUID(),
      entity_ref: scan.entityRef,
      source: scan.source,
      format: scan.format,
      scanner: scan.scanner,
      scanner_version: scan.scannerVersion ?? null,
      commit_sha: scan.commit ?? null,
      branch: scan.branch ?? null,
      created_by: scan.createdBy,
      created_at: new Date(),
      open_critical: scan.openFindings.critical,
      open_high: scan.openFindings.high,
      open_medium: scan.openFindings.medium,
      open_low: scan.openFindings.low,
      open_info: scan.openFindings.info,
      dependency_count: scan.dependencyCount,
    };
    await this.db<RawScanRow>('scans').insert(row);
    return toScanSummary(row);
  }

  async listScans(options: {
    entityRef: string;
    limit: number;
  }): Promise<ScanSummary[]> {
    const rows = await this.db<RawScanRow>('scans')
      .where({ entity_ref: options.entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toScanSummary);
  }

  async checkConnection(): Promise<void> {
    await this.db.raw('select 1');
  }
}

function toScanSummary(row: RawScanRow): ScanSummary {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    source: row.source,
    format: row.format,
    scanner: row.scanner,
    ...(row.scanner_version ? { scannerVersion: row.scanner_version } : {}),
    ...(row.commit_sha ? { commit: row.commit_sha } : {}),
    ...(row.branch ? { branch: row.branch } : {}),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    openFindings: {
      critical: Number(row.open_critical),
      high: Number(row.open_high),
      medium: Number(row.open_medium),
      low: Number(row.open_low),
      info: Number(row.open_info),
    },
    dependencyCount: Number(row.dependency_count),
  };
}
