/**
 * The system under test for integration specs: the real Operaton engine (started by the global setup), an
 * in-memory store, every worker (and the skeleton fixture's) and the HTTP app in this process. Every spec gives
 * its own applications their own ids. Reading the engine, waiting and the API tokens are in test/support.
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Express } from 'express';
import request from 'supertest';

import { buildApp } from '../../src/api/app.js';
import { type AppDeps, appDeps } from '../../src/app/deps.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import type { JobcenterSettings } from '../../src/config/jobcenter.js';
import { loadConfig } from '../../src/config/load.js';
import type { TokenTable } from '../../src/config/tokens.js';
import { type EngineEndpoints, engineEndpoints } from '../../src/engine/endpoints.js';
import { RestEngineGateway } from '../../src/engine/gateway.js';
import { RestCasePositions } from '../../src/engine/positions.js';
import type { EngineRestClient } from '../../src/engine/rest-client.js';
import { RestStaffEngine } from '../../src/engine/staff.js';
import { RestTaskPages } from '../../src/engine/task-pages.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { AnyWorker } from '../../src/worker-runtime/define-worker.js';
import { startWorkers, type WorkerHost, type WorkerHostOptions } from '../../src/worker-runtime/worker-host.js';
import { workers } from '../../workers/index.js';
import { noIncidents, technicalClient } from '../support/engine.js';
import { eventually, type Patience } from '../support/eventually.js';
import { AUTH } from '../support/tokens.js';
import { FIXTURE_PROCESSES, integrationEnv, PERSONAL_TEXTS_FILE } from './engine-env.js';

export interface System {
  app: Express;
  store: Store;
  client: EngineRestClient;
  endpoints: EngineEndpoints;
  /** The running workers: every one but the held-back topics'. */
  readonly host: WorkerHost;
  /**
   * Stops the workers and starts them again with these topics held back: for a spec whose tests each hold back
   * another step, on one store and app, instead of opening and migrating a store per test.
   */
  restartWorkers(holdBack: readonly string[]): Promise<void>;
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
  /** Jobcenter settings instead of processes/'s, e.g. with a fixture jobcenter added (the spec provisions its tenant). */
  jobcenters?: ReadonlyMap<string, JobcenterSettings>;
  /** API tokens instead of the integration environment's, e.g. one bound to a jobcenter. */
  tokens?: TokenTable;
  /**
   * How long an idle worker's fetch waits on the engine, instead of WORKER_LONG_POLL_SECONDS: stopping the workers
   * waits for the fetch on its way, and a task whose lock ran out is only fetched by the next one.
   */
  longPollSeconds?: number;
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
  const client = technicalClient(endpoints);
  const store = await openStore({});
  const jobcenters = options.jobcenters ?? config.jobcenters;
  const calendars = calendarsFor(jobcenters);
  const deps = appDeps({
    store,
    calendars,
    jobcenters,
    now: () => new Date(),
    ...options.transports,
  });
  const workerOptions: WorkerHostOptions = {
    baseUrl: endpoints.rest[0]!,
    credentials: endpoints.technical,
    maxTasks: 8,
    lockSeconds: config.env.WORKER_LOCK_SECONDS,
    longPollSeconds: options.longPollSeconds ?? config.env.WORKER_LONG_POLL_SECONDS,
    log,
  };
  const all = [...workers, ...(await fixtureWorkers())];
  const startHost = (holdBack: readonly string[] = []) =>
    startWorkers(
      all.filter((w) => !holdBack.includes(w.topic)),
      deps,
      workerOptions,
    );
  let host = startHost(options.holdBack);
  const app = buildApp({
    engine: new RestEngineGateway(client),
    store,
    calendars,
    jobcenters,
    tokens: options.tokens ?? config.tokens,
    log,
    webApps: { cockpit: endpoints.cockpit, tasklist: endpoints.tasklist },
    workspace: {
      staff: new RestStaffEngine(client, endpoints.rest),
      positions: new RestCasePositions(client),
      taskPages: new RestTaskPages(client),
      sessionSecret: config.sessionSecret!,
      allowUnbound: true,
    },
  });
  return {
    app,
    store,
    client,
    endpoints,
    get host() {
      return host;
    },
    async restartWorkers(holdBack) {
      await host.close();
      host = startHost(holdBack);
    },
    deps,
    workerOptions,
    async close() {
      await host.close();
      await rememberPersonalTexts(store);
      await store.close();
    },
  };
}

async function rememberPersonalTexts(store: Store): Promise<void> {
  const people = await store.db.selectFrom('persons').select(['given_name', 'family_name', 'birth_date']).execute();
  const addresses = await store.db
    .selectFrom('application_addresses')
    .select(['care_of', 'street', 'mailing_care_of', 'mailing_street'])
    .execute();
  mkdirSync(path.dirname(PERSONAL_TEXTS_FILE), { recursive: true });
  appendFileSync(
    PERSONAL_TEXTS_FILE,
    [
      ...people.map((p) => [p.given_name, p.family_name, p.birth_date]),
      ...addresses.map((a) => [a.care_of, a.street, a.mailing_care_of, a.mailing_street].filter((t) => t !== null)),
    ]
      .map((texts) => `${JSON.stringify(texts)}\n`)
      .join(''),
  );
}

/**
 * Reports an event through the API as staff do, once the process waits for it: 409 (the process is not there
 * yet) is tried again, any other answer but 202 fails at once; given its instance, so does an incident there.
 */
export function reportEvent(
  system: System,
  application: { id: string; processInstanceId?: string },
  event: string,
  body: object,
  patience?: Patience,
) {
  return eventually(
    `the process to accept ${event}`,
    async () => {
      if (application.processInstanceId) await noIncidents(system.client, application.processInstanceId);
      const r = await request(system.app)
        .post(`/api/v1/applications/${application.id}/events/${event}`)
        .set(AUTH.ADMIN)
        .send(body);
      if (r.status === 409) return undefined;
      if (r.status !== 202) throw new Error(`${event} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r;
    },
    patience,
  );
}
