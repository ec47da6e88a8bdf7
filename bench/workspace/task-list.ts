/**
 * How long "Meine Aufgaben" takes to show when 5,000 user tasks are open for the front desk: the real engine host
 * (scratch H2, history full) with a one-task diagram started 5,000 times for group EZ, a store row per instance
 * (application, head of household, MDS deadline) for the join by process instance id, and the workspace logged in
 * as `ez` through the engine's identity service. The instances belong to Cottbus (its tenant), whose process the
 * workspace is told is the one-task diagram, since the task list asks for the login's jobcenter's process only. Times GET /arbeitsplatz/aufgaben over HTTP, the first request and
 * BENCH_WORKSPACE_REQUESTS more, pages 20 and the last, and apart from it the engine's paged query and, for
 * comparison, the earlier way (500 tasks per query, all joined). Asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import pLimit from 'p-limit';
import winston from 'winston';

import { buildApp } from '../../src/api/app.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import type { JobcenterSettings } from '../../src/config/jobcenter.js';
import type { TokenTable } from '../../src/config/tokens.js';
import type { EngineGateway } from '../../src/engine/gateway.js';
import { RestCasePositions } from '../../src/engine/positions.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { RestStaffEngine, type StaffEngine } from '../../src/engine/staff.js';
import { RestTaskPages, type TaskPages, taskPagesOver } from '../../src/engine/task-pages.js';
import type { Logger } from '../../src/log/logger.js';
import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { openStore, type Store } from '../../src/store/index.js';
import { taskCaseFacts } from '../../src/workspace/cases.js';
import { type BenchEngine, startBenchEngine } from '../engine/bench-engine.js';
import { type Row, row } from '../row.js';

export const KEY = 'bench-workspace-task';

/** One user task for the front desk, due on the date the start names, so that sorting by due date has work to do. */
export const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_BenchWorkspaceTask" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${KEY}" name="Bench: eine Aufgabe der EZ" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="StartEvent_Bench" />
    <bpmn:sequenceFlow id="Flow_ToTask" sourceRef="StartEvent_Bench" targetRef="UserTask_IdCheck" />
    <bpmn:userTask id="UserTask_IdCheck" name="ID-Prüfung" camunda:candidateGroups="EZ" camunda:dueDate="\${due}" />
    <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="UserTask_IdCheck" targetRef="EndEvent_Bench" />
    <bpmn:endEvent id="EndEvent_Bench" />
  </bpmn:process>
