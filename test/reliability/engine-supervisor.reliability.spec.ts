/**
 * Issue 23, `npm start` keeps its engine alive. The app runs as `npm start` does, without ENGINE_URL: it builds,
 * starts and supervises its own engine (H2 under its DATA_DIR). The engine's JVM, not the app, is killed with
 * SIGKILL while applications arrive, as an out-of-memory exit would end it. The app must log the exit once,
 * start the engine again on the same data by itself (never two JVMs on the H2 file), and carry on: every
 * application answered 201 reaches its first booking exactly once, those answered 503 leave nothing behind.
 * A SIGTERM then stops everything without a restart. A second app, allowed no restart, gives up at the first
 * exit: it stops its API and workers and exits with code 1 for a service manager to take over.
 * The time from the kill to READY is printed, never asserted.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { berlinDate } from '../../src/calendar/index.js';
import { LOCAL_TECHNICAL_USER } from '../../src/engine/endpoints.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import {
  completeIdCheck,
  firstBookings,
  instancesByBusinessKey,
  type Post,
  recordedApplications,
  sendApplication,
  type Sent,
  slotsBookedTwice,
} from '../support/cottbus-load.js';
import { eventually } from '../support/eventually.js';
import {
  api,
  appEnv,
  assertNoPersonalData,
  buildLocalEngineHost,
  type ChildApp,
  figure,
  type LogLine,
  processesWith,
  RELIABILITY_TIMEOUT_MS,
  RELIABLY,
  requirePostgres,
  type ScratchStore,
  scratchStore,
  spawnApp,
  waitForHttp,
  waitForPortFree,
} from './harness.js';

jest.setTimeout(RELIABILITY_TIMEOUT_MS);

const DATA_DIR = '.data/helper-faults-engine-supervisor';
const ENGINE_PORT = 18143;
const API_PORT = 3123;
const BASE = `http://127.0.0.1:${API_PORT}`;
/** The jar the app's engine runs from (its own copy under DATA_DIR): every JVM on this data names it. */
const ENGINE_JAR = path.resolve(DATA_DIR, 'engine', 'engine-host.jar');
/** Applications sent at once, each client one after the other. */
const CLIENTS = 2;
/** 201s before the kill, and after READY again, before the load stops. */
const BEFORE_KILL = 6;
const AFTER_READY = 4;
/** A first start builds the engine host with Maven (about a minute) before its cold start. */
const FIRST_START_MS = 480_000;
const run = `supervisor-${Date.now()}`;

/** Pids of the engine JVMs the app logged as ready, in order ("Engine ready after ... s", with the pid). */
const engineReadyPids = (app: ChildApp) =>
  app
    .logLines()
    .filter((l) => /^Engine ready after/.test(String(l.message ?? '')))
    .map((l) => Number(l.pid));
const events = (app: ChildApp, event: string) => app.logLines().filter((l) => l.event === event);
const at = (l: LogLine) => Date.parse(String(l.timestamp));
const isAlive = (pid: number) => processesWith(ENGINE_JAR).includes(pid);

