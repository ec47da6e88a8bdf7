/**
 * The capacity forecast read from the store for one jobcenter (src/reports/capacity-forecast.ts computes it), and
 * the shortfall warning a team lead gets once per team and week when a shortfall lies within the next 10 working
 * days. The check is run by the engine's capacity-check process (processes/shared/capacity-check.bpmn), so a
 * cluster runs it once a day, not once per node.
 */
import { stringify } from 'csv-stringify/sync';
import { type Kysely, sql } from 'kysely';

import { releasedWindowsOf } from '../adapters/atv/store-atv.js';
import { berlinDate, type IsoDate, type WorkingDayCalendar } from '../calendar/index.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import { ageFacts } from '../domain/age-facts.js';
import { mainCaseworker } from '../domain/caseworker-assignment.js';
import { enqueue } from '../notify/outbox.js';
import { resolveRecipients } from '../notify/recipients.js';
import type { Database } from '../store/index.js';
import type { DeadlineKind } from '../store/schema.js';
import { type Forecast, forecastCapacity, type ForecastRow } from './capacity-forecast.js';
import { estimateIntake } from './intake-estimate.js';
import { bookedFor } from './mds.js';

/** The consultations the forecast plans slots for; the decision deadline needs no appointment. */
const CONSULTATIONS = ['first-consultation', 'quer', 'quer-member'] as const;
/** Kinds whose clock starts with the case (application, approval): the intake. Members' deadlines follow a month rule. */
const INTAKE_KINDS = ['first-consultation', 'quer'] as const;
export const WARNING_WORKING_DAYS = 10;
const INTAKE_WEEKS = 8;

export interface CapacityForecast extends Forecast {
  jobcenter: string;
  asOf: IsoDate;
  /** Working days from the clock's start to a new case's deadline. */
  deadlineWorkingDays: number;
  intakeWeeks: number;
  /** The label of the extra period (Wuppertal: first working days of next month), when there is one. */
  periodLabel: string | null;
  /** Open consultations of no team in the settings: not in any row. */
  withoutTeam: number;
}

const MONTHS = [
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
];

export function deadlineWorkingDaysOf(settings: JobcenterSettings): number {
  return settings.deadlines.firstConsultationWorkingDays ?? settings.deadlines.querWorkingDays ?? 15;
}

export async function capacityForecast(
  db: Kysely<Database>,
  settings: JobcenterSettings,
  calendar: WorkingDayCalendar,
  now: Date,
  weeks = 4,
): Promise<CapacityForecast> {
  const today = berlinDate(now);
  const n = deadlineWorkingDaysOf(settings);
  const teams = settings.teams.map((t) => ({
    id: t.id,
    name: t.name,
    caseworkers: settings.caseworkers.filter((c) => c.team === t.id && !c.virtual).map((c) => ({ id: c.id })),
  }));
  const caseworkerIds = teams.flatMap((t) => t.caseworkers.map((c) => c.id));
  const windows = await releasedWindowsOf(db, settings, caseworkerIds);
  for (const t of teams) for (const c of t.caseworkers) Object.assign(c, { windows: windows.get(c.id) });

  // Before the ID check no customer record names the team yet: the assignment rule (age band, surname range)
  // says which team the consultation will fall to. The name is used here only, and nothing of it leaves.
  const teamOf = (r: { team: string | null; family_name: string | null; birth_date: string | null }) =>
    r.team ??
    (r.family_name && r.birth_date
      ? (mainCaseworker(settings, r.family_name, ageFacts(r.birth_date, today).isU25)?.team ?? null)
      : null);
  /** The jobcenter's deadlines of these kinds with what the assignment rule needs of their person. */
  const deadlinesWithPerson = (kinds: readonly DeadlineKind[]) =>
    db
      .selectFrom('deadlines')
      .leftJoin('persons', (j) => j.on(sql`persons.id::text`, '=', sql.ref('deadlines.person_id')))
      .select(['deadlines.team', 'deadlines.due_date', 'persons.family_name', 'persons.birth_date'])
      .where('deadlines.jobcenter', '=', settings.id)
      .where('deadlines.kind', 'in', kinds);
  const openRows = await deadlinesWithPerson(CONSULTATIONS)
    .where('deadlines.status', 'in', ['open', 'breached'])
    .where('deadlines.met_on', 'is', null)
    .where((eb) => eb.not(bookedFor(eb)))
    .execute();
  const open = openRows.map((o) => ({ team: teamOf(o), due_date: o.due_date }));
  const horizonEnd = new Date(now.getTime() + (weeks * 7 + 45) * 86_400_000);
  const busy = async (table: 'absences' | 'appointments') =>
    (
      await db
        .selectFrom(table)
        .select(['caseworker_id', 'starts_at', 'ends_at'])
        .where('jobcenter', '=', settings.id)
        .where('ends_at', '>', now)
        .where('starts_at', '<', horizonEnd)
        .execute()
    ).map((r) => ({ caseworkerId: r.caseworker_id, startsAt: r.starts_at, endsAt: r.ends_at }));

  // The day each recent case's clock started, counted back from its deadline: the application day in Cottbus,
  // the approval in Wuppertal; one query, and the calendar does the working-day arithmetic.
  const recent = await deadlinesWithPerson(INTAKE_KINDS)
    .where('deadlines.due_date', '>=', addDays(today, -7 * INTAKE_WEEKS))
    .execute();
  const history = new Map<string, number>();
  for (const r of recent) {
    const team = teamOf(r);
    if (!team) continue;
    const key = `${team}|${calendar.subtractWorkingDays(r.due_date, n)}`;
    history.set(key, (history.get(key) ?? 0) + 1);
  }
  const intake = estimateIntake({
    history: [...history].map(([k, count]) => {
      const [team, date] = k.split('|') as [string, string];
      return { team, date, count };
    }),
    teams: teams.map((t) => t.id),
    calendar,
    today,
    weeks: INTAKE_WEEKS,
  });

  const nth = settings.deadlines.memberNthWorkingDay;
  let extraPeriod: { label: string; from: IsoDate; to: IsoDate } | undefined;
  if (nth) {
    const next = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 1));
    const month = next.toISOString().slice(0, 7);
    extraPeriod = {
      label: `Erste ${nth} Arbeitstage ${MONTHS[next.getUTCMonth()]} ${next.getUTCFullYear()}`,
      from: calendar.nthWorkingDayOfMonth(month, 1),
      to: calendar.nthWorkingDayOfMonth(month, nth),
    };
  }
  const known = new Set(teams.map((t) => t.id));
  const forecast = forecastCapacity({
    now,
    weeks,
    calendar,
    slotMinutes: settings.atv?.slotMinutes ?? 20,
    windows: settings.atv?.releasedWindows ?? [],
    teams,
    absences: await busy('absences'),
    appointments: await busy('appointments'),
    open: open.filter((o) => o.team && known.has(o.team)).map((o) => ({ team: o.team!, dueDate: o.due_date })),
    intake,
    deadlineWorkingDays: n,
    extraPeriod,
  });
  return {
    jobcenter: settings.id,
    asOf: today,
    deadlineWorkingDays: n,
    intakeWeeks: INTAKE_WEEKS,
    periodLabel: extraPeriod?.label ?? null,
    withoutTeam: open.filter((o) => !o.team || !known.has(o.team)).length,
    ...forecast,
  };
}

