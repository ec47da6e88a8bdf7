/** Starts the API under load (server.ts) as a child process and asks it for its memory, rows and answers. */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import type { EngineEndpoints } from '../../src/engine/endpoints.js';
import type { AskServer, FromServer, ServerStats, StartServer } from './messages.js';

export interface ApiServerProcess {
  url: string;
  /** Bearer token of an EZ clerk of cottbus, valid in this server only. */
  token: string;
  pid: number;
  rssMb(): Promise<number>;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

const SERVER_ENTRY = path.join(import.meta.dirname, 'server.ts');
const START_TIMEOUT_MS = 60_000;

/** `nodeFlags` go to the child's node, e.g. --cpu-prof for profiling. */
export async function startApiServer(opts: {
  engine: EngineEndpoints | null;
  nodeFlags?: string[];
  startDelayMs?: number;
  databaseUrl?: string;
}): Promise<ApiServerProcess> {
  const child = fork(SERVER_ENTRY, [], {
    execArgv: ['--import', 'tsx', ...(opts.nodeFlags ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (m: FromServer) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited: Error | undefined;

  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the API process did not listen within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.on('message', (m: FromServer) => {
      if (m.type === 'listening') {
        clearTimeout(timer);
        resolve(m.port);
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`the API process failed to start: ${m.message}`));
      } else {
        pending.get(m.id)?.resolve(m);
        pending.delete(m.id);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      exited = new Error(`the API process exited (${signal ?? code})`);
      reject(exited);
      for (const asked of pending.values()) asked.reject(exited);
      pending.clear();
    });
  });

  const ask = <T extends FromServer>(type: AskServer['type']): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolve(m as T), reject });
      child.send({ type, id } satisfies AskServer);
    });

  const token = `bench-ez-${randomBytes(12).toString('hex')}`;
  child.send({
    type: 'start',
    engine: opts.engine,
    token,
    startDelayMs: opts.startDelayMs,
    databaseUrl: opts.databaseUrl,
  } satisfies StartServer);
  let port: number;
  try {
    port = await listening;
  } catch (e) {
    if (!exited) child.kill();
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    pid: child.pid!,
    rssMb: async () => (await ask<Extract<FromServer, { type: 'memory' }>>('memory')).rssMb,
    stats: async () => (await ask<Extract<FromServer, { type: 'stats' }>>('stats')).stats,
    stop: async () => {
      const gone = new Promise<void>((resolve) => (exited ? resolve() : child.once('exit', () => resolve())));
      await ask('stop');
      await gone;
    },
  };
}
