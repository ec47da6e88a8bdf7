/** What every worker handler gets in ctx.deps: the store, calendars, settings, adapters, clock and the ways out. */
import type { AgencySystems } from '../adapters/index.js';
import { type AdapterRegistry, ADAPTERS, agencySystemsFor } from '../adapters/registry.js';
import type { Calendars } from '../calendar/calendars.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import type { D3Webhook, Mailer } from '../notify/transports.js';
import type { Store } from '../store/index.js';

export interface AppDeps {
  store: Store;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  /** Each jobcenter's agency systems (VerBIS, ALLEGRO, ATV, eAkte, FMG.job), as its jobcenter.json chooses them. */
  adapters: AgencySystems;
  /** The wall clock; injected so unit tests can fix "today". */
  now: () => Date;
  /** Set when SMTP_URL is configured; otherwise e-mails wait in the outbox. */
  mailer?: Mailer;
  /** Set when D3_WEBHOOK_URL is configured; otherwise d.3 messages stay in the inbox. */
  d3?: D3Webhook;
}

/** The deps with every jobcenter's adapters built from the registry; throws when a jobcenter names an unknown one. */
export function appDeps(base: Omit<AppDeps, 'adapters'>, registry: AdapterRegistry = ADAPTERS): AppDeps {
  return { ...base, adapters: agencySystemsFor(base, registry) };
}
