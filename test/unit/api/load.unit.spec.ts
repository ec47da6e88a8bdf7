/**
 * Load on the intake API over real HTTP: 200 applications at once, half of them sent twice with the same
 * Idempotency-Key at the same moment. Exactly 200 are recorded and started, every twin gets the same answer,
 * no answer is a 5xx. The engine port is faked with a few milliseconds of latency so requests overlap inside
 * their transactions; the same load against the real engine is test/integration/load.integration.spec.ts.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { tokenTable } from '../../../src/config/tokens.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';
import { aMember, anApplication } from '../../support/application.js';
import { rowCount } from '../../support/rows.js';
import { bearer } from '../../support/tokens.js';
import { BACKENDS, openTestStore } from '../store/backends.js';

jest.setTimeout(120_000);

const TOKEN = 'load-ez-token-0123456789';

function slowEngine(): EngineGateway & { started: number } {
  const engine = {
    started: 0,
    isReady: async () => true,
    startProcess: async () => {
      await sleep(2 + Math.random() * 10);
      return String(2251799813685000 + ++engine.started);
    },
    completeUserTask: async () => 'completed' as const,
    isWaitingAt: async () => true,
    evaluateDecision: async () => {
      await sleep(Math.random() * 3);
      return { neukunde: true, reason: 'ERSTANTRAG' };
    },
    correlateMessage: async () => 'completed' as const,
  };
  return engine;
}

/** Application `i`: every channel in turn, each head a person of their own. */
const body = (i: number) =>
  anApplication({
    channel: (['EZ', 'SC', 'POST', 'ONLINE'] as const)[i % 4],
    reason: `Last ${i}`,
    members: [aMember({ givenName: `Vorname${i}`, familyName: 'Last' })],
  });

describe.each(BACKENDS)('200 applications at once on %s', (kind) => {
  let store: Store;
  let server: Server;
  let base: string;
  let engine: ReturnType<typeof slowEngine>;
  let answers: { i: number; status: number; body: { id?: string; processInstanceId?: string } }[];

  beforeAll(async () => {
    store = await openTestStore(kind);
    engine = slowEngine();
    const { jobcenters } = loadJobcenters('processes');
    const app = buildApp({
      engine,
      store,
      calendars: calendarsFor(jobcenters),
      jobcenters,
      tokens: tokenTable({ [TOKEN]: ['EZ', 'SC', 'POST'] }),
      log: winston.createLogger({ silent: true }),
      rateLimitPerMinute: 100_000,
      now: () => new Date('2026-11-23T10:00:00+01:00'),
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = async (i: number) => {
      const res = await fetch(`${base}/api/v1/applications`, {
        method: 'POST',
        headers: {
          ...bearer(TOKEN),
          'Content-Type': 'application/json',
          'Idempotency-Key': `load-${kind}-${i}`,
        },
        body: JSON.stringify(body(i)),
      });
      return { i, status: res.status, body: (await res.json()) as { id?: string; processInstanceId?: string } };
    };
    // Every even application twice, both copies in flight together.
    const sends = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? [post(i), post(i)] : [post(i)])).flat();
    answers = await Promise.all(sends);
  });

  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await store?.close();
  });

  it('answers every one of the 300 requests with 201, none with a 5xx', () => {
    expect(answers).toHaveLength(300);
    const byStatus = answers.reduce<Record<number, number>>(
      (m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }),
      {},
    );
    expect(byStatus).toEqual({ 201: 300 });
  });

  it('records and starts exactly 200 applications, each with its own instance', async () => {
    const rows = await store.db
      .selectFrom('applications')
      .select(['id', 'process_instance_key', 'idempotency_key', 'start_confirmed'])
      .execute();
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.process_instance_key)).size).toBe(200);
    expect(rows.every((r) => r.process_instance_key !== null && r.start_confirmed)).toBe(true);
    // Every start confirmed: one audit entry and one stored answer per application, none left for the sweep.
    expect(
      Number(
        (
          await store.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', 'application.created')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(200);
    expect(
      Number(
        (
          await store.db
            .selectFrom('api_idempotency')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status_code', '=', 201)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(200);
    expect(engine.started).toBe(200);
    expect(await rowCount(store.db, 'persons')).toBe(200);
  });

  it('gives both copies of a twin the same application', () => {
    for (let i = 0; i < 200; i += 2) {
      const [a, b] = answers.filter((x) => x.i === i);
      expect(b!.body).toEqual(a!.body);
    }
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(200);
  });
});
