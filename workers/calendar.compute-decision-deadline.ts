/** Computes and records the MDS decision deadline: 14 working days after the documents are complete. neukunde-cottbus. */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { settingsOf } from '../src/domain/cases.js';
import { recordDeadline } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'calendar.compute-decision-deadline',
  description: 'Computes the decision due date, its breach and reminder instants, and records the decision deadline.',
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    documentsCompleteOn: IsoDate,
  }),
  output: z.object({ decisionDueDate: z.string(), decisionBreachAt: z.string(), decisionReminderAt: z.string() }),
  errors: [],
  async handler({ applicationId, jobcenter, documentsCompleteOn }, { deps }) {
    const { settings, calendar } = settingsOf(deps, jobcenter);
    const decisionDueDate = calendar.addWorkingDays(documentsCompleteOn, settings.deadlines.decisionWorkingDays ?? 14);
    const decisionBreachAt = calendar.breachInstant(decisionDueDate);
    await recordDeadline(deps.store.db, {
      jobcenter,
      applicationId,
      kind: 'decision',
      dueDate: decisionDueDate,
      breachAt: decisionBreachAt,
      team: 'LG',
    });
    return {
      decisionDueDate,
      decisionBreachAt,
      decisionReminderAt: calendar.reminderInstant(decisionDueDate, settings.deadlines.reminderWorkingDaysBefore ?? 3),
    };
  },
});
