/**
 * Issue 14 §1, a two-node engine cluster losing a node under load. Two Operaton engine hosts share one
 * PostgreSQL database, both with their job executors on; the API and the workers run as one `start` process
 * with ENGINE_URL naming both nodes and the store in its own PostgreSQL database. Cottbus applications go in
 * through the API while node A, the node the API and the workers talk to, is killed with SIGKILL. Node B must
 * finish every instance to its first booking, fire every timer exactly once (one batch becomes due while both
 * nodes run, one just after the kill), and nothing may be lost or done twice: one instance per application,
 * no slot booked twice, one BG number per household, one invitation letter each. The failover times are
 * printed, never asserted.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { berlinDate } from '../../src/calendar/index.js';
import { LOCAL_ADMIN, LOCAL_TECHNICAL_USER } from '../../src/engine/endpoints.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { createScratchDatabase } from '../../src/store/scratch-database.js';
import {
  completeIdCheck,
  firstBookings,
  instancesByBusinessKey,
  type Post,
  recordedApplications,
  sendApplication,
  slotsBookedTwice,
} from '../support/cottbus-load.js';
import { eventually } from '../support/eventually.js';
import {
  api,
  appEnv,
  assertNoPersonalData,
  type ChildApp,
  deployProcesses,
  type Engine,
  figure,
  RELIABLY,
  requirePostgres,
  type ScratchStore,
  scratchStore,
  spawnApp,
  startEngine,
  waitForHttp,
} from './harness.js';

jest.setTimeout(900_000);

const DATA_DIR = '.data/helper-cluster';
const PORTS = { a: 18104, b: 18114, app: 3114 };
/** Applications taken to their booking before the kill; their reminder timers are the ones the test moves. */
const TIMER_BATCH = 20;
/** Applications sent while the node is lost: the kill comes when half of them have been answered. */
const UNDER_LOAD = 60;
const IN_FLIGHT = 6;
const PROBE = 1000;
/** The timers of the second half fall due this long after their due date is set, which is just before the kill. */
const DUE_AFTER_KILL_MS = 10_000;
const run = `cluster-${Date.now()}`;

/** Operaton's REST date format. */
const engineDate = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

interface Intake {
  i: number;
  id: string;
  pi: string;
}
interface Request {
  sentAt: number;
  answeredAt: number;
  status: number;
}

