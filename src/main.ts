/**
 * Composes the running system: the local Operaton engine host (unless ENGINE_URL names an engine), the
 * engine's groups and technical user, the deployment of processes/, store, workers and HTTP API, and takes it
 * all down in reverse order on SIGINT/SIGTERM.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';

import { workers as allWorkers } from '../workers/index.js';
import { buildApp } from './api/app.js';
import { startSweeping } from './api/applications/start-sweep.js';
import { appDeps } from './app/deps.js';
import { calendarsFor } from './calendar/calendars.js';
import type { AppConfig } from './config/load.js';
import { deployAll } from './engine/deploy.js';
import { type EngineEndpoints, engineEndpoints } from './engine/endpoints.js';
import { RestEngineGateway } from './engine/gateway.js';
import { type RunningEngine, startLocalEngine, waitUntilReady } from './engine/local-engine.js';
import { RestCasePositions } from './engine/positions.js';
import { provision, provisioningPlan, provisionTenants, tenantPlan } from './engine/provision.js';
import { EngineRestClient } from './engine/rest-client.js';
import { RestStaffEngine } from './engine/staff.js';
import { RestTaskPages } from './engine/task-pages.js';
import type { Logger } from './log/logger.js';
import { d3Webhook, type Mailer, smtpMailer } from './notify/transports.js';
import { openStore, type Store } from './store/index.js';
import { selectWorkers, startWorkers, type WorkerHost } from './worker-runtime/worker-host.js';

export interface StartOptions {
  engine: boolean;
  deploy: boolean;
  api: boolean;
  workers: boolean;
  only?: string[];
}

export interface Running {
  endpoints: EngineEndpoints;
  engine?: RunningEngine;
  store?: Store;
  workerHost?: WorkerHost;
  server?: Server;
  /** Finishes or withdraws applications a stopped API left unconfirmed (src/api/applications/start-sweep.ts). */
  startSweep?: { stop(): Promise<void> };
  stop(): Promise<void>;
}

/** The local staff logins' password (Tasklist), printed at start; local engine outside production only. */
export const LOCAL_STAFF_PASSWORD = 'demo';

/**
 * Starts the local engine host (or waits for the configured engine) and provisions its identity: groups,
 * the technical user, a tenant per jobcenter, and locally staff logins per role and jobcenter. Returns when the
 * technical user is accepted.
 * With `supervise`, a local engine that exits unexpectedly is started again (ENGINE_RESTART_*).
 */
export async function ensureEngine(
  config: AppConfig,
  log: Logger,
  opts: { supervise?: boolean } = {},
): Promise<{ endpoints: EngineEndpoints; engine?: RunningEngine }> {
  const env = config.env;
  const endpoints = engineEndpoints(env);
  let engine: RunningEngine | undefined;
  if (endpoints.local) {
    engine = await startLocalEngine({
      engineDir: env.ENGINE_SOURCE_DIR,
      dataDir: env.DATA_DIR,
      port: env.ENGINE_PORT,
      heap: env.ENGINE_HEAP,
      historyLevel: env.ENGINE_HISTORY_LEVEL,
      javaHome: env.JAVA_HOME,
      admin: endpoints.administrator!,
      database: env.ENGINE_DATABASE_URL
        ? { url: env.ENGINE_DATABASE_URL, user: env.ENGINE_DATABASE_USER, password: env.ENGINE_DATABASE_PASSWORD }
        : undefined,
      startTimeoutSeconds: env.ENGINE_START_TIMEOUT_SECONDS,
      log,
      supervise: opts.supervise
        ? { maxExits: env.ENGINE_RESTART_LIMIT, windowSeconds: env.ENGINE_RESTART_WINDOW_SECONDS }
        : undefined,
    });
  } else {
    log.info(`Using the engine at ${endpoints.rest.join(', ')}`);
  }
  try {
    if (env.ENGINE_PROVISION ?? endpoints.local) {
      const admin = new EngineRestClient(endpoints.rest, endpoints.administrator!);
      if (!endpoints.local) await waitUntilReady(admin, env.ENGINE_START_TIMEOUT_SECONDS, log);
      const staffPassword = endpoints.local && env.NODE_ENV !== 'production' ? LOCAL_STAFF_PASSWORD : undefined;
      await provision(admin, provisioningPlan(config.jobcenters.values(), endpoints.technical, staffPassword), log);
      // After the groups: a tenant membership names a group that must exist.
      await provisionTenants(admin, tenantPlan(config.jobcenters.values()), log);
    }
    await waitUntilReady(
      new EngineRestClient(endpoints.rest, endpoints.technical),
      env.ENGINE_START_TIMEOUT_SECONDS,
      log,
    );
  } catch (e) {
    await engine?.stop();
    throw e;
  }
  return { endpoints, engine };
}

