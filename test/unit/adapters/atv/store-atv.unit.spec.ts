/** The ATV contract against ATV on our store. */
import { randomUUID } from 'node:crypto';

import { describe } from '@jest/globals';

import { StoreAtv } from '../../../../src/adapters/atv/store-atv.js';
import { ATV_SETUP, atvContract } from '../atv.contract.js';
import { BACKENDS, insertApplication, JOBCENTER, somebody, useStoreUnderTest } from '../store-under-test.js';

describe.each(BACKENDS)('ATV on our store (%s)', (kind) => {
  const under = useStoreUnderTest(kind, {
    now: ATV_SETUP.now,
    settings: {
      state: ATV_SETUP.state,
      atv: { slotMinutes: ATV_SETUP.slotMinutes, releasedWindows: ATV_SETUP.releasedWindows },
    },
  });

  atvContract('store', async () => {
    const { store, ctx } = under();
    return {
      atv: new StoreAtv(ctx),
      // Every caseworker releases the jobcenter's windows; a new id has no appointments yet.
      newCaseworker: async () => `cw-${randomUUID()}`,
      newCase: (persons) =>
        insertApplication(
          store,
          Array.from({ length: persons }, () => somebody()),
        ),
      async addAbsence(caseworkerId, startsAt, endsAt) {
        await store.db
          .insertInto('absences')
          .values({
            jobcenter: JOBCENTER,
            caseworker_id: caseworkerId,
            starts_at: startsAt,
            ends_at: endsAt,
            reason: null,
          })
          .execute();
      },
      close: async () => {},
    };
  });
});
