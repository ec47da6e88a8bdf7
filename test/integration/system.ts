/**
 * The system under test for integration specs: the real Operaton engine (started by the global setup), an
 * in-memory store, every worker (and the skeleton fixture's) and the HTTP app in this process. Every spec gives
 * its own applications their own ids; the helpers below read the engine as Cockpit and Tasklist do.
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Express } from 'express';

import { buildApp } from '../../src/api/app.js';
import { type AppDeps, appDeps } from '../../src/app/deps.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { loadConfig } from '../../src/config/load.js';
import { type EngineEndpoints, engineEndpoints } from '../../src/engine/endpoints.js';
import { RestEngineGateway } from '../../src/engine/gateway.js';
import { EngineRestClient, type JobItem, type TaskItem } from '../../src/engine/rest-client.js';
import { fromEngineVariables } from '../../src/engine/variables.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { AnyWorker } from '../../src/worker-runtime/define-worker.js';
import { startWorkers, type WorkerHost, type WorkerHostOptions } from '../../src/worker-runtime/worker-host.js';
import { workers } from '../../workers/index.js';
import { FIXTURE_PROCESSES, integrationEnv } from './engine-env.js';

export const ADMIN = { Authorization: 'Bearer integration-test-admin-token' };

export interface System {
  app: Express;
  store: Store;
  client: EngineRestClient;
  endpoints: EngineEndpoints;
  host: WorkerHost;
  /** What the workers get, and how their host talks to the engine: for a test that starts a held-back worker itself. */
  deps: AppDeps;
  workerOptions: WorkerHostOptions;
  close(): Promise<void>;
}

export interface SystemOptions {
  /** Topics whose workers do not start, so a test can hold an instance at that step and play or start the worker itself. */
  holdBack?: string[];
  /** A mailer or d.3 webhook for the workers, e.g. to the test's own SMTP server; without them messages stay in the outbox. */
  transports?: Pick<AppDeps, 'mailer' | 'd3'>;
}

/** The skeleton fixture's workers, when the fixture is there (tests deploy it; production does not). */
async function fixtureWorkers(): Promise<AnyWorker[]> {
  const dir = path.join(FIXTURE_PROCESSES, 'workers');
  if (!existsSync(dir)) return [];
  const mod = (await import('../fixtures/skeleton/workers/index.js')) as { workers: AnyWorker[] };
  return mod.workers;
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const config = loadConfig(integrationEnv);
  const log = createLogger({ level: config.env.LOG_LEVEL, format: 'json' });
  const endpoints = engineEndpoints(config.env);
  const client = new EngineRestClient(endpoints.rest, endpoints.technical);
  const store = await openStore({});
  const calendars = calendarsFor(config.jobcenters);
  const deps = appDeps({
    store,
    calendars,
    jobcenters: config.jobcenters,
    now: () => new Date(),
    ...options.transports,
  });
  const workerOptions: WorkerHostOptions = {
    baseUrl: endpoints.rest[0]!,
    credentials: endpoints.technical,
    maxTasks: 8,
    lockSeconds: config.env.WORKER_LOCK_SECONDS,
    longPollSeconds: config.env.WORKER_LONG_POLL_SECONDS,
    log,
  };
  const started = [...workers, ...(await fixtureWorkers())].filter((w) => !options.holdBack?.includes(w.topic));
  const host = startWorkers(started, deps, workerOptions);
  const app = buildApp({
    engine: new RestEngineGateway(client),
    store,
    calendars,
    jobcenters: config.jobcenters,
    tokens: config.tokens,
    log,
    webApps: { cockpit: endpoints.cockpit, tasklist: endpoints.tasklist },
  });
  return {
    app,
    store,
    client,
    endpoints,
    host,
    deps,
    workerOptions,
    async close() {
      await host.close();
      await rememberPersonalTexts(store);
      await store.close();
    },
  };
}

/** Where each test's store leaves its people's names and birth dates for the privacy scan after the suite. */
export const PERSONAL_TEXTS_FILE = path.join(integrationEnv.DATA_DIR!, 'personal-texts.jsonl');

async function rememberPersonalTexts(store: Store): Promise<void> {
  const people = await store.db.selectFrom('persons').select(['given_name', 'family_name', 'birth_date']).execute();
  mkdirSync(path.dirname(PERSONAL_TEXTS_FILE), { recursive: true });
  appendFileSync(
    PERSONAL_TEXTS_FILE,
    people.map((p) => `${JSON.stringify([p.given_name, p.family_name, p.birth_date])}\n`).join(''),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until the probe returns a value. The engine's reads are consistent; what takes time is the workers,
 * which fetch and complete their tasks asynchronously.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The open user tasks of an instance at one activity, once there are at least `count`. */
export function openTasks(
  client: EngineRestClient,
  processInstanceId: string,
  activityId: string,
  count = 1,
): Promise<TaskItem[]> {
  return eventually(`${count} open task(s) ${activityId}`, async () => {
    const tasks = await client.tasks({ processInstanceId, taskDefinitionKey: activityId });
    return tasks.length >= count ? tasks : undefined;
  });
}

/** The timer job waiting at one activity of an instance. */
export function timerAt(client: EngineRestClient, processInstanceId: string, activityId: string): Promise<JobItem> {
  return eventually(`the timer ${activityId}`, async () => {
    const jobs = await client.jobs({ processInstanceId, activityId, timers: 'true' });
    return jobs[0];
  });
}

/** The instance's variables as plain values (JSON text left as it is). */
export async function variablesOf(
  client: EngineRestClient,
  processInstanceId: string,
): Promise<Record<string, unknown>> {
  const vars = await client.variableInstances({ processInstanceIdIn: processInstanceId, maxResults: '1000' });
  return fromEngineVariables(Object.fromEntries(vars.map((v) => [v.name, { value: v.value, type: v.type }])));
}

/** Waits until the instance has ended (completed or terminated) and returns its history entry. */
export function ended(client: EngineRestClient, processInstanceId: string, timeoutMs = 60_000) {
  return eventually(
    'the instance to end',
    async () => {
      const h = await client.historicProcessInstance(processInstanceId);
      return h.state === 'ACTIVE' ? undefined : h;
    },
    timeoutMs,
  );
}

/** Fails fast with the engine's incident when a worker or expression broke, instead of timing out later. */
export async function noIncidents(client: EngineRestClient, processInstanceId: string): Promise<void> {
  const incidents = await client.incidents({ processInstanceId });
  if (incidents.length)
    throw new Error(`Incidents: ${incidents.map((i) => `${i.activityId}: ${i.incidentMessage}`).join('; ')}`);
}
