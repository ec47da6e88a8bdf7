/** Guards that close gaps left by the first schema: bounded number sequences, no TRUNCATE of case periods, named audit refusals. */
import { type Kysely, sql } from 'kysely';

const statements = [
  // The numbers are lpad-ed to a fixed width, and lpad cuts longer input: past these bounds a number would
  // silently lose digits. The sequence refuses instead ("reached maximum value").
  `ALTER SEQUENCE kd_number_seq MAXVALUE 999999999`,
  `ALTER SEQUENCE bg_number_seq MAXVALUE 9999999`,
  // Row triggers do not fire on TRUNCATE, which would otherwise empty case_periods past the DELETE guard.
  `CREATE OR REPLACE FUNCTION refuse_application_date_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
       RAISE EXCEPTION 'case periods cannot be deleted: the application date is fixed once recorded' USING ERRCODE = 'P0001';
     END IF;
     IF NEW.application_date IS DISTINCT FROM OLD.application_date THEN
       RAISE EXCEPTION 'the application date cannot be changed (%)', TG_TABLE_NAME USING ERRCODE = 'P0001';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER case_periods_no_truncate BEFORE TRUNCATE ON case_periods
     FOR EACH STATEMENT EXECUTE FUNCTION refuse_application_date_change()`,
  `CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP USING ERRCODE = 'P0001';
   END $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
