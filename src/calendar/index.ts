/**
 * Working days of a German jobcenter: Monday to Friday minus the statutory holidays of its state
 * (date-holidays, type "public") and the jobcenter's own closing days. Dates are local 'YYYY-MM-DD' dates
 * in Europe/Berlin; the arithmetic runs on UTC day numbers so no time zone can shift a day.
 */
import { TZDate } from '@date-fns/tz';
import Holidays from 'date-holidays';

export const GERMAN_STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'] as const;
export type GermanState = (typeof GERMAN_STATES)[number];
export type IsoDate = string;

export class CalendarInputError extends Error {
  constructor(
    readonly argument: string,
    readonly problem: string,
  ) {
    super(`${argument}: ${problem}`);
    this.name = 'CalendarInputError';
  }
}

export interface WorkingDayCalendar {
  readonly state: GermanState;
  isWorkingDay(date: IsoDate): boolean;
  holidaysOf(year: number): { date: IsoDate; name: string }[];
  /** The n-th working day after `from` (the day of the event is not counted); n = 0 gives `from`. */
  addWorkingDays(from: IsoDate, n: number): IsoDate;
  /** The n-th working day before `from`. */
  subtractWorkingDays(from: IsoDate, n: number): IsoDate;
  nthWorkingDayOfMonth(month: string, n: number): IsoDate;
  /** Working days d with from < d <= to. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number;
  /** 00:00 Europe/Berlin on the day after the due date, ISO 8601 with offset. */
  breachInstant(dueDate: IsoDate): string;
  /** 00:00 Europe/Berlin of the working day `workingDaysBefore` working days before the due date. */
  reminderInstant(dueDate: IsoDate, workingDaysBefore: number): string;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.getUTCFullYear() === Number(m[1]) && t.getUTCMonth() === Number(m[2]) - 1 && t.getUTCDate() === Number(m[3]);
}

function dayNumber(date: IsoDate, argument: string): number {
  if (typeof date !== 'string' || !isIsoDate(date)) throw new CalendarInputError(argument, `"${String(date)}" is not a real date YYYY-MM-DD`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function dateOf(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function count(n: number, argument: string, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new CalendarInputError(argument, `must be an integer >= ${min}, got ${String(n)}`);
}

/** The local date in Europe/Berlin of an instant. */
export function berlinDate(instant: Date): IsoDate {
  return new TZDate(instant.getTime(), 'Europe/Berlin').toISOString().slice(0, 10);
}

function berlinMidnight(date: IsoDate): string {
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  // TZDate's ISO form carries the offset in force at that local time (+01:00 or +02:00).
  return new TZDate(y, m - 1, d, 0, 0, 0, 'Europe/Berlin').toISOString().replace('.000', '');
}

export function createCalendar(opts: { state: GermanState; extraClosingDays?: IsoDate[] }): WorkingDayCalendar {
  if (!(GERMAN_STATES as readonly string[]).includes(opts.state)) throw new CalendarInputError('state', `unknown German state "${opts.state}"`);
  const holidays = new Holidays('DE', opts.state);
  const closing = new Set((opts.extraClosingDays ?? []).map((d) => dayNumber(d, 'extraClosingDays')));
  const byYear = new Map<number, { date: IsoDate; name: string }[]>();
  const closedDays = new Map<number, Set<number>>();

  const holidaysOf = (year: number) => {
    let list = byYear.get(year);
    if (!list) {
      list = holidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
      byYear.set(year, list);
    }
    return list;
  };
  const closedIn = (year: number) => {
    let set = closedDays.get(year);
    if (!set) {
      set = new Set(holidaysOf(year).map((h) => dayNumber(h.date, 'holiday')));
      closedDays.set(year, set);
    }
    return set;
  };
  const isWorkingDayNumber = (day: number) => {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    if (closing.has(day)) return false;
    return !closedIn(new Date(day * DAY_MS).getUTCFullYear()).has(day);
  };
  const step = (fromDay: number, n: number, direction: 1 | -1) => {
    let day = fromDay;
    for (let left = n; left > 0; ) {
      day += direction;
      if (isWorkingDayNumber(day)) left--;
    }
    return day;
  };

  return {
    state: opts.state,
    holidaysOf,
    isWorkingDay: (date) => isWorkingDayNumber(dayNumber(date, 'date')),
    addWorkingDays(from, n) {
      const start = dayNumber(from, 'from');
      count(n, 'workingDays', 0);
      return dateOf(step(start, n, 1));
    },
    subtractWorkingDays(from, n) {
      const start = dayNumber(from, 'from');
      count(n, 'workingDays', 0);
      return dateOf(step(start, n, -1));
    },
    nthWorkingDayOfMonth(month, n) {
      const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
      if (!m) throw new CalendarInputError('month', `"${month}" is not a month YYYY-MM`);
      count(n, 'nthWorkingDay', 1);
      const lastOfPrevious = Date.UTC(Number(m[1]), Number(m[2]) - 1, 0) / DAY_MS;
      const day = step(lastOfPrevious, n, 1);
      if (dateOf(day).slice(0, 7) !== month) throw new CalendarInputError('nthWorkingDay', `${month} has fewer than ${n} working days`);
      return dateOf(day);
    },
    workingDaysBetween(from, to) {
      const a = dayNumber(from, 'from');
      const b = dayNumber(to, 'to');
      let n = 0;
      for (let day = a + 1; day <= b; day++) if (isWorkingDayNumber(day)) n++;
      return n;
    },
    breachInstant(dueDate) {
      return berlinMidnight(dateOf(dayNumber(dueDate, 'dueDate') + 1));
    },
    reminderInstant(dueDate, workingDaysBefore) {
      count(workingDaysBefore, 'workingDaysBefore', 1);
      return berlinMidnight(dateOf(step(dayNumber(dueDate, 'dueDate'), workingDaysBefore, -1)));
    },
  };
}
