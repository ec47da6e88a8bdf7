/**
 * Runs the Camunda orchestration cluster (Zeebe, Operate, Tasklist) from the unpacked distribution as a
 * child process, waits until every partition has a leader, and stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'winston';
import { ensureDistribution } from './distribution.js';
import { engineConfigYaml, jdkOptions } from './engine-config.js';
import { findJdk } from './java.js';
import { EngineRestClient } from './rest-client.js';
import type { EngineEndpoints } from './endpoints.js';

export interface LocalEngineOptions {
  version: string;
  engineDir: string;
  dataDir: string;
  javaHome?: string;
  clockControlled: boolean;
  user: string;
  password: string;
  startTimeoutSeconds: number;
  log: Logger;
}

export class EngineStartError extends Error {}

export interface RunningEngine {
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls health, then topology, until each partition has a healthy leader; reports progress. */
export async function waitUntilReady(
  client: EngineRestClient,
  timeoutSeconds: number,
  log: Logger,
  isAlive: () => boolean = () => true,
): Promise<number> {
  const started = Date.now();
  let lastReport = 0;
  let phase = 'waiting for the engine process';
  while ((Date.now() - started) / 1000 < timeoutSeconds) {
    if (!isAlive()) throw new EngineStartError('The engine process exited during start-up');
    try {
      await client.health();
      phase = 'waiting for partition leaders';
      const topo = await client.topology();
      const leaders = topo.brokers.flatMap((b) => b.partitions).filter((p) => p.role === 'leader' && p.health === 'healthy');
      if (topo.partitionsCount > 0 && leaders.length >= topo.partitionsCount) return Date.now() - started;
    } catch {
      // not up yet
    }
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      log.info(`Engine starting: ${phase} (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await sleep(1000);
  }
  throw new EngineStartError(`The engine was not ready after ${timeoutSeconds} s (${phase})`);
}

export async function startLocalEngine(opts: LocalEngineOptions, endpoints: EngineEndpoints): Promise<RunningEngine> {
  const jdk = findJdk(opts.javaHome);
  const home = await ensureDistribution(opts.engineDir, opts.version, opts.log);
  const dataDir = path.resolve(opts.dataDir, 'engine');
  const configDir = path.join(dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    path.join(configDir, 'application.yaml'),
    engineConfigYaml({ dataDir, clockControlled: opts.clockControlled, user: opts.user, password: opts.password }),
  );
  const logFile = path.join(dataDir, 'camunda.log');
  const out = createWriteStream(logFile, { flags: 'a' });

  opts.log.info(`Starting Camunda ${opts.version} on Java ${jdk.major} (log: ${logFile})`);
  const child: ChildProcess = spawn(path.join(home, 'bin', 'camunda'), [`--spring.config.additional-location=file:${configDir}/`], {
    env: {
      ...process.env,
      JAVA_HOME: jdk.home,
      JDK_JAVA_OPTIONS: [process.env.JDK_JAVA_OPTIONS, jdkOptions(jdk.major)].filter(Boolean).join(' '),
      SPRING_PROFILES_ACTIVE: 'operate,tasklist,broker,identity,consolidated-auth',
      ZEEBE_CLOCK_CONTROLLED: String(opts.clockControlled),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    for (let i = 0; i < 60 && !exited; i++) await sleep(500);
    if (!exited) child.kill('SIGKILL');
  };

  try {
    const ms = await waitUntilReady(new EngineRestClient(endpoints), opts.startTimeoutSeconds, opts.log, () => !exited);
    opts.log.info(`Engine ready after ${(ms / 1000).toFixed(1)} s`);
  } catch (e) {
    await stop();
    throw new EngineStartError(`${(e as Error).message}. See ${logFile}.`);
  }
  return { pid: child.pid ?? -1, logFile, stop };
}
