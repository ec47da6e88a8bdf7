/**
 * The household's postal address, for the letters' window: only here, never in the engine. One row per
 * application; the mailing address (Postanschrift) is set when letters go elsewhere than the home address.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE application_addresses (
     application_id uuid PRIMARY KEY REFERENCES applications (id),
     jobcenter text NOT NULL,
     salutation text CHECK (salutation IN ('Frau','Herr')),
     care_of text,
     street text NOT NULL,
     postcode text NOT NULL CHECK (postcode ~ '^[0-9]{5}$'),
     city text NOT NULL,
     mailing_care_of text,
     mailing_street text,
     mailing_postcode text CHECK (mailing_postcode ~ '^[0-9]{5}$'),
     mailing_city text,
     created_at timestamptz NOT NULL DEFAULT now(),
     CHECK ((mailing_street IS NULL) = (mailing_postcode IS NULL) AND (mailing_street IS NULL) = (mailing_city IS NULL))
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