describe('a two-node engine cluster loses the node its API and workers talk to', () => {
  let a: Engine;
  let b: Engine;
  let engineDb: { url: string; drop(): Promise<void> } | undefined;
  let store: ScratchStore;
  let app: ChildApp;
  let cluster: EngineRestClient;
  let post: Post;
  const intakes = new Map<number, Intake>();
  const requests: Request[] = [];
  let timersBeforeKill: Intake[] = [];
  let timersAfterKill: Intake[] = [];
  let killAt = 0;
  /** When node A's port was closed: a task completed after this went through node B. */
  let goneAt = 0;

  beforeAll(async () => {
    const pg = await requirePostgres();
    store = await scratchStore(pg, 'rel_cluster_store');
    engineDb = await createScratchDatabase(pg, 'rel_cluster_engine');
    const jdbc = `jdbc:postgresql://127.0.0.1:5432${new URL(engineDb.url).pathname}`;
    // One after the other: the first creates the engine's tables in the fresh database.
    a = await startEngine({ port: PORTS.a, dataDir: `${DATA_DIR}-a`, databaseUrl: jdbc });
    b = await startEngine({ port: PORTS.b, dataDir: `${DATA_DIR}-b`, databaseUrl: jdbc });
    figure(
      `cluster: engine cold starts ${(a.coldStartMs / 1000).toFixed(1)} s and ${(b.coldStartMs / 1000).toFixed(1)} s`,
    );
    await deployProcesses(a);
    cluster = new EngineRestClient([a.restUrl, b.restUrl], LOCAL_TECHNICAL_USER);
    app = spawnApp('start', {
      name: 'app',
      env: appEnv({
        engine: [a.restUrl, b.restUrl],
        store,
        port: PORTS.app,
        dataDir: `${DATA_DIR}-app`,
        extra: { WORKER_MAX_TASKS: '16' },
      }),
      logDir: `${DATA_DIR}-logs/${run}`,
    });
    await waitForHttp(`http://127.0.0.1:${PORTS.app}/ready`);
    post = async (route, body, headers = {}) => {
      const sentAt = Date.now();
      const res = await api(`http://127.0.0.1:${PORTS.app}`, 'POST', route, body, headers);
      requests.push({ sentAt, answeredAt: Date.now(), status: res.status });
      return res;
    };
  });

  afterAll(async () => {
    const steps: [string, () => Promise<unknown>][] = [
      ['the app', async () => (app?.kill('SIGKILL'), await app?.exited)],
      ['node A', async () => a?.stop()],
      ['node B', async () => b?.stop()],
      ['the store', async () => store?.drop()],
      ['the engine database', async () => engineDb?.drop()],
    ];
    const failures: string[] = [];
    for (const [what, step] of steps)
      await step().catch((e: unknown) => failures.push(`${what}: ${(e as Error).message}`));
    if (failures.length) throw new Error(`Cleaning up failed: ${failures.join('; ')}`);
  });

  /**
   * One applicant at the front desk: the application until it is answered 201 (the same Idempotency-Key each
   * time, as a client would retry a 503 while the node is lost), then the ID check until it is accepted.
   */
  async function intake(i: number, onCreated?: () => void): Promise<Intake> {
    const today = berlinDate(new Date());
    const sent = await eventually(
      `a 201 for application ${i}`,
      async () => {
        const s = await sendApplication(post, run, i, today);
        return s.status === 201 ? s : undefined;
      },
      { ...RELIABLY, timeoutMs: 300_000, pauseMs: 200 },
    );
    onCreated?.();
    const done: Intake = { i, id: sent.id!, pi: sent.processInstanceId! };
    intakes.set(i, done);
    // A completion the dying node carried out but could not confirm: the instance has left the ID check.
    const leftIdCheck = async () =>
      (await cluster.historicActivities({ processInstanceId: done.pi, activityId: 'UserTask_IdCheck' })).some(
        (h) => h.endTime !== null && !h.canceled,
      );
    await completeIdCheck(post, done.id, 300_000, (status) => status === 0 || status >= 500, leftIdCheck);
    return done;
  }

  async function pool(indexes: number[], onCreated?: () => void): Promise<void> {
    const queue = [...indexes];
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) await intake(i, onCreated);
      }),
    );
  }

  const timerJob = (pi: string) =>
    eventually(
      `the reminder timer of ${pi}`,
      async () => (await cluster.jobs({ processInstanceId: pi, activityId: 'Timer_MdsReminder', timers: 'true' }))[0],
      { ...RELIABLY, timeoutMs: 300_000, pauseMs: 500 },
    );
  const moveTimer = (admin: EngineRestClient, jobId: string, dueMs: number) =>
    admin.request('PUT', `/job/${jobId}/duedate`, { duedate: engineDate(dueMs) });
  const reminded = (pi: string) =>
    cluster.historicActivities({ processInstanceId: pi, activityId: 'Task_NotifyMdsReminder' });

  it('keeps taking applications and running their tasks on node B after node A is killed', async () => {
    // Before the kill: a batch at its first consultation, its reminder timers waiting.
    await pool(Array.from({ length: TIMER_BATCH }, (_, i) => i));
    const batch = Array.from({ length: TIMER_BATCH }, (_, i) => intakes.get(i)!);
    const jobs = new Map<string, string>();
    for (const x of batch) jobs.set(x.pi, (await timerJob(x.pi)).id);
    timersBeforeKill = batch.slice(0, TIMER_BATCH / 2);
    timersAfterKill = batch.slice(TIMER_BATCH / 2);
    // Half of them fall due now, with both job executors running: each must still fire once.
    const admin = new EngineRestClient([b.restUrl, a.restUrl], LOCAL_ADMIN);
    for (const x of timersBeforeKill) await moveTimer(admin, jobs.get(x.pi)!, Date.now());
    await eventually(
      'the reminders of the first half',
      async () =>
        (
          await Promise.all(timersBeforeKill.map(async (x) => (await reminded(x.pi)).filter((h) => h.endTime).length))
        ).every((n) => n >= 1)
          ? true
          : undefined,
      { ...RELIABLY, timeoutMs: 300_000, pauseMs: 1000 },
    );

    // Under load: when half of these applications are answered, the other half of the timers is set to fall
    // due just after the kill, and node A dies.
    let created = 0;
    let killed!: Promise<void>;
    let kill!: () => void;
    const killedNow = new Promise<void>((r) => (kill = r));
    const killNode = async () => {
      const dueAt = Date.now() + DUE_AFTER_KILL_MS;
      for (const x of timersAfterKill) await moveTimer(admin, jobs.get(x.pi)!, dueAt);
      killAt = Date.now();
      try {
        await a.kill();
        goneAt = Date.now();
      } finally {
        kill();
      }
      // Node A never saw these timers due: otherwise it might have taken them with it.
      if (killAt >= dueAt)
        throw new Error('The kill came after the moved timers fell due; the test proves nothing about them');
    };
    const load = pool(
      Array.from({ length: UNDER_LOAD }, (_, k) => TIMER_BATCH + k),
      () => {
        if (++created === UNDER_LOAD / 2) killed = killNode();
      },
    );
    await killedNow;
    // The API's first 201 after the kill: a probe sent again and again until it is answered.
    const probe = intake(PROBE);
    await Promise.all([load, probe, killed]);

    const apiBack = requests
      .filter((r) => r.sentAt >= killAt && r.status === 201)
      .sort((x, y) => x.answeredAt - y.answeredAt)[0]!;
    const lines = app.logLines();
    const failover = lines.filter((l) => l.event === 'engine-failover');
    expect(failover).toEqual([expect.objectContaining({ level: 'warn', from: a.restUrl, to: b.restUrl })]);
    const switchedAt = Date.parse(String(failover[0]!.timestamp));
    const firstTaskThroughB = lines.find(
      (l) => l.message === 'task completed' && Date.parse(String(l.timestamp)) > Math.max(goneAt, switchedAt),
    );
    expect(firstTaskThroughB).toBeDefined();
    const afterKill = requests.filter((r) => r.sentAt >= killAt || r.answeredAt >= killAt);
    const statuses = Object.fromEntries(
      [...new Set(afterKill.map((r) => r.status))]
        .sort()
        .map((st) => [st, afterKill.filter((r) => r.status === st).length]),
    );
    figure(
      `cluster: node A killed with SIGKILL after ${UNDER_LOAD / 2} of ${UNDER_LOAD} applications under load; its port closed ${goneAt - killAt} ms later`,
    );
    figure(
      `cluster: workers switched to node B ${switchedAt - killAt} ms after the kill; first task completed through B ${Date.parse(String(firstTaskThroughB!.timestamp)) - killAt} ms after the kill`,
    );
    figure(
      `cluster: the API answered 201 again ${apiBack.answeredAt - killAt} ms after the kill; API answers to requests around and after the kill by status (409 = ID check asked before the instance reached it, 503 = engine unavailable, retried): ${JSON.stringify(statuses)}`,
    );
  });

  it('loses nothing: every application answered 201 has one instance and reaches its first booking through node B', async () => {
    const all = [...intakes.values()];
    expect(all).toHaveLength(TIMER_BATCH + UNDER_LOAD + 1);
    const rows = await recordedApplications(store.db, run);
    expect(rows.map((r) => r.id).sort()).toEqual(all.map((x) => x.id).sort());
    expect(rows.filter((r) => !r.start_confirmed)).toEqual([]);
    const byKey = await instancesByBusinessKey(b.client, 'neukunde-cottbus');
    expect(
      all
        .filter((x) => JSON.stringify(byKey.get(x.id)) !== JSON.stringify([x.pi]))
        .map((x) => ({ id: x.id, instances: byKey.get(x.id) })),
    ).toEqual([]);
    const booked = await firstBookings(
      store.db,
      all.map((x) => x.id),
      600_000,
    );
    expect(booked).toHaveLength(all.length);
    const incidents = await b.client.incidents({ processDefinitionKeyIn: 'neukunde-cottbus' });
    expect(incidents.filter((inc) => all.some((x) => x.pi === inc.processInstanceId))).toEqual([]);
    figure(
      `cluster: ${all.length} applications, ${byKey.size} instances in the engine, ${booked.length} first bookings`,
    );
  });

  it('does nothing twice: no slot booked twice, one BG number per household, one invitation letter each', async () => {
    const ids = [...intakes.values()].map((x) => x.id);
    const booked = await firstBookings(store.db, ids, 600_000);
    expect(slotsBookedTwice(booked)).toEqual([]);
    const links = await store.db
      .selectFrom('application_households')
      .select(['application_id', 'bg_number'])
      .where('application_id', 'in', ids)
      .execute();
    expect(links).toHaveLength(ids.length);
    expect(new Set(links.map((l) => l.bg_number)).size).toBe(ids.length);
    const households = await store.db
      .selectFrom('households')
      .select('bg_number')
      .where(
        'bg_number',
        'in',
        links.map((l) => l.bg_number),
      )
      .execute();
    expect(households).toHaveLength(ids.length);
    // The invitation follows the booking; wait for it before counting.
    const letters = await eventually(
      'an invitation for every application',
      async () => {
        const rows = await store.db
          .selectFrom('documents')
          .select(['application_id'])
          .where('application_id', 'in', ids)
          .where('kind', '=', 'einladung-rfb')
          .execute();
        return new Set(rows.map((r) => r.application_id)).size === ids.length ? rows : undefined;
      },
      { ...RELIABLY, timeoutMs: 300_000, pauseMs: 1000 },
    );
    expect(letters).toHaveLength(ids.length);
    figure(
      `cluster: duplicates: slots ${slotsBookedTwice(booked).length}, BG numbers ${links.length - new Set(links.map((l) => l.bg_number)).size}, letters ${letters.length - ids.length}`,
    );
  });

  it('fires every moved timer exactly once, those due before the kill and those due after it on node B, and no other', async () => {
    const fired = async (x: Intake) => ({
      timer: (await cluster.historicActivities({ processInstanceId: x.pi, activityId: 'Timer_MdsReminder' })).length,
      reminders: (await reminded(x.pi)).filter((h) => h.endTime).length,
    });
    await eventually(
      'the reminders of the second half',
      async () =>
        (await Promise.all(timersAfterKill.map(async (x) => (await fired(x)).reminders))).every((n) => n >= 1)
          ? true
          : undefined,
      { ...RELIABLY, timeoutMs: 300_000, pauseMs: 1000 },
    );
    // Time for a second firing to show, if one were coming: a job executor's idle back-off is 5 s.
    await sleep(12_000);
    const moved = [...timersBeforeKill, ...timersAfterKill];
    const counts = await Promise.all(moved.map(fired));
    expect(counts).toEqual(moved.map(() => ({ timer: 1, reminders: 1 })));
    const others = [...intakes.values()].filter((x) => !moved.includes(x));
    const unmoved = await Promise.all(others.map(fired));
    expect(unmoved.filter((c) => c.timer !== 0 || c.reminders !== 0)).toEqual([]);
    figure(
      `cluster: timers moved ${moved.length} (${timersBeforeKill.length} due with both nodes up, ${timersAfterKill.length} due after the kill): fired ${counts.reduce((n, c) => n + c.timer, 0)}, reminders sent ${counts.reduce((n, c) => n + c.reminders, 0)}`,
    );
  });

  it('leaves no personal data in the engine', async () => {
    await assertNoPersonalData(b, store);
  });
});
