/**
 * What the workspace reads from the store: the case list with search and filters, one case with everything
 * about it, and the case facts beside each engine task. Names come from here at display time only.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';

import { readCaseRecord } from '../domain/case-record.js';
import type { Database } from '../store/index.js';

/**
 * The deadline states the list filters by, the same as the MDS report counts (src/reports/mds.ts), so that a figure
 * on the dashboard and the list it links to agree: open is every open deadline, due soon the open ones due from
 * today to the third working day, overdue past due with nothing held or booked (open or already breached).
 */
export const DEADLINE_FILTERS = ['open', 'soon', 'overdue', 'met', 'breached', 'not-applicable'] as const;
export type DeadlineFilter = (typeof DEADLINE_FILTERS)[number];

export const DEADLINE_KINDS = ['first-consultation', 'decision', 'quer', 'quer-member'] as const;

export interface CaseListQuery {
  /** The jobcenter(s) whose cases are listed (a regional lead has several); null: every jobcenter. */
  jobcenter: string | readonly string[] | null;
  search?: string;
  deadline?: DeadlineFilter;
  /** Only deadlines of this kind, and only those due in this period (both inclusive), count for the filters. */
  kind?: (typeof DEADLINE_KINDS)[number];
  dueFrom?: string;
  dueTo?: string;
  channel?: string;
  /** The team: its deadlines, or a person whose customer record or caseworker is of it. */
  team?: { id: string; caseworkerIds: readonly string[] };
  /** The caseworker: of a deadline, the case holder of a person, or the customer's caseworker. */
  caseworker?: string;
  /** Only cases whose process instance is one of these (where the engine says they stand); empty: none. */
  processInstanceIds?: readonly string[];
  page: number;
  pageSize: number;
  /** Today in Berlin and the last day of "due soon" (inclusive), as ISO dates. */
  today: string;
  soonUntil: string;
}

type AppEb = ExpressionBuilder<Database & { a: Database['applications'] }, 'a'>;
type DeadlineEb = ExpressionBuilder<
  Database & { a: Database['applications'] } & { d: Database['deadlines'] },
  'a' | 'd'
>;

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The conditions on one deadline row; status, kind, period, team and caseworker must hold for the same deadline. */
function deadlineMatches(de: DeadlineEb, q: CaseListQuery) {
  const all = [];
  const f = q.deadline;
  if (f === 'met' || f === 'breached' || f === 'not-applicable') all.push(de('d.status', '=', f));
  else if (f === 'open') all.push(de('d.status', '=', 'open'));
  else if (f === 'soon')
    all.push(de('d.status', '=', 'open'), de('d.due_date', '>=', q.today), de('d.due_date', '<=', q.soonUntil));
  else if (f === 'overdue')
    all.push(
      de('d.status', 'in', ['open', 'breached']),
      de('d.due_date', '<', q.today),
      de('d.met_on', 'is', null),
      de.not(
        de.exists(
          de
            .selectFrom('appointments as ap')
            .select(sql.lit(1).as('x'))
            .whereRef('ap.application_id', '=', 'd.application_id')
            .whereRef('ap.person_id', '=', 'd.person_id')
            .whereRef('ap.kind', '=', 'd.kind'),
        ),
      ),
    );
  if (q.kind) all.push(de('d.kind', '=', q.kind));
  if (q.dueFrom) all.push(de('d.due_date', '>=', q.dueFrom));
  if (q.dueTo) all.push(de('d.due_date', '<=', q.dueTo));
  if (q.team) all.push(de('d.team', '=', q.team.id));
  if (q.caseworker) all.push(de('d.caseworker_id', '=', q.caseworker));
  return de.and(all);
}

/** A person of the case held by the caseworker (or one of the team's), or whose customer record is the team's. */
function personOf(eb: AppEb, q: CaseListQuery) {
  const holders = q.caseworker ? [q.caseworker] : [...(q.team?.caseworkerIds ?? [])];
  return eb.exists(
    eb
      .selectFrom('persons as p')
      .leftJoin('customers as c', 'c.kd_number', 'p.kd_number')
      .select(sql.lit(1).as('x'))
      .whereRef('p.application_id', '=', 'a.id')
      .where((pe) => {
        const holder = pe.fn.coalesce('p.caseworker_id', 'c.caseworker_id');
        const any = holders.length ? [pe(holder, 'in', holders)] : [];
        if (q.team && !q.caseworker) any.push(pe('c.team', '=', q.team.id));
        return any.length ? pe.or(any) : pe.val(false);
      }),
  );
}

function filtered(db: Kysely<Database>, q: CaseListQuery) {
  let query = db.selectFrom('applications as a');
  if (q.jobcenter) query = query.where('a.jobcenter', 'in', [q.jobcenter].flat());
  if (q.channel) query = query.where('a.channel', '=', q.channel);
  if (q.processInstanceIds)
    query = q.processInstanceIds.length
      ? query.where(sql<boolean>`a.process_instance_key = any(${[...q.processInstanceIds]}::text[])`)
      : query.where(sql.lit(false));
  const search = q.search?.trim();
  if (search) {
    const like = likePattern(search);
    query = query.where((eb: AppEb) =>
      eb.or([
        eb('a.case_number', 'ilike', like),
        eb.exists(
          eb
            .selectFrom('persons as p')
            .select(sql.lit(1).as('x'))
            .whereRef('p.application_id', '=', 'a.id')
            .where((pe) =>
              pe.or([
                pe('p.kd_number', '=', search),
                pe(sql<string>`p.given_name || ' ' || p.family_name`, 'ilike', like),
                pe(sql<string>`p.family_name || ', ' || p.given_name`, 'ilike', like),
              ]),
            ),
        ),
        eb.exists(
          eb
            .selectFrom('application_households as h')
            .select(sql.lit(1).as('x'))
            .whereRef('h.application_id', '=', 'a.id')
            .where('h.bg_number', '=', search),
        ),
      ]),
    );
  }
  const byDeadline = Boolean(q.deadline || q.kind || q.dueFrom || q.dueTo);
  const deadlineOfCase = (eb: AppEb) =>
    eb.exists(
      eb
        .selectFrom('deadlines as d')
        .select(sql.lit(1).as('x'))
        .whereRef('d.application_id', '=', 'a.id')
        .where((de) => deadlineMatches(de as DeadlineEb, q)),
    );
  // With a deadline filter the team and caseworker are the deadline's, as the MDS report counts them per team.
  if (byDeadline) query = query.where((eb: AppEb) => deadlineOfCase(eb));
  else if (q.team || q.caseworker) query = query.where((eb: AppEb) => eb.or([deadlineOfCase(eb), personOf(eb, q)]));
  return query;
}