</bpmn:definitions>`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export interface WorkspaceBenchSettings {
  tasks: number;
  requests: number;
}

export const workspaceBenchSettings = (env: NodeJS.ProcessEnv): WorkspaceBenchSettings => ({
  tasks: Number(env.BENCH_WORKSPACE_TASKS ?? 5000),
  requests: Number(env.BENCH_WORKSPACE_REQUESTS ?? 50),
});

/** The jobcenter the bench's tasks belong to: the front desk login `ez` is bound to it. */
export const BENCH_JOBCENTER = 'cottbus';

/**
 * The jobcenters as the bench serves them: the bench's jobcenter runs the one-task diagram, so that the task list,
 * which asks the engine for the jobcenter's process only, shows the bench's tasks.
 */
export function withBenchProcess(
  jobcenters: ReadonlyMap<string, JobcenterSettings>,
): ReadonlyMap<string, JobcenterSettings> {
  return new Map([...jobcenters].map(([id, jc]) => [id, id === BENCH_JOBCENTER ? { ...jc, processId: KEY } : jc]));
}

/**
 * Deploys the one-task diagram and starts it `count` times through the REST API, as the intake does; 20 at once
 * keeps both cores busy without queueing in Jetty. The start variable `jobcenter` gives each instance the bench
 * jobcenter's tenant (the engine host's tenant-id provider), as the task list asks for the login's tenants only.
 */
export async function startTaskInstances(
  admin: EngineRestClient,
  count: number,
  log: Logger,
): Promise<{ instances: string[]; seconds: number }> {
  await admin.deploy('bench-workspace', [{ name: `${KEY}.bpmn`, content: DIAGRAM }]);
  log.info(`starting ${count} instances of ${KEY}`);
  const limit = pLimit(20);
  const t = performance.now();
  const instances = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const due = new Date(Date.UTC(2026, 10, 23 + (i % 60), 22, 59)).toISOString().slice(0, 19);
        const started = await admin.request<{ id: string }>('POST', `/process-definition/key/${KEY}/start`, {
          variables: {
            due: { value: due, type: 'String' },
            jobcenter: { value: BENCH_JOBCENTER, type: 'String' },
          },
        });
        return started.id;
      }),
    ),
  );
  return { instances, seconds: (performance.now() - t) / 1000 };
}

/**
 * The store rows the task list joins by process instance id (names come from here, never from the engine): per
 * instance an application, its head of household and an open MDS deadline. Returns the application ids.
 */
export async function seedTaskCases(store: Store, instances: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < instances.length; from += 500) {
    const chunk = instances.slice(from, from + 500).map((pid, j) => ({ pid, id: randomUUID(), n: from + j }));
    ids.push(...chunk.map((c) => c.id));
    await store.db
      .insertInto('applications')
      .values(
        chunk.map((c) => ({
          id: c.id,
          jobcenter: BENCH_JOBCENTER,
          channel: 'EZ',
          application_date: '2026-11-16',
          status: 'in-progress',
          new_customer: true,
          not_new_reason: null,
          process_instance_key: c.pid,
          idempotency_key: null,
          flags: '{}',
          created_by: 'bench',
        })),
      )
      .execute();
    await store.db
      .insertInto('persons')
      .values(
        chunk.map((c) => ({
          id: randomUUID(),
          jobcenter: BENCH_JOBCENTER,
          application_id: c.id,
          role: 'head' as const,
          given_name: 'Bench',
          family_name: `Kunde ${c.n}`,
          birth_date: '1990-01-01',
          erwerbsfaehig: true,
          new_customer: true,
          not_new_reason: null,
          kd_number: null,
        })),
      )
      .execute();
    await store.db
      .insertInto('deadlines')
      .values(
        chunk.map((c) => ({
          jobcenter: BENCH_JOBCENTER,
          application_id: c.id,
          person_id: '',
          kind: 'first-consultation' as const,
          due_date: '2026-12-10',
          breach_at: new Date('2026-12-10T23:00:00Z'),
          met_on: null,
          breached_at: null,
          team: 'u25',
          caseworker_id: 'av-u25-01',
        })),
      )
      .execute();
  }
  return ids;
}

export interface ServedApp {
  server: Server;
  base: string;
  /** The session cookie of the front desk login `ez`. */
  cookie: string;
}

/**
 * The real app on the bench engine (its identity service, task pages and positions) and this store, listening on
 * a free loopback port, logged in as `ez` with the local password.
 */
export async function serveWorkspace(
  engine: BenchEngine,
  store: Store,
  opts: { taskPages?: TaskPages; tokens?: TokenTable } = {},
): Promise<ServedApp> {
  const client = new EngineRestClient(engine.endpoints.rest, engine.endpoints.technical);
  const jobcenters = withBenchProcess(engine.config.jobcenters);
  const app = buildApp({
    engine: {} as EngineGateway,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens: opts.tokens ?? new Map(),
    log: winston.createLogger({ silent: true }),
    workspace: {
      staff: new RestStaffEngine(client, engine.endpoints.rest),
      positions: new RestCasePositions(client),
      taskPages: opts.taskPages ?? new RestTaskPages(client),
      sessionSecret: `bench-${randomUUID()}`,
      allowUnbound: true,
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return { server, base, cookie: await logIn(base) };
  } catch (e) {
    server.close();
    throw e;
  }
}

/** The workspace login as the front desk (`ez`); the session cookie. */
async function logIn(base: string): Promise<string> {
  const login = await fetch(`${base}/arbeitsplatz/anmelden`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ benutzer: 'ez', passwort: LOCAL_STAFF_PASSWORD }),
    redirect: 'manual',
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (login.status !== 303 || !cookie) throw new Error(`workspace login as ez answered ${login.status}`);
  return cookie;
}

/** The tenant and process filter the task list sends for `ez`, for timing the engine's paged query on its own. */
export const EZ_TASK_QUERY = {
  userId: 'ez',
  groups: ['EZ'],
  processDefinitionKeys: [KEY],
  tenantIds: [BENCH_JOBCENTER],
} as const;

export async function workspaceTaskListBench(s: WorkspaceBenchSettings, log: Logger): Promise<Row[]> {
  const engine = await startBenchEngine({ historyLevel: 'full' }, log);
  const store = await openStore({});
  const servers: Server[] = [];
  try {
    const admin = new EngineRestClient(engine.endpoints.rest, engine.endpoints.administrator!);
    const { instances, seconds: startSeconds } = await startTaskInstances(admin, s.tasks, log);
    await seedTaskCases(store, instances);
    let t: number;

    const client = new EngineRestClient(engine.endpoints.rest, engine.endpoints.technical);
    const staff = new RestStaffEngine(client, engine.endpoints.rest);
    /**
     * The earlier list for comparison in the same run: the first 500 tasks of each query (groups, assignee), all
     * joined in the store, sorted and cut in Node. It joins the page's 25 once more in the router (a few ms extra).
     */
    const earlier: TaskPages = {
      async page(q) {
        const all = await staff.openTasks(q.userId, q.groups, 500);
        await taskCaseFacts(
          store.db,
          all.map((x) => x.processInstanceId),
        );
        return taskPagesOver({ openTasks: async () => all } as unknown as StaffEngine).page(q);
      },
    };
    const serve = async (taskPages: TaskPages) => {
      const { server, base, cookie } = await serveWorkspace(engine, store, { taskPages });
      servers.push(server);
      return async (query = '') => {
        const t0 = performance.now();
        const res = await fetch(`${base}/arbeitsplatz/aufgaben${query}`, { headers: { cookie } });
        const html = await res.text();
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`GET /arbeitsplatz/aufgaben answered ${res.status}`);
        return { ms, rows: (html.match(/<tr data-task=/g) ?? []).length };
      };
    };
    const page = await serve(new RestTaskPages(client));
    const before = await serve(earlier);
    const first = await page();
    const firstBefore = await before();
    if (first.rows === 0 || firstBefore.rows === 0)
      throw new Error('the task list showed no task: the bench measured nothing');
    // Alternating, so that a busy neighbour on the shared machine weighs on both alike.
    const times: number[] = [];
    const timesBefore: number[] = [];
    for (let i = 0; i < s.requests; i++) {
      times.push((await page()).ms);
      timesBefore.push((await before()).ms);
    }
    times.sort((a, b) => a - b);
    timesBefore.sort((a, b) => a - b);
    const page20 = await page('?seite=20');
    const last = await page(`?seite=${Math.ceil(s.tasks / 25)}`);

    // Where the time goes: the engine's paged query (one page and the count), and for comparison the earlier way,
    // the first 500 tasks of each of the two queries (groups, assignee) with the store's join of all of them.
    const pageTimes: number[] = [];
    const pages = new RestTaskPages(client);
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      await pages.page({ ...EZ_TASK_QUERY, first: 0, max: 25 });
      pageTimes.push(performance.now() - t);
    }
    pageTimes.sort((a, b) => a - b);
    const engineTimes: number[] = [];
    const joinTimes: number[] = [];
    let read = 0;
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      const tasks = await staff.openTasks('ez', ['EZ'], 500);
      engineTimes.push(performance.now() - t);
      read = tasks.length;
      t = performance.now();
      await taskCaseFacts(
        store.db,
        tasks.map((x) => x.processInstanceId),
      );
      joinTimes.push(performance.now() - t);
    }
    engineTimes.sort((a, b) => a - b);
    joinTimes.sort((a, b) => a - b);

    const label = `${engine.label}; store PGlite`;
    const note = `${s.tasks} open tasks of group EZ, ${first.rows} rows per page`;
    return [
      row(`workspace: ${s.tasks} instances with one user task started`, s.tasks / startSeconds, 'per s', {
        engine: label,
      }),
      row('workspace: GET /arbeitsplatz/aufgaben, first request', first.ms, 'ms', { note, engine: label }),
      row(`workspace: GET /arbeitsplatz/aufgaben, p50 of ${s.requests}`, quantile(times, 0.5), 'ms', {
        note,
        engine: label,
      }),
      row(`workspace: GET /arbeitsplatz/aufgaben, p99 of ${s.requests}`, quantile(times, 0.99), 'ms', {
        note,
        engine: label,
      }),
      row(`workspace: GET /arbeitsplatz/aufgaben, min of ${s.requests}`, times[0]!, 'ms', {
        note: 'on a shared machine the least disturbed request',
        engine: label,
      }),
      row(`workspace: before: GET /arbeitsplatz/aufgaben, min of ${s.requests}`, timesBefore[0]!, 'ms', {
        engine: label,
      }),
      row(`workspace: before: GET /arbeitsplatz/aufgaben, p50 of ${s.requests}`, quantile(timesBefore, 0.5), 'ms', {
        note: `the earlier way, alternating with the rows above; first request ${Math.round(firstBefore.ms)} ms`,
        engine: label,
      }),
      row(`workspace: before: GET /arbeitsplatz/aufgaben, p99 of ${s.requests}`, quantile(timesBefore, 0.99), 'ms', {
        engine: label,
      }),
      row('workspace: GET /arbeitsplatz/aufgaben?seite=20', page20.ms, 'ms', {
        note: `${page20.rows} rows`,
        engine: label,
      }),
      row(`workspace: GET /arbeitsplatz/aufgaben, last page (${Math.ceil(s.tasks / 25)})`, last.ms, 'ms', {
        note: `${last.rows} rows`,
        engine: label,
      }),
      row('workspace: engine paged task query (25 tasks and the count), p50 of 10', quantile(pageTimes, 0.5), 'ms', {
        note: `min ${pageTimes[0]!.toFixed(1)} ms`,
        engine: label,
      }),
      row(`workspace: before: engine task queries (${read} tasks read), p50 of 10`, quantile(engineTimes, 0.5), 'ms', {
        note: `min ${engineTimes[0]!.toFixed(1)} ms`,
        engine: label,
      }),
      row(`workspace: before: store join of ${read} tasks, p50 of 10`, quantile(joinTimes, 0.5), 'ms', {
        note: `min ${joinTimes[0]!.toFixed(1)} ms`,
        engine: label,
      }),
    ];
  } finally {
    for (const server of servers) await new Promise<void>((r) => server.close(() => r()));
    await store.close();
    await engine.stop();
  }
}
