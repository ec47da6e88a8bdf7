/** Who holds a case (virtual worker, IFK, special team) and the FMG.job statistics entries, for the Wuppertal QuEr. */
import { type Kysely, sql } from 'kysely';

const statements = [
  `ALTER TABLE persons ADD COLUMN caseworker_id text`,
  `CREATE TABLE case_assignments (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     application_id uuid NOT NULL REFERENCES applications (id),
     person_id uuid NOT NULL REFERENCES persons (id),
     caseworker_id text NOT NULL,
     reason text NOT NULL,
     dedup_key text NOT NULL UNIQUE,
     at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE fmg_entries (
     application_id uuid NOT NULL REFERENCES applications (id),
     person_id uuid NOT NULL REFERENCES persons (id),
     jobcenter text NOT NULL,
     kind text NOT NULL,
     value text NOT NULL,
     valid_from date,
     recorded_by text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (application_id, person_id, kind)
   )`,
  `CREATE TABLE consultation_notes (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     application_id uuid NOT NULL REFERENCES applications (id),
     person_id uuid NOT NULL REFERENCES persons (id),
     kind text NOT NULL,
     held_on date NOT NULL,
     content jsonb NOT NULL,
     recorded_by text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (application_id, person_id, kind)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
