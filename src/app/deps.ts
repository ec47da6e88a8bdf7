/** What every worker handler gets in ctx.deps: the store, calendars, settings, clock and the ways out. */
import type { Calendars } from '../calendar/calendars.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import type { D3Webhook, Mailer } from '../notify/transports.js';
import type { Store } from '../store/index.js';

export interface AppDeps {
  store: Store;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  /** The wall clock; injected so unit tests can fix "today". */
  now: () => Date;
  /** Set when SMTP_URL is configured; otherwise e-mails wait in the outbox. */
  mailer?: Mailer;
  /** Set when D3_WEBHOOK_URL is configured; otherwise d.3 messages stay in the inbox. */
  d3?: D3Webhook;
}
