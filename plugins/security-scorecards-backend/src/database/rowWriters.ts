import { Knex } from 'knex';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { batches, bulkInsert, isPostgres, quote } from './sql';

/**
 * Writes the rows of one table for a transaction as they are produced, in the
 * fastest way the database allows, and without holding them all.
 */
export interface RowWriter {
  /** Queues rows; waits when the database is behind. */
  write(rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  /** Waits until every row is stored; throws what failed. */
  finish(): Promise<void>;
  /** Stops after a failure elsewhere, so that the transaction can roll back. */
  abort(error: Error): Promise<void>;
}

/** Rows per write to the COPY stream: small strings, gone at the next minor GC. */
const rowsPerChunk = 64;

const escapes: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** A value in COPY's text format: `\N` for NULL, special characters escaped. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, character => escapes[character])
    : text;
}

/**
 * Writes rows into a PostgreSQL table with `COPY ... FROM STDIN` on a
 * transaction's connection, as they are produced: the fastest way into
 * PostgreSQL, and one that never holds more than a chunk of rows as text.
 * The database stores one chunk while the next is prepared.
 *
 * Until {@link PostgresCopyWriter.finish} or
 * {@link PostgresCopyWriter.abort} returns, the connection is busy with the
 * COPY: nothing else may be queried on the transaction.
 */
export class PostgresCopyWriter implements RowWriter {
  static async open(
    tx: Knex.Transaction,
    table: string,
    columns: readonly string[],
  ): Promise<PostgresCopyWriter> {
    const connection = await tx.client.acquireConnection();
    const stream: Writable = connection.query(
      copyFrom(
        `COPY ${quote(table)} (${columns.map(quote).join(', ')}) FROM STDIN`,
      ),
    );
    return new PostgresCopyWriter(stream, columns);
  }

  private readonly done: Promise<void>;
  private failure: Error | undefined;
  private chunk: string[] = [];

  private constructor(
    private readonly stream: Writable,
    private readonly columns: readonly string[],
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      stream.once('finish', resolve);
      // Kept for the stream's life: a failed COPY can report more than once.
      stream.on('error', error => {
        this.failure ??= error;
        reject(error);
      });
    });
    // A failure surfaces in write, finish or abort.
    this.done.catch(() => {});
  }

  /** Queues rows; waits when the database is behind. */
  async write(rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    for (const row of rows) {
      this.chunk.push(
        `${this.columns.map(column => copyText(row[column])).join('\t')}\n`,
      );
      if (this.chunk.length >= rowsPerChunk) await this.flush();
    }
  }

  /** Sends what is queued and waits until the database has stored all rows. */
  async finish(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done;
  }

  /** Cancels the COPY, so that the transaction can roll back. */
  async abort(error: Error): Promise<void> {
    this.stream.destroy(error);
    await this.done.catch(() => {});
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.chunk.length === 0) return;
    const text = this.chunk.join('');
    this.chunk = [];
    if (!this.stream.write(text)) {
      // Rejects if the COPY fails while the stream is full.
      await Promise.race([once(this.stream, 'drain'), this.done]);
    }
  }
}

/** Rows per upsert statement on PostgreSQL; see {@link PostgresUpsertWriter}. */
const rowsPerUpsert = 100;

/**
 * Upserts rows on PostgreSQL in statements of {@link rowsPerUpsert} rows,
 * one statement in flight while the next rows are prepared. Each statement's
 * rows travel as one JSON text, which stays under V8's large-object size at
 * this count, so that it is collected young.
 */
class PostgresUpsertWriter implements RowWriter {
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tx: Knex.Transaction,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly conflictClause: string,
  ) {}

  async write(rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    for (const statementRows of batches(rows, rowsPerUpsert)) {
      await this.pending;
      const started = bulkInsert(
        this.tx,
        this.table,
        this.columns,
        statementRows,
        this.conflictClause,
      );
      // A failure surfaces at the next write or at finish.
      started.catch(() => {});
      this.pending = started;
      // Lets the statement reach the database before the next rows are read.
      await new Promise(resolve => setImmediate(resolve));
    }
  }

  async finish(): Promise<void> {
    await this.pending;
  }

  async abort(): Promise<void> {
    await this.pending.catch(() => {});
  }
}

/** better-sqlite3's database, as far as it is used here. */
interface SqliteDatabase {
  prepare(sql: string): { run(...values: unknown[]): unknown };
}

/**
 * Inserts (or upserts) rows on SQLite one prepared statement run at a time,
 * on the transaction's connection: SQLite runs in the process, so there is no
 * round trip to save, and no statement text to build.
 */
class SqliteStatementWriter implements RowWriter {
  static async open(
    tx: Knex.Transaction,
    table: string,
    columns: readonly string[],
    conflictClause: string,
  ): Promise<SqliteStatementWriter> {
    const database: SqliteDatabase = await tx.client.acquireConnection();
    const statement = database.prepare(
      `INSERT INTO ${quote(table)} (${columns
        .map(quote)
        .join(', ')}) VALUES (${columns
        .map(() => '?')
        .join(', ')}) ${conflictClause}`,
    );
    return new SqliteStatementWriter(statement, columns);
  }

  private constructor(
    private readonly statement: { run(...values: unknown[]): unknown },
    private readonly columns: readonly string[],
  ) {}

  async write(rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    for (const row of rows) {
      this.statement.run(
        ...this.columns.map(column => sqliteValue(row[column])),
      );
    }
  }

  async finish(): Promise<void> {}

  async abort(): Promise<void> {}
}

/** A value as better-sqlite3 binds it: booleans as 0 or 1, absent as NULL. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value;
}

/**
 * A writer for rows of a table: `COPY` on PostgreSQL when nothing can
 * conflict (`conflictClause` empty), else JSON upserts there; prepared
 * statements on SQLite.
 */
export async function openRowWriter(
  tx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  conflictClause: string,
): Promise<RowWriter> {
  if (!isPostgres(tx)) {
    return SqliteStatementWriter.open(tx, table, columns, conflictClause);
  }
  if (conflictClause === '') {
    return PostgresCopyWriter.open(tx, table, columns);
  }
  return new PostgresUpsertWriter(tx, table, columns, conflictClause);
}
