/**
 * Shared pieces of the reliability specs: each spec runs the real system as separate processes so a fault can
 * hit one of them (SIGKILL, SIGTERM) and leave the others running.
 *
 *   const pg = await requirePostgres();                  // fails loudly when no PostgreSQL server answers
 *   const store = await scratchStore(pg, 'rel_faults');  // one store shared by the test, the app and the workers
 *   const engine = await startEngine({ port: 18103, dataDir: '.data/helper-faults-x', fresh: true });
 *   await deployProcesses(engine);                       // processes/ (and the skeleton fixture)
 *   const app = spawnApp('start', { name: 'app', env: appEnv({ engine, store, port: 3103 }), logDir });
 *   await waitForHttp(`http://127.0.0.1:3103/ready`);
 *   ...; app.kill('SIGKILL'); await app.exited;
 *   await assertNoPersonalData(engine, store);           // the privacy scan, 0 findings
 *   await engine.stop(); await store.drop();
 *
 * Child processes run `node --import tsx src/cli.ts <command>` (not the tsx launcher, which would put a second
 * process between the signal and the app). Their logs (JSON lines) go to one file per process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import pg from 'pg';

import { buildApp } from '../../src/api/app.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { loadConfig } from '../../src/config/load.js';
import { deployAll } from '../../src/engine/deploy.js';
import { LOCAL_TECHNICAL_USER } from '../../src/engine/endpoints.js';
import { RestEngineGateway } from '../../src/engine/gateway.js';
import type { RunningEngine } from '../../src/engine/local-engine.js';
import { scanEngine } from '../../src/engine/privacy-scan.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { createLogger } from '../../src/log/logger.js';
import { ensureEngine } from '../../src/main.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createScratchDatabase } from '../../src/store/scratch-database.js';
import { buildEngineHost } from '../../tools/engine/build.js';
import { eventually, type Patience } from '../support/eventually.js';
import { apiTokensSetting, AUTH } from '../support/tokens.js';

/** Engines start in 12–50 s on a busy machine, a `tsx` process in up to a minute: specs set this as their jest timeout. */
export const RELIABILITY_TIMEOUT_MS = 600_000;

/** What an API request to a spawned process sends: the admin's token and a JSON body. */
export const ADMIN_JSON_HEADERS = { ...AUTH.ADMIN, 'content-type': 'application/json' };

/**
 * How the fault specs wait: two minutes unless said otherwise, and a probe that throws is asked again (the engine
 * or the API it asks may be away for a while), its last error named if time runs out.
 */
export const RELIABLY: Patience = { timeoutMs: 120_000, pauseMs: 250, retryErrors: true };

const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', format: 'pretty' });

/** Prints a measured figure the report quotes (jest swallows console.log in some reporters; stdout it keeps). */
export function figure(text: string): void {
  process.stdout.write(`[reliability] ${text}\n`);
}

/**
 * The admin URL of the PostgreSQL server the suite needs: the app, the workers and the test are separate
 * processes and must share one store, which PGlite cannot. Throws with what to do when no server answers.
 */
