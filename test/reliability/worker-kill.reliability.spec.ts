/**
 * Issue 14 §1, a worker process killed with SIGKILL while it holds tasks: the engine hands them out again once
 * their lock expires, another worker process completes them, and nothing is created twice (BG numbers,
 * bookings, letters, notifications, e-mails through a real SMTP server), although the killed worker may have
 * written part of a task's work before it died.
 *
 * To be sure the worker really holds locked tasks at the kill, the test freezes it (SIGSTOP) as soon as the
 * engine shows tasks locked by its workerId, reads them again while it cannot finish them, and only then kills
 * it; when the worker had finished them in between, it runs on (SIGCONT) and the test tries again.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { addDays } from 'date-fns';

import { berlinDate } from '../../src/calendar/index.js';
import type { ExternalTaskItem } from '../../src/engine/rest-client.js';
import { aMember, anApplication } from '../support/application.js';
import { waitUntilAt } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startSmtp } from '../support/smtp-server.js';
import {
  api,
  appEnv,
  assertNoPersonalData,
  type ChildApp,
  deployProcesses,
  type Engine,
  figure,
  RELIABILITY_TIMEOUT_MS,
  RELIABLY,
  requirePostgres,
  type ScratchStore,
  scratchStore,
  spawnApp,
  startApiInProcess,
  startEngine,
} from './harness.js';

jest.setTimeout(RELIABILITY_TIMEOUT_MS);

const DATA_DIR = '.data/helper-faults-worker-kill';
const LOG_DIR = `${DATA_DIR}/logs`;
/** N–O (Ü25) have free slots; W–We's caseworker is away, so those applications get the no-slot ticket e-mail. */
const BOOKED = 10;
const NO_SLOT = 4;
const ABSENT_CASEWORKER = 'av-ue25-30';

interface HistoricExternalTaskLog {
  externalTaskId: string;
  workerId: string | null;
  successLog: boolean;
  timestamp: string;
}

