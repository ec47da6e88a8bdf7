/** The walking skeleton's requests: start a visit, complete its review task. */
import { z } from 'zod';
import { IsoDate } from '../../calendar/iso-date-schema.js';

export const StartVisitBody = z.object({
  jobcenter: z.string().min(1),
  visitedOn: IsoDate,
  workingDays: z.number().int().min(0).max(60).default(1),
});

export const StartVisitAnswer = z.object({ processInstanceKey: z.string() });

export const ReviewParams = z.object({ processInstanceKey: z.string().regex(/^\d{1,20}$/, 'must be a process instance key') });
export const ReviewBody = z.object({ reviewed: z.boolean() });
