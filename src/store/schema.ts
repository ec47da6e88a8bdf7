/**
 * The store's tables as Kysely types, matching what both backends return (open-store.ts sets the parsers):
 * - `date` columns are local dates as 'YYYY-MM-DD' strings: a JS Date would shift them by the time zone;
 * - `timestamptz` columns are instants as JS Dates, read and written (Date has no time zone to lose);
 * - `bigint`/`bigserial` and count(*) come back as decimal strings, never rounded;
 * - `bytea` comes back as a Buffer; `jsonb` is written as a JSON string and read as the parsed value.
 * Names and birth dates live only in `persons`, postal addresses only in `application_addresses`; every table but the link application_households carries
 * the tenant `jobcenter`.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Json = ColumnType<unknown, string, string>;
/** A jsonb column with a database default ('{}' or '[]'), so an insert may leave it out. */
type JsonWithDefault = ColumnType<unknown, string | undefined, string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A local date that is fixed once written; the database refuses the change too (trigger). */
type FixedDate = ColumnType<string, string, never>;
/** A column with a database default that an insert may leave out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface ApplicationsTable {
  id: string;
  jobcenter: string;
  /** 'EZ' | 'SC' | 'POST' | 'ONLINE' (CHECK constraint); typed as string because callers pass validated input. */
  channel: string;
  application_date: FixedDate;
  status: string;
  new_customer: boolean;
  not_new_reason: string | null;
  reason: Defaulted<string>;
  process_instance_key: string | null;
  /** The Vorgangsnummer (e.g. CO-2026-00042), given by the store on insert (migration 005). */
  case_number: Generated<string>;
  /** False from recording until the API has the engine's answer (or the sweep finishes the record). */
  start_confirmed: Defaulted<boolean>;
  /** The client's Idempotency-Key, unique per jobcenter. */
  idempotency_key: string | null;
  /** Non-personal flags only (e.g. aufstocker); names and dates stay in `persons`. */
  flags: JsonWithDefault;
  created_by: string;
  created_at: CreatedAt;
}

export interface PersonsTable {
  id: string;
  jobcenter: string;
  application_id: string;
  role: 'head' | 'member';
  given_name: string;
  family_name: string;
  birth_date: string;
  erwerbsfaehig: boolean;
  new_customer: boolean | null;
  not_new_reason: string | null;
  kd_number: string | null;
  /** The case holder for this application (virtual worker, then IFK); set by the Wuppertal workers. */
  caseworker_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** The household's postal address (the letters' addressee); personal data, so only here, never in the engine. */
export interface ApplicationAddressesTable {
  application_id: string;
  jobcenter: string;
  /** 'Frau' | 'Herr' when the head said how to be addressed; otherwise letters greet by name. */
  salutation: 'Frau' | 'Herr' | null;
  care_of: string | null;
  street: string;
  postcode: string;
  city: string;
  /** A separate mailing address (Postanschrift): all three set or none. */
  mailing_care_of: string | null;
  mailing_street: string | null;
  mailing_postcode: string | null;
  mailing_city: string | null;
  created_at: CreatedAt;
}

export interface CustomersTable {
  kd_number: string;
  jobcenter: string;
  identity_key: string;
  legal_sphere: 'SGB II' | 'SGB III';
  aufstocker: Defaulted<boolean>;
  care: 'main' | 'secondary';
  caseworker_id: string | null;
  team: string | null;
  active: Defaulted<boolean>;
  created_at: CreatedAt;
  reactivated_at: Date | null;
}

export interface HouseholdsTable {
  bg_number: string;
  jobcenter: string;
  head_kd_number: string;
  created_at: CreatedAt;
}

export interface ApplicationHouseholdsTable {
  application_id: string;
  bg_number: string;
}

export interface CasePeriodsTable {
  application_id: string;
  jobcenter: string;
  bg_number: string;
  application_date: FixedDate;
  created_at: CreatedAt;
}

export type DeadlineKind = 'first-consultation' | 'decision' | 'quer' | 'quer-member';
/** not-applicable: the case ended before the consultation (not responsible, withdrawn); neither met nor breached. */
export type DeadlineStatus = 'open' | 'met' | 'breached' | 'not-applicable';

