/**
 * Runs the Operaton engine host (engine/) as a child process on loopback: builds it if needed, starts it with
 * an H2 file under DATA_DIR/engine (or the PostgreSQL database ENGINE_DATABASE_URL names), waits until its REST
 * API answers, and stops it cleanly (SIGTERM, then wait; SIGKILL only after a minute). With `supervise`, an
 * unexpected exit starts it again on the same data (engine-supervisor.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from 'winston';

import type { Credentials } from './endpoints.js';
import { type EngineExit, type EngineProcess, EngineSupervisor, readLastLines } from './engine-supervisor.js';
import { findJdk } from './java.js';
import { EngineRequestError, EngineRestClient } from './rest-client.js';

export interface LocalEngineOptions {
  engineDir: string;
  dataDir: string;
  port: number;
  heap: string;
  historyLevel: string;
  javaHome?: string;
  admin: Credentials;
  database?: { url: string; user?: string; password?: string };
  startTimeoutSeconds: number;
  log: Logger;
  /**
   * Start the engine again when it exits unexpectedly (`npm start`), giving up at `maxExits` exits within
   * `windowSeconds`. Without it an exit is the caller's to notice (tests that kill and restart it themselves).
   */
  supervise?: { maxExits: number; windowSeconds: number };
}

export class EngineStartError extends Error {}

export interface RunningEngine {
  /** The JVM running now; a restart changes it. */
  readonly pid: number;
  logFile: string;
  restUrl: string;
  /** Milliseconds from spawning the JVM until the REST API answered (the build excluded). */
  coldStartMs: number;
  stop(): Promise<void>;
  /** For fault tests: the engine dies at once, as on a power cut. */
  kill(): void;
  /** With `supervise`: the restarts so far, and the start of a deliberate stop. */
  supervision?: Pick<EngineSupervisor, 'status' | 'expectExit' | 'gaveUp'>;
}

/** Polls the REST API until it answers for the given user; reports progress every five seconds. */
export async function waitUntilReady(
  client: EngineRestClient,
  timeoutSeconds: number,
  log: Logger,
  isAlive: () => boolean = () => true,
): Promise<number> {
  const started = Date.now();
  let lastReport = Date.now();
  let last = 'no answer yet';
  while ((Date.now() - started) / 1000 < timeoutSeconds) {
    if (!isAlive()) throw new EngineStartError('The engine process exited during start-up');
    try {
      await client.version();
      return Date.now() - started;
    } catch (e) {
      if (e instanceof EngineRequestError && e.status === 401) {
        throw new EngineStartError(
          `The engine at ${client.baseUrl} refuses the configured user (401): check ENGINE_USER/ENGINE_PASSWORD or ENGINE_ADMIN_*`,
        );
      }
      last = (e as Error).message;
    }
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      log.info(`Waiting for the engine at ${client.baseUrl} (${Math.round((Date.now() - started) / 1000)} s)...`);
    }
    await sleep(500);
  }
  throw new EngineStartError(`The engine at ${client.baseUrl} did not answer within ${timeoutSeconds} s (${last})`);
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Lines of the engine's log the exit report carries. */
const EXIT_LOG_LINES = 20;

export async function startLocalEngine(opts: LocalEngineOptions): Promise<RunningEngine> {
  const jdk = findJdk(opts.javaHome);
  const jar = path.resolve(opts.engineDir, 'target', 'engine-host.jar');
  // Building the host is development tooling (tools/engine/build.ts, the first step of `npm start`); production
  // runs the jar it finds.
  if (!existsSync(jar)) {
    throw new EngineStartError(`The engine host is not built (${jar} is missing): run "npm run engine:build" first.`);
  }
  const dataDir = path.resolve(opts.dataDir, 'engine');
  mkdirSync(dataDir, { recursive: true });
  // Before the jar is copied: an engine already on this port may be running from that copy.
  if (await portInUse(opts.port)) throw portTaken(opts.port);
  // The JVM reads classes from its jar while it runs: a rebuild (sources changed, another checkout's start)
  // must not pull the jar away under a running engine, so it runs from its own copy. A restart reuses that copy
  // and never rebuilds: the engine that comes back is the one that ran.
  const runJar = path.join(dataDir, 'engine-host.jar');
  copyFileSync(jar, runJar);
  const logFile = path.join(dataDir, 'engine.log');
  const restUrl = `http://127.0.0.1:${opts.port}/engine-rest`;
  const plan: LaunchPlan = { ...opts, java: jdk.java, javaMajor: jdk.major, runJar, dataDir, logFile, restUrl };

  let current = await launchEngine(plan);
  const base = { logFile, restUrl, coldStartMs: current.coldStartMs };
  if (!opts.supervise) {
    const only = current;
    return { ...base, pid: only.pid, stop: () => only.stop(), kill: () => only.kill() };
  }
  const supervisor = new EngineSupervisor(current, {
    launch: async (signal) => (current = await launchEngine(plan, signal)),
    logTail: () => readLastLines(logFile, EXIT_LOG_LINES),
    log: opts.log,
    maxExits: opts.supervise.maxExits,
    windowMs: opts.supervise.windowSeconds * 1000,
  });
  return {
    ...base,
    get pid() {
      return current.pid;
    },
    stop: () => supervisor.stop(),
    kill: () => current.kill(),
    supervision: supervisor,
  };
}

