/**
 * What the workspace reads from the store: the case list with search and filters, one case with everything
 * about it, and the case facts beside each engine task. Names come from here at display time only.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';

import { readCaseRecord } from '../domain/case-record.js';
import type { Database } from '../store/index.js';

export const DEADLINE_FILTERS = ['open', 'soon', 'overdue', 'met', 'breached'] as const;
export type DeadlineFilter = (typeof DEADLINE_FILTERS)[number];

export interface CaseListQuery {
  /** The jobcenter(s) whose cases are listed (a regional lead has several); null: every jobcenter. */
  jobcenter: string | readonly string[] | null;
  search?: string;
  deadline?: DeadlineFilter;
  channel?: string;
  page: number;
  pageSize: number;
  /** Today in Berlin and the last day of "due soon" (inclusive), as ISO dates. */
  today: string;
  soonUntil: string;
}

type AppEb = ExpressionBuilder<Database & { a: Database['applications'] }, 'a'>;

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filtered(db: Kysely<Database>, q: CaseListQuery) {
  let query = db.selectFrom('applications as a');
  if (q.jobcenter) query = query.where('a.jobcenter', 'in', [q.jobcenter].flat());
  if (q.channel) query = query.where('a.channel', '=', q.channel);
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
  if (q.deadline) {
    const f = q.deadline;
    query = query.where((eb: AppEb) =>
      eb.exists(
        eb
          .selectFrom('deadlines as d')
          .select(sql.lit(1).as('x'))
          .whereRef('d.application_id', '=', 'a.id')
          .where((de) => {
            if (f === 'met' || f === 'breached') return de('d.status', '=', f);
            const open = de('d.status', '=', 'open');
            if (f === 'overdue') return de.and([open, de('d.due_date', '<', q.today)]);
            if (f === 'soon')
              return de.and([open, de('d.due_date', '>=', q.today), de('d.due_date', '<=', q.soonUntil)]);
            return de.and([open, de('d.due_date', '>=', q.today)]);
          }),
      ),
    );
  }
  return query;
}

export async function caseList(db: Kysely<Database>, q: CaseListQuery) {
  const { total } = await filtered(db, q)
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await filtered(db, q)
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
      eb
        .selectFrom('deadlines as d')
        .select((d) => d.fn.min('d.due_date').as('due'))
        .whereRef('d.application_id', '=', 'a.id')
        .where('d.status', '=', 'open')
        .as('next_due'),
      eb
        .selectFrom('deadlines as d')
        .select((d) => d.fn.countAll<string>().as('n'))
        .whereRef('d.application_id', '=', 'a.id')
        .where('d.status', '=', 'breached')
        .as('breached'),
    ])
    .orderBy('a.application_date', 'desc')
    .orderBy('a.created_at', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { total: Number(total), rows };
}

export type CaseListRow = Awaited<ReturnType<typeof caseList>>['rows'][number];

/** One case with its household and everything recorded about it; undefined when there is none. */
export const readCase = (db: Kysely<Database>, id: string) => readCaseRecord(db, id);

export type CaseView = NonNullable<Awaited<ReturnType<typeof readCase>>>;

/** Per process instance: the case facts a task row shows (head of household, Vorgangsnummer, MDS due date, next appointment). */
export async function taskCaseFacts(db: Kysely<Database>, processInstanceIds: readonly string[]) {
  if (processInstanceIds.length === 0) return new Map<string, TaskCaseFacts>();
  const apps = await db
    .selectFrom('applications as a')
    .leftJoin('persons as head', (j) => j.onRef('head.application_id', '=', 'a.id').on('head.role', '=', 'head'))
    .select([
      'a.id',
      'a.jobcenter',
      'a.case_number',
      'a.channel',
      'a.application_date',
      'a.process_instance_key',
      'head.given_name',
      'head.family_name',
    ])
    .select((eb) => [
      eb
        .selectFrom('deadlines as d')
        .select((d) => d.fn.min('d.due_date').as('due'))
        .whereRef('d.application_id', '=', 'a.id')
        .where('d.status', '=', 'open')
        .as('mds_due'),
    ])
    .where('a.process_instance_key', 'in', [...processInstanceIds])
    .execute();
  const appointments = apps.length
    ? await db
        .selectFrom('appointments')
        .select(['application_id', 'starts_at', 'caseworker_id', 'kind'])
        .where(
          'application_id',
          'in',
          apps.map((a) => a.id),
        )
        .orderBy('starts_at')
        .execute()
    : [];
  const out = new Map<string, TaskCaseFacts>();
  for (const a of apps) {
    out.set(a.process_instance_key!, {
      ...a,
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