export async function requirePostgres(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new Error(
      `The reliability suite needs a PostgreSQL server (the app, the workers and the test share one store across processes): ${url.replace(/\/\/[^@]*@/, '//***@')} does not answer (${(e as Error).message}). Start one or set TEST_DATABASE_URL.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  return url;
}

export interface ScratchStore extends Store {
  url: string;
  /** Closes the test's connections and drops the database. */
  drop(): Promise<void>;
}

/** A throw-away PostgreSQL database, migrated before any child process opens it (so they do not race to migrate). */
export async function scratchStore(adminUrl: string, prefix: string): Promise<ScratchStore> {
  const scratch = await createScratchDatabase(adminUrl, prefix);
  const store = await openStore({ databaseUrl: scratch.url });
  return {
    ...store,
    url: scratch.url,
    async drop() {
      await store.close();
      await scratch.drop();
    },
  };
}

export interface Engine {
  port: number;
  dataDir: string;
  restUrl: string;
  /** The technical user's client (what the API and the workers use). */
  client: EngineRestClient;
  coldStartMs: number;
  /** SIGKILL: the JVM dies at once, as on a power cut; resolves when its port is free again. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  port: number;
  /** Its H2 database lives in dataDir/engine/h2; keep it between starts to restart on the same data. */
  dataDir: string;
  /** Remove the H2 database first (a spec's first start). */
  fresh?: boolean;
  /** A JDBC URL (jdbc:postgresql://…) instead of H2, e.g. for two engine nodes on one database. */
  databaseUrl?: string;
}

/** Starts the engine host from the built jar (building it when missing) and provisions groups and the technical user. */
/** Builds the engine host's jar if it is missing or out of date: an app started with a local engine only runs it. */
export async function buildLocalEngineHost(): Promise<void> {
  await buildEngineHost(log);
}

export async function startEngine(opts: EngineOptions): Promise<Engine> {
  if (opts.fresh && !opts.databaseUrl)
    rmSync(path.join(opts.dataDir, 'engine', 'h2'), { recursive: true, force: true });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: opts.dataDir,
    ENGINE_PORT: String(opts.port),
    ENGINE_START_TIMEOUT_SECONDS: '300',
    LOG_LEVEL: 'warn',
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    ...(opts.databaseUrl ? { ENGINE_DATABASE_URL: opts.databaseUrl, ENGINE_DATABASE_USER: 'postgres' } : {}),
  });
  await buildEngineHost(log, { engineDir: config.env.ENGINE_SOURCE_DIR, javaHome: config.env.JAVA_HOME });
  const { endpoints, engine } = await ensureEngine(config, log);
  const running = engine as RunningEngine;
  return engineHandle(opts, endpoints.rest[0]!, running);
}

function engineHandle(opts: EngineOptions, restUrl: string, running: RunningEngine): Engine {
  return {
    port: opts.port,
    dataDir: opts.dataDir,
    restUrl,
    client: new EngineRestClient([restUrl], LOCAL_TECHNICAL_USER),
    coldStartMs: running.coldStartMs,
    async kill() {
      running.kill();
      await waitForPortFree(opts.port);
    },
    stop: () => running.stop(),
  };
}

/** Deploys processes/ and the walking-skeleton fixture as the integration setup does. */
export async function deployProcesses(engine: Engine): Promise<void> {
  await deployAll(engine.client, ['processes', 'test/fixtures/skeleton'], log, 'reliability-tests');
}

/**
 * Environment of a spawned `start`/`workers` process against the given engine and store. With `{ localPort }`
 * there is no ENGINE_URL: `start` builds, starts and supervises its own engine on that port, as `npm start` does.
 */
export function appEnv(opts: {
  engine: Engine | string[] | { localPort: number };
  store: { url: string };
  port?: number;
  dataDir?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const engine: Record<string, string> =
    'localPort' in opts.engine
      ? { ENGINE_PORT: String(opts.engine.localPort) }
      : { ENGINE_URL: (Array.isArray(opts.engine) ? opts.engine : [opts.engine.restUrl]).join(',') };
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(opts.port ?? 0),
    DATA_DIR: opts.dataDir ?? '.data/reliability-app',
    ...engine,
    ENGINE_USER: LOCAL_TECHNICAL_USER.user,
    ENGINE_PASSWORD: LOCAL_TECHNICAL_USER.password,
    ENGINE_START_TIMEOUT_SECONDS: '300',
    DATABASE_URL: opts.store.url,
    API_TOKENS: apiTokensSetting('ADMIN', 'EZ'),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    // Short locks, so a dead worker's tasks come back within seconds.
    WORKER_LOCK_SECONDS: '10',
    WORKER_LONG_POLL_SECONDS: '5',
    ...opts.extra,
  };
}

export interface LogLine {
  message?: string;
  level?: string;
  [k: string]: unknown;
}

/**
 * The HTTP API in the test's own process, on an ephemeral port, for specs whose fault hits another process
 * (a worker): one process start less. Returns its base URL.
 */
export async function startApiInProcess(
  engine: Engine,
  store: ScratchStore,
): Promise<{ base: string; close(): Promise<void> }> {
  const config = loadConfig(appEnv({ engine, store }), { servesApi: true });
  const app = buildApp({
    engine: new RestEngineGateway(engine.client),
    store,
    calendars: calendarsFor(config.jobcenters),
    jobcenters: config.jobcenters,
    tokens: config.tokens,
    log,
    rateLimitPerMinute: 0,
    webApps: { cockpit: '', tasklist: '' },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface ChildApp {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves when the process has ended, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  kill(signal: NodeJS.Signals): void;
  /** The process's log lines, parsed where they are JSON. */
  logLines(): LogLine[];
  /** Waits for a log line whose message matches; returns it. */
  waitForLog(message: RegExp, timeoutMs?: number): Promise<LogLine>;
  /** The worker host's workerId, from its "workers started" line. */
  workerId(timeoutMs?: number): Promise<string>;
}

/** Spawns `node --import tsx src/cli.ts <command>` with only the given environment on top of PATH and HOME. */
export function spawnApp(
  command: 'start' | 'workers',
  opts: { name: string; env: Record<string, string>; logDir: string; args?: string[] },
): ChildApp {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.resolve(opts.logDir, `${opts.name}.log`);
  // Emptied before the spawn, not by the stream's own (asynchronous) open: a reader must never meet the last run's lines.
  writeFileSync(logFile, '');
  const out = createWriteStream(logFile, { flags: 'a' });
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
  };
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', command, ...(opts.args ?? [])],
    {
      cwd: process.cwd(),
      env: { ...base, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false;
      // Let the pipes flush the last lines before the caller reads the log.
      setTimeout(() => {
        out.end();
        resolve({ code, signal });
      }, 200);
    }),
  );
  const logLines = () =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        try {
          return JSON.parse(l) as LogLine;
        } catch {
          return { message: l };
        }
      });
  const waitForLog = (message: RegExp, timeoutMs = 180_000) =>
    eventually(
      `"${message.source}" in ${logFile}`,
      async () => {
        const line = logLines().find((l) => message.test(String(l.message ?? '')));
        if (!line && !running) throw new Error(`${opts.name} exited; see ${logFile}`);
        return line;
      },
      { ...RELIABLY, timeoutMs, pauseMs: 250 },
    );
  return {
    name: opts.name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    isRunning: () => running,
    kill: (signal) => {
      if (running) child.kill(signal);
    },
    logLines,
    waitForLog,
    async workerId(timeoutMs) {
      return String((await waitForLog(/^workers started$/, timeoutMs)).workerId);
    },
  };
}

/** Waits until GET url answers with the status (default 200). */
export function waitForHttp(url: string, status = 200, timeoutMs = 240_000): Promise<Response> {
  return eventually(
    `${url} to answer ${status}`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      return res.status === status ? res : undefined;
    },
    { ...RELIABLY, timeoutMs, pauseMs: 500 },
  );
}

/** Pids of the running processes whose command line names `arg` (e.g. an engine's jar): read from /proc. */
export function processesWith(arg: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(arg)) pids.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return pids;
}

export async function waitForPortFree(port: number, timeoutMs = 60_000): Promise<void> {
  const net = await import('node:net');
  await eventually(
    `port ${port} to be free`,
    () =>
      new Promise<true | undefined>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(undefined);
        });
        socket.once('error', () => resolve(true));
      }),
    { ...RELIABLY, timeoutMs, pauseMs: 200 },
  );
}

/** Sends a request to the spawned API; returns status and parsed body (network errors as status 0). */
export async function api(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { ...ADMIN_JSON_HEADERS, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  } catch (e) {
    return { status: 0, body: { error: (e as Error).message } };
  }
}

/**
 * The privacy scan over everything the engine keeps, looking for every name and birth date the store holds;
 * throws with the findings (never the matched text) when there is one. Returns what it read.
 */
export async function assertNoPersonalData(
  engine: Engine | EngineRestClient,
  store: Store,
): Promise<{ scanned: number; people: number }> {
  const client = engine instanceof EngineRestClient ? engine : engine.client;
  const people = await store.db.selectFrom('persons').select(['given_name', 'family_name', 'birth_date']).execute();
  if (people.length === 0) throw new Error('Privacy scan: the store holds nobody, so the scan would prove nothing');
  const { scanned, findings } = await scanEngine(
    client,
    people.flatMap((p) => [p.given_name, p.family_name, p.birth_date]),
  );
  figure(
    `privacy scan: ${scanned} variables, incident messages and business keys read against ${people.length} people: ${findings.length} findings`,
  );
  if (findings.length)
    throw new Error(
      `The engine holds personal data:\n${findings.map((f) => `  instance ${f.processInstanceId}, ${f.variable}: ${f.why}`).join('\n')}`,
    );
  return { scanned, people: people.length };
}
