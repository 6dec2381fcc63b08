import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDirectory = resolvePackagePath(
  '@secdevops/plugin-security-scorecards-backend',
  'migrations',
);

/**
 * Runs the plugin's migrations unless the app config says to skip them, and
 * returns the database client.
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

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/** Quotes an identifier; `references`, for one, is a reserved word. */
export function quote(identifier: string): string {
  return `"${identifier}"`;
}

/**
 * How a time is written in bulk rows and raw comparisons: what knex writes
 * for a Date on each database (an ISO string on PostgreSQL, epoch
 * milliseconds on SQLite), so that all writes compare and sort alike.
 */
export function timestampValue(db: Knex, time: Date): string | number {
  return isPostgres(db) ? time.toISOString() : time.getTime();
}

/**
 * The conflict clause of a bulk upsert: on a row with the same key, every
 * other column takes the incoming value, except where `overrides` assigns
 * a column itself (`"column" = <expression>`).
 */
export function upsertClause(
  keyColumns: readonly string[],
  columns: readonly string[],
  overrides: Record<string, string> = {},
): string {
  const assignments = columns
    .filter(column => !keyColumns.includes(column))
    .map(
      column =>
        `${quote(column)} = ${
          overrides[column] ?? `excluded.${quote(column)}`
        }`,
    );
  for (const [column, expression] of Object.entries(overrides)) {
    if (!columns.includes(column)) {
      assignments.push(`${quote(column)} = ${expression}`);
    }
  }
  return `ON CONFLICT (${keyColumns
    .map(quote)
    .join(', ')}) DO UPDATE SET ${assignments.join(', ')}`;
}

/**
 * Limits a query to rows whose column is one of many values, bound as one
 * JSON array parameter (unpacked by json_array_elements_text on PostgreSQL,
 * json_each on SQLite): one statement and one parameter, whatever the count.
 */
export function whereInValues<Q extends Knex.QueryBuilder>(
  db: Knex | Knex.Transaction,
  query: Q,
  column: string,
  values: readonly string[],
  postgresType: 'text' | 'uuid' = 'text',
): Q {
  const list = isPostgres(db)
    ? `select value::${postgresType} from json_array_elements_text(?::json)`
    : 'select value from json_each(?)';
  query.whereRaw(`?? in (${list})`, [column, JSON.stringify(values)]);
  return query;
}

/** Splits items into arrays of at most `size`, reading an iterable as it goes. */
export function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  if (Array.isArray(items)) {
    for (let start = 0; start < items.length; start += size) {
      yield items.slice(start, start + size);
    }
    return;
  }
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * One INSERT of many rows that binds them as a single JSON array, which the
 * database unpacks (json_populate_recordset on PostgreSQL, json_each on
 * SQLite): far cheaper to build and send than one bind parameter per value.
 */
export async function bulkInsert(
  db: Knex | Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: object[],
  conflictClause: string,
): Promise<void> {
  if (rows.length === 0) return;
  const columnList = columns.map(quote).join(', ');
  const json = JSON.stringify(rows);
  if (db.client.config.client === 'pg') {
    await db.raw(
      `INSERT INTO ${quote(
        table,
      )} (${columnList}) SELECT ${columnList} FROM json_populate_recordset(NULL::${quote(
        table,
      )}, ?::json) ${conflictClause}`,
      [json],
    );
  } else {
    const values = columns
      .map(column => `json_extract(value, '$.${column}')`)
      .join(', ');
    // "WHERE true" lets SQLite tell the upsert clause from a join constraint.
    await db.raw(
      `INSERT INTO ${quote(
        table,
      )} (${columnList}) SELECT ${values} FROM json_each(?) WHERE true ${conflictClause}`,
      [json],
    );
  }
}

/** Reads a timestamp column as knex returns it on either database. */
export function toDate(value: Date | string | number): Date {
  return new Date(value);
}
