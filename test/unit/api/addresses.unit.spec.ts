/** The household's postal address: validated, kept in the store only, shown to the roles that write letters. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';
import { neukundeByTheRules } from '../../fakes/neukunde-rules.js';
import { anApplication } from '../../support/application.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { AUTH, testTokens } from '../../support/tokens.js';

const started: Record<string, unknown>[] = [];
const engine: EngineGateway = {
  isReady: async () => true,
  startProcess: async (_id: string, variables: Record<string, unknown>) => {
    started.push(variables);
    return String(started.length);
  },
  completeUserTask: async () => 'completed' as const,
  isWaitingAt: async () => true,
  evaluateDecision: async (_id: string, v: Record<string, unknown>) => neukundeByTheRules(v),
  correlateMessage: async () => 'completed' as const,
};

const ADDRESS = {
  salutation: 'Frau',
  careOf: 'c/o Familie Schulze',
  street: 'Lindenstraße 12',
  postcode: '03046',
  city: 'Cottbus',
  mailingAddress: { street: 'Postfach 10 11 12', postcode: '03011', city: 'Cottbus' },
};

let store: Store;
let app: Express;

beforeAll(async () => {
  store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  app = buildApp({
    engine,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens: testTokens('EZ', 'LG', 'IFK', 'TL'),
    log: winston.createLogger({ silent: true }),
    now: () => new Date('2026-11-23T10:00:00+01:00'),
  });
}, 30_000);
afterAll(async () => {
  await store.close();
});

describe('the household address', () => {
  it('is stored, never a process variable, and shown to the letter-writing roles only', async () => {
    // Arrange / Act
    const res = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .send({ ...anApplication(), household: { ...anApplication().household, address: ADDRESS } });
    // Assert
    expect(res.status).toBe(201);
    expect(JSON.stringify(started.at(-1))).not.toMatch(/Lindenstraße|03046|Postfach|Schulze/);
    const row = await store.db
      .selectFrom('application_addresses')
      .selectAll()
      .where('application_id', '=', res.body.id as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ street: 'Lindenstraße 12', postcode: '03046', mailing_street: 'Postfach 10 11 12' });
    const asEz = await request(app).get(`/api/v1/applications/${res.body.id}`).set(AUTH.EZ);
    expect(asEz.body.address).toEqual(ADDRESS);
    const asTl = await request(app).get(`/api/v1/applications/${res.body.id}`).set(AUTH.TL);
    expect(asTl.status).toBe(200);
    expect(asTl.body).not.toHaveProperty('address');
  });

  it('stays optional: an application without one shows address null', async () => {
    const res = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(anApplication());
    expect(res.status).toBe(201);
    const one = await request(app).get(`/api/v1/applications/${res.body.id}`).set(AUTH.LG);
    expect(one.body.address).toBeNull();
  });

  it.each([
    ['body.household.address.postcode', { ...ADDRESS, postcode: '3046' }],
    ['body.household.address.postcode', { ...ADDRESS, postcode: '0304A' }],
    ['body.household.address.street', { ...ADDRESS, street: '' }],
    ['body.household.address.street', { postcode: '03046', city: 'Cottbus' }],
    ['body.household.address.city', { street: 'Lindenstraße 12', postcode: '03046' }],
    [
      'body.household.address.mailingAddress.postcode',
      { ...ADDRESS, mailingAddress: { street: 'Postfach 1', postcode: '123456', city: 'Cottbus' } },
    ],
    ['body.household.address.salutation', { ...ADDRESS, salutation: 'Divers' }],
  ])('refuses a bad address with 400 naming %s, and stores nothing', async (field, address) => {
    const before = await store.db.selectFrom('applications').select('id').execute();
    const res = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .send({ ...anApplication(), household: { ...anApplication().household, address } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await store.db.selectFrom('applications').select('id').execute()).toHaveLength(before.length);
  });
});
