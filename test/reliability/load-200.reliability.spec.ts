/**
 * Issue 14 §2 on the real engine: 200 Cottbus applications sent at once through the API of a running system
 * (API and workers as one `start` process, the store and the engine each in a PostgreSQL database), half of
 * them twice with the same Idempotency-Key at the same moment. Exactly 200 are recorded and started (one
 * instance each, business key = application id), no request answers with a 5xx, every one reaches its first
 * booking, and no slot is booked twice although 25 households share each caseworker. The figures are
 * printed, never asserted; the same load at the integration suite's size is test/integration/load.integration.spec.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { berlinDate } from '../../src/calendar/index.js';
import { createScratchDatabase } from '../../src/store/scratch-database.js';
import {
  completeIdCheck,
  firstBookings,
  instancesByBusinessKey,
  type Post,
  recordedApplications,
  sendAllAtOnce,
  sendApplication,
  type Sent,
  slotsBookedTwice,
  WIDE_LOAD_SURNAMES,
} from '../support/cottbus-load.js';
import {
  ADMIN_JSON_HEADERS,
  appEnv,
  assertNoPersonalData,
  type ChildApp,
  deployProcesses,
  type Engine,
  figure,
  requirePostgres,
  type ScratchStore,
  scratchStore,
  spawnApp,
  startEngine,
  waitForHttp,
} from './harness.js';

jest.setTimeout(900_000);

const APPLICATIONS = 200;
const DATA_DIR = '.data/helper-cluster-load';
const PORTS = { engine: 18154, app: 3115 };
const ID_CHECKS_IN_FLIGHT = 10;
const run = `load200-${Date.now()}`;

describe(`${APPLICATIONS} applications at once, half of them twice, on the real engine`, () => {
  let engine: Engine;
  let engineDb: { url: string; drop(): Promise<void> } | undefined;
  let store: ScratchStore;
  let app: ChildApp;
  // A client that waits as long as the API takes: in a burst on a busy machine an answer may take minutes.
  const post: Post = async (route, body, headers = {}) => {
    const res = await fetch(`http://127.0.0.1:${PORTS.app}${route}`, {
      method: 'POST',
      headers: { ...ADMIN_JSON_HEADERS, ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(900_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  let answers: Sent[] = [];
  let ids: string[] = [];
  let sentAt = 0;
  let answeredMs = 0;
  /** Twins told 409 "still in progress" because their first request was still waiting for the engine. */
  let inProgress = 0;

  beforeAll(async () => {
    const pg = await requirePostgres();
    store = await scratchStore(pg, 'rel_cluster_load_store');
    engineDb = await createScratchDatabase(pg, 'rel_cluster_load_engine');
    engine = await startEngine({
      port: PORTS.engine,
      dataDir: DATA_DIR,
      databaseUrl: `jdbc:postgresql://127.0.0.1:5432${new URL(engineDb.url).pathname}`,
    });
    figure(`load-200: engine cold start ${(engine.coldStartMs / 1000).toFixed(1)} s`);
    await deployProcesses(engine);
    app = spawnApp('start', {
      name: 'app',
      env: appEnv({ engine, store, port: PORTS.app, dataDir: `${DATA_DIR}-app` }),
      logDir: `${DATA_DIR}-logs/${run}`,
    });
    await waitForHttp(`http://127.0.0.1:${PORTS.app}/ready`);

    sentAt = Date.now();
    const today = berlinDate(new Date());
    answers = await sendAllAtOnce(post, run, APPLICATIONS, today, WIDE_LOAD_SURNAMES);
    answeredMs = Date.now() - sentAt;
    // As a client does with 409 "in progress": ask again with the same key until the first request has its answer.
    for (const [n, a] of answers.entries()) {
      for (let again = a; again.status === 409;) {
        inProgress++;
        await sleep(1000);
        again = answers[n] = await sendApplication(post, run, a.i, today, WIDE_LOAD_SURNAMES);
      }
    }
    ids = [...new Set(answers.map((a) => a.id).filter((id): id is string => !!id))];
  });

  afterAll(async () => {
    const steps: [string, () => Promise<unknown>][] = [
      ['the app', async () => (app?.kill('SIGKILL'), await app?.exited)],
      ['the engine', async () => engine?.stop()],
      ['the store', async () => store?.drop()],
      ['the engine database', async () => engineDb?.drop()],
    ];
    const failures: string[] = [];
    for (const [what, step] of steps)
      await step().catch((e: unknown) => failures.push(`${what}: ${(e as Error).message}`));
    if (failures.length) throw new Error(`Cleaning up failed: ${failures.join('; ')}`);
  });

  it(`answers all ${APPLICATIONS * 1.5} requests with 201 (no 5xx), a twin with its first request's answer, and records and starts exactly ${APPLICATIONS}`, async () => {
    figure(
      `load-200: ${answers.length} requests answered in ${(answeredMs / 1000).toFixed(1)} s (${(answers.length / (answeredMs / 1000)).toFixed(1)} requests/s); statuses ${JSON.stringify(Object.fromEntries([...new Set(answers.map((a) => a.status))].map((s) => [s, answers.filter((a) => a.status === s).length])))}; twins told 409 "in progress" and asked again: ${inProgress}`,
    );
    expect(answers.filter((a) => a.status >= 500 || a.status === 0)).toEqual([]);
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(ids).toHaveLength(APPLICATIONS);
    for (let i = 0; i < APPLICATIONS; i += 2) {
      const twins = answers.filter((a) => a.i === i);
      expect(twins).toHaveLength(2);
      expect(twins[1]).toEqual({ ...twins[0] });
    }
    const rows = await recordedApplications(store.db, run);
    expect(rows).toHaveLength(APPLICATIONS);
    expect(rows.filter((r) => !r.start_confirmed || r.process_instance_key === null)).toEqual([]);
    const instances = await instancesByBusinessKey(engine.client, 'neukunde-cottbus');
    expect(instances.size).toBe(APPLICATIONS);
    for (const r of rows) expect(instances.get(r.id)).toEqual([r.process_instance_key]);
  });

  it('brings every one to its first booking, with no slot booked twice and no incident', async () => {
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: ID_CHECKS_IN_FLIGHT }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) await completeIdCheck(post, id, 600_000);
      }),
    );
    const booked = await firstBookings(store.db, ids, 600_000);
    const allBookedMs = Date.now() - sentAt;
    expect(booked).toHaveLength(APPLICATIONS);
    expect(booked.filter((b) => b.booked_by !== 'system')).toEqual([]);
    expect(new Set(booked.map((b) => b.caseworker_id)).size).toBe(WIDE_LOAD_SURNAMES.length);
    expect(slotsBookedTwice(booked)).toEqual([]);
    const incidents = await engine.client.incidents({ processDefinitionKeyIn: 'neukunde-cottbus' });
    expect(incidents).toEqual([]);
    figure(
      `load-200: all ${booked.length} first bookings ${(allBookedMs / 1000).toFixed(1)} s after the first request (${(booked.length / (allBookedMs / 1000)).toFixed(2)} intakes/s to booking); slots booked twice: ${slotsBookedTwice(booked).length}`,
    );
  });

  it('leaves no personal data in the engine', async () => {
    await assertNoPersonalData(engine, store);
  });
});
