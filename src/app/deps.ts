/** What every worker handler gets in ctx.deps: the store, the calendars, the settings and the clock. */
import type { Calendars } from '../calendar/calendars.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import type { Store } from '../store/index.js';

export interface AppDeps {
  store: Store;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  /** The wall clock; injected so unit tests can fix "today". */
  now: () => Date;
}
