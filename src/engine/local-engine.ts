/**
 * Runs the Operaton engine host (engine/) as a child process on loopback: builds it if needed, starts it with
 * an H2 file under DATA_DIR/engine (or the PostgreSQL database ENGINE_DATABASE_URL names), waits until its REST
 * API answers, and stops it cleanly (SIGTERM, then wait; SIGKILL only after a minute).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import type { Logger } from 'winston';

import type { Credentials } from './endpoints.js';
import { ensureEngineHost } from './engine-host.js';
import { EngineRequestError, EngineRestClient } from './rest-client.js';
import { ensureJdk, ensureMaven } from './toolchain.js';

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
}

export class EngineStartError extends Error {}

export interface RunningEngine {
  pid: number;
  logFile: string;
  restUrl: string;
  /** Milliseconds from spawning the JVM until the REST API answered (the build excluded). */
  coldStartMs: number;
  stop(): Promise<void>;
  /** For fault tests: the engine dies at once, as on a power cut. */
  kill(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

export async function startLocalEngine(opts: LocalEngineOptions): Promise<RunningEngine> {
  const jdk = ensureJdk(opts.javaHome, opts.log);
  const { jar } = await ensureEngineHost(opts.engineDir, opts.log, {
    jdkHome: jdk.home || undefined,
    mvn: () => ensureMaven(opts.log),
  });
  if (await portInUse(opts.port)) {
    throw new EngineStartError(
      `Port ${opts.port} on 127.0.0.1 is already in use (another engine or program?). Stop it, or set ENGINE_PORT, or ENGINE_URL to use that engine.`,
    );
  }
  const dataDir = path.resolve(opts.dataDir, 'engine');
  mkdirSync(dataDir, { recursive: true });
  // The JVM reads classes from its jar while it runs: a rebuild (sources changed, another checkout's start)
  // must not pull the jar away under a running engine, so it runs from its own copy.
  const runJar = path.join(dataDir, 'engine-host.jar');
  copyFileSync(jar, runJar);
  const logFile = path.join(dataDir, 'engine.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const restUrl = `http://127.0.0.1:${opts.port}/engine-rest`;

  opts.log.info(`Starting the Operaton engine host on Java ${jdk.major}, port ${opts.port} (log: ${logFile})`);
  const spawned = Date.now();
  const child: ChildProcess = spawn(jdk.java, [`-Xmx${opts.heap}`, '-XX:+ExitOnOutOfMemoryError', '-jar', runJar], {
    cwd: dataDir,
    env: {
      ...process.env,
      ENGINE_BIND_ADDRESS: '127.0.0.1',
      ENGINE_PORT: String(opts.port),
      ENGINE_DATA_DIR: dataDir,
      ENGINE_ADMIN_USER: opts.admin.user,
      ENGINE_ADMIN_PASSWORD: opts.admin.password,
      ENGINE_HISTORY_LEVEL: opts.historyLevel,
      ...(opts.database
        ? {
            ENGINE_DATABASE_URL: opts.database.url,
            ENGINE_DATABASE_USER: opts.database.user ?? '',
            ENGINE_DATABASE_PASSWORD: opts.database.password ?? '',
          }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    // The minute's timer must not outlive the engine: it would keep the calling process (a test run) alive.
    let patience: NodeJS.Timeout | undefined;
    await Promise.race([exitedPromise, new Promise<void>((r) => (patience = setTimeout(r, 60_000)))]);
    clearTimeout(patience);
    if (!exited) {
      child.kill('SIGKILL');
      await exitedPromise;
    }
  };

  let coldStartMs: number;
  try {
    await waitUntilReady(
      new EngineRestClient([restUrl], opts.admin),
      opts.startTimeoutSeconds,
      opts.log,
      () => !exited,
    );
    coldStartMs = Date.now() - spawned;
    opts.log.info(`Engine ready after ${(coldStartMs / 1000).toFixed(1)} s`);
  } catch (e) {
    await stop();
    throw new EngineStartError(`${(e as Error).message}. See ${logFile}.`);
  }
  return { pid: child.pid ?? -1, logFile, restUrl, coldStartMs, stop, kill: () => child.kill('SIGKILL') };
}
