/**
 * Generated bad input against every endpoint (fast-check): only 2xx or 4xx, never 5xx, and nothing written on
 * a 4xx. Unit level: real in-memory store and HTTP stack, the engine port faked and always accepting.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';
import { aMember, anApplication } from '../../support/application.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { rowCount } from '../../support/rows.js';
import { AUTH, testTokens } from '../../support/tokens.js';

const engine: EngineGateway = {
  isReady: async () => true,
  startProcess: async () => '2251799813685001',
  completeUserTask: async () => 'completed',
  isWaitingAt: async () => true,
  evaluateDecision: async () => ({ neukunde: true, reason: 'ERSTANTRAG' }),
  correlateMessage: async () => 'completed' as const,
};
const TABLES = [
  'applications',
  'persons',
  'audit_log',
  'api_idempotency',
  'consultation_notes',
  'history_notes',
] as const;

let store: Store;
let app: Express;
let knownId: string;
let tried = 0;

async function counts(): Promise<number[]> {
  return Promise.all(TABLES.map((t) => rowCount(store.db, t)));
}

/** Any value as a JSON request body, the way a client's library would put it on the wire. */
const json = (value: unknown) => JSON.stringify(value) ?? 'null';

/** Sends one request and checks the promise of the API for it. */
async function check(send: () => request.Test): Promise<void> {
  const before = await counts();
  const res = await send();
  tried++;
  if (res.status >= 500) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  expect(res.status).toBeGreaterThanOrEqual(200);
  if (res.status >= 400) {
    expect(await counts()).toEqual(before);
    expect(res.body).toEqual({ error: expect.any(String), issues: expect.any(Array) });
  }
}

const valid = anApplication({ members: [aMember({ givenName: 'A', familyName: 'B', birthDate: '1980-01-01' })] });

/** A valid body with one field replaced by anything: close enough to reach the deeper checks. */
const mutatedBody = fc
  .tuple(fc.constantFrom(...Object.keys(valid), 'household.members', 'flags.alg1Claim', 'extra'), fc.anything())
  .map(([key, value]) => {
    const body: any = structuredClone(valid);
    if (key === 'household.members') body.household.members = value;
    else if (key === 'flags.alg1Claim') body.flags.alg1Claim = value;
    else body[key] = value;
    return body;
  });

const text = fc.oneof(
  fc.string(),
  fc.constantFrom('', '2026-02-30', '-1', '9'.repeat(30), 'cottbus', 'wuppertal', '%00', '../..', "' OR 1=1 --"),
);

beforeAll(async () => {
  store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  const tokens = testTokens('ADMIN');
  app = buildApp({
    engine,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens,
    log: winston.createLogger({ silent: true }),
    now: () => new Date('2026-11-23T10:00:00+01:00'),
  });
  knownId = (await request(app).post('/api/v1/applications').set(AUTH.ADMIN).send(valid)).body.id;
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine

afterAll(async () => {
  await store.close();
});

describe('no 5xx for anything a client can send, and nothing written on a 4xx', () => {
  /** Each property sends hundreds of requests through the real stack; a busy machine needs more than Jest's 5 s. */
  const GENERATED_MS = 120_000;

  it(
    'POST /api/v1/applications with arbitrary and near-valid bodies',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.anything(), mutatedBody), async (body) =>
          check(() =>
            request(app)
              .post('/api/v1/applications')
              .set(AUTH.ADMIN)
              .set('content-type', 'application/json')
              .send(json(body)),
          ),
        ),
        { numRuns: 400 },
      );
    },
    GENERATED_MS,
  );

  it(
    'POST /api/v1/applications with broken JSON and odd content types',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string(),
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
          async (raw, type) =>
            check(() => request(app).post('/api/v1/applications').set(AUTH.ADMIN).set('content-type', type).send(raw)),
        ),
        { numRuns: 150 },
      );
    },
    GENERATED_MS,
  );

  it(
    'GET endpoints with arbitrary query strings and path ids',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/api/v1/applications', '/api/v1/calendar/due-date', '/api/v1/inbox', '/api/v1/reports/mds'),
          fc.dictionary(
            fc.constantFrom(
              'jobcenter',
              'status',
              'limit',
              'offset',
              'from',
              'to',
              'asOf',
              'workingDays',
              'month',
              'nthWorkingDay',
              'recipient',
              'x',
            ),
            text,
          ),
          async (path, query) => check(() => request(app).get(path).query(query).set(AUTH.ADMIN)),
        ),
        { numRuns: 300 },
      );
      await fc.assert(
        fc.asyncProperty(text, async (id) =>
          check(() =>
            request(app)
              .get(`/api/v1/applications/${encodeURIComponent(id)}`)
              .set(AUTH.ADMIN),
          ),
        ),
        { numRuns: 100 },
      );
    },
    GENERATED_MS,
  );

  it(
    'POST events with arbitrary ids, event names and bodies',
    async () => {
      const events = [
        'id-check-completed',
        'arbeitspaket-received',
        'documents-complete',
        'decision-issued',
        'first-consultation-held',
        'approved-in-principle',
        'rejected',
        'funding-requested',
        'quer-held',
        'nonsense',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constant(knownId), fc.uuid(), text),
          fc.constantFrom(...events),
          fc.anything(),
          async (id, event, body) =>
            check(() =>
              request(app)
                .post(`/api/v1/applications/${encodeURIComponent(id)}/events/${event}`)
                .set(AUTH.ADMIN)
                .set('content-type', 'application/json')
                .send(json(body)),
            ),
        ),
        { numRuns: 300 },
      );
    },
    GENERATED_MS,
  );

  it('tried at least 1,000 inputs', () => {
    expect(tried).toBeGreaterThanOrEqual(1000);
  });
});

describe('transport protections', () => {
  it('sets security headers', async () => {
    const res = await request(app).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('limits the request rate per client with 429', async () => {
    const { jobcenters } = loadJobcenters('processes');
    const limited = buildApp({
      engine,
      store,
      calendars: calendarsFor(jobcenters),
      jobcenters,
      tokens: testTokens('ADMIN'),
      log: winston.createLogger({ silent: true }),
      rateLimitPerMinute: 5,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await request(limited).get('/api/v1/inbox?recipient=x').set(AUTH.ADMIN)).status);
    expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
