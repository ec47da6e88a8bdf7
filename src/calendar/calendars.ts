/** One working-day calendar per configured jobcenter, built once from its settings. */
import type { JobcenterSettings } from '../config/jobcenter.js';
import { createCalendar, type WorkingDayCalendar } from './index.js';

export interface Calendars {
  of(jobcenter: string): WorkingDayCalendar | undefined;
}

export function calendarsFor(jobcenters: ReadonlyMap<string, JobcenterSettings>): Calendars {
  const byId = new Map(
    [...jobcenters.values()].map((jc) => [
      jc.id,
      createCalendar({ state: jc.state, extraClosingDays: jc.extraClosingDays }),
    ]),
  );
  return { of: (id) => byId.get(id) };
}