export interface DeadlinesTable {
  id: Generated<string>;
  jobcenter: string;
  application_id: string;
  /** '' for deadlines of the whole application (the decision), so the unique key needs no NULL rules. */
  person_id: string;
  kind: DeadlineKind;
  due_date: string;
  breach_at: Date;
  status: Generated<DeadlineStatus>;
  met_on: string | null;
  breached_at: Date | null;
  team: string | null;
  caseworker_id: string | null;
  created_at: CreatedAt;
}

export interface AbsencesTable {
  id: Generated<string>;
  jobcenter: string;
  caseworker_id: string;
  starts_at: Date;
  ends_at: Date;
  reason: string | null;
}

/** Windows a caseworker released in ATV on top of the jobcenter's standard ones, from a date on. */
export interface ReleasedWindowsTable {
  id: Generated<string>;
  jobcenter: string;
  caseworker_id: string;
  weekday: number;
  from_time: string;
  to_time: string;
  valid_from: FixedDate;
  valid_to: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface AppointmentsTable {
  id: Generated<string>;
  jobcenter: string;
  caseworker_id: string;
  starts_at: Date;
  ends_at: Date;
  kind: string;
  application_id: string;
  person_id: string;
  booked_by: string;
  created_at: CreatedAt;
}

export interface DocumentsTable {
  id: Generated<string>;
  jobcenter: string;
  application_id: string;
  person_id: string | null;
  kind: string;
  title: string;
  media_type: string;
  content: Buffer;
  dedup_key: string;
  created_at: CreatedAt;
  /** Null: not posted by the jobcenter (handed over, or only filed); else the print list's state. */
  post_status: 'to-print' | 'sent' | null;
  posted_at: Date | null;
  /** The actor who marked it printed and sent (`user:<id>`). */
  posted_by: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  jobcenter: string;
  dedup_key: string;
  channel: 'inbox' | 'email' | 'd3';
  recipient: string;
  cc: JsonWithDefault;
  subject: string;
  body: string;
  links: JsonWithDefault;
  /** References only (kind and id), never the content. */
  attachments: JsonWithDefault;
  application_id: string | null;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  delivered_at: Date | null;
  created_at: CreatedAt;
}

export interface HistoryNotesTable {
  id: Generated<string>;
  jobcenter: string;
  application_id: string;
  person_id: string | null;
  text: string;
  dedup_key: string;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  /** bigserial, so a string (see above). */
  id: Generated<string>;
  jobcenter: string;
  at: CreatedAt;
  actor: string;
  action: string;
  application_id: string | null;
  details: JsonWithDefault;
}

export interface ApiIdempotencyTable {
  jobcenter: string;
  key: string;
  request_hash: string;
  /** Null while the first request is still being answered. */
  status_code: number | null;
  response: Json | null;
  created_at: CreatedAt;
}

export interface SkeletonVisitsTable {
  id: Generated<string>;
  jobcenter: string;
  process_instance_key: string;
  visited_on: string;
  created_at: CreatedAt;
}

export interface CaseAssignmentsTable {
  id: Generated<string>;
  jobcenter: string;
  application_id: string;
  person_id: string;
  caseworker_id: string;
  reason: string;
  dedup_key: string;
  at: CreatedAt;
}

export interface FmgEntriesTable {
  application_id: string;
  person_id: string;
  jobcenter: string;
  kind: string;
  value: string;
  valid_from: string | null;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface ConsultationNotesTable {
  id: Generated<string>;
  jobcenter: string;
  application_id: string;
  person_id: string;
  kind: string;
  held_on: string;
  content: Json;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface Database {
  applications: ApplicationsTable;
  persons: PersonsTable;
  application_addresses: ApplicationAddressesTable;
  customers: CustomersTable;
  households: HouseholdsTable;
  application_households: ApplicationHouseholdsTable;
  case_periods: CasePeriodsTable;
  deadlines: DeadlinesTable;
  absences: AbsencesTable;
  appointments: AppointmentsTable;
  released_windows: ReleasedWindowsTable;
  documents: DocumentsTable;
  notifications: NotificationsTable;
  history_notes: HistoryNotesTable;
  audit_log: AuditLogTable;
  api_idempotency: ApiIdempotencyTable;
  skeleton_visits: SkeletonVisitsTable;
  case_assignments: CaseAssignmentsTable;
  fmg_entries: FmgEntriesTable;
  consultation_notes: ConsultationNotesTable;
}

export type Application = Selectable<ApplicationsTable>;
export type Person = Selectable<PersonsTable>;
export type Deadline = Selectable<DeadlinesTable>;
export type NewNotification = Insertable<NotificationsTable>;
