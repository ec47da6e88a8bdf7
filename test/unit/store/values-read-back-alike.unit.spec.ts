/** Both backends hand back the same JS values: dates as 'YYYY-MM-DD', instants as Dates, bigints as strings, bytes as Buffers. */
import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';

import { BACKENDS, useTestStore } from './backends.js';
import { insertApplication, insertPerson } from './fixtures.js';

describe.each(BACKENDS)('values on %s', (kind) => {
  const store = useTestStore(kind);

  it('returns local dates as the same YYYY-MM-DD strings, also at year and DST boundaries', async () => {
    for (const date of ['2026-03-29', '2026-10-25', '2026-12-31', '2027-01-01', '1960-02-29']) {
      const id = await insertApplication(store.db, { applicationDate: date });
      const personId = await insertPerson(store.db, id, { birthDate: date });
      const application = await store.db
        .selectFrom('applications')
        .select('application_date')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const person = await store.db
        .selectFrom('persons')
        .select('birth_date')
        .where('id', '=', personId)
        .executeTakeFirstOrThrow();
      expect(application.application_date).toBe(date);
      expect(person.birth_date).toBe(date);
    }
    const computed = await sql<{
      d: string;
      ds: string[];
    }>`SELECT DATE '2026-11-02' + 14 AS d, ARRAY[DATE '2026-11-02', DATE '2026-11-03'] AS ds`.execute(store.db);
    expect(computed.rows[0]).toEqual({ d: '2026-11-16', ds: ['2026-11-02', '2026-11-03'] });
  });

  it('returns instants as the same Dates, whatever the offset they were written with', async () => {
    const id = await insertApplication(store.db);
    const breachAt = new Date('2026-11-20T22:59:59.999Z');
    await store.db
      .insertInto('deadlines')
      .values({
        jobcenter: 'cottbus',
        application_id: id,
        person_id: '',
        kind: 'decision',
        due_date: '2026-11-20',
        breach_at: breachAt,
        met_on: null,
        breached_at: null,
        team: null,
        caseworker_id: null,
      })
      .execute();
    await sql`UPDATE deadlines SET breached_at = '2026-11-21T06:00:00+01:00' WHERE application_id = ${id}`.execute(
      store.db,
    );
    const row = await store.db
      .selectFrom('deadlines')
      .select(['due_date', 'breach_at', 'breached_at', 'created_at'])
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.due_date).toBe('2026-11-20');
    expect(row.breach_at).toEqual(breachAt);
    expect(row.breached_at).toEqual(new Date('2026-11-21T05:00:00Z'));
    expect(row.created_at).toBeInstanceOf(Date);
  });

  it('returns bigserial ids and counts as exact decimal strings', async () => {
    const inserted = await store.db
      .insertInto('audit_log')
      .values({ jobcenter: 'cottbus', actor: 'test', action: 'probe', application_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(inserted.id).toMatch(/^\d+$/);
    const big = await sql<{
      n: string;
      c: string;
    }>`SELECT 9007199254740993::int8 AS n, count(*) AS c FROM audit_log`.execute(store.db);
    expect(big.rows[0]).toEqual({ n: '9007199254740993', c: '1' });
  });

  it('returns bytea as a Buffer and jsonb as the parsed value', async () => {
    const id = await insertApplication(store.db);
    const content = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff]);
    await store.db
      .insertInto('documents')
      .values({
        jobcenter: 'cottbus',
        application_id: id,
        person_id: null,
        kind: 'letter',
        title: 't',
        media_type: 'application/pdf',
        content,
        dedup_key: `doc-${id}`,
      })
      .execute();
    const doc = await store.db
      .selectFrom('documents')
      .select('content')
      .where('dedup_key', '=', `doc-${id}`)
      .executeTakeFirstOrThrow();
    expect(Buffer.isBuffer(doc.content)).toBe(true);
    expect(doc.content.equals(content)).toBe(true);
    const flags = await store.db
      .selectFrom('applications')
      .select('flags')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(flags.flags).toEqual({});
  });

  it('reports how many rows a write touched', async () => {
    const ids = [await insertApplication(store.db), await insertApplication(store.db)];
    const updated = await store.db
      .updateTable('applications')
      .set({ status: 'counted' })
      .where('id', 'in', ids)
      .executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);
    const none = await store.db
      .updateTable('applications')
      .set({ status: 'counted' })
      .where('id', '=', '00000000-0000-0000-0000-000000000000')
      .executeTakeFirstOrThrow();
    expect(none.numUpdatedRows).toBe(0n);
    const inserted = await store.db
      .insertInto('absences')
      .values(
        [0, 1, 2].map((i) => ({
          jobcenter: 'cottbus',
          caseworker_id: 'av-9',
          starts_at: new Date(Date.UTC(2026, 11, i + 1, 8)),
          ends_at: new Date(Date.UTC(2026, 11, i + 1, 16)),
          reason: null,
        })),
      )
      .executeTakeFirstOrThrow();
    expect(inserted.numInsertedOrUpdatedRows).toBe(3n);
    const deleted = await store.db.deleteFrom('absences').where('caseworker_id', '=', 'av-9').executeTakeFirstOrThrow();
    expect(deleted.numDeletedRows).toBe(3n);
  });
});
