/**
 * The working-day calendar of one jobcenter: Monday to Friday minus its state's statutory holidays, those of its
 * region, its local holidays and its own closing days.
 */
import { berlinMidnight } from './berlin-time.js';
import { daysInMonth, type IsoDate, isoDateOf, parseIsoDate, toDayNumber } from './day-number.js';
import { CalendarInputError } from './errors.js';
import {
  byDate,
  FIRST_YEAR,
  LAST_YEAR,
  type LocalHoliday,
  localHolidaysIn,
  regionsOf,
  statutoryHolidays,
} from './holidays.js';
import { type GermanState, isGermanState } from './states.js';
import { buildYearTable, indexOfWorkingDay, throughIndex, totalOf, type YearTable } from './year-table.js';

export interface WorkingDayCalendar {
  readonly state: GermanState;
  /** The date-holidays region inside the state whose public holidays also apply, if any. */
  readonly region: string | undefined;
  isWorkingDay(date: IsoDate): boolean;
  /**
   * The public holidays of the state and region and the local ones, weekends included (BB lists Ostersonntag and
   * Pfingstsonntag); not the one-off closing days.
   */
  holidaysOf(year: number): { date: IsoDate; name: string }[];
  /** The n-th working day after `from` (the day of the event is not counted); n = 0 gives `from`. */
  addWorkingDays(from: IsoDate, n: number): IsoDate;
  /** The n-th working day before `from`; n = 0 gives `from`. */
  subtractWorkingDays(from: IsoDate, n: number): IsoDate;
  /** The n-th working day (n >= 1) of a month 'YYYY-MM'. */
  nthWorkingDayOfMonth(month: string, n: number): IsoDate;
  /** The number of working days d with from < d <= to (0 when to <= from). */
  workingDaysBetween(from: IsoDate, to: IsoDate): number;
  /** 00:00 Europe/Berlin on the calendar day after the due date, ISO 8601 with offset. */
  breachInstant(dueDate: IsoDate): string;
  /** 00:00 Europe/Berlin of the working day `workingDaysBefore` (>= 1) working days before the due date. */
  reminderInstant(dueDate: IsoDate, workingDaysBefore: number): string;
}

export interface CalendarOptions {
  state: GermanState;
  /** Days the jobcenter is closed on top of the statutory holidays, e.g. 24.12 and 31.12. */
  extraClosingDays?: IsoDate[];
  /** A date-holidays region of the state whose public holidays also apply, e.g. "A" (Stadt Augsburg) in BY. */
  region?: string;
  /** Local holidays on the same day every year, e.g. { name: 'Friedensfest', month: 8, day: 8 }. */
  localHolidays?: readonly LocalHoliday[];
}

const MONTH = /^(\d{4})-(\d{2})$/;
const RANGE = `${FIRST_YEAR}-01-01 to ${LAST_YEAR}-12-31`;

function parseDate(date: unknown, argument: string): { year: number; dayNumber: number } {
  const ymd = parseIsoDate(date);
  if (!ymd) throw new CalendarInputError(argument, `"${String(date)}" is not a real date YYYY-MM-DD`);
  if (ymd.year < FIRST_YEAR || ymd.year > LAST_YEAR)
    throw new CalendarInputError(argument, `${String(date)} lies outside ${RANGE}`);
  return { year: ymd.year, dayNumber: toDayNumber(ymd.year, ymd.month, ymd.day) };
}

function requireCount(n: unknown, argument: string, min: number): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min)
    throw new CalendarInputError(argument, `must be an integer >= ${min}, got ${String(n)}`);
}

