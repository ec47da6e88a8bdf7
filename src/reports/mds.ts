/**
 * The MDS report: deadlines whose due date falls in a period, counted per kind, team and caseworker as of a
 * day: due, met, breached, open, overdue, due soon (open, within 3 working days), not applicable (the case ended
 * before the consultation: not responsible, withdrawn), and the met rate, which leaves the not applicable out.
 *
 * Overdue is the team's to-do list: past its due date, not yet held, and no appointment booked for it. Since the
 * breach is recorded at the breach instant wherever the case stands, such a deadline is usually already breached:
 * overdue counts it whether it is still open or breached, and a booked deputy appointment takes it off the list.
 */
import { stringify } from 'csv-stringify/sync';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';

import type { WorkingDayCalendar } from '../calendar/index.js';
import type { Database } from '../store/index.js';

export interface Counts {
  due: number;
  met: number;
  breached: number;
  open: number;
  overdue: number;
  dueSoon: number;
  /** Closed without a consultation (not responsible, withdrawn): neither met nor breached. */
  notApplicable: number;
  /** met / (met + breached); null while nothing is decided. Not applicable deadlines do not count. */
  metRate: number | null;
}

export interface MdsReport {
  jobcenter: string;
  from: string;
  to: string;
  asOf: string;
  kinds: ({ kind: string } & Counts)[];
  byTeam: ({ team: string | null } & Counts)[];
  byCaseworker: ({ caseworkerId: string | null } & Counts)[];
}

const DUE_SOON_WORKING_DAYS = 3;

/** The last day of "due soon" as of a day: the third working day after it. */
export const dueSoonUntil = (calendar: WorkingDayCalendar, asOf: string) =>
  calendar.addWorkingDays(asOf, DUE_SOON_WORKING_DAYS);

/** Whether an appointment of the deadline's kind is booked for its person (a first consultation, a deputy's slot). */
export const bookedFor = (eb: ExpressionBuilder<Database, 'deadlines'>) =>
  eb.exists(
    eb
      .selectFrom('appointments')
      .select('appointments.id')
      .whereRef('appointments.application_id', '=', 'deadlines.application_id')
      .whereRef('appointments.person_id', '=', 'deadlines.person_id')
      .whereRef('appointments.kind', '=', 'deadlines.kind'),
  );

/** The deadlines still waiting for someone to act: past due, not held, nothing booked. */
export function isOverdue(d: { status: string; due: string; held: boolean; booked: boolean }, asOf: string): boolean {
  return (d.status === 'open' || d.status === 'breached') && d.due < asOf && !d.held && !d.booked;
}

/** isOverdue as a condition on a deadline row, for the report's counts and the dashboard's list. */
export const overdueWhere = (eb: ExpressionBuilder<Database, 'deadlines'>, asOf: string) =>
  eb.and([
    eb('deadlines.status', 'in', ['open', 'breached']),
    eb('deadlines.due_date', '<', asOf),
    eb('deadlines.met_on', 'is', null),
    eb.not(bookedFor(eb)),
  ]);

/** Open and due from asOf to soonUntil, both inclusive. */
export const dueSoonWhere = (eb: ExpressionBuilder<Database, 'deadlines'>, asOf: string, soonUntil: string) =>
  eb.and([
    eb('deadlines.status', '=', 'open'),
    eb('deadlines.due_date', '>=', asOf),
    eb('deadlines.due_date', '<=', soonUntil),
  ]);

/** Which grouping set a row of the report's query belongs to: GROUPING(kind, team, caseworker_id). */
const BY_KIND = 0b011;
const BY_TEAM = 0b101;
const BY_CASEWORKER = 0b110;

/**
 * The database counts, per kind, team and caseworker in one pass (grouping sets): a period of thousands of
 * deadlines returns a few dozen rows instead of every deadline to count here.
 */
export async function mdsReport(
  db: Kysely<Database>,
  calendar: WorkingDayCalendar,
  q: { jobcenter: string; from: string; to: string; asOf: string },
): Promise<MdsReport> {
  const soonUntil = dueSoonUntil(calendar, q.asOf);
  const rows = await db
    .selectFrom('deadlines')
    .select(['kind', 'team', 'caseworker_id'])
    .select((eb) => {
      const n = () => eb.fn.countAll<string | number>();
      return [
        sql<number>`grouping(kind, team, caseworker_id)`.as('grouping_set'),
        n().filterWhere('status', '!=', 'not-applicable').as('due'),
        n().filterWhere('status', '=', 'met').as('met'),
        n().filterWhere('status', '=', 'breached').as('breached'),
        n().filterWhere('status', '=', 'open').as('open'),
        n()
          .filterWhere((f) => overdueWhere(f, q.asOf))
          .as('overdue'),
        n()
          .filterWhere((f) => dueSoonWhere(f, q.asOf, soonUntil))
          .as('due_soon'),
        n().filterWhere('status', '=', 'not-applicable').as('not_applicable'),
      ];
    })
    .where('jobcenter', '=', q.jobcenter)
    .where('due_date', '>=', q.from)
    .where('due_date', '<=', q.to)
    .groupBy(sql`grouping sets ((kind), (team), (caseworker_id))`)
    .execute();
  const counts = (r: (typeof rows)[number]): Counts => {
    const met = Number(r.met);
    const breached = Number(r.breached);
    return {
      due: Number(r.due),
      met,
      breached,
      open: Number(r.open),
      overdue: Number(r.overdue),
      dueSoon: Number(r.due_soon),
      notApplicable: Number(r.not_applicable),
      metRate: met + breached > 0 ? Math.round((met / (met + breached)) * 1000) / 1000 : null,
    };
  };
  const of = <K extends string | null>(set: number, key: (r: (typeof rows)[number]) => K) =>
    rows
      .filter((r) => Number(r.grouping_set) === set)
      .map((r) => [key(r), counts(r)] as const)
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
  return {
    ...q,
    kinds: of(BY_KIND, (r) => r.kind as string).map(([kind, c]) => ({ kind, ...c })),
    byTeam: of(BY_TEAM, (r) => r.team).map(([team, c]) => ({ team, ...c })),
    byCaseworker: of(BY_CASEWORKER, (r) => r.caseworker_id).map(([caseworkerId, c]) => ({ caseworkerId, ...c })),
  };
}

const COLUMNS = ['due', 'met', 'breached', 'open', 'overdue', 'dueSoon', 'notApplicable', 'metRate'] as const;

/**
 * One table for a spreadsheet: a row per kind, team and caseworker, with the same numbers as the JSON. Semicolons
 * and CRLF, as German spreadsheets open it by a double click; csv-stringify quotes a field that holds a semicolon
 * or a quote, and (quoted_match) any line break, which it would otherwise leave bare unless it were CRLF.
 */
export function mdsCsv(r: MdsReport): string {
  const rows = [
    ...r.kinds.map(({ kind, ...c }) => ({ group: 'kind', key: kind, ...c })),
    ...r.byTeam.map(({ team, ...c }) => ({ group: 'team', key: team, ...c })),
    ...r.byCaseworker.map(({ caseworkerId, ...c }) => ({ group: 'caseworker', key: caseworkerId, ...c })),
  ];
  return stringify(rows, {
    columns: ['group', 'key', ...COLUMNS],
    header: true,
    delimiter: ';',
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    eof: false,
  });
}
