/** The database itself refuses to change an application date, delete a case period or rewrite the audit log. */
import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';

import { isCheckOrTriggerViolation, isRefusedByTrigger } from '../../../src/store/index.js';
import { BACKENDS, useTestStore } from './backends.js';
import { insertApplication } from './fixtures.js';

async function refusal(write: Promise<unknown>): Promise<unknown> {
  return write.then(
    () => {
      throw new Error('the database accepted the write');
    },
    (e: unknown) => e,
  );
}

describe.each(BACKENDS)('refusals on %s', (kind) => {
  const store = useTestStore(kind);

  async function withCasePeriod(applicationDate = '2026-11-02'): Promise<string> {
    const id = await insertApplication(store.db, { applicationDate });
    await store.db
      .insertInto('case_periods')
      .values({
        application_id: id,
        jobcenter: 'cottbus',
        bg_number: 'COTBG0000001',
        application_date: applicationDate,
      })
      .execute();
    return id;
  }

  it('refuses to change the application date of a case period', async () => {
    const id = await withCasePeriod();
    const e = await refusal(
      sql`UPDATE case_periods SET application_date = '2026-11-01' WHERE application_id = ${id}`.execute(store.db),
    );
    expect(isRefusedByTrigger(e)).toBe(true);
    expect((e as Error).message).toMatch(/application date cannot be changed \(case_periods\)/);
    const row = await store.db
      .selectFrom('case_periods')
      .select('application_date')
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.application_date).toBe('2026-11-02');
  });

  it('refuses to change the application date of an application, but lets other columns change', async () => {
    const id = await withCasePeriod();
    const e = await refusal(
      sql`UPDATE applications SET application_date = '2026-10-01' WHERE id = ${id}`.execute(store.db),
    );
    expect((e as Error).message).toMatch(/application date cannot be changed \(applications\)/);
    await store.db.updateTable('applications').set({ status: 'in-progress' }).where('id', '=', id).execute();
    await store.db
      .updateTable('case_periods')
      .set({ bg_number: 'COTBG0000002' })
      .where('application_id', '=', id)
      .execute();
    const period = await store.db
      .selectFrom('case_periods')
      .select(['bg_number', 'application_date'])
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(period).toEqual({ bg_number: 'COTBG0000002', application_date: '2026-11-02' });
  });

  it('refuses to delete or truncate case periods', async () => {
    const id = await withCasePeriod();
    const deleted = await refusal(store.db.deleteFrom('case_periods').where('application_id', '=', id).execute());
    expect((deleted as Error).message).toMatch(/case periods cannot be deleted/);
    const truncated = await refusal(sql`TRUNCATE case_periods`.execute(store.db));
    expect((truncated as Error).message).toMatch(/case periods cannot be deleted/);
    expect(
      await store.db
        .selectFrom('case_periods')
        .select('application_id')
        .where('application_id', '=', id)
        .executeTakeFirst(),
    ).toEqual({ application_id: id });
  });

  it('keeps the audit log append-only: insert yes, update, delete and truncate no', async () => {
    await store.db
      .insertInto('audit_log')
      .values({ jobcenter: 'cottbus', actor: 'test', action: 'application.created', application_id: null })
      .execute();
    for (const [op, write] of [
      ['UPDATE', sql`UPDATE audit_log SET actor = 'someone else'`],
      ['DELETE', sql`DELETE FROM audit_log`],
      ['TRUNCATE', sql`TRUNCATE audit_log`],
    ] as const) {
      const e = await refusal(write.execute(store.db));
      expect(isRefusedByTrigger(e)).toBe(true);
      expect((e as Error).message).toBe(`the audit log is append-only: ${op} is not allowed`);
    }
    const rows = await store.db.selectFrom('audit_log').select('actor').execute();
    expect(rows).toEqual([{ actor: 'test' }]);
  });

  it('tells a CHECK refusal apart from a unique one', async () => {
    const e = await refusal(
      sql`INSERT INTO applications (id, jobcenter, channel, application_date, status, new_customer, created_by) VALUES (gen_random_uuid(), 'cottbus', 'FAX', '2026-11-02', 'received', true, 'test')`.execute(
        store.db,
      ),
    );
    expect(isCheckOrTriggerViolation(e)).toBe(true);
    expect(isRefusedByTrigger(e)).toBe(false);
  });
});
