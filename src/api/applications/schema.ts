/** Requests and answers of the applications resource (design §6); the same schemas feed validation and OpenAPI. */
import { z } from 'zod';

import { IsoDate } from '../../calendar/iso-date-schema.js';
import { multilineText } from '../../http/text-hygiene.js';
import { deprecatedInstanceKey } from './deprecated-alias.js';

const name = z.string().trim().min(1, 'must not be empty').max(100);

export const CHANNELS = ['EZ', 'SC', 'POST', 'ONLINE'] as const;

/** The values the Kundensteuerung decision knows (processes/shared/kundensteuerung.dmn); a contract test keeps them equal. */
export const STEUERUNGSEMPFEHLUNGEN = ['VERBLEIB', 'REHA_SB', 'START_KLAR', 'MASSNAHMEBETRIEB'] as const;
export const INTEGRATIONSPROGNOSEN = ['BIS_6_MONATE', 'BIS_12_MONATE', 'UEBER_12_MONATE', 'NICHT_ABSEHBAR'] as const;

export const Member = z
  .object({
    givenName: name,
    familyName: name,
    birthDate: IsoDate,
    role: z.enum(['head', 'member']),
    erwerbsfaehig: z.boolean(),
  })
  .strict();

const addressLine = z.string().trim().min(1, 'must not be empty').max(100);

/** A German postal address as it goes into the letter window (DIN 5008): street and number, postcode, city. */
export const PostalAddress = z
  .object({
    /** "c/o" or "bei": the name on the letterbox when it is not the household's. */
    careOf: addressLine.optional(),
    street: addressLine.describe('Street and house number'),
    postcode: z.string().regex(/^[0-9]{5}$/, 'must be a German postcode of 5 digits'),
    city: addressLine,
  })
  .strict();
export type PostalAddress = z.infer<typeof PostalAddress>;

/**
 * The household's address, kept in the store only (never a process variable). Optional in v1 so existing clients
 * keep working; letters of a household without one are marked "Anschrift fehlt" and stay off the print list.
 */
export const HouseholdAddress = PostalAddress.extend({
  /** How the head wants to be addressed; without it letters greet by name ("Guten Tag Vorname Nachname"). */
  salutation: z.enum(['Frau', 'Herr']).optional(),
  /** A separate mailing address (Postanschrift, e.g. a Postfach) the letters go to instead. */
  mailingAddress: PostalAddress.optional(),
}).strict();
export type HouseholdAddress = z.infer<typeof HouseholdAddress>;

