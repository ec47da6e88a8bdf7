/**
 * Issue 14 §1, the engine (H2 file database) killed with SIGKILL mid-flow and started again on the same data:
 * every instance continues where it was, a due timer fires once after the restart, the app process (API and
 * workers) reconnects by itself, and while the engine is away the API answers 503 with a clear message and
 * writes nothing for the refused requests.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { aMember, anApplication, today } from '../support/application.js';
import { waitingAt, waitUntilAt } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startSmtp } from '../support/smtp-server.js';
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

const DATA_DIR = '.data/helper-faults-engine-restart';
const PORT = 18133;
const API_PORT = 3103;
const BASE = `http://127.0.0.1:${API_PORT}`;
const RESTING = 6;
const IN_FLIGHT = 6;

/** Operaton's REST date format (no "Z"). */
const engineDate = (d: Date) => d.toISOString().replace('Z', '+0000');

describe('the engine killed with SIGKILL mid-flow and restarted on the same data', () => {
  let engine: Engine;
  let store: ScratchStore;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: ChildApp;

  beforeAll(async () => {
    const pg = await requirePostgres();
    store = await scratchStore(pg, 'rel_faults');
    smtp = await startSmtp();
    engine = await startEngine({ port: PORT, dataDir: DATA_DIR, fresh: true });
    figure(`engine-restart: engine cold start ${(engine.coldStartMs / 1000).toFixed(1)} s`);
    // `start` with ENGINE_URL: deploys processes/, then serves the API and runs every worker in one process.
    app = spawnApp('start', {
      name: 'app',
      env: appEnv({ engine, store, port: API_PORT, dataDir: DATA_DIR, extra: { SMTP_URL: smtp.url } }),
      logDir: `${DATA_DIR}/logs`,
    });
    await waitForHttp(`${BASE}/ready`);
  });

  afterAll(async () => {
    app?.kill('SIGTERM');
    await app?.exited;
    await engine?.stop();
    await store?.drop();
    await smtp?.close();
  });

  const apply = async (i: number, key?: string) =>
    api(
      BASE,
      'POST',
      '/api/v1/applications',
      anApplication({
        applicationDate: today(),
        members: [aMember({ givenName: `Restart${i}`, familyName: 'Neumeier', birthDate: '1981-05-17' })],
      }),
      key ? { 'Idempotency-Key': key } : {},
    );
  const idCheck = (id: string) =>
    api(BASE, 'POST', `/api/v1/applications/${id}/events/id-check-completed`, {
      identityVerified: true,
      responsible: true,
    });
  const at = (pi: string, activity: string, timeoutMs = 240_000) =>
    waitUntilAt(engine.client, pi, activity, { ...RELIABLY, timeoutMs, pauseMs: 500, failOnIncident: true });

  it('continues every instance where it was, fires the due timer once, answers 503 while away and 201 after, without an app restart', async () => {
    const { client } = engine;
    // Arrange: half of the resting applications wait at their ID check, half at their first consultation (with
    // their deadline timers); then a burst of ID checks sets the in-flight ones going, and the engine dies.
    const resting: { id: string; pi: string }[] = [];
    for (let i = 0; i < RESTING; i++) {
      const r = await apply(i);
      expect(r.status).toBe(201);
      resting.push({ id: r.body.id, pi: r.body.processInstanceId });
    }
    for (const a of resting) await at(a.pi, 'UserTask_IdCheck');
    const consulting = resting.slice(0, RESTING / 2);
    for (const a of consulting) expect((await idCheck(a.id)).status).toBe(202);
    for (const a of consulting) await at(a.pi, 'UserTask_FirstConsultation');

    const flying: { id: string; pi: string }[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) {
      const r = await apply(100 + i);
      expect(r.status).toBe(201);
      flying.push({ id: r.body.id, pi: r.body.processInstanceId });
    }
    for (const a of flying) await at(a.pi, 'UserTask_IdCheck');

    const before = new Map<string, string[]>();
    for (const a of resting) before.set(a.pi, await waitingAt(client, a.pi));
    const timed = consulting[0]!;
    const [timer] = await client.jobs({ processInstanceId: timed.pi, activityId: 'Timer_MdsBreach', timers: 'true' });
    expect(timer).toBeDefined();
    const applicationsBefore = await store.db.selectFrom('applications').select('id').execute();

    await Promise.all(flying.map(async (a) => expect((await idCheck(a.id)).status).toBe(202)));
    const flyingAtKill = new Map<string, string[]>();
    for (const a of flying) flyingAtKill.set(a.pi, await waitingAt(client, a.pi).catch(() => ['?']));
    // Due seconds from now: it comes due while the engine is away or just after it is back (a restart takes
    // longer than that), and must fire once, after the restart.
    await client.request('PUT', `/job/${timer!.id}/duedate`, { duedate: engineDate(new Date(Date.now() + 20_000)) });
    expect(
      (await client.jobs({ processInstanceId: timed.pi, activityId: 'Timer_MdsBreach', timers: 'true' })).map(
        (j) => j.id,
      ),
    ).toEqual([timer!.id]);
    // Killed at once after the last commit: the engine host runs H2 with WRITE_DELAY=0, so what the engine
    // confirmed (the new due date, the ID checks' completions) is on disk when the process dies.
    await engine.kill();
    const killedAt = Date.now();
    figure(
      `engine-restart: killed mid-flow; in-flight instances were at ${[...flyingAtKill.values()].map((v) => v.join('+')).join(', ')}`,
    );

    // Assert: while the engine is away, the API refuses new applications with 503 and says why; /ready says so too.
    const refused = await Promise.all([0, 1, 2].map((i) => apply(200 + i, `restart-refused-${i}`)));
    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(r.body.error).toMatch(/process engine is not reachable/);
    }
    const ready = await api(BASE, 'GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'NOT_READY', engine: false, store: true });
    // Nothing half-written: no application, person, idempotency record or audit entry of the refused requests.
    expect((await store.db.selectFrom('applications').select('id').execute()).length).toBe(applicationsBefore.length);
    expect(
      await store.db
        .selectFrom('applications')
        .select('id')
        .where('idempotency_key', 'like', 'restart-refused-%')
        .execute(),
    ).toEqual([]);
    expect(
      await store.db.selectFrom('api_idempotency').select('key').where('key', 'like', 'restart-refused-%').execute(),
    ).toEqual([]);
    expect(
      await store.db.selectFrom('persons').select('id').where('given_name', 'like', 'Restart2__').execute(),
    ).toEqual([]);

    // Act: the engine comes back on the same data directory.
    engine = await startEngine({ port: PORT, dataDir: DATA_DIR });
    const backAt = Date.now();
    figure(
      `engine-restart: engine away ${((backAt - killedAt) / 1000).toFixed(1)} s (restart's cold start ${(engine.coldStartMs / 1000).toFixed(1)} s)`,
    );

    // Assert: the API answers 201 again without a restart, and reports ready.
    const again = await eventually(
      'a 201 from the API after the restart',
      async () => {
        const r = await apply(300, 'restart-after');
        return r.status === 201 ? r : undefined;
      },
      { ...RELIABLY, timeoutMs: 120_000, pauseMs: 1000 },
    );
    figure(`engine-restart: API 201 again ${((Date.now() - backAt) / 1000).toFixed(1)} s after the engine answered`);
    await waitForHttp(`${BASE}/ready`);
    expect(again.body.processInstanceId).toEqual(expect.any(String));

    // Assert: every resting instance waits where it waited (the timed one aside, checked below).
    for (const a of resting.filter((x) => x !== timed)) expect(await waitingAt(client, a.pi)).toEqual(before.get(a.pi));
    // Assert: the in-flight ones go on to their first consultation: the workers reconnected by themselves.
    for (const a of flying) await at(a.pi, 'UserTask_FirstConsultation');
    figure(
      `engine-restart: all ${IN_FLIGHT} in-flight instances at their first consultation ${((Date.now() - backAt) / 1000).toFixed(1)} s after the engine answered`,
    );
    await at(again.body.processInstanceId as string, 'UserTask_IdCheck');

    // Assert: the timer fired once, after the restart; its branch recorded the breach once and told TL EZ and TL M&I once.
    const fired = await eventually(
      'the breach timer to have fired',
      async () => {
        const h = await client.historicActivities({ processInstanceId: timed.pi, activityId: 'Timer_MdsBreach' });
        return h.length > 0 && h.every((x) => x.endTime) ? h : undefined;
      },
      RELIABLY,
    );
    expect(fired).toHaveLength(1);
    expect(new Date(fired[0]!.endTime!).getTime()).toBeGreaterThan(killedAt);
    const breach = await eventually(
      'the breach recorded',
      async () => {
        const d = await store.db
          .selectFrom('deadlines')
          .selectAll()
          .where('application_id', '=', timed.id)
          .where('kind', '=', 'first-consultation')
          .execute();
        return d.some((x) => x.status === 'breached') ? d : undefined;
      },
      RELIABLY,
    );
    expect(breach.filter((d) => d.status === 'breached')).toHaveLength(1);
    const told = await eventually(
      'the TL notifications',
      async () => {
        const rows = await store.db
          .selectFrom('notifications')
          .select(['channel', 'recipient', 'status'])
          .where('application_id', '=', timed.id)
          .where('subject', 'like', 'MDS verfehlt%')
          .execute();
        return rows.length >= 3 && rows.every((r) => r.status === 'delivered') ? rows : undefined;
      },
      RELIABLY,
    );
    expect(told).toHaveLength(3);
    expect(told.filter((n) => n.channel === 'email')).toHaveLength(1);
    const emailRows = await store.db.selectFrom('notifications').select('id').where('channel', '=', 'email').execute();
    expect(smtp.mails).toHaveLength(emailRows.length);
    // The notifications are delivered before the worker completes its task: the branch has ended only once the
    // engine has recorded its end event, and only then is the instance back where it waited.
    const ended = await eventually(
      'the breach branch to have ended',
      async () => {
        const h = await client.historicActivities({ processInstanceId: timed.pi, activityId: 'End_MdsBreachReported' });
        return h.length > 0 ? h : undefined;
      },
      RELIABLY,
    );
    expect(ended).toHaveLength(1);
    expect(await waitingAt(client, timed.pi)).toEqual(before.get(timed.pi));
    expect(await client.jobs({ processInstanceId: timed.pi, activityId: 'Timer_MdsBreach', timers: 'true' })).toEqual(
      [],
    );
    figure(
      `engine-restart: breach timer fired once at ${fired[0]!.endTime} (${((new Date(fired[0]!.endTime!).getTime() - backAt) / 1000).toFixed(1)} s after the engine answered); ${told.length} notifications, ${smtp.mails.length} e-mail`,
    );

    // Assert: no instance lost, none started twice; the store names each.
    const instances = await client.processInstances({ processDefinitionKey: 'neukunde-cottbus', maxResults: '1000' });
    const rows = await store.db
      .selectFrom('applications')
      .select(['id', 'process_instance_key', 'start_confirmed'])
      .execute();
    expect(rows).toHaveLength(RESTING + IN_FLIGHT + 1);
    expect(rows.filter((r) => !r.start_confirmed)).toEqual([]);
    expect(instances.map((p) => p.id).sort()).toEqual(rows.map((r) => r.process_instance_key).sort());
    const bookings = await store.db.selectFrom('appointments').select('application_id').execute();
    expect(bookings.map((b) => b.application_id).sort()).toEqual([...consulting, ...flying].map((a) => a.id).sort());
    await assertNoPersonalData(engine, store);

    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
  });
});
