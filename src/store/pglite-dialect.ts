/**
 * A Kysely dialect for embedded PGlite that behaves like a pooled PostgreSQL connection: a transaction is
 * isolated from concurrent queries, and writes report how many rows they touched.
 *
 * Written here instead of using kysely-pglite's dialect (0.6), which (1) runs every query on the one PGlite
 * session as it comes, so a concurrent statement lands inside whatever transaction is open and a ROLLBACK
 * there undoes it too; (2) reports 0 affected rows for every UPDATE and DELETE; and (3) starts an
 * un-awaited mkdir of the data directory on construction, an unhandled rejection if the directory goes away.
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly client: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.client.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    // PGlite passes the command tag through untyped; node-postgres' dialect counts rows only for writes too.
    const command = (result as { command?: unknown }).command;
    if (typeof command === 'string' && WRITES.has(command) && result.affectedRows !== undefined) {
      return { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
    }
    return { rows: result.rows };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results');
  }
}

/**
 * PGlite has one session, so the driver lends it to one holder at a time, from acquire to release: a
 * transaction holds it until COMMIT or ROLLBACK and everyone else queues. Consequence: inside
 * `db.transaction().execute(tx => …)` use only `tx`; a query on `db` there would wait for its own transaction.
 */
class PGliteDriver implements Driver {
  #tail: Promise<void> = Promise.resolve();
  #releases = new Map<DatabaseConnection, () => void>();

  constructor(private readonly client: PGlite) {}

  async init(): Promise<void> {
    await this.client.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.#tail;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    // A fresh wrapper per holder, so release finds the right lock even if a holder misbehaves.
    const connection = new PGliteConnection(this.client);
    this.#releases.set(connection, release);
    return connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#releases.get(connection)?.();
    this.#releases.delete(connection);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async destroy(): Promise<void> {
    // Lets the holder and everyone queued finish before the database closes under them.
    await this.#tail;
    if (!this.client.closed) await this.client.close();
  }
}

/** Opens PGlite (file-backed in `dataDir`, which must exist; in memory without) and returns a dialect over it. */
export async function createPGliteDialect(
  dataDir: string | undefined,
  options: Omit<PGliteOptions, 'dataDir'> = {},
): Promise<Dialect> {
  const client = await PGlite.create({ ...options, ...(dataDir ? { dataDir } : {}) });
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PGliteDriver(client),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
