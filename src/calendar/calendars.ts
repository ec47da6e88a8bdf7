/** One working-day calendar per configured jobcenter, built once from its settings. */
import type { LocalHoliday } from './holidays.js';
import { createCalendar, type WorkingDayCalendar } from './index.js';
import type { GermanState } from './states.js';

/** What a calendar needs of a jobcenter's settings; the settings module depends on the calendar, not the reverse. */
export interface CalendarSettings {
  id: string;
  state: GermanState;
  extraClosingDays?: string[];
  holidayRegion?: string;
  localHolidays?: readonly LocalHoliday[];
}

export interface Calendars {
  of(jobcenter: string): WorkingDayCalendar | undefined;
}

export function calendarsFor(jobcenters: ReadonlyMap<string, CalendarSettings>): Calendars {
  const byId = new Map(
    [...jobcenters.values()].map((jc) => [
      jc.id,
      createCalendar({
        state: jc.state,
        extraClosingDays: jc.extraClosingDays,
        region: jc.holidayRegion,
        localHolidays: jc.localHolidays,
      }),
    ]),
  );
  return { of: (id) => byId.get(id) };
}
