/**
 * A case that ends before its consultation (not responsible, application withdrawn) closes its open deadlines as
 * not applicable: neither met nor breached, so the met rate leaves them out.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE deadlines DROP CONSTRAINT IF EXISTS deadlines_status_check`,
  `ALTER TABLE deadlines ADD CONSTRAINT deadlines_status_check CHECK (status IN ('open','met','breached','not-applicable'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
