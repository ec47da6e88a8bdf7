/**
 * The store's tables as Kysely types. Local dates are 'YYYY-MM-DD' strings on both backends; instants are
 * JS Dates (timestamptz). Names and birth dates live only in `persons`; everything carries `jobcenter`.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Json = ColumnType<unknown, string, string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface ApplicationsTable {
  id: string;
  jobcenter: string;
  channel: string;
  application_date: ColumnType<string, string, never>;
  status: string;
  new_customer: boolean;
  not_new_reason: string | null;
  reason: string;
  process_instance_key: string | null;
  idempotency_key: string | null;
  flags: Json;
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

export interface CustomersTable {
  kd_number: string;
  jobcenter: string;
  identity_key: string;
  legal_sphere: 'SGB II' | 'SGB III';
  aufstocker: boolean;
  care: 'main' | 'secondary';
  caseworker_id: string | null;
  team: string | null;
  active: boolean;
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
  application_date: string;
  created_at: CreatedAt;
}

export type DeadlineKind = 'first-consultation' | 'decision' | 'quer' | 'quer-member';
export type DeadlineStatus = 'open' | 'met' | 'breached';

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
}

export interface NotificationsTable {
  id: Generated<string>;
  jobcenter: string;
  dedup_key: string;
  channel: 'inbox' | 'email' | 'd3';
  recipient: string;
  cc: Json;
  subject: string;
  body: string;
  links: Json;
  attachments: Json;
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
  id: Generated<number>;
  jobcenter: string;
  at: CreatedAt;
  actor: string;
  action: string;
  application_id: string | null;
  details: Json;
}

export interface ApiIdempotencyTable {
  jobcenter: string;
  key: string;
  request_hash: string;
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
  customers: CustomersTable;
  households: HouseholdsTable;
  application_households: ApplicationHouseholdsTable;
  case_periods: CasePeriodsTable;
  deadlines: DeadlinesTable;
  absences: AbsencesTable;
  appointments: AppointmentsTable;
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
