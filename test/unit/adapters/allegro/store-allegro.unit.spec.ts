/** The ALLEGRO contract against ALLEGRO on our store, and the store's BG number format. */
import { describe, expect, it } from '@jest/globals';

import { StoreAllegro } from '../../../../src/adapters/allegro/store-allegro.js';
import type { Store } from '../../../../src/store/index.js';
import { allegroContract } from '../allegro.contract.js';
import { BACKENDS, insertApplication, JOBCENTER, somebody, useStoreUnderTest } from '../store-under-test.js';

/** An application whose head has a customer record (the BG's Vorstand must be a customer). */
async function newApplication(store: Store, headKdNumber?: string) {
  const { applicationId } = await insertApplication(store, [somebody()]);
  if (headKdNumber) return { applicationId, headKdNumber };
  const { kd_number } = await store.db
    .insertInto('customers')
    .values({
      kd_number: `KD${applicationId.replace(/\D/g, '').slice(0, 9).padStart(9, '0')}`,
      jobcenter: JOBCENTER,
      identity_key: applicationId,
      legal_sphere: 'SGB II',
      care: 'main',
      caseworker_id: null,
      team: null,
      reactivated_at: null,
    })
    .returning('kd_number')
    .executeTakeFirstOrThrow();
  return { applicationId, headKdNumber: kd_number };
}

describe.each(BACKENDS)('ALLEGRO on our store (%s)', (kind) => {
  const under = useStoreUnderTest(kind, { now: new Date('2026-11-23T09:00:00+01:00') });

  allegroContract('store', async () => {
    const { store, ctx } = under();
    return {
      allegro: new StoreAllegro(ctx),
      newApplication: (headKdNumber) => newApplication(store, headKdNumber),
      async recordedApplicationDate(applicationId) {
        const row = await store.db
          .selectFrom('case_periods')
          .select('application_date')
          .where('application_id', '=', applicationId)
          .executeTakeFirst();
        return row?.application_date;
      },
      close: async () => {},
    };
  });

  it('draws BG numbers from the sequence as the jobcenter prefix, BG and seven digits', async () => {
    const { store, ctx } = under();
    expect(await new StoreAllegro(ctx).assignBgNumber(await newApplication(store))).toMatch(/^TESBG\d{7}$/);
  });
});
