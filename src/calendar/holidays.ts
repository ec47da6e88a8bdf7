/**
 * Public holidays of a jobcenter per year: its state's statutory ones from date-holidays (optionally with those of
 * a region date-holidays knows inside the state, e.g. Augsburg in Bavaria), plus the local ones its settings name.
 * Computed once per state, region and year.
 */
import Holidays from 'date-holidays';

import { daysInMonth, formatIsoDate, type IsoDate } from './day-number.js';
import type { GermanState } from './states.js';

export interface Holiday {
  readonly date: IsoDate;
  readonly name: string;
}

/** A local holiday on the same day every year (a town's feast, a municipality's Fronleichnam); 29 February only in leap years. */
export interface LocalHoliday {
  readonly name: string;
  readonly month: number;
  readonly day: number;
}

/**
 * Years the calendar answers for. Berlin kept local mean time (an offset in seconds) until 1893, and
 * date-holidays knows only today's law, so a date centuries away is a typo; the bound also caps the work
 * and memory one absurd request can cost (each year is ~2 ms of date-holidays and a small table).
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

// A Holidays object parses its rule set on construction, so one per state and region serves every calendar and call.
const sources = new Map<string, Holidays>();
const byRegionAndYear = new Map<string, readonly Holiday[]>();

/**
 * The regions date-holidays knows inside a state, by code with their names (e.g. BY: A "Stadt Augsburg", TH: EIC
 * "Landkreis Eichsfeld"); a jobcenter's settings may name one to add its local public holidays.
 */
export function regionsOf(state: GermanState): Record<string, string> {
  return new Holidays().getRegions('DE', state) ?? {};
}

/** Only type "public" is statutory; "bank" (24.12, 31.12), "school" and "observance" days are working days. */
export function statutoryHolidays(state: GermanState, year: number, region?: string): readonly Holiday[] {
  const key = `${state}:${region ?? ''}`;
  const cacheKey = `${key}:${year}`;
  let list = byRegionAndYear.get(cacheKey);
  if (!list) {
    let source = sources.get(key);
    if (!source) {
      source = region ? new Holidays('DE', state, region) : new Holidays('DE', state);
      sources.set(key, source);
    }
    list = Object.freeze(
      source
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => Object.freeze({ date: h.date.slice(0, 10), name: h.name }))
        .sort(byDate),
    );
    byRegionAndYear.set(cacheKey, list);
  }
  return list;
}

/** The local holidays' dates in one year, skipping 29 February outside leap years. */
export function localHolidaysIn(year: number, local: readonly LocalHoliday[]): Holiday[] {
  return local
    .filter((h) => h.day <= daysInMonth(year, h.month))
    .map((h) => ({ date: formatIsoDate({ year, month: h.month, day: h.day }), name: h.name }));
}

export function byDate(a: Holiday, b: Holiday): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