export const ApplicationBody = z
  .object({
    jobcenter: z.string().min(1).max(50),
    channel: z.enum(CHANNELS),
    applicationDate: IsoDate.describe('For POST: the day the letter arrived'),
    reason: z.string().trim().min(1).max(500),
    /** Jobcenters with branches (Wuppertal): the GST; defaults to the first branch in the settings. */
    branch: z.string().min(1).max(50).optional(),
    habitualResidenceInGermany: z.boolean(),
    previousNeedEndedOn: IsoDate.optional(),
    unemployedSince: IsoDate.optional().describe(
      'The day the head became (or, with a job ending, becomes) unemployed; Wuppertal records ALO in BaEL from the later of this and the application date',
    ),
    previouslyRejected: z.boolean().optional(),
    household: z
      .object({
        members: z.array(Member).min(1, 'needs at least one member').max(20),
        address: HouseholdAddress.optional(),
      })
      .strict(),
    flags: z
      .object({
        relocation: z.boolean().optional(),
        selfEmployed: z.boolean().optional(),
        insufficientGerman: z.boolean().optional(),
        representation: z.enum(['authorized', 'third-party']).optional(),
        alg1Claim: z.object({ endsOn: IsoDate }).strict().optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((a, ctx) => {
    const heads = a.household.members.filter((m) => m.role === 'head').length;
    if (heads !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['household', 'members'],
        message: `needs exactly one head, found ${heads}`,
      });
    a.household.members.forEach((m, i) => {
      if (m.birthDate > a.applicationDate) {
        ctx.addIssue({
          code: 'custom',
          path: ['household', 'members', i, 'birthDate'],
          message: 'is after the application date',
        });
      }
    });
    if (a.previousNeedEndedOn && a.previousNeedEndedOn > a.applicationDate) {
      ctx.addIssue({ code: 'custom', path: ['previousNeedEndedOn'], message: 'is after the application date' });
    }
  });
export type ApplicationBody = z.infer<typeof ApplicationBody>;

const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** The headers POST /api/v1/applications reads: a retried request with the same key records nothing twice. */
export const RecordingHeaders = z.object({ 'idempotency-key': IdempotencyKey.optional() });

export const ApplicationCreated = z.object({
  id: z.string().uuid(),
  processInstanceId: z.string().nullable(),
  ...deprecatedInstanceKey,
  newCustomer: z.boolean(),
  reason: z.string().optional(),
});

export const ApplicationIdParams = z.object({ id: z.string().uuid('must be an application id (UUID)') });

export const DocumentParams = ApplicationIdParams.extend({
  documentId: z.string().uuid('must be a document id (UUID)'),
});

export const ListQuery = z
  .object({
    jobcenter: z.string().min(1).max(50).optional(),
    status: z.string().min(1).max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** Events from outside the system, each with its body; `first-consultation-held` completes the consultation task. */
/** The checklist of the first consultation (seed 000, section 4) as the Tasklist form has it. */
export const FIRST_CONSULTATION_CHECKBOXES = [
  'rightsAndDutiesExplained',
  'strengthsAnalysis',
  'integrationForecast',
  'jobSearchPublished',
  'applicantAccountAdvised',
  'employerServiceChecked',
  'offerHandedOver',
  'integrationServicesPresented',
  'positionNote',
  'u25Offer',
  'conversationDocumented',
] as const;

export const EVENT_BODIES = {
  'id-check-completed': z.object({ identityVerified: z.boolean(), responsible: z.boolean() }).strict(),
  'arbeitspaket-received': z.object({ personId: z.string().uuid(), receivedOn: IsoDate }).strict(),
  'documents-complete': z.object({ completeOn: IsoDate }).strict(),
  'decision-issued': z.object({ decidedOn: IsoDate }).strict(),
  /** The applicant takes the application back before the consultation; its open deadlines no longer apply. */
  withdrawn: z.object({ withdrawnOn: IsoDate }).strict(),
  'first-consultation-held': z
    .object({
      personId: z.string().uuid(),
      heldOn: IsoDate,
      profiling: z.literal(true, { message: 'profiling is mandatory in the first consultation' }),
      kooperationsplan: z.literal(true, { message: 'a Kooperationsplan is mandatory in the first consultation' }),
      consultationMode: z.enum(['in-person', 'phone']).default('in-person'),
      // The checkboxes of processes/forms/cottbus-first-consultation.form and nothing else: a key the task does
      // not declare would land on the process instance and could overwrite one of its variables.
      checklist: z
        .object(
          Object.fromEntries(FIRST_CONSULTATION_CHECKBOXES.map((k) => [k, z.boolean().optional()])) as Record<
            (typeof FIRST_CONSULTATION_CHECKBOXES)[number],
            z.ZodOptional<z.ZodBoolean>
          >,
        )
        .strict()
        .optional(),
    })
    .strict(),
  'approved-in-principle': z
    .object({ approvedOn: IsoDate, calculationProtocolRef: z.string().min(1).max(100).optional() })
    .strict(),
  rejected: z.object({ rejectedOn: IsoDate }).strict(),
  'funding-requested': z
    .object({
      personId: z.string().uuid(),
      kind: z.string().trim().min(1).max(100),
      note: multilineText().max(2000).optional(),
    })
    .strict(),
  'quer-held': z
    .object({
      personId: z.string().uuid(),
      heldOn: IsoDate,
      fmgDatenAktualisiert: z.literal(true, { message: 'the FMG.job data must be updated in the QuEr' }),
      potenzialanalyse: z.literal(true, { message: 'a Potenzialanalyse is a quality standard of the QuEr' }),
      integrationsprognose: z.enum(INTEGRATIONSPROGNOSEN),
      handlungsstrategie: z.literal(true, { message: 'a Handlungsstrategie is a quality standard of the QuEr' }),
      sofortangebot: z.literal(true, { message: 'a Sofortangebot is a quality standard of the QuEr' }),
      kooperationsplan: z.literal(true, {
        message: 'a Kooperationsplan (text form, not signed) is a quality standard of the QuEr',
      }),
      berufsabschluss: z.boolean(),
      ausbildungGeprueft: z.boolean().optional(),
      offenePunkteVorhanden: z.boolean().default(false),
      offenePunkte: multilineText().trim().max(4000).optional(),
      steuerungsempfehlung: z.enum(STEUERUNGSEMPFEHLUNGEN),
      massnahmeEmpfohlen: z.boolean().default(false),
      beratungsvermerk: z
        .object({
          grundAntragstellung: multilineText().trim().min(1, 'Grund der Antragstellung is required').max(4000),
          groesseBg: z.number().int().min(1, 'Größe der BG is required'),
          drittstaatsangehoerig: z.boolean(),
          aufenthaltsstatus: z.string().trim().max(500).optional(),
          ergebnisPotenzialanalyse: multilineText()
            .trim()
            .min(1, 'Ergebnis der Potenzialanalyse/Integrationsprognose und Integrationsstrategie is required')
            .max(4000),
          zielberuf: z.string().trim().min(1, 'Zielberuf is required').max(200),
          gespraechszusammenfassung: multilineText().trim().min(1, 'Gesprächszusammenfassung is required').max(8000),
          weiteresVorgehen: multilineText().trim().min(1, 'Festlegung des weiteren Vorgehens is required').max(4000),
        })
        .strict(),
    })
    .strict()
    .superRefine((q, ctx) => {
      if (q.beratungsvermerk.drittstaatsangehoerig && !q.beratungsvermerk.aufenthaltsstatus) {
        ctx.addIssue({
          code: 'custom',
          path: ['beratungsvermerk', 'aufenthaltsstatus'],
          message: 'Aufenthaltsstatus is required for third-country nationals',
        });
      }
      if (!q.berufsabschluss && q.ausbildungGeprueft !== true) {
        ctx.addIssue({
          code: 'custom',
          path: ['ausbildungGeprueft'],
          message: 'without a vocational qualification, training placement (Vermittlung in Ausbildung) must be checked',
        });
      }
      if (q.offenePunkteVorhanden && !q.offenePunkte) {
        ctx.addIssue({
          code: 'custom',
          path: ['offenePunkte'],
          message: 'name the open points and when they will be followed up',
        });
      }
    }),
} as const;
export type EventName = keyof typeof EVENT_BODIES;

export const EventParams = z.object({
  id: z.string().uuid('must be an application id (UUID)'),
  event: z.enum(Object.keys(EVENT_BODIES) as [EventName, ...EventName[]]),
});
