/**
 * The household's postal address, kept in the store only (never a process variable): written when staff enter or
 * correct it in the workspace; the API records it with the application. Letters read it when they are made.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../store/index.js';

export interface PostalAddressInput {
  careOf?: string;
  street: string;
  postcode: string;
  city: string;
}

export interface HouseholdAddressInput extends PostalAddressInput {
  salutation?: 'Frau' | 'Herr';
  mailingAddress?: PostalAddressInput;
}

/** Enters or replaces the address of one application, in one statement. */
export async function saveHouseholdAddress(
  db: Kysely<Database>,
  a: { applicationId: string; jobcenter: string; address: HouseholdAddressInput },
): Promise<void> {
  const m = a.address.mailingAddress;
  const values = {
    salutation: a.address.salutation ?? null,
    care_of: a.address.careOf ?? null,
    street: a.address.street,
    postcode: a.address.postcode,
    city: a.address.city,
    mailing_care_of: m?.careOf ?? null,
    mailing_street: m?.street ?? null,
    mailing_postcode: m?.postcode ?? null,
    mailing_city: m?.city ?? null,
  };
  await db
    .insertInto('application_addresses')
    .values({ application_id: a.applicationId, jobcenter: a.jobcenter, ...values })
    .onConflict((oc) => oc.column('application_id').doUpdateSet(values))
    .execute();
}
