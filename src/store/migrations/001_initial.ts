/** The first schema: applications, people, customer and household numbers, deadlines, bookings, outbox, audit. */
import { type Kysely, sql } from 'kysely';

const statements = [
  `CREATE SEQUENCE kd_number_seq START 100001`,
  `CREATE SEQUENCE bg_number_seq START 1`,
  `CREATE TABLE applications (
     id uuid PRIMARY KEY,
     jobcenter text NOT NULL,
     channel text NOT NULL CHECK (channel IN ('EZ','SC','POST','ONLINE')),
     application_date date NOT NULL,
     status text NOT NULL,
     new_customer boolean NOT NULL,
     not_new_reason text,
     reason text NOT NULL DEFAULT '',
     process_instance_key text,
     idempotency_key text,
     flags jsonb NOT NULL DEFAULT '{}',
     created_by text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (jobcenter, idempotency_key)
   )`,
  `CREATE INDEX applications_jobcenter_status ON applications (jobcenter, status)`,
  `CREATE TABLE persons (
     id uuid PRIMARY KEY,
     jobcenter text NOT NULL,
     application_id uuid NOT NULL REFERENCES applications (id),
     role text NOT NULL CHECK (role IN ('head','member')),
     given_name text NOT NULL,
     family_name text NOT NULL,
     birth_date date NOT NULL,
     erwerbsfaehig boolean NOT NULL,
     new_customer boolean,
     not_new_reason text,
     kd_number text,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX persons_application ON persons (application_id)`,
  // One customer record per real person and jobcenter, found again on a later application (reactivation)
  // by a key derived from name and birth date; the KD number stays the same.
  `CREATE TABLE customers (
     kd_number text PRIMARY KEY,
     jobcenter text NOT NULL,
     identity_key text NOT NULL,
     legal_sphere text NOT NULL CHECK (legal_sphere IN ('SGB II','SGB III')),
     aufstocker boolean NOT NULL DEFAULT false,
     care text NOT NULL CHECK (care IN ('main','secondary')),
     caseworker_id text,
     team text,
     active boolean NOT NULL DEFAULT true,
     created_at timestamptz NOT NULL DEFAULT now(),
     reactivated_at timestamptz,
     UNIQUE (jobcenter, identity_key)
   )`,
  `CREATE TABLE households (
     bg_number text PRIMARY KEY,
     jobcenter text NOT NULL,
     head_kd_number text NOT NULL REFERENCES customers (kd_number),
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (jobcenter, head_kd_number)
   )`,
  `CREATE TABLE application_households (
     application_id uuid PRIMARY KEY REFERENCES applications (id),
     bg_number text NOT NULL REFERENCES households (bg_number)
   )`,
  `CREATE TABLE case_periods (
     application_id uuid PRIMARY KEY REFERENCES applications (id),
     jobcenter text NOT NULL,
     bg_number text NOT NULL,
     application_date date NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  // "Änderungen zum Antragsdatum sind in ALLEGRO nicht zulässig": enforced by the database, whatever the path.
  `CREATE FUNCTION refuse_application_date_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'DELETE' THEN
       RAISE EXCEPTION 'case periods cannot be deleted' USING ERRCODE = 'P0001';
     END IF;
     IF NEW.application_date IS DISTINCT FROM OLD.application_date THEN
       RAISE EXCEPTION 'the application date cannot be changed (%)', TG_TABLE_NAME USING ERRCODE = 'P0001';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER case_periods_application_date BEFORE UPDATE OR DELETE ON case_periods
     FOR EACH ROW EXECUTE FUNCTION refuse_application_date_change()`,
  `CREATE TRIGGER applications_application_date BEFORE UPDATE ON applications
     FOR EACH ROW WHEN (NEW.application_date IS DISTINCT FROM OLD.application_date)
     EXECUTE FUNCTION refuse_application_date_change()`,
  `CREATE TABLE deadlines (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     application_id uuid NOT NULL REFERENCES applications (id),
     person_id text NOT NULL DEFAULT '',
     kind text NOT NULL CHECK (kind IN ('first-consultation','decision','quer','quer-member')),
     due_date date NOT NULL,
     breach_at timestamptz NOT NULL,
     status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','met','breached')),
     met_on date,
     breached_at timestamptz,
     team text,
     caseworker_id text,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (application_id, person_id, kind)
   )`,
  `CREATE INDEX deadlines_due ON deadlines (jobcenter, due_date)`,
  `CREATE TABLE absences (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     caseworker_id text NOT NULL,
     starts_at timestamptz NOT NULL,
     ends_at timestamptz NOT NULL,
     reason text,
     CHECK (starts_at < ends_at)
   )`,
  `CREATE INDEX absences_caseworker ON absences (caseworker_id, starts_at)`,
  `CREATE TABLE appointments (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     caseworker_id text NOT NULL,
     starts_at timestamptz NOT NULL,
     ends_at timestamptz NOT NULL,
     kind text NOT NULL,
     application_id uuid NOT NULL REFERENCES applications (id),
     person_id text NOT NULL,
     booked_by text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT appointments_one_per_slot UNIQUE (caseworker_id, starts_at),
     CONSTRAINT appointments_one_per_purpose UNIQUE (application_id, person_id, kind)
   )`,
  `CREATE TABLE documents (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     application_id uuid NOT NULL REFERENCES applications (id),
     person_id text,
     kind text NOT NULL,
     title text NOT NULL,
     media_type text NOT NULL,
     content bytea NOT NULL,
     dedup_key text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE notifications (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     dedup_key text NOT NULL UNIQUE,
     channel text NOT NULL CHECK (channel IN ('inbox','email','d3')),
     recipient text NOT NULL,
     cc jsonb NOT NULL DEFAULT '[]',
     subject text NOT NULL,
     body text NOT NULL,
     links jsonb NOT NULL DEFAULT '[]',
     attachments jsonb NOT NULL DEFAULT '[]',
     application_id uuid,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
     attempts integer NOT NULL DEFAULT 0,
     delivered_at timestamptz,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX notifications_recipient ON notifications (recipient, created_at)`,
  `CREATE TABLE history_notes (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     application_id uuid NOT NULL REFERENCES applications (id),
     person_id text,
     text text NOT NULL,
     dedup_key text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE audit_log (
     id bigserial PRIMARY KEY,
     jobcenter text NOT NULL,
     at timestamptz NOT NULL DEFAULT now(),
     actor text NOT NULL,
     action text NOT NULL,
     application_id uuid,
     details jsonb NOT NULL DEFAULT '{}'
   )`,
  `CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'P0001';
   END $$`,
  `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()`,
  `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change()`,
  `CREATE TABLE api_idempotency (
     jobcenter text NOT NULL,
     key text NOT NULL,
     request_hash text NOT NULL,
     status_code integer,
     response jsonb,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (jobcenter, key)
   )`,
  `CREATE TABLE skeleton_visits (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     jobcenter text NOT NULL,
     process_instance_key text NOT NULL UNIQUE,
     visited_on date NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The initial schema is not rolled back; restore a backup instead');
}
