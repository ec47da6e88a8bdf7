/** Query and answer of the due-date calculator. */
import { z } from 'zod';

import { IsoDate } from '../../calendar/iso-date-schema.js';

export const DueDateQuery = z
  .object({
    jobcenter: z.string().min(1),
    from: IsoDate.optional(),
    workingDays: z.coerce.number().int().min(0).max(260).optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
      .optional(),
    nthWorkingDay: z.coerce.number().int().min(1).max(23).optional(),
  })
  .superRefine((q, ctx) => {
    const byOffset = q.from !== undefined || q.workingDays !== undefined;
    const byMonth = q.month !== undefined || q.nthWorkingDay !== undefined;
    if (byOffset === byMonth) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'give either from and workingDays, or month and nthWorkingDay',
      });
      return;
    }
    if (byOffset && q.from === undefined)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required with workingDays' });
    if (byOffset && q.workingDays === undefined)
      ctx.addIssue({ code: 'custom', path: ['workingDays'], message: 'is required with from' });
    if (byMonth && q.month === undefined)
      ctx.addIssue({ code: 'custom', path: ['month'], message: 'is required with nthWorkingDay' });
    if (byMonth && q.nthWorkingDay === undefined)
      ctx.addIssue({ code: 'custom', path: ['nthWorkingDay'], message: 'is required with month' });
  });

export const DueDateAnswer = z.object({
  jobcenter: z.string(),
  state: z.string(),
  dueDate: z.string(),
  breachAt: z.string().describe('00:00 Europe/Berlin on the day after the due date, ISO 8601 with offset'),
  from: z.string().optional(),
  workingDays: z.number().optional(),
  month: z.string().optional(),
  nthWorkingDay: z.number().optional(),
});
