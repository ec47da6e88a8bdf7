/**
 * The walking skeleton on the real engine: API -> engine -> worker -> store, a Camunda user task completed
 * through the API, a timer at a date the calendar worker computed, moved past with the engine clock.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp } from '../../src/api/app.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { loadConfig } from '../../src/config/load.js';
import { engineEndpoints } from '../../src/engine/endpoints.js';
import { RestEngineGateway } from '../../src/engine/gateway.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startWorkers, type WorkerHost } from '../../src/zeebe/worker-host.js';
import { workers } from '../../workers/index.js';
import { integrationEnv } from './engine-env.js';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await sleep(500);
  }
}

describe('walking skeleton on the real engine', () => {
  const config = loadConfig(integrationEnv);
  const log = createLogger({ level: 'warn', format: 'json' });
  const client = new EngineRestClient(engineEndpoints(config.env));
  let store: Store;
  let host: WorkerHost;
  let app: Express;
  const admin = { Authorization: 'Bearer integration-test-admin-token' };

  beforeAll(async () => {
    store = await openStore({});
    const calendars = calendarsFor(config.jobcenters);
    host = startWorkers(workers, { store, calendars, jobcenters: config.jobcenters, now: () => new Date() }, {
      gatewayAddress: engineEndpoints(config.env).grpc,
      maxJobsActive: 8,
      log,
    });
    app = buildApp({ engine: new RestEngineGateway(client), store, calendars, jobcenters: config.jobcenters, tokens: config.tokens, log });
  });

  afterAll(async () => {
    await client.resetClock().catch(() => {});
    await host?.close();
    await store?.close();
  });

  it('runs from the API through a worker, a user task and a computed timer to the end', async () => {
    const jobcenter = [...config.jobcenters.keys()][0]!;
    const visitedOn = new Date().toISOString().slice(0, 10);

    const started = await request(app).post('/api/v1/skeleton/visits').set(admin).send({ jobcenter, visitedOn, workingDays: 2 });
    expect(started.status).toBe(201);
    const key = started.body.processInstanceKey as string;

    const visit = await eventually('the worker to write the visit', async () =>
      store.db.selectFrom('skeleton_visits').selectAll().where('process_instance_key', '=', key).executeTakeFirst(),
    );
    expect(visit.visited_on).toBe(visitedOn);

    const reviewed = await eventually('the review task', async () => {
      const r = await request(app).post(`/api/v1/skeleton/visits/${key}/review`).set(admin).send({ reviewed: true });
      return r.status === 202 ? r : undefined;
    });
    expect(reviewed.status).toBe(202);

    const dueAt = await eventually('the computed due instant', async () => {
      const vars = await client.searchVariables({ processInstanceKey: key, name: 'dueAt' });
      return vars.items[0] ? (JSON.parse(vars.items[0].value) as string) : undefined;
    });
    await eventually('the timer to be waiting', async () => {
      const els = await client.searchElementInstances({ processInstanceKey: key, elementId: 'Timer_Due', state: 'ACTIVE' });
      return els.items[0];
    });
    await client.pinClock(new Date(dueAt).getTime() + 60_000);

    const done = await eventually('the instance to complete', async () => {
      const page = await client.searchProcessInstances({ processInstanceKey: key });
      return page.items[0]?.state === 'COMPLETED' ? page.items[0] : undefined;
    });
    expect(done.state).toBe('COMPLETED');
  });
});
