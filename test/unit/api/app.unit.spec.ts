import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { JobcenterSettings } from '../../../src/config/jobcenter.js';
import type { CompleteResult, EngineGateway } from '../../../src/engine/gateway.js';
import { EngineUnavailableError } from '../../../src/engine/rest-client.js';
import type { Store } from '../../../src/store/index.js';
import { anApplication } from '../../support/application.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { AUTH, bearer, testTokens } from '../../support/tokens.js';

/** A fake engine port: this is a unit test of the HTTP layer; the real engine is behind the integration tests. */
class FakeEngine implements EngineGateway {
  ready = true;
  down = false;
  waiting = true;
  started: { processId: string; variables: Record<string, unknown> }[] = [];
  async isReady() {
    return this.ready;
  }
  async startProcess(processId: string, variables: Record<string, unknown>) {
    if (this.down) throw new EngineUnavailableError('engine away');
    this.started.push({ processId, variables });
    return '2251799813685251';
  }
  async completeUserTask(): Promise<CompleteResult> {
    return this.waiting ? 'completed' : 'not-waiting';
  }
  async correlateMessage() {
    return 'completed' as const;
  }
  async isWaitingAt() {
    return this.waiting;
  }
  async evaluateDecision(): Promise<Record<string, unknown>> {
    return { neukunde: true, reason: 'ERSTANTRAG' };
  }
}

const jobcenters = new Map(
  [
    { id: 'cottbus', name: 'Cottbus', state: 'BB', processId: 'neukunde-cottbus' },
    { id: 'wuppertal', name: 'Wuppertal', state: 'NW', processId: 'quer-wuppertal' },
  ].map((j) => [j.id, JobcenterSettings.parse(j)]),
);
const tokens = testTokens('ADMIN', 'EZ', 'TL');

