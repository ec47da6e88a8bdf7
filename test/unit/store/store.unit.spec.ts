import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { isRefusedByTrigger, isUniqueViolation, type Store } from '../../../src/store/index.js';
import { BACKENDS, openTestStore } from './backends.js';

async function newApplication(store: Store, applicationDate = '2026-11-02') {
  const id = randomUUID();
  await store.db
    .insertInto('applications')
    .values({ id, jobcenter: 'cottbus', channel: 'EZ', application_date: applicationDate, status: 'received', new_customer: true, not_new_reason: null, process_instance_key: null, idempotency_key: null, flags: '{}', created_by: 'test', reason: 'test' })
    .execute();
  return id;
}

describe.each(BACKENDS)('store on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('is migrated after opening', async () => {
    expect(store.kind).toBe(kind);
    expect(await store.isMigrated()).toBe(true);
  });

  it('returns local dates as YYYY-MM-DD strings', async () => {
    const id = await newApplication(store, '2026-03-29');
    const row = await store.db.selectFrom('applications').select('application_date').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.application_date).toBe('2026-03-29');
  });

  it('refuses any change of the application date, in the case period and in the application', async () => {
    const id = await newApplication(store);
    await store.db.insertInto('case_periods').values({ application_id: id, jobcenter: 'cottbus', bg_number: 'BG1', application_date: '2026-11-02' }).execute();
    const change = sql`UPDATE case_periods SET application_date = '2026-11-01' WHERE application_id = ${id}`.execute(store.db);
    await expect(change).rejects.toThrow(/application date cannot be changed/);
    await expect(sql`DELETE FROM case_periods WHERE application_id = ${id}`.execute(store.db)).rejects.toThrow(/cannot be deleted/);
    await expect(sql`UPDATE applications SET application_date = '2026-10-01' WHERE id = ${id}`.execute(store.db)).rejects.toThrow(/application date cannot be changed/);
    await sql`UPDATE applications SET status = 'open' WHERE id = ${id}`.execute(store.db);
  });

  it('keeps the audit log append-only', async () => {
    await store.db.insertInto('audit_log').values({ jobcenter: 'cottbus', actor: 'test', action: 'created', application_id: null, details: '{}' }).execute();
    const update = sql`UPDATE audit_log SET actor = 'someone else'`.execute(store.db);
    await expect(update).rejects.toThrow(/append-only/);
    try {
      await sql`DELETE FROM audit_log`.execute(store.db);
      throw new Error('delete went through');
    } catch (e) {
      expect(isRefusedByTrigger(e)).toBe(true);
    }
  });

  it('books a slot once, even when 20 try at the same moment', async () => {
    const applicationId = await newApplication(store);
    const startsAt = new Date('2026-12-01T08:00:00Z');
    const attempts = Array.from({ length: 20 }, (_, i) =>
      store.db
        .insertInto('appointments')
        .values({ jobcenter: 'cottbus', caseworker_id: 'av-1', starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 1_200_000), kind: 'first-consultation', application_id: applicationId, person_id: `p${i}`, booked_by: 'system' })
        .execute(),
    );
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refusals).toHaveLength(19);
    expect(refusals.every((r) => isUniqueViolation(r.reason, 'appointments_one_per_slot'))).toBe(true);
  });

  it('gives one appointment per person and purpose', async () => {
    const applicationId = await newApplication(store);
    const insert = (minute: number) =>
      store.db
        .insertInto('appointments')
        .values({ jobcenter: 'cottbus', caseworker_id: 'av-2', starts_at: new Date(Date.UTC(2026, 11, 1, 8, minute)), ends_at: new Date(Date.UTC(2026, 11, 1, 8, minute + 20)), kind: 'first-consultation', application_id: applicationId, person_id: 'p1', booked_by: 'system' })
        .execute();
    await insert(0);
    await expect(insert(20)).rejects.toMatchObject({ code: '23505' });
  });

  it('records a notification once per dedup key', async () => {
    const values = { jobcenter: 'cottbus', dedup_key: `k-${randomUUID()}`, channel: 'inbox' as const, recipient: 'av-1', cc: '[]', subject: 's', body: 'b', links: '[]', attachments: '[]', application_id: null };
    await store.db.insertInto('notifications').values(values).execute();
    await expect(store.db.insertInto('notifications').values(values).execute()).rejects.toMatchObject({ code: '23505' });
  });

  it('draws distinct customer numbers under concurrency', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => sql<{ n: string }>`SELECT 'KD' || lpad(nextval('kd_number_seq')::text, 9, '0') AS n`.execute(store.db)),
    );
    const values = numbers.map((r) => r.rows[0]!.n);
    expect(new Set(values).size).toBe(20);
    expect(values[0]).toMatch(/^KD\d{9}$/);
  });
});
