/**
 * Opens the store: embedded PGlite (file-backed in DATA_DIR, or in memory for tests) by default, PostgreSQL
 * when a URL is given. Both return local dates as 'YYYY-MM-DD' strings. Migrations run on open.
 */
import { mkdirSync } from 'node:fs';
import { types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';
import pg from 'pg';
import type { Database } from './schema.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_case_assignments.js';

const MIGRATIONS: Record<string, Migration> = { '001_initial': m001, '002_case_assignments': m002 };

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export interface Store {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  isMigrated(): Promise<boolean>;
  close(): Promise<void>;
}

export class MigrationError extends Error {}

const DATE_OID = 1082;

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error)?.message ?? String(error)}`);
  }
}

export async function openStore(opts: { databaseUrl?: string; dataDir?: string }): Promise<Store> {
  let db: Kysely<Database>;
  let kind: Store['kind'];
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      // Dates stay 'YYYY-MM-DD': a JS Date would move them by the server's time zone.
      types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === DATE_OID ? (v: string) => v : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
    const parsers = { [pgliteTypes.DATE]: (v: string) => v };
    const { dialect } = opts.dataDir ? await KyselyPGlite.create(opts.dataDir, { parsers }) : await KyselyPGlite.create({ parsers });
    db = new Kysely<Database>({ dialect });
    kind = 'pglite';
  }
  try {
    await migrateToLatest(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return {
    db,
    kind,
    async isMigrated() {
      const migrations = await new Migrator({ db, provider }).getMigrations();
      return migrations.every((m) => m.executedAt !== undefined);
    },
    close: () => db.destroy(),
  };
}
