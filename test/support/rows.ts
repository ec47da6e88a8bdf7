/** Row counts of the store, for tests that assert a refused request wrote nothing (and an accepted one wrote once). */
import type { Kysely } from 'kysely';

import type { Database } from '../../src/store/index.js';

export type CountedTable = 'applications' | 'persons' | 'audit_log' | 'api_idempotency';

export async function rowCount(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The tables an application request writes to, counted. */
export async function applicationRows(
  db: Kysely<Database>,
): Promise<{ applications: number; persons: number; audit: number; keys: number }> {
  return {
    applications: await rowCount(db, 'applications'),
    persons: await rowCount(db, 'persons'),
    audit: await rowCount(db, 'audit_log'),
    keys: await rowCount(db, 'api_idempotency'),
  };
}
