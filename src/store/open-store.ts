/**
 * Opens the store: embedded PGlite (file-backed in `dataDir`, in memory when neither option is given) or
 * PostgreSQL through a pool when `databaseUrl` is set; both return values as schema.ts describes, and the
 * schema is brought up to date before the store is handed out.
 */
import { mkdirSync } from 'node:fs';

import { types as pgliteTypes } from '@electric-sql/pglite';
import { type Dialect, Kysely, type LogEvent, PostgresDialect } from 'kysely';
import pg from 'pg';

import { isMigrated, migrateToLatest } from './migrate.js';
import { createPGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export interface Store {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  isMigrated(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… : use that server. Wins over dataDir. */
  databaseUrl?: string;
  /** Directory of the embedded database; created if missing. */
  dataDir?: string;
  /**
   * An embedded database in memory starts as this copy of a data directory (PGlite's `dumpDataDir`) instead of an
   * empty one. The tests start each store from one migrated copy: PGlite's own setup and the migrations took about
   * 3 s per store, the copy about 1 s.
   */
  initialData?: Blob;
  /** Kysely's query log: every query with its duration (the benchmark's profile counts them per intake). */
  log?: (event: LogEvent) => void;
}

const DATE_OID = 1082;
const DATE_ARRAY_OID = 1182;
const TEXT_ARRAY_OID = 1009;

/**
 * Only on this pool, not through pg.types globally: other pg users in the process (tests, tools) keep
 * node-postgres' defaults. A date parsed into a JS Date lands at local midnight and shifts a day in UTC.
 */
function pgTypes(): pg.CustomTypesConfig {
  // pg's typings list only scalar builtins as ids; the parser registry itself takes any oid.
  const builtin = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => (value: string) => unknown;
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === DATE_ARRAY_OID) return builtin(TEXT_ARRAY_OID, format);
    return builtin(oid, format);
  }) as typeof pg.types.getTypeParser;
  return { getTypeParser };
}

/** PGlite's defaults differ from node-postgres' here; these make both backends return the same JS values. */
const PGLITE_PARSERS = {
  [pgliteTypes.DATE]: (value: string) => value,
  // PGlite returns a JS number, rounding above 2^53; node-postgres returns the exact string.
  [pgliteTypes.INT8]: (value: string) => value,
  // PGlite returns a Uint8Array; node-postgres a Buffer (text format '\x…' hex either way on the wire).
  [pgliteTypes.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
};

async function dialectFor(opts: StoreOptions): Promise<{ dialect: Dialect; kind: Store['kind'] }> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, types: pgTypes() });
    // An idle client losing its connection (server restart) emits on the pool; unhandled, that ends the
    // process. The next query gets a fresh client and reports any lasting problem itself.
    pool.on('error', () => {});
    return { dialect: new PostgresDialect({ pool }), kind: 'postgres' };
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const initial = opts.initialData && !opts.dataDir ? { loadDataDir: opts.initialData } : {};
  return { dialect: await createPGliteDialect(opts.dataDir, { parsers: PGLITE_PARSERS, ...initial }), kind: 'pglite' };
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const { dialect, kind } = await dialectFor(opts);
  const db = new Kysely<Database>({ dialect, ...(opts.log ? { log: opts.log } : {}) });
  try {
    await migrateToLatest(db);
  } catch (e) {
    await db.destroy().catch(() => {});
    throw e;
  }
  return {
    db,
    kind,
    isMigrated: () => isMigrated(db),
    close: () => db.destroy(),
  };
}
