/**
 * Computes the working-day deadlines of a new application in the jobcenter's state: the MDS first consultation
 * (15 working days after the application date, per eLb), its reminder, and the return dates of the application
 * documents and the Arbeitspaket; records the MDS deadlines. The user tasks' due dates are instants too, the
 * end of the due day in Berlin, since the diagram does no date arithmetic. neukunde-cottbus runs it twice: right
 * after the Neukunde decision, so the MDS clock runs from the application day whatever the channel, and again once
 * the customer records name each eLb's team and caseworker (the deadlines stay as recorded, only those are added).
 */
import { z } from 'zod';

import { berlinDate, type WorkingDayCalendar } from '../src/calendar/index.js';
import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { settingsOf } from '../src/domain/cases.js';
import { recordDeadline } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';
import { IdList } from './persons.derive-eligibility-facts.js';

/**
 * 23:59:59 Europe/Berlin on a day, with the offset then in force. It is the offset of the next midnight (the
 * breach instant): German clocks change at 02:00/03:00, never between 23:59:59 and 00:00.
 */
function endOfDayInstant(calendar: WorkingDayCalendar, day: string): string {
  return `${day}T23:59:59${calendar.breachInstant(day).slice(19)}`;
}

export default defineWorker({
  topic: 'calendar.compute-deadlines',
  description:
    'Computes the MDS due date, breach and reminder instants and the return dates; records the MDS deadlines.',
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    applicationDate: IsoDate,
    eligiblePersonIds: IdList,
    caseworkers: z.record(z.string(), z.string()).default({}),
    teams: z.record(z.string(), z.string()).default({}),
  }),
  output: z.object({
    mdsDueDate: z.string(),
    mdsBreachAt: z.string(),
    mdsReminderAt: z.string(),
    mdsTaskDueAt: z.string(),
    documentsReturnDate: z.string(),
    documentsReminderAt: z.string(),
    arbeitspaketReturnDate: z.string(),
    arbeitspaketReminderAt: z.string(),
    arbeitspaketTaskDueAt: z.string(),
  }),
  errors: [],
  async handler(input, { deps }) {
    const { settings, calendar } = settingsOf(deps, input.jobcenter);
    const d = settings.deadlines;
    const today = berlinDate(deps.now());
    const mdsDueDate = calendar.addWorkingDays(input.applicationDate, d.firstConsultationWorkingDays ?? 15);
    const mdsBreachAt = calendar.breachInstant(mdsDueDate);
    const documentsReturnDate = calendar.addWorkingDays(today, d.documentsReturnWorkingDays ?? 10);
    const arbeitspaketReturnDate = calendar.addWorkingDays(today, d.arbeitspaketReturnWorkingDays ?? 5);
    for (const personId of input.eligiblePersonIds) {
      await recordDeadline(deps.store.db, {
        jobcenter: input.jobcenter,
        applicationId: input.applicationId,
        personId,
        kind: 'first-consultation',
        dueDate: mdsDueDate,
        breachAt: mdsBreachAt,
        team: input.teams[personId] ?? null,
        caseworkerId: input.caseworkers[personId] ?? null,
      });
    }
    return {
      mdsDueDate,
      mdsBreachAt,
      mdsReminderAt: calendar.reminderInstant(mdsDueDate, d.reminderWorkingDaysBefore ?? 3),
      mdsTaskDueAt: endOfDayInstant(calendar, mdsDueDate),
      documentsReturnDate,
      // Reminders about returns fire once the agreed date has passed without the documents.
      documentsReminderAt: calendar.breachInstant(documentsReturnDate),
      arbeitspaketReturnDate,
      arbeitspaketReminderAt: calendar.breachInstant(arbeitspaketReturnDate),
      arbeitspaketTaskDueAt: endOfDayInstant(calendar, arbeitspaketReturnDate),
    };
  },
});
