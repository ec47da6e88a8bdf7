/** /health and /ready with a local engine that `npm start` keeps running: its restarts and last exit are shown. */
import { describe, expect, it } from '@jest/globals';
import express from 'express';
import client from 'prom-client';
import request from 'supertest';

import { healthRouter } from '../../../src/api/health/router.js';
import type { EngineProcessStatus } from '../../../src/engine/engine-supervisor.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';

function app(engineReady: boolean, engineProcess?: () => EngineProcessStatus) {
  const engine = { isReady: async () => engineReady } as unknown as EngineGateway;
  const store = { isMigrated: async () => true } as unknown as Store;
  return express().use(healthRouter(engine, store, new client.Registry(), engineProcess));
}

const restarted: EngineProcessStatus = {
  state: 'restarting',
  restarts: 2,
  lastExit: { pid: 4711, code: null, signal: 'SIGKILL', at: '2026-12-07T09:14:03.512Z' },
};

describe('health and readiness of a supervised local engine', () => {
  it('adds the engine process to /health and /ready, keeping their fields', async () => {
    const health = await request(app(false, () => restarted)).get('/health');
    expect(health.body).toEqual({ status: 'UP', engineProcess: restarted });

    const ready = await request(app(false, () => restarted)).get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'NOT_READY', engine: false, store: true, engineProcess: restarted });
  });

  it('reads the status at each request', async () => {
    let status: EngineProcessStatus = { state: 'running', restarts: 0, lastExit: null };
    const api = app(true, () => status);
    expect((await request(api).get('/ready')).body.engineProcess).toEqual({
      state: 'running',
      restarts: 0,
      lastExit: null,
    });
    status = { ...restarted, state: 'running' };
    expect((await request(api).get('/ready')).body.engineProcess).toMatchObject({ restarts: 2 });
  });

  it('says nothing of an engine process with ENGINE_URL (no local engine to supervise)', async () => {
    expect((await request(app(true)).get('/health')).body).toEqual({ status: 'UP' });
    expect((await request(app(true)).get('/ready')).body).toEqual({ status: 'READY', engine: true, store: true });
  });
});
