/**
 * An application is recorded before its process is started and confirmed after, so the store is not held
 * while the engine answers; `start_confirmed` tells the two apart (rows from before this change are confirmed).
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE applications ADD COLUMN start_confirmed boolean NOT NULL DEFAULT true`,
  // The sweep looks only at the few unconfirmed rows.
  `CREATE INDEX applications_unconfirmed ON applications (created_at) WHERE NOT start_confirmed`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
