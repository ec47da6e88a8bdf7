/**
 * The agency systems the workers speak to, one adapter each (docs/adapters.md). Every jobcenter gets its own set,
 * built at start from `adapters` in its jobcenter.json through the registry (registry.ts); a worker reaches them as
 * `deps.adapters.of(jobcenter)`.
 */
import type { WorkingDayCalendar } from '../calendar/index.js';
import type { AgencySystem, JobcenterSettings } from '../config/jobcenter.js';
import type { Store } from '../store/index.js';
import type { Allegro } from './allegro/allegro.js';
import type { Atv } from './atv/atv.js';
import type { EAkte } from './eakte/eakte.js';
import type { Fmg } from './fmg/fmg.js';
import type { Verbis } from './verbis/verbis.js';

export type { Allegro } from './allegro/allegro.js';
export type { Appointment, AppointmentPurpose, Atv, SlotRequest } from './atv/atv.js';
export { SlotTakenError } from './atv/atv.js';
export type { EAkte, Letter } from './eakte/eakte.js';
export { fileLetter } from './eakte/eakte.js';
export type { Fmg, PersonCase, Routing, StatisticsEntry } from './fmg/fmg.js';
export type { CustomerRecord, CustomerRecordsRequest, HistoryNote, Verbis } from './verbis/verbis.js';

/** One jobcenter's adapters. */
export interface Adapters {
  verbis: Verbis;
  allegro: Allegro;
  atv: Atv;
  eakte: EAkte;
  fmg: Fmg;
}

// Every system a jobcenter.json can choose an adapter for has an interface here, and no other (a compile error otherwise).
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
const _everySystemHasAnAdapter: SameKeys<Adapters, Record<AgencySystem, unknown>> = true;

/** What an adapter factory gets: the one jobcenter it serves. */
export interface AdapterContext {
  settings: JobcenterSettings;
  calendar: WorkingDayCalendar;
  /** Our store, where the default implementations keep the agency's records. */
  store: Store;
  /** The wall clock; fixed in tests. */
  now: () => Date;
}

/** The adapters of every configured jobcenter. */
export interface AgencySystems {
  /** The jobcenter's adapters; throws for a jobcenter without settings. */
  of(jobcenter: string): Adapters;
}
