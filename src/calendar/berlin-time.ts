/** Instants and local dates in Europe/Berlin, the only time zone of German jobcenters. */
import { TZDate } from '@date-fns/tz';

import { formatIsoDate, fromDayNumber, type IsoDate } from './day-number.js';
import { CalendarInputError } from './errors.js';

export const BERLIN = 'Europe/Berlin';

/** The local date in Europe/Berlin of an instant. */
export function berlinDate(instant: Date): IsoDate {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime()))
    throw new CalendarInputError('instant', `"${String(instant)}" is not a valid Date`);
  // TZDate's ISO form is the Berlin wall-clock time, so its first ten characters are the Berlin date.
  return new TZDate(instant.getTime(), BERLIN).toISOString().slice(0, 10);
}

// A TZDate costs an Intl lookup (~10 µs); deadlines cluster on few days, so remember the answers.
// The cap only guards against unbounded growth in a long-running process.
const midnights = new Map<number, string>();
const MIDNIGHT_CACHE_LIMIT = 100_000;

/**
 * 00:00 Europe/Berlin of a day as ISO 8601 with the offset then in force, e.g. '2027-01-13T00:00:00+01:00'.
 * German clocks change at 02:00/03:00, so local midnight always exists and is unambiguous.
 */
export function berlinMidnight(dayNumber: number): string {
  let instant = midnights.get(dayNumber);
  if (instant === undefined) {
    const { year, month, day } = fromDayNumber(dayNumber);
    const local = new TZDate(year, month - 1, day, 0, 0, 0, BERLIN);
    // Guard the claim above instead of trusting it: a shifted wall clock would mean a wrong deadline.
    const iso = local.toISOString();
    if (iso.slice(0, 19) !== `${formatIsoDate({ year, month, day })}T00:00:00`)
      throw new Error(`no local midnight in ${BERLIN} on ${iso}`);
    instant = iso.slice(0, 19) + iso.slice(23);
    if (midnights.size >= MIDNIGHT_CACHE_LIMIT) midnights.clear();
    midnights.set(dayNumber, instant);
  }
  return instant;
}
