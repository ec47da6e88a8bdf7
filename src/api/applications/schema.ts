/** Requests and answers of the applications resource (design §6); the same schemas feed validation and OpenAPI. */
import { z } from 'zod';
import { isIsoDate } from '../../calendar/index.js';

const isoDate = z.string().refine(isIsoDate, 'must be a real date YYYY-MM-DD');
const name = z.string().trim().min(1, 'must not be empty').max(100);

export const CHANNELS = ['EZ', 'SC', 'POST', 'ONLINE'] as const;

export const Member = z
  .object({
    givenName: name,
    familyName: name,
    birthDate: isoDate,
    role: z.enum(['head', 'member']),
    erwerbsfaehig: z.boolean(),
  })
  .strict();

export const ApplicationBody = z
  .object({
    jobcenter: z.string().min(1).max(50),
    channel: z.enum(CHANNELS),
    applicationDate: isoDate.describe('For POST: the day the letter arrived'),
    reason: z.string().trim().min(1).max(500),
    habitualResidenceInGermany: z.boolean(),
    previousNeedEndedOn: isoDate.optional(),
    previouslyRejected: z.boolean().optional(),
    household: z.object({ members: z.array(Member).min(1, 'needs at least one member').max(20) }).strict(),
    flags: z
      .object({
        relocation: z.boolean().optional(),
        selfEmployed: z.boolean().optional(),
        insufficientGerman: z.boolean().optional(),
        representation: z.enum(['authorized', 'third-party']).optional(),
        alg1Claim: z.object({ endsOn: isoDate }).strict().optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((a, ctx) => {
    const heads = a.household.members.filter((m) => m.role === 'head').length;
    if (heads !== 1) ctx.addIssue({ code: 'custom', path: ['household', 'members'], message: `needs exactly one head, found ${heads}` });
    a.household.members.forEach((m, i) => {
      if (m.birthDate > a.applicationDate) {
        ctx.addIssue({ code: 'custom', path: ['household', 'members', i, 'birthDate'], message: 'is after the application date' });
      }
    });
    if (a.previousNeedEndedOn && a.previousNeedEndedOn > a.applicationDate) {
      ctx.addIssue({ code: 'custom', path: ['previousNeedEndedOn'], message: 'is after the application date' });
    }
  });
export type ApplicationBody = z.infer<typeof ApplicationBody>;

export const ApplicationCreated = z.object({
  id: z.string().uuid(),
  processInstanceKey: z.string().nullable(),
  newCustomer: z.boolean(),
  reason: z.string().optional(),
});

export const ApplicationIdParams = z.object({ id: z.string().uuid('must be an application id (UUID)') });

export const ListQuery = z
  .object({
    jobcenter: z.string().min(1).max(50).optional(),
    status: z.string().min(1).max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** Events from outside the system, each with its body; `first-consultation-held` completes the consultation task. */
export const EVENT_BODIES = {
  'id-check-completed': z.object({ identityVerified: z.boolean(), responsible: z.boolean() }).strict(),
  'arbeitspaket-received': z.object({ personId: z.string().uuid(), receivedOn: isoDate }).strict(),
  'documents-complete': z.object({ completeOn: isoDate }).strict(),
  'decision-issued': z.object({ decidedOn: isoDate }).strict(),
  'first-consultation-held': z
    .object({
      personId: z.string().uuid(),
      heldOn: isoDate,
      profiling: z.literal(true, { message: 'profiling is mandatory in the first consultation' }),
      kooperationsplan: z.literal(true, { message: 'a Kooperationsplan is mandatory in the first consultation' }),
      checklist: z.record(z.string().max(60), z.boolean()).optional(),
    })
    .strict(),
} as const;
export type EventName = keyof typeof EVENT_BODIES;

export const EventParams = z.object({
  id: z.string().uuid('must be an application id (UUID)'),
  event: z.enum(Object.keys(EVENT_BODIES) as [EventName, ...EventName[]]),
});
