/** One year of a calendar as arrays indexed by day of year: which days are working days, and how many precede each. */
import { isLeapYear, toDayNumber, weekdayOf } from './day-number.js';

export interface YearTable {
  readonly year: number;
  /** Day number of 1 January. */
  readonly start: number;
  readonly length: number;
  /** 1 where the day (index = day of year, 0-based) is a working day. */
  readonly working: Uint8Array;
  /** before[i] = working days among indices < i; before[length] is the year's total. */
  readonly before: Uint16Array;
}

/** `closed(dayNumber)` tells which weekdays are not worked (holidays, closing days). */
export function buildYearTable(year: number, closed: ReadonlySet<number>): YearTable {
  const start = toDayNumber(year, 1, 1);
  const length = isLeapYear(year) ? 366 : 365;
  const working = new Uint8Array(length);
  const before = new Uint16Array(length + 1);
  let weekday = weekdayOf(start);
  for (let i = 0; i < length; i++) {
    const isWorking = weekday !== 0 && weekday !== 6 && !closed.has(start + i) ? 1 : 0;
    working[i] = isWorking;
    before[i + 1] = (before[i] ?? 0) + isWorking;
    weekday = weekday === 6 ? 0 : weekday + 1;
  }
  return { year, start, length, working, before };
}

export function totalOf(table: YearTable): number {
  return table.before[table.length] ?? 0;
}

/** Working days up to and including index i. */
export function throughIndex(table: YearTable, i: number): number {
  return table.before[i + 1] ?? 0;
}

/** Index of the k-th working day of the year (1 <= k <= total): the smallest i with before[i + 1] >= k. */
export function indexOfWorkingDay(table: YearTable, k: number): number {
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((table.before[mid + 1] ?? 0) >= k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