let store: Store;
beforeAll(async () => {
  store = await openMemoryStore();
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine
afterAll(async () => {
  await store.close();
});

function setup(migrated = true) {
  const engine = new FakeEngine();
  const deps = migrated ? store : ({ isMigrated: async () => false } as unknown as Store);
  const app = buildApp({
    engine,
    store: deps,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens,
    log: winston.createLogger({ silent: true }),
    now: () => new Date('2026-11-23T10:00:00+01:00'),
  });
  return { app, engine };
}

describe('health, readiness, metrics', () => {
  it('answers /health without a token', async () => {
    expect((await request(setup().app).get('/health')).body).toEqual({ status: 'UP' });
  });

  it('is ready only when the engine answers and the store is migrated', async () => {
    const { app, engine } = setup();
    expect((await request(app).get('/ready')).status).toBe(200);
    engine.ready = false;
    const notReady = await request(app).get('/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ engine: false, store: true });
    expect((await request(setup(false).app).get('/ready')).status).toBe(503);
  });

  it('exposes Prometheus metrics with request durations', async () => {
    const { app } = setup();
    await request(app).get('/health');
    const res = await request(app).get('/metrics');
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });
});

describe('authentication', () => {
  it('answers 401 without a token and 401 with an unknown one', async () => {
    const { app } = setup();
    const res = await request(app).get('/api/v1/calendar/due-date?jobcenter=cottbus&from=2026-12-21&workingDays=15');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/bearer token/);
    expect((await request(app).get('/api/v1/calendar/due-date').set(bearer('nope'))).status).toBe(401);
  });

  it('answers 403 to a role that may not and lets ADMIN do everything', async () => {
    const { app, engine } = setup();
    // A valid application: the generic checks go through POST /api/v1/applications, a route production offers.
    const refused = await request(app).post('/api/v1/applications').set(AUTH.TL).send(anApplication());
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/ADMIN, EZ, SC, POST/);
    expect(engine.started).toHaveLength(0);
    expect((await request(app).post('/api/v1/applications').set(AUTH.EZ).send(anApplication())).status).toBe(201);
    expect((await request(app).post('/api/v1/applications').set(AUTH.ADMIN).send(anApplication())).status).toBe(201);
    expect(engine.started).toHaveLength(2);
  });

  it('starts the process with the Vorgangsnummer the store gave the case, so Tasklist can show it', async () => {
    const { app, engine } = setup();
    const res = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(anApplication());
    expect(res.status).toBe(201);
    const row = await store.db
      .selectFrom('applications')
      .select('case_number')
      .where('id', '=', res.body.id as string)
      .executeTakeFirstOrThrow();
    expect(row.case_number).toMatch(/^CO-2026-\d{5}$/);
    expect(engine.started[0]!.variables.caseNumber).toBe(row.case_number);
  });
});

describe('GET /api/v1/calendar/due-date', () => {
  it('adds 15 working days in Brandenburg over Christmas', async () => {
    const res = await request(setup().app)
      .get('/api/v1/calendar/due-date?jobcenter=cottbus&from=2026-12-21&workingDays=15')
      .set(AUTH.ADMIN);
    expect(res.status).toBe(200);
    // 22,23,24,28,29,30,31 Dec (7), 1 Jan holiday, 4-8 Jan (12), 11,12,13 Jan (15).
    expect(res.body).toMatchObject({ dueDate: '2027-01-13', breachAt: '2027-01-14T00:00:00+01:00', state: 'BB' });
  });

  it('finds the 10th working day of January 2027 in North Rhine-Westphalia', async () => {
    const res = await request(setup().app)
      .get('/api/v1/calendar/due-date?jobcenter=wuppertal&month=2027-01&nthWorkingDay=10')
      .set(AUTH.ADMIN);
    expect(res.status).toBe(200);
    // 1 Jan holiday; 4-8 (5), 11-15 (10).
    expect(res.body.dueDate).toBe('2027-01-15');
  });

  it.each([
    ['jobcenter=cottbus&from=2026-02-30&workingDays=3', 'query.from'],
    ['jobcenter=cottbus&from=2026-12-21', 'query.workingDays'],
    ['jobcenter=cottbus&workingDays=-1&from=2026-12-21', 'query.workingDays'],
    ['jobcenter=cottbus&month=2027-13&nthWorkingDay=1', 'query.month'],
    ['jobcenter=cottbus', 'query.from'],
    ['jobcenter=atlantis&from=2026-12-21&workingDays=1', 'query.jobcenter'],
    ['jobcenter=cottbus&month=2027-01&nthWorkingDay=23', 'query.nthWorkingDay'],
  ])('refuses %s naming %s', async (query, field) => {
    const res = await request(setup().app).get(`/api/v1/calendar/due-date?${query}`).set(AUTH.ADMIN);
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
  });
});

describe('bad input never gives a 500', () => {
  it('answers broken JSON with 400', async () => {
    const res = await request(setup().app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .set('content-type', 'application/json')
      .send('{"jobcenter":');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/not valid JSON/);
    expect(res.body.issues[0].path).toBe('body');
  });

  it('refuses an oversized body with 413', async () => {
    const res = await request(setup().app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send({ ...anApplication(), reason: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.body.issues).toEqual([{ path: 'body', message: 'at most 100 kB' }]);
  });

  it('answers 503 while the engine is away', async () => {
    const { app, engine } = setup();
    engine.down = true;
    const res = await request(app).post('/api/v1/applications').set(AUTH.ADMIN).send(anApplication());
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/not reachable/);
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await request(setup().app).get('/api/v1/nothing').set(AUTH.ADMIN);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String), issues: [] });
  });
});

describe('OpenAPI', () => {
  it('documents the routes from their zod schemas', async () => {
    const res = await request(setup().app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/calendar/due-date', '/api/v1/applications']),
    );
    const params = res.body.paths['/api/v1/calendar/due-date'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['jobcenter', 'from', 'workingDays', 'month', 'nthWorkingDay']));
  });
});

describe('the walking skeleton is a test fixture', () => {
  it('offers no route to it, since production does not deploy its process', async () => {
    const { app, engine } = setup();
    const res = await request(app)
      .post('/api/v1/skeleton/visits')
      .set(AUTH.ADMIN)
      .send({ jobcenter: 'cottbus', visitedOn: '2026-11-23' });
    expect(res.status).toBe(404);
    expect(engine.started).toHaveLength(0);
    const paths = Object.keys((await request(app).get('/api/v1/openapi.json')).body.paths);
    expect(paths.filter((p) => p.includes('skeleton'))).toEqual([]);
  });
});