describe('npm start keeps its engine alive: a SIGKILLed engine comes back by itself', () => {
  let store: ScratchStore;
  let app: ChildApp;
  let client: EngineRestClient;
  const post: Post = (route, body, headers = {}) => api(BASE, 'POST', route, body, headers);
  const startedPids = new Set<number>();

  const startApp = async (name: string, extra: Record<string, string> = {}) => {
    const started = spawnApp('start', {
      name,
      env: appEnv({ engine: { localPort: ENGINE_PORT }, store, port: API_PORT, dataDir: DATA_DIR, extra }),
      logDir: `${DATA_DIR}/logs`,
    });
    await waitForHttp(`${BASE}/ready`, 200, FIRST_START_MS);
    return started;
  };

  beforeAll(async () => {
    const pg = await requirePostgres();
    await buildLocalEngineHost();
    store = await scratchStore(pg, 'rel_supervisor');
    rmSync(path.join(DATA_DIR, 'engine', 'h2'), { recursive: true, force: true });
    client = new EngineRestClient([`http://127.0.0.1:${ENGINE_PORT}/engine-rest`], LOCAL_TECHNICAL_USER);
    app = await startApp('app');
  });

  afterAll(async () => {
    app?.kill('SIGTERM');
    await app?.exited;
    // A failed run may leave an engine the app did not stop: only JVMs of this spec's jar that it saw started.
    for (const pid of processesWith(ENGINE_JAR)) if (startedPids.has(pid)) process.kill(pid, 'SIGKILL');
    await store?.drop();
  });

  it('logs the exit once, restarts the engine on its data and loses no application answered 201', async () => {
    // Arrange: the JVM the app started, and a load of applications, each ID check sent as soon as it is answered 201.
    const [firstPid] = engineReadyPids(app);
    expect(processesWith(ENGINE_JAR)).toEqual([firstPid]);
    startedPids.add(firstPid!);
    expect((await api(BASE, 'GET', '/health')).body).toMatchObject({
      status: 'UP',
      engineProcess: { state: 'running', restarts: 0, lastExit: null },
    });

    const today = berlinDate(new Date());
    const answers: (Sent & { sentAt: number; answeredAt: number })[] = [];
    const idChecks: Promise<unknown>[] = [];
    let next = 0;
    let sending = true;
    let killAt = 0;
    let readyAt = 0;
    const created = (after: number) => answers.filter((a) => a.status === 201 && a.sentAt >= after).length;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (sending) {
        const sentAt = Date.now();
        const sent = await sendApplication(post, run, next++, today);
        answers.push({ ...sent, sentAt, answeredAt: Date.now() });
        if (sent.status === 201) {
          // A completion the dying engine carried out but could not confirm: the instance has left the ID check.
          const leftIdCheck = async () =>
            (
              await client.historicActivities({
                processInstanceId: sent.processInstanceId!,
                activityId: 'UserTask_IdCheck',
              })
            ).some((h) => h.endTime !== null && !h.canceled);
          idChecks.push(completeIdCheck(post, sent.id!, 300_000, (s) => s === 0 || s >= 500, leftIdCheck));
        }
        await sleep(sent.status === 201 ? 300 : 1000);
      }
    });
    await eventually(
      `${BEFORE_KILL} applications answered 201`,
      async () => (created(0) >= BEFORE_KILL ? true : undefined),
      RELIABLY,
    );

    // Act: the engine's JVM dies at once; the app is left alone.
    killAt = Date.now();
    process.kill(firstPid!, 'SIGKILL');
    // Until READY: never more than one JVM on the H2 file, and the app itself never goes away.
    let mostJvms = 0;
    const whileAway: unknown[] = [];
    const ready = await eventually(
      '/ready to answer READY after the kill',
      async () => {
        mostJvms = Math.max(mostJvms, processesWith(ENGINE_JAR).length);
        if (!app.isRunning()) throw new Error('the app exited');
        const r = await api(BASE, 'GET', '/ready');
        if (r.status !== 200) whileAway.push(r.body);
        return r.status === 200 ? r : undefined;
      },
      { ...RELIABLY, timeoutMs: 300_000 },
    );
    readyAt = Date.now();
    // The supervisor counts the restart once its own check of the engine has answered, a moment after /ready's.
    const health = await eventually(
      'the restart counted on /health',
      async () => {
        const h = await api(BASE, 'GET', '/health');
        return h.body?.engineProcess?.state === 'running' ? h : undefined;
      },
      RELIABLY,
    );
    await eventually(
      `${AFTER_READY} applications answered 201 after READY`,
      async () => (created(readyAt) >= AFTER_READY ? true : undefined),
      RELIABLY,
    );
    sending = false;
    await Promise.all(clients);
    await Promise.all(idChecks);

    // Assert: one error line for the exit, with the signal and the engine's last log lines; one restart.
    const exits = events(app, 'engine-exit');
    expect(exits).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'The engine process exited unexpectedly',
        pid: firstPid,
        code: null,
        signal: 'SIGKILL',
      }),
    ]);
    expect(exits[0]!.logTail).toEqual(expect.arrayContaining([expect.stringMatching(/\S/)]));
    expect((exits[0]!.logTail as string[]).length).toBeLessThanOrEqual(20);
    expect(app.logLines().filter((l) => l.level === 'error' && /^engine-/.test(String(l.event)))).toEqual(exits);
    const restarted = events(app, 'engine-restarted');
    expect(restarted).toEqual([expect.objectContaining({ restarts: 1 })]);
    const secondPid = Number(restarted[0]!.pid);
    expect(engineReadyPids(app)).toEqual([firstPid, secondPid]);
    startedPids.add(secondPid);
    expect(secondPid).not.toBe(firstPid);
    expect(isAlive(firstPid!)).toBe(false);
    expect(processesWith(ENGINE_JAR)).toEqual([secondPid]);
    expect(mostJvms).toBe(1);
    const lastExit = { pid: firstPid, code: null, signal: 'SIGKILL' };
    expect(whileAway).toContainEqual(
      expect.objectContaining({
        status: 'NOT_READY',
        engine: false,
        engineProcess: expect.objectContaining({
          state: 'restarting',
          restarts: 0,
          lastExit: expect.objectContaining(lastExit),
        }),
      }),
    );
    expect(ready.body).toMatchObject({ status: 'READY', engine: true, store: true, engineProcess: { lastExit } });
    expect(health.body).toMatchObject({ status: 'UP', engineProcess: { state: 'running', restarts: 1, lastExit } });
    expect(app.isRunning()).toBe(true);

    // Assert: the API answered 201 or 503 (engine away), nothing else; some of each around the kill.
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    const refused = answers.filter((a) => a.status === 503);
    const accepted = answers.filter((a) => a.status === 201);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.filter((a) => a.sentAt > killAt).length).toBeGreaterThanOrEqual(AFTER_READY);

    // Assert: every application answered 201 has one instance and reaches its first booking exactly once.
    const rows = await recordedApplications(store.db, run);
    expect(rows.map((r) => r.id).sort()).toEqual(accepted.map((a) => a.id).sort());
    expect(rows.filter((r) => !r.start_confirmed)).toEqual([]);
    const byKey = await instancesByBusinessKey(client, 'neukunde-cottbus');
    expect([...byKey.keys()].sort()).toEqual(accepted.map((a) => a.id).sort());
    expect(accepted.filter((a) => JSON.stringify(byKey.get(a.id!)) !== JSON.stringify([a.processInstanceId]))).toEqual(
      [],
    );
    const ids = accepted.map((a) => a.id!);
    const booked = await firstBookings(store.db, ids, 300_000);
    expect(booked.map((b) => b.application_id).sort()).toEqual([...ids].sort());
    expect(slotsBookedTwice(booked)).toEqual([]);
    const incidents = await client.incidents({ processDefinitionKeyIn: 'neukunde-cottbus' });
    expect(incidents).toEqual([]);

    // Assert: those answered 503 left nothing behind: no key, no application, no person (the instances are checked above).
    const refusedKeys = refused.map((a) => `${run}-${a.i}`);
    expect(
      await store.db.selectFrom('api_idempotency').select('key').where('key', 'in', refusedKeys).execute(),
    ).toEqual([]);
    expect(
      await store.db
        .selectFrom('persons')
        .select('id')
        .where(
          'given_name',
          'in',
          refused.map((a) => `Last${a.i}`),
        )
        .execute(),
    ).toEqual([]);
    await assertNoPersonalData(client, store);

    const exitLoggedAt = at(exits[0]!);
    const coldStart = String(app.logLines().filter((l) => /^Engine ready after/.test(String(l.message)))[1]!.message);
    figure(
      `engine-supervisor: engine JVM SIGKILLed under load; exit logged ${exitLoggedAt - killAt} ms after the kill, engine back (restart ${String(restarted[0]!.restarts)}, ${coldStart}) ${at(restarted[0]!) - killAt} ms after the kill`,
    );
    figure(
      `engine-supervisor: kill to /ready READY ${((readyAt - killAt) / 1000).toFixed(1)} s; ${accepted.length} applications answered 201 (${accepted.filter((a) => a.sentAt > killAt).length} after the kill), ${refused.length} answered 503; ${booked.length} first bookings, JVMs on the H2 file at most ${mostJvms}`,
    );
  });

  it('stops without a restart on SIGTERM: exit code 0, the engine stopped, no JVM left', async () => {
    const lastPid = engineReadyPids(app).at(-1)!;
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(events(app, 'engine-stopped')).toEqual([expect.objectContaining({ pid: lastPid })]);
    expect(events(app, 'engine-exit')).toHaveLength(1);
    expect(events(app, 'engine-restarting')).toHaveLength(1);
    expect(engineReadyPids(app)).toHaveLength(2);
    expect(processesWith(ENGINE_JAR)).toEqual([]);
    await waitForPortFree(ENGINE_PORT, 5000);
  });

  it('gives up when the engine exits more often than allowed: stops API and workers, exits with code 1', async () => {
    // Arrange: a new app on the same data, allowed no restart at all.
    app = await startApp('app-gives-up', { ENGINE_RESTART_LIMIT: '1' });
    const [pid] = engineReadyPids(app);
    startedPids.add(pid!);

    // Act
    const killAt = Date.now();
    process.kill(pid!, 'SIGKILL');
    const exit = await app.exited;
    const exitedAt = Date.now();

    // Assert
    expect(exit.code).toBe(1);
    expect(events(app, 'engine-exit')).toEqual([expect.objectContaining({ level: 'error', signal: 'SIGKILL', pid })]);
    const gaveUp = events(app, 'engine-gave-up');
    expect(gaveUp).toEqual([
      expect.objectContaining({
        level: 'error',
        exitsInWindow: 1,
        restarts: 0,
        lastExit: expect.objectContaining({ signal: 'SIGKILL' }),
      }),
    ]);
    expect(events(app, 'engine-restarting')).toEqual([]);
    expect(engineReadyPids(app)).toEqual([pid]);
    const messages = app.logLines().map((l) => String(l.message));
    expect(messages).toContain('HTTP API closed: its requests answered, no more taken');
    expect(messages).toContain('workers stopped');
    expect(processesWith(ENGINE_JAR)).toEqual([]);
    expect((await api(BASE, 'GET', '/health')).status).toBe(0);
    figure(
      `engine-supervisor: with ENGINE_RESTART_LIMIT=1 the app gave up ${at(gaveUp[0]!) - killAt} ms after the kill and exited with code 1 after ${exitedAt - killAt} ms`,
    );
  });
});
