import { Knex } from 'knex';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { quote } from './sql';

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
export class PostgresCopyWriter {
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
  private rowCount = 0;

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

  /** Sends what is queued and waits until the database has stored all rows. Returns how many. */
  async finish(): Promise<number> {
    await this.flush();
    this.stream.end();
    await this.done;
    return this.rowCount;
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
    this.rowCount += this.chunk.length;
    this.chunk = [];
    if (!this.stream.write(text)) {
      // Rejects if the COPY fails while the stream is full.
      await Promise.race([once(this.stream, 'drain'), this.done]);
    }
  }
}
