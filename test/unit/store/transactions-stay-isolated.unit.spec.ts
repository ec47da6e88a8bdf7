/** A transaction that rolls back takes only its own writes with it, also on PGlite's single session. */
import { setTimeout as tick } from 'node:timers/promises';

import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';

import { BACKENDS, useTestStore } from './backends.js';
import { insertApplication } from './fixtures.js';

describe.each(BACKENDS)('transactions on %s', (kind) => {
  const store = useTestStore(kind);

  it('keeps a concurrent write when another transaction rolls back (an engine call failing mid-transaction)', async () => {
    let inTransaction!: () => void;
    const started = new Promise<void>((resolve) => (inTransaction = resolve));
    const failing = store.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('audit_log')
        .values({ jobcenter: 'cottbus', actor: 'failing', action: 'probe', application_id: null })
        .execute();
      inTransaction();
      await tick(50);
      throw new Error('engine refused');
    });
    await started;
    const unrelated = insertApplication(store.db);
    await expect(failing).rejects.toThrow('engine refused');
    const id = await unrelated;
    expect(await store.db.selectFrom('applications').select('id').where('id', '=', id).executeTakeFirst()).toEqual({
      id,
    });
    expect(await store.db.selectFrom('audit_log').select('actor').where('actor', '=', 'failing').execute()).toEqual([]);
  });

  it('runs concurrent transactions whole: a failing one does not abort the others', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        store.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('audit_log')
            .values({ jobcenter: 'cottbus', actor: `t${i}`, action: 'probe', application_id: null })
            .execute();
          await tick(5);
          if (i % 3 === 0) await sql`SELECT 1 / 0`.execute(tx);
          await tx
            .insertInto('audit_log')
            .values({ jobcenter: 'cottbus', actor: `t${i}`, action: 'probe-2', application_id: null })
            .execute();
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? 'rejected' : 'fulfilled')),
    );
    const rows = await store.db.selectFrom('audit_log').select('actor').where('actor', 'like', 't%').execute();
    const perActor = rows.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.actor]: (acc[r.actor] ?? 0) + 1 }),
      {},
    );
    expect(perActor).toEqual({ t1: 2, t2: 2, t4: 2, t5: 2, t7: 2, t8: 2 });
  });
});
