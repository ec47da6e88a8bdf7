/** The walking skeleton's requests: start a visit, complete its review task. */
import { z } from 'zod';
import { IsoDate } from '../../calendar/iso-date-schema.js';

export const StartVisitBody = z.object({
  jobcenter: z.string().min(1),
  visitedOn: IsoDate,
  workingDays: z.number().int().min(0).max(60).default(1),
});

export const StartVisitAnswer = z.object({ processInstanceKey: z.string() });

/** Operaton's ids are UUIDs (the Spring Boot default id generator) or, with the database generator, digits. */
export const ReviewParams = z.object({ processInstanceKey: z.string().regex(/^[0-9a-f-]{1,64}$/i, 'must be a process instance id') });
export const ReviewBody = z.object({ reviewed: z.boolean() });