function portTaken(port: number): EngineStartError {
  return new EngineStartError(
    `Port ${port} on 127.0.0.1 is already in use (another engine or program?). Stop it, or set ENGINE_PORT, or ENGINE_URL to use that engine.`,
  );
}

interface LaunchPlan extends LocalEngineOptions {
  java: string;
  javaMajor: number;
  runJar: string;
  dataDir: string;
  logFile: string;
  restUrl: string;
}

interface LaunchedEngine extends EngineProcess {
  coldStartMs: number;
  kill(): void;
}

/**
 * Spawns the JVM and waits until its REST API answers. Rejects only after the JVM has exited, so a restart
 * that follows never finds the old one still holding the H2 file.
 */
async function launchEngine(plan: LaunchPlan, signal?: AbortSignal): Promise<LaunchedEngine> {
  // Again on a restart: the engine that exited left the port free, so whoever holds it now is another program.
  if (await portInUse(plan.port)) throw portTaken(plan.port);
  const out = createWriteStream(plan.logFile, { flags: 'a' });
  // A full disk must not take the API and the workers down with the engine's log.
  out.on('error', () => {});
  plan.log.info(
    `Starting the Operaton engine host on Java ${plan.javaMajor}, port ${plan.port} (log: ${plan.logFile})`,
  );
  const spawned = Date.now();
  const child: ChildProcess = spawn(
    plan.java,
    [`-Xmx${plan.heap}`, '-XX:+ExitOnOutOfMemoryError', '-jar', plan.runJar],
    {
      cwd: plan.dataDir,
      env: {
        ...process.env,
        ENGINE_BIND_ADDRESS: '127.0.0.1',
        ENGINE_PORT: String(plan.port),
        ENGINE_DATA_DIR: plan.dataDir,
        ENGINE_ADMIN_USER: plan.admin.user,
        ENGINE_ADMIN_PASSWORD: plan.admin.password,
        ENGINE_HISTORY_LEVEL: plan.historyLevel,
        ...(plan.database
          ? {
              ENGINE_DATABASE_URL: plan.database.url,
              ENGINE_DATABASE_USER: plan.database.user ?? '',
              ENGINE_DATABASE_PASSWORD: plan.database.password ?? '',
            }
          : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Both streams write into one file: neither may close it when it ends first.
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  let alive = true;
  const exited = new Promise<EngineExit>((resolve) => {
    const done = (exit: EngineExit) => {
      alive = false;
      // The process is gone, and with it its lock on the H2 file; its last log lines may still be in the pipes,
      // and the exit report reads them from the file.
      void Promise.race([once(child, 'close'), sleep(2000, undefined, { ref: false })]).then(() =>
        out.end(() => resolve(exit)),
      );
    };
    child.once('exit', (code, sig) => done({ code, signal: sig }));
    // No JVM started at all (java not runnable): no 'exit' follows.
    child.once('error', () => {
      if (child.pid === undefined) done({ code: null, signal: null });
    });
  });

  const stop = async () => {
    if (alive) {
      child.kill('SIGTERM');
      // The minute's timer must not outlive the engine: it would keep the calling process (a test run) alive.
      const patience = new AbortController();
      await Promise.race([exited, sleep(60_000, undefined, { signal: patience.signal }).catch(() => {})]);
      patience.abort();
      if (alive) child.kill('SIGKILL');
    }
    await exited;
  };

  const isAlive = () => {
    if (signal?.aborted) throw new EngineStartError('The engine start was called off by a stop');
    return alive;
  };
  try {
    await waitUntilReady(new EngineRestClient([plan.restUrl], plan.admin), plan.startTimeoutSeconds, plan.log, isAlive);
  } catch (e) {
    await stop();
    throw new EngineStartError(`${(e as Error).message}. See ${plan.logFile}.`);
  }
  const coldStartMs = Date.now() - spawned;
  plan.log.info(`Engine ready after ${(coldStartMs / 1000).toFixed(1)} s`, { pid: child.pid });
  return { pid: child.pid ?? -1, exited, coldStartMs, stop, kill: () => child.kill('SIGKILL') };
}
