/** The eAkte contract against the eAkte on our store. */
import { describe } from '@jest/globals';

import { StoreEAkte } from '../../../../src/adapters/eakte/store-eakte.js';
import { eakteContract } from '../eakte.contract.js';
import { BACKENDS, insertApplication, JOBCENTER, useStoreUnderTest } from '../store-under-test.js';

describe.each(BACKENDS)('eAkte on our store (%s)', (kind) => {
  const under = useStoreUnderTest(kind, { now: new Date('2026-11-23T09:00:00+01:00') });

  eakteContract('store', async () => {
    const { store, ctx } = under();
    return {
      eakte: new StoreEAkte(ctx),
      jobcenter: JOBCENTER,
      newApplication: async () => (await insertApplication(store)).applicationId,
      async documents(applicationId) {
        const rows = await store.db
          .selectFrom('documents')
          .select(['kind', 'title', 'media_type'])
          .where('application_id', '=', applicationId)
          .execute();
        return rows.map((r) => ({ kind: r.kind, title: r.title, mediaType: r.media_type }));
      },
      close: async () => {},
    };
  });
});