export function createCalendar(opts: CalendarOptions): WorkingDayCalendar {
  const state = opts?.state;
  if (!isGermanState(state)) throw new CalendarInputError('state', `unknown German state "${String(state)}"`);
  const extra = opts.extraClosingDays ?? [];
  if (!Array.isArray(extra)) throw new CalendarInputError('extraClosingDays', 'must be a list of dates YYYY-MM-DD');
  const closingDays = new Set(extra.map((d, i) => parseDate(d, `extraClosingDays[${i}]`).dayNumber));
  const region = opts.region;
  if (region !== undefined && !(region in regionsOf(state))) {
    const known = Object.keys(regionsOf(state));
    throw new CalendarInputError(
      'region',
      `unknown region "${String(region)}" of ${state} (known: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  const given: unknown = opts.localHolidays ?? [];
  // Callers from plain JavaScript (and JSON) can hand in anything; the types alone do not guard a deadline.
  if (!Array.isArray(given)) throw new CalendarInputError('localHolidays', 'must be a list of { name, month, day }');
  const local = given as readonly LocalHoliday[];
  local.forEach((h: Partial<LocalHoliday> | undefined, i) => {
    const month = h?.month ?? NaN;
    const day = h?.day ?? NaN;
    // 29 February is a valid yearly date (kept in leap years only), so a leap year's month length is the bound.
    const valid = Number.isInteger(month) && month >= 1 && month <= 12 && Number.isInteger(day) && day >= 1;
    if (!valid || day > daysInMonth(2000, month))
      throw new CalendarInputError(`localHolidays[${i}]`, `${day}.${month}. is no day of the year`);
  });
  const holidaysIn = (year: number) =>
    [...statutoryHolidays(state, year, region), ...localHolidaysIn(year, local)].sort(byDate);

  // The year tables hold everything the arithmetic needs; built on first use, at most one per year.
  const tables = new Map<number, YearTable>();
  const tableOf = (year: number): YearTable => {
    let table = tables.get(year);
    if (!table) {
      const closed = new Set(closingDays);
      for (const h of holidaysIn(year)) closed.add(parseDate(h.date, 'holiday').dayNumber);
      table = buildYearTable(year, closed);
      tables.set(year, table);
    }
    return table;
  };
  const position = (date: unknown, argument: string) => {
    const { year, dayNumber } = parseDate(date, argument);
    const table = tableOf(year);
    return { table, index: dayNumber - table.start };
  };
  const beyondRange = (argument: string) => new CalendarInputError(argument, `the result would lie outside ${RANGE}`);

  const forward = (table: YearTable, index: number, n: number, argument: string): number => {
    // No year has more than 262 working days: refuse at once rather than build tables up to the last year.
    if (n > (LAST_YEAR - table.year + 1) * 262) throw beyondRange(argument);
    let t = table;
    let done = throughIndex(t, index);
    let left = n;
    for (;;) {
      if (done + left <= totalOf(t)) return t.start + indexOfWorkingDay(t, done + left);
      left -= totalOf(t) - done;
      if (t.year === LAST_YEAR) throw beyondRange(argument);
      t = tableOf(t.year + 1);
      done = 0;
    }
  };
  const backward = (table: YearTable, index: number, n: number, argument: string): number => {
    if (n > (table.year - FIRST_YEAR + 1) * 262) throw beyondRange(argument);
    let t = table;
    let before = t.before[index] ?? 0;
    let left = n;
    for (;;) {
      if (left <= before) return t.start + indexOfWorkingDay(t, before - left + 1);
      left -= before;
      if (t.year === FIRST_YEAR) throw beyondRange(argument);
      t = tableOf(t.year - 1);
      before = totalOf(t);
    }
  };

  return {
    state,
    region,
    isWorkingDay(date) {
      const { table, index } = position(date, 'date');
      return table.working[index] === 1;
    },
    holidaysOf(year) {
      if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
        throw new CalendarInputError(
          'year',
          `must be an integer from ${FIRST_YEAR} to ${LAST_YEAR}, got ${String(year)}`,
        );
      }
      // Copies, so a caller cannot change the shared cache.
      return holidaysIn(year).map((h) => ({ date: h.date, name: h.name }));
    },
    addWorkingDays(from, n) {
      const { table, index } = position(from, 'from');
      requireCount(n, 'workingDays', 0);
      return n === 0 ? from : isoDateOf(forward(table, index, n, 'workingDays'));
    },
    subtractWorkingDays(from, n) {
      const { table, index } = position(from, 'from');
      requireCount(n, 'workingDays', 0);
      return n === 0 ? from : isoDateOf(backward(table, index, n, 'workingDays'));
    },
    nthWorkingDayOfMonth(month, n) {
      const m = typeof month === 'string' ? MONTH.exec(month) : null;
      const year = Number(m?.[1]);
      const monthNumber = Number(m?.[2]);
      if (!m || monthNumber < 1 || monthNumber > 12)
        throw new CalendarInputError('month', `"${String(month)}" is not a month YYYY-MM`);
      if (year < FIRST_YEAR || year > LAST_YEAR)
        throw new CalendarInputError('month', `${month} lies outside ${RANGE}`);
      requireCount(n, 'nthWorkingDay', 1);
      const table = tableOf(year);
      const first = toDayNumber(year, monthNumber, 1) - table.start;
      const last = first + daysInMonth(year, monthNumber) - 1;
      const before = table.before[first] ?? 0;
      const inMonth = throughIndex(table, last) - before;
      if (n > inMonth)
        throw new CalendarInputError(
          'nthWorkingDay',
          `${month} has only ${inMonth} working days, asked for the ${n}th`,
        );
      return isoDateOf(table.start + indexOfWorkingDay(table, before + n));
    },
    workingDaysBetween(from, to) {
      const a = position(from, 'from');
      const b = position(to, 'to');
      if (a.table.start + a.index >= b.table.start + b.index) return 0;
      if (a.table === b.table) return throughIndex(b.table, b.index) - throughIndex(a.table, a.index);
      let count = totalOf(a.table) - throughIndex(a.table, a.index) + throughIndex(b.table, b.index);
      for (let year = a.table.year + 1; year < b.table.year; year++) count += totalOf(tableOf(year));
      return count;
    },
    breachInstant(dueDate) {
      const { year, dayNumber } = parseDate(dueDate, 'dueDate');
      if (year === LAST_YEAR && dueDate.endsWith('-12-31')) throw beyondRange('dueDate');
      return berlinMidnight(dayNumber + 1);
    },
    reminderInstant(dueDate, workingDaysBefore) {
      const { table, index } = position(dueDate, 'dueDate');
      requireCount(workingDaysBefore, 'workingDaysBefore', 1);
      return berlinMidnight(backward(table, index, workingDaysBefore, 'workingDaysBefore'));
    },
  };
}
