/** The FMG.job contract against FMG.job on our store. */
import { describe } from '@jest/globals';

import { StoreFmg } from '../../../../src/adapters/fmg/store-fmg.js';
import { fmgContract } from '../fmg.contract.js';
import { BACKENDS, insertApplication, useStoreUnderTest } from '../store-under-test.js';

describe.each(BACKENDS)('FMG.job on our store (%s)', (kind) => {
  const under = useStoreUnderTest(kind, { now: new Date('2026-11-23T09:00:00+01:00') });

  fmgContract('store', async () => {
    const { store, ctx } = under();
    return {
      fmg: new StoreFmg(ctx),
      async newCase() {
        const { applicationId, personIds } = await insertApplication(store);
        return { applicationId, personId: personIds[0]! };
      },
      async caseholder(c) {
        const row = await store.db
          .selectFrom('persons')
          .select('caseworker_id')
          .where('id', '=', c.personId)
          .executeTakeFirstOrThrow();
        return row.caseworker_id;
      },
      async entries(c) {
        const rows = await store.db
          .selectFrom('fmg_entries')
          .select(['kind', 'value', 'valid_from', 'recorded_by'])
          .where('application_id', '=', c.applicationId)
          .where('person_id', '=', c.personId)
          .execute();
        return Object.fromEntries(
          rows.map((r) => [r.kind, { value: r.value, validFrom: r.valid_from, recordedBy: r.recorded_by }]),
        );
      },
      close: async () => {},
    };
  });
});
