/**
 * Issue 14 §1, SIGTERM to the app (`start`: API and workers in one process) during a load of applications: the
 * API stops taking requests, the workers finish the tasks they hold, the process exits with 0 and says it
 * drained; no task is left locked by its workers, and every application it answered with 201 has its instance,
 * which a new app process takes on to the first booking.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { berlinDate } from '../../src/calendar/index.js';
import type { ExternalTaskItem } from '../../src/engine/rest-client.js';
import { aMember, anApplication } from '../support/application.js';
import { waitUntilAt } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import {
  api,
  appEnv,
  assertNoPersonalData,
  type ChildApp,
  type Engine,
  figure,
  RELIABILITY_TIMEOUT_MS,
  RELIABLY,
  requirePostgres,
  type ScratchStore,
  scratchStore,
  spawnApp,
  startEngine,
  waitForHttp,
} from './harness.js';

jest.setTimeout(RELIABILITY_TIMEOUT_MS);

const DATA_DIR = '.data/helper-faults-app-sigterm';
const API_PORT = 3104;
const BASE = `http://127.0.0.1:${API_PORT}`;
/** Applications sent before the signal; the load goes on while the app stops. */
const BEFORE_SIGNAL = 12;
const SENDERS = 4;
/** Enough for a load, few enough that the three caseworkers' slots before the MDS due date never run out. */
const MAX_APPLICATIONS = 36;
/** Three surnames, three main caseworkers (Ü25 N–O, P, T–V), as in the integration load test. */
const SURNAMES = ['Neumeier', 'Petzold', 'Tester'];

interface HistoricExternalTaskLog {
  externalTaskId: string;
  workerId: string | null;
  successLog: boolean;
  failureLog: boolean;
}

