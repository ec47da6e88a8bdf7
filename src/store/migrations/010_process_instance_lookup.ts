/**
 * Cases found by their process instance: the workspace's task list joins each page of engine tasks to its cases
 * this way, and the Neukunden list's "Stand" filter too. Without an index every page view reads the whole
 * applications table (10 ms at 50,000 cases on PGlite, growing with every case ever recorded). PostgreSQL uses
 * it once autovacuum has gathered statistics; PGlite gathers none, so there its planner may still scan.
 */
import { type Kysely, sql } from 'kysely';

const statements = [`CREATE INDEX applications_process_instance ON applications (process_instance_key)`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