export async function start(config: AppConfig, log: Logger, opts: StartOptions): Promise<Running> {
  const env = config.env;
  const running: Running = { endpoints: engineEndpoints(env), stop: async () => {} };
  let mailer: Mailer | undefined;
  // A client on a keep-alive connection could go on sending for as long as it likes: server.close() alone waits
  // for it, and the workers' drain would never begin. While stopping, such requests get 503 and the connection closes.
  let draining = false;
  let stopping: Promise<void> | undefined;
  // Once: a signal can arrive while the supervisor's give-up is already stopping everything.
  const stop = () => (stopping ??= stopAll());
  const stopAll = async () => {
    // Before the drain, which needs the engine: its exit from now on (Ctrl-C reaches the JVM too) is part of
    // this stop, not a crash to restart.
    running.engine?.supervision?.expectExit();
    draining = true;
    await new Promise<void>((resolve) => (running.server ? running.server.close(() => resolve()) : resolve()));
    if (running.server) log.info('HTTP API closed: its requests answered, no more taken');
    await running.startSweep?.stop();
    await running.workerHost?.close();
    mailer?.close();
    await running.store?.close();
    await running.engine?.stop();
  };
  running.stop = stop;
  try {
    // The system stays up as long as its engine can be brought back; `deploy` alone has no engine to keep.
    if (opts.engine) Object.assign(running, await ensureEngine(config, log, { supervise: true }));
    const client = new EngineRestClient(running.endpoints.rest, running.endpoints.technical);
    if (opts.deploy) await deployAll(client, env.PROCESSES_DIR, log);
    if (!opts.api && !opts.workers) return running;

    running.store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: path.join(env.DATA_DIR, 'store') });
    const calendars = calendarsFor(config.jobcenters);
    if (opts.workers) {
      // Without these the notification worker leaves every e-mail and d.3 message pending in the outbox.
      mailer = env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM) : undefined;
      const d3 =
        env.D3_WEBHOOK_URL && env.D3_WEBHOOK_SECRET ? d3Webhook(env.D3_WEBHOOK_URL, env.D3_WEBHOOK_SECRET) : undefined;
      const deps = appDeps({
        store: running.store,
        calendars,
        jobcenters: config.jobcenters,
        now: () => new Date(),
        mailer,
        d3,
      });
      const selected = selectWorkers(allWorkers, opts.only);
      if (selected.length === 0) throw new Error(`No worker matches ${opts.only?.join(', ')}`);
      running.workerHost = startWorkers(selected, deps, {
        baseUrl: running.endpoints.rest,
        credentials: running.endpoints.technical,
        maxTasks: env.WORKER_MAX_TASKS,
        lockSeconds: env.WORKER_LOCK_SECONDS,
        longPollSeconds: env.WORKER_LONG_POLL_SECONDS,
        log,
      });
    }
    if (opts.api) {
      const supervision = running.engine?.supervision;
      const app = buildApp({
        engine: new RestEngineGateway(client),
        store: running.store,
        calendars,
        jobcenters: config.jobcenters,
        tokens: config.tokens,
        log,
        rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
        webApps: { cockpit: running.endpoints.cockpit, tasklist: running.endpoints.tasklist },
        engineProcess: supervision && (() => supervision.status()),
        workspace: config.sessionSecret
          ? {
              staff: new RestStaffEngine(client, running.endpoints.rest),
              positions: new RestCasePositions(client),
              taskPages: new RestTaskPages(client),
              sessionSecret: config.sessionSecret,
              allowUnbound: env.NODE_ENV !== 'production',
            }
          : undefined,
      });
      running.server = await new Promise<Server>((resolve, reject) => {
        const server = createServer((req, res) => {
          if (draining) refuseWhileStopping(res);
          else app(req, res);
        });
        server.listen(env.PORT, env.HOST, () => resolve(server));
        server.on('error', reject);
      });
      running.startSweep = startSweeping(running.store.db, log);
    }
    return running;
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

function refuseWhileStopping(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '5' });
  res.end(JSON.stringify({ error: 'The service is shutting down; try again shortly', issues: [] }));
}

/**
 * SIGINT/SIGTERM, or the engine supervisor giving up: stop in reverse order and exit (0 after a signal; 1 after
 * giving up, so a service manager restarts the whole); a second signal or a stuck stop forces the exit.
 */
export function stopOnSignals(running: Running, log: Logger): void {
  let stopping = false;
  const stopAndExit = (why: string, exitCode: number) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info(`${why}: stopping (API, workers after their running tasks, store, engine)...`, { exitCode });
    setTimeout(() => {
      log.error('Stopping took longer than 90 s; exiting');
      process.exit(1);
    }, 90_000).unref();
    running.stop().then(
      () => process.exit(exitCode),
      (e: unknown) => {
        log.error('Stopping failed', { error: (e as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stopAndExit('SIGINT', 0));
  process.on('SIGTERM', () => stopAndExit('SIGTERM', 0));
  void running.engine?.supervision?.gaveUp.then(() => stopAndExit('The engine exited too often', 1));
}