describe('SIGTERM to the app during a load of applications', () => {
  let engine: Engine;
  let store: ScratchStore;
  let first: ChildApp;
  let second: ChildApp | undefined;

  beforeAll(async () => {
    const pg = await requirePostgres();
    store = await scratchStore(pg, 'rel_faults');
    engine = await startEngine({ port: 18103, dataDir: DATA_DIR, fresh: true });
    figure(`app-sigterm: engine cold start ${(engine.coldStartMs / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    for (const a of [first, second]) {
      a?.kill('SIGKILL');
      await a?.exited;
    }
    await engine?.stop();
    await store?.drop();
  });

  const env = () => appEnv({ engine, store, port: API_PORT, dataDir: DATA_DIR });
  const idCheck = (id: string) =>
    api(BASE, 'POST', `/api/v1/applications/${id}/events/id-check-completed`, {
      identityVerified: true,
      responsible: true,
    });

  it('finishes the running tasks, exits 0 saying it drained, leaves no task locked, and loses no answered application', async () => {
    const { client } = engine;
    first = spawnApp('start', { name: 'app-1', env: env(), logDir: `${DATA_DIR}/logs` });
    await waitForHttp(`${BASE}/ready`);
    const firstWorker = await first.workerId();

    // Load: senders post applications and, for each one answered, its ID check as soon as the process takes it.
    const answered: { id: string; pi: string; idChecked: boolean }[] = [];
    const failures: { status: number; afterSignal: boolean; error?: string }[] = [];
    let sent = 0;
    let stop = false;
    let signalled = false;
    const today = berlinDate(new Date());
    const sender = async (s: number) => {
      for (let n = 0; !stop && sent < MAX_APPLICATIONS; n++) {
        const i = sent++;
        const r = await api(
          BASE,
          'POST',
          '/api/v1/applications',
          anApplication({
            applicationDate: today,
            members: [
              aMember({
                givenName: `Term${s}x${n}`,
                familyName: SURNAMES[i % SURNAMES.length]!,
                birthDate: '1981-05-17',
              }),
            ],
          }),
          { 'Idempotency-Key': `sigterm-${i}` },
        );
        if (r.status !== 201) {
          // Refused (503 while stopping) or no answer (closed): this sender is done.
          failures.push({ status: r.status, afterSignal: signalled, error: r.body?.error });
          return;
        }
        const a = { id: r.body.id as string, pi: r.body.processInstanceId as string, idChecked: false };
        answered.push(a);
        // The ID check is a user task after two service tasks: 409 until the workers have got there.
        for (let t = 0; t < 20 && !stop; t++) {
          const c = await idCheck(a.id);
          if (c.status === 202) {
            a.idChecked = true;
            break;
          }
          if (c.status !== 409) break;
          await sleep(300);
        }
      }
    };
    const load = Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
    await eventually(
      `${BEFORE_SIGNAL} applications answered`,
      async () => (answered.length >= BEFORE_SIGNAL ? true : undefined),
      { ...RELIABLY, timeoutMs: 300_000, pauseMs: 100 },
    );

    // Act: SIGTERM while the load goes on; note the tasks its workers hold at that moment.
    const heldAtSignal: ExternalTaskItem[] = (
      await client.externalTasks({ locked: 'true', maxResults: '1000' })
    ).filter((t) => t.workerId === firstWorker);
    signalled = true;
    first.kill('SIGTERM');
    const signalledAt = Date.now();
    const exit = await first.exited;
    stop = true;
    await load;
    figure(
      `app-sigterm: exited with ${exit.code} ${((Date.now() - signalledAt) / 1000).toFixed(1)} s after SIGTERM, ${heldAtSignal.length} tasks held at the signal; ${answered.length} applications answered 201, ${failures.length} requests refused or unanswered (${failures.map((f) => `${f.status}${f.error ? ` "${f.error}"` : ''}`).join('; ')})`,
    );
    expect(failures.filter((f) => !f.afterSignal)).toEqual([]);
    for (const f of failures.filter((x) => x.status !== 0))
      expect(f).toMatchObject({ status: 503, error: 'The service is shutting down; try again shortly' });

    // Assert: exit code 0, and the log says it stopped the API, then drained the workers.
    expect(exit).toEqual({ code: 0, signal: null });
    const lines = first.logLines();
    expect(lines.some((l) => /^SIGTERM: stopping/.test(String(l.message)))).toBe(true);
    expect(lines.some((l) => /^HTTP API closed/.test(String(l.message)))).toBe(true);
    const stopped = lines.find((l) => l.message === 'workers stopped');
    expect(stopped).toMatchObject({ unfinished: 0 });

    // Assert: no task is left locked by the stopped process's workers; those it held at the signal it finished.
    expect(await client.externalTasks({ workerId: firstWorker, locked: 'true' })).toEqual([]);
    for (const t of heldAtSignal) {
      const log = await client.request<HistoricExternalTaskLog[]>(
        'GET',
        `/history/external-task-log?externalTaskId=${t.id}&successLog=true`,
      );
      expect(log.map((l) => l.workerId)).toEqual([firstWorker]);
    }

    // Assert: every 201 has its record, confirmed, and its instance.
    const rows = await store.db
      .selectFrom('applications')
      .select(['id', 'process_instance_key', 'start_confirmed'])
      .where(
        'id',
        'in',
        answered.map((a) => a.id),
      )
      .execute();
    expect(rows).toHaveLength(answered.length);
    expect(rows.filter((r) => !r.start_confirmed || !r.process_instance_key)).toEqual([]);
    const instances = await client.processInstances({ processDefinitionKey: 'neukunde-cottbus', maxResults: '1000' });
    for (const a of answered) expect(instances.filter((p) => p.businessKey === a.id).map((p) => p.id)).toEqual([a.pi]);

    // Act: a new app process; the ID checks the load did not get to are reported now.
    second = spawnApp('start', { name: 'app-2', env: env(), logDir: `${DATA_DIR}/logs` });
    await waitForHttp(`${BASE}/ready`);
    const restartedAt = Date.now();
    for (const a of answered.filter((x) => !x.idChecked)) {
      await eventually(
        `the ID check of ${a.id}`,
        async () => {
          const c = await idCheck(a.id);
          if (c.status === 409) return undefined;
          if (c.status !== 202) throw new Error(`id-check-completed answered ${c.status}: ${JSON.stringify(c.body)}`);
          return true;
        },
        { ...RELIABLY, timeoutMs: 240_000, pauseMs: 500 },
      );
    }

    // Assert: each reaches its first booking.
    const booked = await eventually(
      'a booking for every answered application',
      async () => {
        const b = await store.db
          .selectFrom('appointments')
          .select(['application_id', 'caseworker_id', 'starts_at'])
          .where('kind', '=', 'first-consultation')
          .execute();
        return new Set(b.map((x) => x.application_id)).size >= answered.length ? b : undefined;
      },
      { ...RELIABLY, timeoutMs: 300_000, pauseMs: 1000 },
    );
    expect(booked.map((b) => b.application_id).sort()).toEqual(answered.map((a) => a.id).sort());
    expect(new Set(booked.map((b) => `${b.caseworker_id}@${b.starts_at.toISOString()}`)).size).toBe(booked.length);
    for (const a of answered) {
      await waitUntilAt(client, a.pi, 'UserTask_FirstConsultation', { ...RELIABLY, timeoutMs: 120_000, pauseMs: 500 });
    }
    expect(await client.incidents({})).toEqual([]);
    figure(
      `app-sigterm: all ${answered.length} answered applications booked ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the new app process was ready (${answered.filter((a) => !a.idChecked).length} ID checks reported after the restart)`,
    );
    await assertNoPersonalData(engine, store);

    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});