describe('a worker process killed with SIGKILL while it holds tasks', () => {
  let engine: Engine;
  let store: ScratchStore;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let apiServer: Awaited<ReturnType<typeof startApiInProcess>>;
  let first: ChildApp;
  let second: ChildApp | undefined;
  const apps: { id: string; pi: string; slot: boolean }[] = [];

  beforeAll(async () => {
    const pg = await requirePostgres();
    store = await scratchStore(pg, 'rel_faults');
    smtp = await startSmtp();
    engine = await startEngine({ port: 18163, dataDir: DATA_DIR, fresh: true });
    figure(`worker-kill: engine cold start ${(engine.coldStartMs / 1000).toFixed(1)} s`);
    await deployProcesses(engine);
    apiServer = await startApiInProcess(engine, store);
  });

  afterAll(async () => {
    for (const w of [first, second]) {
      w?.kill('SIGKILL');
      await w?.exited;
    }
    await apiServer?.close();
    await engine?.stop();
    await store?.drop();
    await smtp?.close();
  });

  const workerEnv = () =>
    appEnv({ engine, store, dataDir: DATA_DIR, extra: { SMTP_URL: smtp.url, WORKER_MAX_TASKS: '16' } });
  /** Read without the engine's workerId filter and picked here, so the figures can say who held what. */
  const lockedBy = async (workerId: string) =>
    (await engine.client.externalTasks({ locked: 'true', maxResults: '1000' })).filter((t) => t.workerId === workerId);

  it('re-delivers the tasks the killed worker held to another worker, which completes each once, and nothing is created twice', async () => {
    const { client } = engine;
    // A long lock for the first worker: the test must see its tasks locked while it is frozen, on a slow engine.
    first = spawnApp('workers', {
      name: 'workers-1',
      env: { ...workerEnv(), WORKER_LOCK_SECONDS: '30' },
      logDir: LOG_DIR,
    });
    const firstId = await first.workerId();
    const today = berlinDate(new Date());
    await store.db
      .insertInto('absences')
      .values({
        jobcenter: 'cottbus',
        caseworker_id: ABSENT_CASEWORKER,
        starts_at: new Date(Date.now() - 3_600_000),
        ends_at: addDays(new Date(), 60),
        reason: 'Urlaub',
      })
      .execute();

    // Arrange: the applications wait at their ID check (the first worker ran their first tasks).
    const answers = await Promise.all(
      Array.from({ length: BOOKED + NO_SLOT }, (_, i) => {
        const slot = i < BOOKED;
        return api(
          apiServer.base,
          'POST',
          '/api/v1/applications',
          anApplication({
            applicationDate: today,
            members: [
              aMember({ givenName: `Kill${i}`, familyName: slot ? 'Neumeier' : 'Wagner', birthDate: '1981-05-17' }),
            ],
          }),
        ).then((r) => ({ r, slot }));
      }),
    );
    expect(answers.filter((a) => a.r.status !== 201).map((a) => a.r)).toEqual([]);
    for (const { r, slot } of answers)
      apps.push({ id: r.body.id as string, pi: r.body.processInstanceId as string, slot });
    for (const a of apps) await waitUntilAt(client, a.pi, 'UserTask_IdCheck', RELIABLY);

    // Act: freeze the first worker (SIGSTOP), then report all ID checks at once. Its fetch already waiting at the
    // engine (long polling) is handed the new tasks and locks them for a process that cannot run them. Should it
    // have been between two fetches, it runs on for a moment (SIGCONT) and is frozen again with the next tasks.
    let held: ExternalTaskItem[] = [];
    let attempts = 0;
    const deadline = Date.now() + 180_000;
    while (held.length === 0) {
      if (Date.now() > deadline) throw new Error(`The first worker never held a locked task in ${attempts} attempts`);
      attempts++;
      process.kill(first.pid, 'SIGSTOP');
      if (attempts === 1) {
        const checks = await Promise.all(
          apps.map((a) =>
            api(apiServer.base, 'POST', `/api/v1/applications/${a.id}/events/id-check-completed`, {
              identityVerified: true,
              responsible: true,
            }),
          ),
        );
        expect(checks.filter((c) => c.status !== 202)).toEqual([]);
      }
      held = await eventually(
        'tasks locked by the frozen worker',
        async () => {
          const locked = await lockedBy(firstId);
          return locked.length ? locked : undefined;
        },
        { ...RELIABLY, timeoutMs: 15_000, pauseMs: 200 },
      ).catch(() => []);
      if (held.length === 0) {
        const locked = await engine.client.externalTasks({ locked: 'true', maxResults: '1000' });
        figure(
          `worker-kill: attempt ${attempts}: nothing locked by ${firstId}; ${locked.length} locked tasks (${[...new Set(locked.map((t) => t.workerId))].join(', ')})`,
        );
        process.kill(first.pid, 'SIGCONT');
        await sleep(100 + Math.random() * 400);
      }
    }
    const stoppedAt = new Date().toISOString();
    first.kill('SIGKILL');
    const killedAt = Date.now();
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    figure(
      `worker-kill: killed ${firstId} holding ${held.length} locked tasks (${[...new Set(held.map((t) => t.topicName))].join(', ')}); frozen with them on attempt ${attempts}`,
    );

    // Assert: another worker process completes exactly those tasks once the lock expires, each exactly once.
    second = spawnApp('workers', { name: 'workers-2', env: workerEnv(), logDir: LOG_DIR });
    const secondId = await second.workerId();
    const logs = await eventually(
      'the held tasks completed by the second worker',
      async () => {
        const perTask = await Promise.all(
          held.map((t) =>
            client.request<HistoricExternalTaskLog[]>(
              'GET',
              `/history/external-task-log?externalTaskId=${t.id}&successLog=true`,
            ),
          ),
        );
        return perTask.every((l) => l.length > 0) ? perTask : undefined;
      },
      { ...RELIABLY, timeoutMs: 240_000, pauseMs: 500 },
    );
    figure(
      `worker-kill: ${held.length} tasks re-delivered and completed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill (the first worker's lock 30 s; the second worker process's start included)`,
    );
    figure(
      `worker-kill: frozen at ${stoppedAt}; held ${held.map((t, i) => `${t.id.slice(0, 8)} ${t.topicName} lock to ${t.lockExpirationTime}, completed ${logs[i]![0]!.timestamp} by ${logs[i]![0]!.workerId}`).join('; ')}`,
    );
    for (const l of logs) {
      expect(l).toHaveLength(1);
      expect(l[0]!.workerId).toBe(secondId);
    }

    // Assert: every application reaches its booking and invitation, or its no-slot ticket and the deputy booking.
    for (const a of apps) {
      const target = a.slot ? 'UserTask_FirstConsultation' : 'UserTask_DeputyBooking';
      await waitUntilAt(client, a.pi, target, { ...RELIABLY, timeoutMs: 240_000, pauseMs: 500, failOnIncident: true });
    }
    const ids = apps.map((a) => a.id);
    const slotIds = apps.filter((a) => a.slot).map((a) => a.id);
    const noSlotIds = apps.filter((a) => !a.slot).map((a) => a.id);
    // Mails are sent after the notification row is written: wait until every ticket mail has arrived.
    await eventually(
      'every ticket e-mail delivered',
      async () => {
        const pending = await store.db
          .selectFrom('notifications')
          .select('id')
          .where('application_id', 'in', noSlotIds)
          .where('channel', '=', 'email')
          .where('status', '!=', 'delivered')
          .execute();
        return pending.length === 0 && smtp.mails.length >= NO_SLOT ? true : undefined;
      },
      RELIABLY,
    );

    // Assert: one of everything.
    const periods = await store.db
      .selectFrom('case_periods')
      .select(['application_id', 'bg_number'])
      .where('application_id', 'in', ids)
      .execute();
    expect(periods.map((p) => p.application_id).sort()).toEqual([...ids].sort());
    const links = await store.db
      .selectFrom('application_households')
      .select(['application_id', 'bg_number'])
      .where('application_id', 'in', ids)
      .execute();
    expect(links).toHaveLength(ids.length);
    const households = await store.db.selectFrom('households').select('bg_number').execute();
    expect(households).toHaveLength(ids.length);
    expect(new Set(periods.map((p) => p.bg_number)).size).toBe(ids.length);
    const customers = await store.db.selectFrom('customers').select('kd_number').execute();
    expect(customers).toHaveLength(ids.length);
    const people = await store.db
      .selectFrom('persons')
      .select(['kd_number'])
      .where('application_id', 'in', ids)
      .execute();
    expect(new Set(people.map((p) => p.kd_number)).size).toBe(ids.length);

    const bookings = await store.db
      .selectFrom('appointments')
      .select(['application_id', 'caseworker_id', 'starts_at'])
      .where('application_id', 'in', ids)
      .execute();
    expect(bookings.map((b) => b.application_id).sort()).toEqual([...slotIds].sort());
    expect(new Set(bookings.map((b) => `${b.caseworker_id}@${b.starts_at.toISOString()}`)).size).toBe(bookings.length);

    const docs = await store.db
      .selectFrom('documents')
      .select(['application_id', 'person_id', 'kind'])
      .where('application_id', 'in', ids)
      .execute();
    const docKeys = docs.map((d) => `${d.application_id}/${d.person_id ?? '-'}/${d.kind}`);
    expect(docKeys.length).toBe(new Set(docKeys).size);
    for (const id of ids) {
      const kinds = docs
        .filter((d) => d.application_id === id)
        .map((d) => d.kind)
        .sort();
      expect(kinds).toEqual(
        slotIds.includes(id)
          ? ['anschreiben-antragsunterlagen', 'arbeitspaket', 'checkliste', 'einladung-rfb', 'merkblatt']
          : ['anschreiben-antragsunterlagen', 'arbeitspaket', 'checkliste', 'merkblatt'],
      );
    }
    const notes = await store.db
      .selectFrom('history_notes')
      .select('application_id')
      .where('application_id', 'in', ids)
      .execute();
    expect(notes.map((n) => n.application_id).sort()).toEqual([...ids].sort());

    const notifications = await store.db
      .selectFrom('notifications')
      .select(['application_id', 'channel', 'recipient', 'subject'])
      .where('application_id', 'in', ids)
      .execute();
    const notificationKeys = notifications.map((n) => `${n.application_id}/${n.channel}/${n.recipient}/${n.subject}`);
    expect(notificationKeys.length).toBe(new Set(notificationKeys).size);
    const emails = notifications.filter((n) => n.channel === 'email');
    expect(emails.map((n) => n.application_id).sort()).toEqual([...noSlotIds].sort());
    expect(smtp.mails).toHaveLength(NO_SLOT);
    figure(
      `worker-kill effects: ${ids.length} applications, ${households.length} BG numbers, ${customers.length} KD numbers, ${bookings.length} bookings, ${docs.length} letters, ${notes.length} history notes, ${notifications.length} notifications, ${smtp.mails.length} e-mails received (expected ${NO_SLOT})`,
    );
    await assertNoPersonalData(engine, store);
  });
});
