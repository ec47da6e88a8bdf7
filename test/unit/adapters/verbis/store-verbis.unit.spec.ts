/** The VerBIS contract against VerBIS on our store, and what the store keeps beyond it. */
import { describe, expect, it } from '@jest/globals';

import { StoreVerbis } from '../../../../src/adapters/verbis/store-verbis.js';
import { BACKENDS, insertApplication, useStoreUnderTest } from '../store-under-test.js';
import { verbisContract } from '../verbis.contract.js';

describe.each(BACKENDS)('VerBIS on our store (%s)', (kind) => {
  const under = useStoreUnderTest(kind, { now: new Date('2026-11-23T09:00:00+01:00') });

  verbisContract('store', async () => {
    const { store, ctx } = under();
    return {
      verbis: new StoreVerbis(ctx),
      caseworker: { id: 'av-01', team: 'ue25' },
      newApplication: (people) => insertApplication(store, people),
      async frontDeskTasks(applicationId) {
        const rows = await store.db
          .selectFrom('notifications')
          .select('subject')
          .where('application_id', '=', applicationId)
          .where('recipient', '=', 'group:EZ')
          .execute();
        return rows.map((r) => r.subject);
      },
      async historyNotes(applicationId) {
        const rows = await store.db
          .selectFrom('history_notes')
          .select(['person_id', 'text'])
          .where('application_id', '=', applicationId)
          .execute();
        return rows.map((r) => ({ personId: r.person_id, text: r.text }));
      },
      close: async () => {},
    };
  });

  it('draws KD numbers as KD and nine digits, notes them on the persons, and finds a spelling variant again', async () => {
    const { store, ctx } = under();
    const verbis = new StoreVerbis(ctx);
    const born = '1980-02-02';
    const first = await insertApplication(store, [{ givenName: 'Jürgen', familyName: 'Müller', birthDate: born }]);
    const again = await insertApplication(store, [{ givenName: 'JURGEN ', familyName: 'Muller', birthDate: born }]);
    const upsert = async (a: typeof first, givenName: string, familyName: string) =>
      verbis.upsertCustomers({
        applicationId: a.applicationId,
        aufstocker: false,
        customers: [{ personId: a.personIds[0]!, givenName, familyName, birthDate: born, caseworker: null }],
      });
    const kd = (await upsert(first, 'Jürgen', 'Müller'))[first.personIds[0]!];
    expect(kd).toMatch(/^KD\d{9}$/);
    expect((await upsert(again, 'JURGEN ', 'Muller'))[again.personIds[0]!]).toBe(kd);
    const onPersons = await store.db
      .selectFrom('persons')
      .select('kd_number')
      .where('id', 'in', [first.personIds[0]!, again.personIds[0]!])
      .execute();
    expect(onPersons).toEqual([{ kd_number: kd }, { kd_number: kd }]);
  });
});
