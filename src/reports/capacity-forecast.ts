/**
 * The capacity forecast of one jobcenter: for each team and week of the horizon, the first consultations that fall
 * due (open cases without an appointment, and the new cases the recent intake lets us expect) against the free
 * slots in the windows the team's caseworkers have released, and the consultations that would miss their deadline.
 *
 * Demand is matched to supply by earliest deadline first, slot by slot in time order: for unit-length work with
 * release and due dates that schedule misses the fewest deadlines, so a shortfall it reports cannot be closed by a
 * cleverer booking order, only by more slots. A team's slots are pooled because a deputy may book when the main
 * caseworker has no slot before the deadline (seed 000 §5).
 */
import { getISOWeek, parseISO } from 'date-fns';

import { releasedSlots, type ReleasedWindow, type Slot } from '../adapters/atv/released-slots.js';
import { berlinDate, type IsoDate, type WorkingDayCalendar } from '../calendar/index.js';
import type { IntakeEstimate } from './intake-estimate.js';

export interface ForecastTeam {
  id: string;
  name: string;
  caseworkers: { id: string; windows?: readonly ReleasedWindow[] }[];
}

export interface BusyInterval {
  caseworkerId: string;
  startsAt: Date;
  endsAt: Date;
}

/** An open deadline no appointment has been booked for yet. */
export interface OpenDemand {
  team: string;
  dueDate: IsoDate;
}

export interface ForecastInput {
  now: Date;
  weeks: number;
  calendar: WorkingDayCalendar;
  slotMinutes: number;
  /** The jobcenter's release windows; a caseworker's own windows replace them. */
  windows: readonly ReleasedWindow[];
  teams: readonly ForecastTeam[];
  absences: readonly BusyInterval[];
  appointments: readonly BusyInterval[];
  open: readonly OpenDemand[];
  /** The expected daily intake per team; absent or empty: no new cases are assumed. */
  intake?: readonly IntakeEstimate[];
  /** Working days from a new case's application day to its first-consultation deadline. */
  deadlineWorkingDays: number;
  /** A period reported on its own, e.g. Wuppertal's first 10 working days of next month. */
  extraPeriod?: { label: string; from: IsoDate; to: IsoDate };
}

export interface ForecastRow {
  team: string;
  teamName: string;
  /** The period's first and last day (a week: Monday to Sunday). */
  from: IsoDate;
  to: IsoDate;
  label: string;
  /** Consultations falling due in the period: open cases, and the expected new ones (mean, and its spread). */
  dueOpen: number;
  dueExpected: number;
  dueExpectedSpread: number;
  /** Cases already past their deadline without a consultation, in the period that holds today: they take the first slots. */
  overdue: number;
  /** Free slots in the period after booked appointments and absences. */
  freeSlots: number;
  /** Consultations due in the period that no free slot before their deadline can take. */
  missed: number;
  /** Release hours in or before the period that would take the missed consultations. */
  hoursToClose: number;
}

export interface Forecast {
  from: IsoDate;
  to: IsoDate;
  slotMinutes: number;
  rows: ForecastRow[];
  /** The extra period's rows, one per team, when one was asked for. */
  period: ForecastRow[];
}

interface Demand {
  earliest: IsoDate;
  due: IsoDate;
}

const day = 86_400_000;
const addDays = (d: IsoDate, n: number): IsoDate =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * day).toISOString().slice(0, 10);

/** The Monday of the week of `d`. */
export function mondayOf(d: IsoDate): IsoDate {
  const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
  return addDays(d, weekday === 0 ? -6 : 1 - weekday);
}

/** ISO week number, for labels ("KW 23"). */
export const isoWeek = (d: IsoDate): number => getISOWeek(parseISO(d));

const overlaps = (s: Slot, b: BusyInterval) => b.startsAt < s.endsAt && s.startsAt < b.endsAt;

/** Free slots of one caseworker: released windows minus absences (by releasedSlots) minus booked appointments. */
function freeSlots(input: ForecastInput, caseworker: ForecastTeam['caseworkers'][number], from: IsoDate, to: IsoDate) {
  const own = (list: readonly BusyInterval[]) => list.filter((b) => b.caseworkerId === caseworker.id);
  const booked = own(input.appointments);
  return releasedSlots({
    calendar: input.calendar,
    windows: caseworker.windows ?? input.windows,
    slotMinutes: input.slotMinutes,
    fromDate: from,
    toDate: to,
    now: input.now,
    absences: own(input.absences),
  }).filter((s) => !booked.some((b) => overlaps(s, b)));
}

/**
 * New cases as whole cases: the expected daily counts are summed and a case arrives on the day the running sum
 * passes the next whole number, so a mean of 0.4 a day gives two cases in five days, not none.
 */
