/** Unique keys decide races and retries: one booking per slot and per purpose, one row per dedup key. */
import { randomUUID } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { isUniqueViolation } from '../../../src/store/index.js';
import { BACKENDS, useTestStore } from './backends.js';
import { insertApplication, insertPerson, outcomes } from './fixtures.js';

describe.each(BACKENDS)('unique keys on %s', (kind) => {
  const store = useTestStore(kind);

  function book(
    applicationId: string,
    personId: string,
    caseworkerId: string,
    startsAt: Date,
    kind = 'first-consultation',
  ) {
    return store.db
      .insertInto('appointments')
      .values({
        jobcenter: 'cottbus',
        caseworker_id: caseworkerId,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 20 * 60_000),
        kind,
        application_id: applicationId,
        person_id: personId,
        booked_by: 'system',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  }

  it('books a slot once when 20 try at the same moment: one row, 19 unique violations', async () => {
    const applicationId = await insertApplication(store.db);
    const startsAt = new Date('2026-12-01T08:00:00Z');
    const { values, errors } = await outcomes(
      Array.from({ length: 20 }, (_, i) => book(applicationId, `person-${i}`, 'av-1', startsAt)),
    );
    expect(values).toHaveLength(1);
    expect(errors).toHaveLength(19);
    expect(errors.every((e) => isUniqueViolation(e, 'appointments_one_per_slot'))).toBe(true);
    const rows = await store.db
      .selectFrom('appointments')
      .select('id')
      .where('caseworker_id', '=', 'av-1')
      .where('starts_at', '=', startsAt)
      .execute();
    expect(rows).toEqual(values);
  });

  it('refuses a second appointment for the same application, person and kind, so a retry finds the first', async () => {
    const applicationId = await insertApplication(store.db);
    const personId = await insertPerson(store.db, applicationId);
    const first = await book(applicationId, personId, 'av-2', new Date('2026-12-01T08:00:00Z'));
    const retry = await book(applicationId, personId, 'av-2', new Date('2026-12-01T08:20:00Z')).catch(
      (e: unknown) => e,
    );
    expect(isUniqueViolation(retry, 'appointments_one_per_purpose')).toBe(true);
    const found = await store.db
      .selectFrom('appointments')
      .select('id')
      .where('application_id', '=', applicationId)
      .where('person_id', '=', personId)
      .where('kind', '=', 'first-consultation')
      .execute();
    expect(found).toEqual([first]);
    await book(applicationId, personId, 'av-2', new Date('2026-12-02T08:00:00Z'), 'submission');
  });

  it('records a notification once per dedup key', async () => {
    const values = {
      jobcenter: 'cottbus',
      dedup_key: `k-${randomUUID()}`,
      channel: 'inbox' as const,
      recipient: 'av-1',
      subject: 's',
      body: 'b',
      application_id: null,
    };
    await store.db.insertInto('notifications').values(values).execute();
    const again = await store.db
      .insertInto('notifications')
      .values({ ...values, body: 'other' })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(again)).toBe(true);
    const kept = await store.db
      .insertInto('notifications')
      .values(values)
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returning('id')
      .execute();
    expect(kept).toEqual([]);
  });

  it('keeps one deadline per application, person and kind, the decision (no person) included', async () => {
    const applicationId = await insertApplication(store.db);
    const personId = await insertPerson(store.db, applicationId);
    const deadline = (kind: 'decision' | 'first-consultation', person: string) =>
      store.db
        .insertInto('deadlines')
        .values({
          jobcenter: 'cottbus',
          application_id: applicationId,
          person_id: person,
          kind,
          due_date: '2026-11-20',
          breach_at: new Date('2026-11-20T23:00:00Z'),
          met_on: null,
          breached_at: null,
          team: null,
          caseworker_id: null,
        })
        .execute();
    await deadline('decision', '');
    expect(isUniqueViolation(await deadline('decision', '').catch((e: unknown) => e))).toBe(true);
    await deadline('first-consultation', personId);
    expect(isUniqueViolation(await deadline('first-consultation', personId).catch((e: unknown) => e))).toBe(true);
  });

  it('keeps an idempotency key unique per jobcenter, and allows any number of applications without one', async () => {
    const key = `idem-${randomUUID()}`;
    await insertApplication(store.db, { idempotencyKey: key });
    expect(isUniqueViolation(await insertApplication(store.db, { idempotencyKey: key }).catch((e: unknown) => e))).toBe(
      true,
    );
    await insertApplication(store.db, { idempotencyKey: key, jobcenter: 'wuppertal' });
    await insertApplication(store.db, { idempotencyKey: null });
    await insertApplication(store.db, { idempotencyKey: null });
  });

  it('writes a document, a history note, a skeleton visit and an API idempotency record once per key', async () => {
    const applicationId = await insertApplication(store.db);
    const dedup = randomUUID();
    const writes = [
      () =>
        store.db
          .insertInto('documents')
          .values({
            jobcenter: 'cottbus',
            application_id: applicationId,
            person_id: null,
            kind: 'letter',
            title: 't',
            media_type: 'application/pdf',
            content: Buffer.from('%PDF-'),
            dedup_key: dedup,
          })
          .execute(),
      () =>
        store.db
          .insertInto('history_notes')
          .values({ jobcenter: 'cottbus', application_id: applicationId, person_id: null, text: 'n', dedup_key: dedup })
          .execute(),
      () =>
        store.db
          .insertInto('skeleton_visits')
          .values({ jobcenter: 'cottbus', process_instance_key: dedup, visited_on: '2026-11-23' })
          .execute(),
      () =>
        store.db
          .insertInto('api_idempotency')
          .values({ jobcenter: 'cottbus', key: dedup, request_hash: 'h', status_code: null, response: null })
          .execute(),
    ];
    for (const write of writes) {
      await write();
      expect(isUniqueViolation(await write().catch((e: unknown) => e))).toBe(true);
    }
  });
});
