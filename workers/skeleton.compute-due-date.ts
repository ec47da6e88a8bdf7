/** Walking skeleton: computes the due date and its breach instant that the diagram's timer waits for. */
import { z } from 'zod';
import { defineWorker } from '../src/worker-runtime/define-worker.js';
import { IsoDate } from '../src/calendar/iso-date-schema.js';

export default defineWorker({
  type: 'skeleton.compute-due-date',
  description: 'Computes dueDate (working days after the visit) and dueAt (00:00 Berlin the day after) for the skeleton timer.',
  input: z.object({
    jobcenter: z.string().min(1),
    visitedOn: IsoDate,
    workingDays: z.number().int().min(0),
  }),
  output: z.object({ dueDate: z.string(), dueAt: z.string() }),
  errors: [],
  async handler(input, { deps }) {
    const calendar = deps.calendars.of(input.jobcenter);
    if (!calendar) throw new Error(`No calendar for jobcenter ${input.jobcenter}`);
    const dueDate = calendar.addWorkingDays(input.visitedOn, input.workingDays);
    return { dueDate, dueAt: calendar.breachInstant(dueDate) };
  },
});
