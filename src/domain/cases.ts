/** Reads a case as workers need it: the application, its people, the jobcenter's settings and calendar. */
import type { AppDeps } from '../app/deps.js';
import type { WorkingDayCalendar } from '../calendar/index.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import type { Application, Person } from '../store/index.js';
import { IncidentError } from '../zeebe/define-worker.js';

export interface Case {
  application: Application;
  persons: Person[];
  settings: JobcenterSettings;
  calendar: WorkingDayCalendar;
}

export async function loadCase(deps: AppDeps, applicationId: string): Promise<Case> {
  const application = await deps.store.db.selectFrom('applications').selectAll().where('id', '=', applicationId).executeTakeFirst();
  // A job for an unknown application is a technical fault (an incident after the retries), not a business outcome.
  if (!application) throw new Error(`Application ${applicationId} is not in the store`);
  const persons = await deps.store.db.selectFrom('persons').selectAll().where('application_id', '=', applicationId).orderBy('role').orderBy('created_at').execute();
  const settings = deps.jobcenters.get(application.jobcenter);
  const calendar = deps.calendars.of(application.jobcenter);
  if (!settings || !calendar) throw new Error(`Jobcenter ${application.jobcenter} has no settings`);
  return { application, persons, settings, calendar };
}

export function settingsOf(deps: AppDeps, jobcenter: string): { settings: JobcenterSettings; calendar: WorkingDayCalendar } {
  const settings = deps.jobcenters.get(jobcenter);
  const calendar = deps.calendars.of(jobcenter);
  if (!settings || !calendar) throw new Error(`Jobcenter ${jobcenter} has no settings`);
  return { settings, calendar };
}

/** A job header the diagram must set; its absence is a modelling error, raised as an incident. */
export function header(headers: Readonly<Record<string, string>>, name: string): string {
  const value = headers[name];
  if (!value) throw new IncidentError(`The task needs the header "${name}"`);
  return value;
}
