/**
 * The system under test for integration specs: the real engine (started by the global setup), an in-memory
 * store, every worker and the HTTP app in this process. Every spec gives its own applications their own ids.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { buildApp } from '../../src/api/app.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { loadConfig } from '../../src/config/load.js';
import { engineEndpoints } from '../../src/engine/endpoints.js';
import { RestEngineGateway } from '../../src/engine/gateway.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startWorkers, type WorkerHost } from '../../src/worker-runtime/worker-host.js';
import { workers } from '../../workers/index.js';
import { integrationEnv } from './engine-env.js';

export const ADMIN = { Authorization: 'Bearer integration-test-admin-token' };

export interface System {
  app: Express;
  store: Store;
  client: EngineRestClient;
  host: WorkerHost;
  close(): Promise<void>;
}

export async function startSystem(): Promise<System> {
  const config = loadConfig(integrationEnv);
  const log = createLogger({ level: 'warn', format: 'json' });
  const client = new EngineRestClient(engineEndpoints(config.env));
  const store = await openStore({});
  const calendars = calendarsFor(config.jobcenters);
  const host = startWorkers(workers, { store, calendars, jobcenters: config.jobcenters, now: () => new Date() }, {
    gatewayAddress: engineEndpoints(config.env).grpc,
    maxJobsActive: 8,
    log,
  });
  const app = buildApp({ engine: new RestEngineGateway(client), store, calendars, jobcenters: config.jobcenters, tokens: config.tokens, log });
  return {
    app,
    store,
    client,
    host,
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
  appendFileSync(PERSONAL_TEXTS_FILE, people.map((p) => `${JSON.stringify([p.given_name, p.family_name, p.birth_date])}\n`).join(''));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the probe returns a value: search results trail the engine by the exporter's flush interval. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await sleep(500);
  }
}
