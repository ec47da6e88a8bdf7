/**
 * Windows a caseworker releases in ATV on top of the jobcenter's standard ones (settings `atv.releasedWindows`),
 * from a date on, e.g. an extra Wednesday hour a team lead asks for when the capacity forecast shows a shortfall.
 * Booking and the forecast both read them, so a released window is a slot as soon as it is written.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE released_windows (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     caseworker_id text NOT NULL,
     weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
     from_time text NOT NULL CHECK (from_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
     to_time text NOT NULL CHECK (to_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND to_time > from_time),
     valid_from date NOT NULL,
     valid_to date,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX released_windows_caseworker ON released_windows (jobcenter, caseworker_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
