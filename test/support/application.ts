/**
 * An application as a test sends it to the API (`anApplication`, the body of POST /api/v1/applications) or finds
 * it already recorded in the store (`seedApplication`). Each test states only the values it is about.
 *
 *   anApplication()                                // Cottbus, front desk, one adult head (Erika Mustermann)
 *   anApplication({ jobcenter: 'wuppertal' })      // Wuppertal, at its GST Barmen
 *   anApplication({ applicationDate: today(), members: [aMember({ familyName: 'Neumeier' })] })
 *   { ...anApplication(), channel: 'FAX' }         // a bad body, for a test of what the API refuses
 */
import { randomUUID } from 'node:crypto';

import type { z } from 'zod';

import type { ApplicationBody, Member } from '../../src/api/applications/schema.js';
import type { AppDeps } from '../../src/app/deps.js';
import { berlinDate } from '../../src/calendar/index.js';

/** The body of POST /api/v1/applications, as a client sends it (before the API's defaults). */
export type ApplicationInput = z.input<typeof ApplicationBody>;
export type MemberInput = z.input<typeof Member>;

export interface ApplicationOptions extends Partial<Omit<ApplicationInput, 'household'>> {
  /** The household's members; one adult head who can work (`aMember()`) unless given. */
  members?: MemberInput[];
}

/** The values actually given: one given as undefined keeps its default. */
function given<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Today in Berlin as an ISO date: the application date of a letter handed in now. */
export const today = (): string => berlinDate(new Date());

/** A household member; unless given, Erika Mustermann, born 1985-07-14, the head, able to work. */
export function aMember(values: Partial<MemberInput> = {}): MemberInput {
  return {
    givenName: 'Erika',
    familyName: 'Mustermann',
    birthDate: '1985-07-14',
    role: 'head',
    erwerbsfaehig: true,
    ...given(values),
  };
}

/**
 * A valid application at the front desk (channel EZ) on 2026-11-20, for unemployment, living in Germany, without
 * flags: Cottbus unless another jobcenter is given; Wuppertal's at its GST Barmen (it has branches). Any field of
 * the body can be given.
 */
export function anApplication({
  jobcenter = 'cottbus',
  members = [aMember()],
  ...values
}: ApplicationOptions = {}): ApplicationInput {
  return {
    jobcenter,
    ...(jobcenter === 'wuppertal' ? { branch: 'gst-barmen' } : {}),
    channel: 'EZ',
    applicationDate: '2026-11-20',
    reason: 'Arbeitslosigkeit',
    habitualResidenceInGermany: true,
    household: { members },
    flags: {},
    ...given(values),
  };
}

export interface SeedMember {
  givenName?: string;
  familyName?: string;
  birthDate: string;
  role?: 'head' | 'member';
  erwerbsfaehig?: boolean;
}

/**
 * An application in progress as the store holds it once the API has recorded it, with its persons: unless given,
 * the Schmidt family at Cottbus's front desk on 2026-11-23 (Anna, head; Ben, 18; Clara, 10, not able to work).
 */
export async function seedApplication(
  deps: AppDeps,
  opts: {
    jobcenter?: string;
    applicationDate?: string;
    channel?: string;
    members?: SeedMember[];
    flags?: Record<string, unknown>;
  } = {},
) {
  const id = randomUUID();
  const jobcenter = opts.jobcenter ?? 'cottbus';
  const members = opts.members ?? [
    { givenName: 'Anna', familyName: 'Schmidt', birthDate: '1990-04-12', role: 'head' },
    { givenName: 'Ben', familyName: 'Schmidt', birthDate: '2008-01-20' },
    { givenName: 'Clara', familyName: 'Schmidt', birthDate: '2016-06-01', erwerbsfaehig: false },
  ];
  await deps.store.db
    .insertInto('applications')
    .values({
      id,
      jobcenter,
      channel: opts.channel ?? 'EZ',
      application_date: opts.applicationDate ?? '2026-11-23',
      status: 'in-progress',
      new_customer: true,
      not_new_reason: null,
      reason: 'Arbeitslosigkeit nach Ende der Beschäftigung',
      process_instance_key: null,
      idempotency_key: null,
      flags: JSON.stringify(opts.flags ?? {}),
      created_by: 'test',
    })
    .execute();
  const personIds: string[] = [];
  for (const [i, m] of members.entries()) {
    const personId = randomUUID();
    personIds.push(personId);
    await deps.store.db
      .insertInto('persons')
      .values({
        id: personId,
        jobcenter,
        application_id: id,
        role: m.role ?? (i === 0 ? 'head' : 'member'),
        given_name: m.givenName ?? `Vorname${i}`,
        family_name: m.familyName ?? 'Muster',
        birth_date: m.birthDate,
        erwerbsfaehig: m.erwerbsfaehig ?? true,
        new_customer: null,
        not_new_reason: null,
        kd_number: null,
      })
      .execute();
  }
  return { applicationId: id, personIds, jobcenter };
}
