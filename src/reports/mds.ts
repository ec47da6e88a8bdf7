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
import type { ExpressionBuilder, Kysely } from 'kysely';

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

function tally<K extends string | null>(
  rows: { key: K; status: string; due: string; held: boolean; booked: boolean }[],
  asOf: string,
  soonUntil: string,
): Map<K, Counts> {
  const out = new Map<K, Counts>();
  for (const r of rows) {
    const c = out.get(r.key) ?? {
      due: 0,
      met: 0,
      breached: 0,
      open: 0,
      overdue: 0,
      dueSoon: 0,
      notApplicable: 0,
      metRate: null,
    };
    // Not applicable is no deadline to meet any more: counted apart, outside due and the met rate.
    if (r.status === 'not-applicable') c.notApplicable++;
    else c.due++;
    if (r.status === 'met') c.met++;
    else if (r.status === 'breached') c.breached++;
    else if (r.status === 'open') {
      c.open++;
      if (r.due >= asOf && r.due <= soonUntil) c.dueSoon++;
    }
    if (isOverdue(r, asOf)) c.overdue++;
    c.metRate = c.met + c.breached > 0 ? Math.round((c.met / (c.met + c.breached)) * 1000) / 1000 : null;
    out.set(r.key, c);
  }
  return out;
}

export async function mdsReport(
  db: Kysely<Database>,
  calendar: WorkingDayCalendar,
  q: { jobcenter: string; from: string; to: string; asOf: string },
): Promise<MdsReport> {
  const rows = await db
    .selectFrom('deadlines')
    .select(['kind', 'team', 'caseworker_id', 'status', 'due_date', 'met_on'])
    .select((eb) => bookedFor(eb).as('booked'))
    .where('jobcenter', '=', q.jobcenter)
    .where('due_date', '>=', q.from)
    .where('due_date', '<=', q.to)
    .execute();
  const soonUntil = calendar.addWorkingDays(q.asOf, DUE_SOON_WORKING_DAYS);
  const by = <K extends string | null>(key: (r: (typeof rows)[number]) => K) =>
    tally(
      rows.map((r) => ({
        key: key(r),
        status: r.status,
        due: r.due_date,
        held: r.met_on !== null,
        booked: Boolean(r.booked),
      })),
      q.asOf,
      soonUntil,
    );
  const sorted = <K extends string | null>(m: Map<K, Counts>) =>
    [...m.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));
  return {
    ...q,
    kinds: sorted(by((r) => r.kind)).map(([kind, c]) => ({ kind, ...c })),
    byTeam: sorted(by((r) => r.team)).map(([team, c]) => ({ team, ...c })),
    byCaseworker: sorted(by((r) => r.caseworker_id)).map(([caseworkerId, c]) => ({ caseworkerId, ...c })),
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
