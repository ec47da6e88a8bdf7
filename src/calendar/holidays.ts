/** Statutory public holidays of a German state per year, from date-holidays, computed once per state and year. */
import Holidays from 'date-holidays';

import type { IsoDate } from './day-number.js';
import type { GermanState } from './states.js';

export interface Holiday {
  readonly date: IsoDate;
  readonly name: string;
}

/**
 * Years the calendar answers for. Berlin kept local mean time (an offset in seconds) until 1893, and
 * date-holidays knows only today's law, so a date centuries away is a typo; the bound also caps the work
 * and memory one absurd request can cost (each year is ~2 ms of date-holidays and a small table).
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

// A Holidays object parses its rule set on construction, so one per state serves every calendar and call.
const sources = new Map<GermanState, Holidays>();
const byStateAndYear = new Map<string, readonly Holiday[]>();

/** Only type "public" is statutory; "bank" (24.12, 31.12), "school" and "observance" days are working days. */
export function statutoryHolidays(state: GermanState, year: number): readonly Holiday[] {
  const key = `${state}:${year}`;
  let list = byStateAndYear.get(key);
  if (!list) {
    let source = sources.get(state);
    if (!source) {
      source = new Holidays('DE', state);
      sources.set(state, source);
    }
    list = Object.freeze(
      source
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => Object.freeze({ date: h.date.slice(0, 10), name: h.name }))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    );
    byStateAndYear.set(key, list);
  }
  return list;
}