/** The earliest due date among the case's open deadlines, as a subquery of a query over `applications as a`. */
const nextOpenDue = (eb: ExpressionBuilder<Database & { a: Database['applications'] }, 'a'>) =>
  eb
    .selectFrom('deadlines as d')
    .select((d) => d.fn.min('d.due_date').as('due'))
    .whereRef('d.application_id', '=', 'a.id')
    .where('d.status', '=', 'open');

export async function caseList(db: Kysely<Database>, q: CaseListQuery) {
  const { total } = await filtered(db, q)
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  // The page's cases first, then their details: with the details in the sorted query, every case in the store
  // had its household, deadlines and next due date read before the sort kept 25 of them.
  const page = await filtered(db, q)
    .select('a.id')
    .orderBy('a.application_date', 'desc')
    .orderBy('a.created_at', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  if (page.length === 0) return { total: Number(total), rows: [] };
  const rows = await db
    .selectFrom('applications as a')
    .leftJoin('persons as head', (j) => j.onRef('head.application_id', '=', 'a.id').on('head.role', '=', 'head'))
    .leftJoin('application_households as ah', 'ah.application_id', 'a.id')
    .select([
      'a.id',
      'a.jobcenter',
      'a.case_number',
      'a.channel',
      'a.application_date',
      'a.status',
      'a.process_instance_key',
      'head.given_name',
      'head.family_name',
      'head.kd_number',
      'ah.bg_number',
    ])
    .select((eb) => [
      nextOpenDue(eb).as('next_due'),
      eb
        .selectFrom('deadlines as d')
        .select((d) => d.fn.countAll<string>().as('n'))
        .whereRef('d.application_id', '=', 'a.id')
        .where('d.status', '=', 'breached')
        .as('breached'),
    ])
    .where(
      'a.id',
      'in',
      page.map((r) => r.id),
    )
    .orderBy('a.application_date', 'desc')
    .orderBy('a.created_at', 'desc')
    .execute();
  return { total: Number(total), rows };
}

export type CaseListRow = Awaited<ReturnType<typeof caseList>>['rows'][number];

/** One case with its household and everything recorded about it; undefined when there is none. */
export const readCase = (db: Kysely<Database>, id: string) => readCaseRecord(db, id);

export type CaseView = NonNullable<Awaited<ReturnType<typeof readCase>>>;

/**
 * Per process instance: the case facts a task row shows (head of household, Vorgangsnummer, MDS due date, next
 * appointment). Each part is read by index for the page's cases only: joined to the heads in one query, the
 * planner hashed every head of household in the store per page view (PGlite never gathers statistics).
 */
export async function taskCaseFacts(db: Kysely<Database>, processInstanceIds: readonly string[]) {
  if (processInstanceIds.length === 0) return new Map<string, TaskCaseFacts>();
  const apps = await db
    .selectFrom('applications as a')
    .select(['a.id', 'a.jobcenter', 'a.case_number', 'a.channel', 'a.application_date', 'a.process_instance_key'])
    .select((eb) => [nextOpenDue(eb).as('mds_due')])
    .where('a.process_instance_key', 'in', [...processInstanceIds])
    .execute();
  if (apps.length === 0) return new Map<string, TaskCaseFacts>();
  const ids = apps.map((a) => a.id);
  const heads = await db
    .selectFrom('persons')
    .select(['application_id', 'given_name', 'family_name'])
    .where('application_id', 'in', ids)
    .where('role', '=', 'head')
    .execute();
  const appointments = await db
    .selectFrom('appointments')
    .select(['application_id', 'starts_at', 'caseworker_id', 'kind'])
    .where('application_id', 'in', ids)
    .orderBy('starts_at')
    .execute();
  const out = new Map<string, TaskCaseFacts>();
  for (const a of apps) {
    const head = heads.find((h) => h.application_id === a.id);
    out.set(a.process_instance_key!, {
      ...a,
      given_name: head?.given_name ?? null,
      family_name: head?.family_name ?? null,
      appointment: appointments.find((x) => x.application_id === a.id) ?? null,
    });
  }
  return out;
}

export interface TaskCaseFacts {
  id: string;
  jobcenter: string;
  case_number: string;
  channel: string;
  application_date: string;
  given_name: string | null;
  family_name: string | null;
  mds_due: string | null;
  appointment: { starts_at: Date; caseworker_id: string; kind: string } | null;
}

/** Every view of personal data leaves a line in the append-only audit log. */
export async function auditView(
  db: Kysely<Database>,
  entry: { jobcenter: string; actor: string; action: string; applicationId: string | null; details?: object },
) {
  await db
    .insertInto('audit_log')
    .values({
      jobcenter: entry.jobcenter,
      actor: entry.actor,
      action: entry.action,
      application_id: entry.applicationId,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