function expectedCases(input: ForecastInput, team: string, from: IsoDate, to: IsoDate): Demand[] {
  const estimate = input.intake?.find((e) => e.team === team);
  if (!estimate) return [];
  const cases: Demand[] = [];
  let sum = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!input.calendar.isWorkingDay(d)) continue;
    const before = Math.floor(sum + 1e-9);
    sum += estimate.byWeekday[new Date(`${d}T00:00:00Z`).getUTCDay()]?.mean ?? 0;
    for (let i = before; i < Math.floor(sum + 1e-9); i++)
      cases.push({ earliest: d, due: input.calendar.addWorkingDays(d, input.deadlineWorkingDays) });
  }
  return cases;
}

function spreadOf(input: ForecastInput, team: string, from: IsoDate, to: IsoDate, dueIn: (due: IsoDate) => boolean) {
  // The cases due in [from, to] arrived deadlineWorkingDays earlier; their daily spreads add up as variances.
  const estimate = input.intake?.find((e) => e.team === team);
  if (!estimate) return 0;
  let variance = 0;
  for (let d = addDays(from, -(2 * input.deadlineWorkingDays + 14)); d <= to; d = addDays(d, 1)) {
    if (!input.calendar.isWorkingDay(d) || d <= berlinDate(input.now)) continue;
    if (!dueIn(input.calendar.addWorkingDays(d, input.deadlineWorkingDays))) continue;
    variance += (estimate.byWeekday[new Date(`${d}T00:00:00Z`).getUTCDay()]?.sd ?? 0) ** 2;
  }
  return Math.sqrt(variance);
}

/**
 * Earliest deadline first over the slots in time order; returns the demand no slot took. Cases already past their
 * deadline (`backlog`) still need their consultation and take the first slots: a breach is escalated, not dropped.
 */
function schedule(slots: readonly Slot[], backlog: number, demand: readonly Demand[]): Demand[] {
  const waiting = [...demand].sort((a, b) => a.earliest.localeCompare(b.earliest));
  const ready: Demand[] = [];
  const missed: Demand[] = [];
  let overdue = backlog;
  let next = 0;
  for (const slot of slots) {
    const date = berlinDate(slot.startsAt);
    while (next < waiting.length && waiting[next]!.earliest <= date) ready.push(waiting[next++]!);
    ready.sort((a, b) => a.due.localeCompare(b.due));
    while (ready.length && ready[0]!.due < date) missed.push(ready.shift()!);
    if (overdue > 0) overdue--;
    else ready.shift();
  }
  return [...missed, ...ready, ...waiting.slice(next)];
}

export function forecastCapacity(input: ForecastInput): Forecast {
  const today = berlinDate(input.now);
  const from = mondayOf(today);
  const to = addDays(from, input.weeks * 7 - 1);
  const lastDay = input.extraPeriod && input.extraPeriod.to > to ? input.extraPeriod.to : to;
  const rows: ForecastRow[] = [];
  const period: ForecastRow[] = [];
  for (const team of input.teams) {
    const slots = team.caseworkers
      .flatMap((c) => freeSlots(input, c, today, lastDay))
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    const mine = input.open.filter((o) => o.team === team.id);
    const backlog = mine.filter((o) => o.dueDate < today).length;
    const open = mine.filter((o) => o.dueDate >= today).map((o) => ({ earliest: today, due: o.dueDate }));
    const expected = expectedCases(input, team.id, addDays(today, 1), lastDay);
    const unserved = schedule(slots, backlog, [...open, ...expected]);
    const row = (p: { from: IsoDate; to: IsoDate; label: string }): ForecastRow => {
      const inPeriod = (d: IsoDate) => d >= p.from && d <= p.to;
      const missed = unserved.filter((d) => inPeriod(d.due)).length;
      return {
        team: team.id,
        teamName: team.name,
        ...p,
        dueOpen: open.filter((d) => inPeriod(d.due)).length,
        dueExpected: expected.filter((d) => inPeriod(d.due)).length,
        dueExpectedSpread: Math.round(spreadOf(input, team.id, p.from, p.to, inPeriod) * 10) / 10,
        freeSlots: slots.filter((s) => inPeriod(berlinDate(s.startsAt))).length,
        overdue: p.from <= today && today <= p.to ? backlog : 0,
        missed,
        hoursToClose: Math.ceil((missed * input.slotMinutes) / 60),
      };
    };
    for (let w = 0; w < input.weeks; w++) {
      const monday = addDays(from, w * 7);
      rows.push(row({ from: monday, to: addDays(monday, 6), label: `KW ${isoWeek(monday)}` }));
    }
    if (input.extraPeriod) period.push(row(input.extraPeriod));
  }
  return { from, to, slotMinutes: input.slotMinutes, rows, period };
}
