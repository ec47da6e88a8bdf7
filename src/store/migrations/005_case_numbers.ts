/**
 * The Vorgangsnummer staff say on the phone and search by, e.g. `CO-2026-00042`: the first two letters of the
 * jobcenter, the year of the application date and a running number per jobcenter and year. Given once by the
 * store when the application is recorded (a trigger, so every path that records one gets it), never reused: an
 * application taken back after a failed start leaves a gap. Rows from before get theirs in order of recording.
 */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE TABLE case_number_counters (
     jobcenter text NOT NULL,
     year integer NOT NULL,
     last integer NOT NULL,
     PRIMARY KEY (jobcenter, year)
   )`,
  `CREATE FUNCTION next_case_number(jc text, on_date date) RETURNS text LANGUAGE plpgsql AS $$
   DECLARE
     y integer := extract(year FROM on_date)::integer;
     n integer;
   BEGIN
     INSERT INTO case_number_counters AS c (jobcenter, year, last) VALUES (jc, y, 1)
       ON CONFLICT (jobcenter, year) DO UPDATE SET last = c.last + 1
       RETURNING c.last INTO n;
     RETURN upper(substr(jc, 1, 2)) || '-' || y || '-' || lpad(n::text, 5, '0');
   END $$`,
  `ALTER TABLE applications ADD COLUMN case_number text`,
  `DO $$
   DECLARE r record;
   BEGIN
     FOR r IN SELECT id, jobcenter, application_date FROM applications ORDER BY created_at, id LOOP
       UPDATE applications SET case_number = next_case_number(r.jobcenter, r.application_date) WHERE id = r.id;
     END LOOP;
   END $$`,
  `CREATE FUNCTION assign_case_number() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF NEW.case_number IS NULL THEN
       NEW.case_number := next_case_number(NEW.jobcenter, NEW.application_date);
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER applications_case_number BEFORE INSERT ON applications
     FOR EACH ROW EXECUTE FUNCTION assign_case_number()`,
  `ALTER TABLE applications ALTER COLUMN case_number SET NOT NULL`,
  `CREATE UNIQUE INDEX applications_case_number ON applications (jobcenter, case_number)`,
  // The workspace's case list: one jobcenter's cases, newest application first.
  `CREATE INDEX applications_jobcenter_date ON applications (jobcenter, application_date DESC, created_at DESC)`,
  // Search by KD number and by BG number.
  `CREATE INDEX persons_kd_number ON persons (kd_number) WHERE kd_number IS NOT NULL`,
  `CREATE INDEX application_households_bg ON application_households (bg_number)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
