/**
 * The post room's print list: a letter the jobcenter must post is filed "to print" and stays on the list until
 * someone in the post room marks it printed and sent (who and when, for the file). Letters handed over or only
 * filed have no state.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE documents ADD COLUMN post_status text CHECK (post_status IN ('to-print','sent'))`,
  `ALTER TABLE documents ADD COLUMN posted_at timestamptz`,
  `ALTER TABLE documents ADD COLUMN posted_by text`,
  `ALTER TABLE documents ADD CONSTRAINT documents_posted CHECK ((post_status = 'sent') = (posted_at IS NOT NULL))`,
  // The list: one jobcenter's letters still to print, oldest first.
  `CREATE INDEX documents_to_print ON documents (jobcenter, created_at) WHERE post_status = 'to-print'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
