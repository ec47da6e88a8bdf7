/** Reads a case as workers need it: the application, its people, the jobcenter's settings and calendar. */
import type { Kysely } from 'kysely';

import type { Calendars } from '../calendar/calendars.js';
import type { WorkingDayCalendar } from '../calendar/index.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import type { Application, Database, Person, Store } from '../store/index.js';
import { IncidentError } from './process-errors.js';

/** The part of the application's dependencies a case is read from. */
export interface CaseDeps {
  store: Store;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
}

export interface Case {
  application: Application;
  persons: Person[];
  settings: JobcenterSettings;
  calendar: WorkingDayCalendar;
}

/**
 * Writes the instance key into an application that has none yet. The API records an application before it
 * starts the process and confirms after; if it stopped in between, this is how the store learns that the process
 * runs, and the start sweep then finishes the record instead of withdrawing it. A no-op on every later delivery.
 */
export async function claimApplication(
  db: Kysely<Database>,
  applicationId: string,
  processInstanceId: string,
): Promise<void> {
  await db
    .updateTable('applications')
    .set({ process_instance_key: processInstanceId })
    .where('id', '=', applicationId)
    .where('process_instance_key', 'is', null)
    .execute();
}

/** The application's record; an unknown application is a technical fault (an incident after the retries), not a business outcome. */
export async function applicationOf(db: Kysely<Database>, applicationId: string): Promise<Application> {
  const application = await db
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!application) throw new Error(`Application ${applicationId} is not in the store`);
  return application;
}

export async function loadCase(deps: CaseDeps, applicationId: string): Promise<Case> {
  const application = await applicationOf(deps.store.db, applicationId);
  const persons = await deps.store.db
    .selectFrom('persons')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('role')
    .orderBy('created_at')
    .execute();
  const settings = deps.jobcenters.get(application.jobcenter);
  const calendar = deps.calendars.of(application.jobcenter);
  if (!settings || !calendar) throw new Error(`Jobcenter ${application.jobcenter} has no settings`);
  return { application, persons, settings, calendar };
}

export function settingsOf(
  deps: Omit<CaseDeps, 'store'>,
  jobcenter: string,
): { settings: JobcenterSettings; calendar: WorkingDayCalendar } {
  const settings = deps.jobcenters.get(jobcenter);
  const calendar = deps.calendars.of(jobcenter);
  if (!settings || !calendar) throw new Error(`Jobcenter ${jobcenter} has no settings`);
  return { settings, calendar };
}

/** An extension property (`camunda:property`) the diagram must set on the task; without it, an incident (a modelling error). */
export function extensionProperty(properties: Readonly<Record<string, string>>, name: string): string {
  const value = properties[name];
  if (!value) throw new IncidentError(`The task needs the extension property "${name}"`);
  return value;
}
