/** Brings a database to the newest schema from the migrations compiled into the code, and says which one failed. */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_case_assignments.js';
import * as m003 from './migrations/003_guards.js';
import * as m004 from './migrations/004_start_confirmation.js';
import * as m005 from './migrations/005_case_numbers.js';
import * as m006 from './migrations/006_deadline_not_applicable.js';
import * as m007 from './migrations/007_addresses.js';
import * as m008 from './migrations/008_print_list.js';
import * as m009 from './migrations/009_released_windows.js';
import * as m010 from './migrations/010_process_instance_lookup.js';

/**
 * Listed here rather than scanned from disk, so the store works the same from tsx, ts-jest and a bundle.
 * Names sort in the order they run; an applied migration is never edited, a change is a new one.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': m001,
  '002_case_assignments': m002,
  '003_guards': m003,
  '004_start_confirmation': m004,
  '005_case_numbers': m005,
  '006_deadline_not_applicable': m006,
  '007_addresses': m007,
  '008_print_list': m008,
  '009_released_windows': m009,
  '010_process_instance_lookup': m010,
};

export class MigrationError extends Error {
  constructor(
    message: string,
    /** The migration that failed; undefined when the failure came before any migration ran (lock, bookkeeping table). */
    readonly migrationName: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

function migrator<DB>(db: Kysely<DB>, migrations: Readonly<Record<string, Migration>>): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };
  return new Migrator({ db, provider });
}

/**
 * Runs the migrations not yet applied and returns their names (empty when the schema was already current).
 * `migrations` is for tests that need a failing one; production code passes nothing.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<string[]> {
  const { error, results = [] } = await migrator(db, migrations).migrateToLatest();
  if (error === undefined) return results.map((r) => r.migrationName);
  const failed = results.find((r) => r.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : JSON.stringify(error);
  const where = failed ? `migration ${failed} failed` : 'migrating failed before any migration ran';
  const done = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // Kysely runs all pending migrations in one transaction on PostgreSQL, so nothing of this run stays applied.
  const applied = done.length > 0 ? ` (rolled back with it: ${done.join(', ')})` : '';
  throw new MigrationError(`Store schema: ${where}: ${reason}${applied}`, failed, { cause: error });
}

/** True when every migration in the code has been applied. */
export async function isMigrated<DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<boolean> {
  const known = await migrator(db, migrations).getMigrations();
  return known.every((m) => m.executedAt !== undefined);
}
