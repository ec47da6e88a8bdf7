/** Every endpoint by every role: 401 without a token, 403 for a role that may not, not 401/403 for one that may. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { type Role, ROLES } from '../../../src/config/roles.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { bearer, testTokens, TOKENS } from '../../support/tokens.js';

const engine: EngineGateway = {
  isReady: async () => true,
  startProcess: async () => '2251799813685001',
  completeUserTask: async () => 'not-waiting',
  isWaitingAt: async () => false,
  evaluateDecision: async () => ({ neukunde: true, reason: 'ERSTANTRAG' }),
  correlateMessage: async () => 'completed' as const,
};
const id = '00000000-0000-4000-8000-000000000000';

/** [method, path, body, roles allowed besides ADMIN] */
const ENDPOINTS: [string, string, object | undefined, Role[]][] = [
  ['post', '/api/v1/applications', {}, ['EZ', 'SC', 'POST']],
  ['get', '/api/v1/applications', undefined, ['EZ', 'SC', 'POST', 'LG', 'BI', 'IFK', 'TL']],
  ['get', `/api/v1/applications/${id}`, undefined, ['EZ', 'SC', 'POST', 'LG', 'BI', 'IFK', 'TL']],
  // A letter names the household and its address: not for the team lead's reports.
  ['get', `/api/v1/applications/${id}/documents/${id}`, undefined, ['EZ', 'SC', 'POST', 'LG', 'BI', 'IFK']],
  ['post', `/api/v1/applications/${id}/events/id-check-completed`, {}, ['EZ']],
  ['post', `/api/v1/applications/${id}/events/decision-issued`, {}, ['LG']],
  ['post', `/api/v1/applications/${id}/events/withdrawn`, {}, ['EZ', 'LG']],
  ['post', `/api/v1/applications/${id}/events/first-consultation-held`, {}, ['IFK']],
  ['post', `/api/v1/applications/${id}/events/approved-in-principle`, {}, ['LG']],
  ['post', `/api/v1/applications/${id}/events/quer-held`, {}, ['IFK']],
  ['post', `/api/v1/applications/${id}/events/funding-requested`, {}, ['EZ', 'IFK', 'BI']],
  ['get', '/api/v1/inbox?recipient=x', undefined, ['EZ', 'SC', 'POST', 'LG', 'BI', 'IFK', 'TL']],
  ['get', '/api/v1/reports/mds?jobcenter=cottbus&from=2026-11-01&to=2026-11-30', undefined, ['TL', 'EZ']],
  ['get', '/dashboard/cottbus', undefined, ['TL', 'EZ']],
  ['get', '/api/v1/calendar/due-date?jobcenter=cottbus&from=2026-12-21&workingDays=15', undefined, [...ROLES]],
];

let store: Store;
let app: Express;

beforeAll(async () => {
  store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  const tokens = testTokens(...ROLES);
  app = buildApp({
    engine,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens,
    log: winston.createLogger({ silent: true }),
  });
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine

afterAll(async () => {
  await store.close();
});

const send = (method: string, path: string, body: object | undefined, auth?: string) => {
  const r = (request(app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path);
  if (auth) r.set(bearer(auth));
  return body === undefined ? r : r.send(body);
};

describe.each(ENDPOINTS)('%s %s', (method, path, body, allowed) => {
  it('answers 401 without a token', async () => {
    expect((await send(method, path, body)).status).toBe(401);
  });

  it.each(ROLES)('role %s', async (role) => {
    const status = (await send(method, path, body, TOKENS[role])).status;
    if (role === 'ADMIN' || allowed.includes(role)) expect([401, 403]).not.toContain(status);
    else expect(status).toBe(403);
  });
});
