/** KD and BG numbers come from sequences: distinct under concurrency, in their documented formats, reused on retry. */
import { randomUUID } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { bgPrefix, nextBgNumber, nextKdNumber } from '../../../src/store/index.js';
import { BACKENDS, useTestStore } from './backends.js';

describe.each(BACKENDS)('KD and BG numbers on %s', (kind) => {
  const store = useTestStore(kind);

  /** The upsert a worker runs: a retry for the same person finds the row and keeps its number. */
  function upsertCustomer(identityKey: string) {
    return store.db
      .insertInto('customers')
      .values({
        kd_number: nextKdNumber(),
        jobcenter: 'cottbus',
        identity_key: identityKey,
        legal_sphere: 'SGB II',
        care: 'main',
        caseworker_id: null,
        team: null,
        reactivated_at: null,
      })
      .onConflict((oc) => oc.columns(['jobcenter', 'identity_key']).doUpdateSet({ active: true }))
      .returning('kd_number')
      .executeTakeFirstOrThrow();
  }

  function upsertHousehold(jobcenter: string, headKdNumber: string) {
    return store.db
      .insertInto('households')
      .values({ bg_number: nextBgNumber(jobcenter), jobcenter, head_kd_number: headKdNumber })
      .onConflict((oc) =>
        oc
          .columns(['jobcenter', 'head_kd_number'])
          .doUpdateSet((eb) => ({ head_kd_number: eb.ref('excluded.head_kd_number') })),
      )
      .returning('bg_number')
      .executeTakeFirstOrThrow();
  }

  it('draws 20 distinct KD numbers for 20 people at once', async () => {
    const rows = await Promise.all(Array.from({ length: 20 }, () => upsertCustomer(randomUUID())));
    const numbers = rows.map((r) => r.kd_number);
    expect(new Set(numbers).size).toBe(20);
    for (const n of numbers) expect(n).toMatch(/^KD\d{9}$/);
  });

  it('keeps one KD number for a person however often the upsert is retried at once', async () => {
    const identityKey = randomUUID();
    const rows = await Promise.all(Array.from({ length: 10 }, () => upsertCustomer(identityKey)));
    expect(new Set(rows.map((r) => r.kd_number)).size).toBe(1);
    const stored = await store.db
      .selectFrom('customers')
      .select('kd_number')
      .where('identity_key', '=', identityKey)
      .execute();
    expect(stored).toEqual([rows[0]]);
  });

  it('draws distinct BG numbers for distinct heads at once, with the jobcenter prefix', async () => {
    const heads = await Promise.all(Array.from({ length: 20 }, () => upsertCustomer(randomUUID())));
    const rows = await Promise.all(
      heads.map((h, i) => upsertHousehold(i % 2 === 0 ? 'cottbus' : 'wuppertal', h.kd_number)),
    );
    const numbers = rows.map((r) => r.bg_number);
    expect(new Set(numbers).size).toBe(20);
    expect(numbers.filter((_, i) => i % 2 === 0).every((n) => /^COTBG\d{7}$/.test(n))).toBe(true);
    expect(numbers.filter((_, i) => i % 2 === 1).every((n) => /^WUPBG\d{7}$/.test(n))).toBe(true);
    expect(bgPrefix('wuppertal')).toBe('WUP');
  });

  it('reuses the household of a head that applies again', async () => {
    const head = await upsertCustomer(randomUUID());
    const first = await upsertHousehold('cottbus', head.kd_number);
    const again = await Promise.all(Array.from({ length: 5 }, () => upsertHousehold('cottbus', head.kd_number)));
    expect(again.every((r) => r.bg_number === first.bg_number)).toBe(true);
  });
});