const addDays = (d: IsoDate, days: number): IsoDate =>
  new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The shortfalls a team lead is warned of: missed consultations in a week that starts within the next 10 working days. */
export function imminentShortfalls(f: CapacityForecast, calendar: WorkingDayCalendar): ForecastRow[] {
  const until = calendar.addWorkingDays(f.asOf, WARNING_WORKING_DAYS);
  return [...f.rows, ...f.period].filter((r) => r.missed > 0 && r.from <= until && r.to >= f.asOf);
}

const de = (d: IsoDate) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/**
 * One warning per team and period, in the team lead's inbox and by e-mail (the jobcenter's TL M&I when the team
 * names no lead): the outbox's dedup key makes a nightly check that finds the same shortfall again send nothing.
 */
export async function warnOfShortfalls(
  db: Kysely<Database>,
  settings: JobcenterSettings,
  f: CapacityForecast,
  calendar: WorkingDayCalendar,
): Promise<string[]> {
  const keys: string[] = [];
  for (const row of imminentShortfalls(f, calendar)) {
    const team = settings.teams.find((t) => t.id === row.team);
    const to = team?.lead
      ? resolveRecipients('team:lead', settings, { teamId: row.team })
      : resolveRecipients(settings.roles.tlMi ? 'role:tlMi' : '', settings, {});
    const dedupKey = `capacity-shortfall:${settings.id}:${row.team}:${row.from}`;
    const subject = `Kapazitätswarnung ${row.teamName}, ${row.label}: ${row.missed} Erstberatungen ohne freien Termin`;
    const body =
      `Die Kapazitätsprognose vom ${de(f.asOf)} zeigt für ${row.teamName} im Zeitraum ${de(row.from)} bis ${de(row.to)} ` +
      `${row.missed} Erstberatungen, für die vor ihrer Frist kein freigegebener Termin frei ist ` +
      `(fällig: ${row.dueOpen} offene und etwa ${row.dueExpected} erwartete neue Fälle; freie Termine: ${row.freeSlots}). ` +
      `Etwa ${row.hoursToClose} zusätzliche Freigabestunden in ATV bis zum Ende dieses Zeitraums schließen die Lücke.`;
    for (const r of to) {
      await enqueue(db, {
        jobcenter: settings.id,
        dedupKey: `${dedupKey}:inbox:${r.inbox}`,
        channel: 'inbox',
        recipient: r.inbox,
        subject,
        body,
        links: [{ rel: 'forecast', href: '/arbeitsplatz/kapazitaet' }],
      });
      if (r.email)
        await enqueue(db, {
          jobcenter: settings.id,
          dedupKey: `${dedupKey}:email:${r.email}`,
          channel: 'email',
          recipient: r.email,
          subject,
          body,
        });
    }
    keys.push(dedupKey);
  }
  return keys;
}

export function capacityCsv(f: CapacityForecast): string {
  return stringify(
    [...f.rows, ...f.period].map((r) => ({
      team: r.team,
      teamName: r.teamName,
      period: r.label,
      from: r.from,
      to: r.to,
      dueOpen: r.dueOpen,
      dueExpected: r.dueExpected,
      dueExpectedSpread: r.dueExpectedSpread,
      overdue: r.overdue,
      freeSlots: r.freeSlots,
      missed: r.missed,
      hoursToClose: r.hoursToClose,
    })),
    { header: true },
  );
}
