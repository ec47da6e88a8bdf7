/** The dashboard's login form and cookie: only dashboard roles get in, only to our own pages, and never to the API. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { tokenTable } from '../../../src/config/tokens.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { TOKENS } from '../../support/tokens.js';

jest.setTimeout(60_000);

const TL = 'tl-cottbus-token-0123456789';
let store: Store;
let app: Express;

beforeAll(async () => {
  store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  const tokens = tokenTable({ [TL]: { roles: ['TL'], jobcenter: 'cottbus' }, [TOKENS.IFK]: ['IFK'] });
  app = buildApp({
    engine: {} as EngineGateway,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens,
    log: winston.createLogger({ silent: true }),
    rateLimitPerMinute: 1000,
  });
});
afterAll(async () => {
  await store.close();
});

const login = (fields: Record<string, string>) => request(app).post('/dashboard/login').type('form').send(fields);

describe('dashboard login', () => {
  it('sends a browser without a token to the form, and an API client gets 401', async () => {
    const browser = await request(app).get('/dashboard/cottbus').set('Accept', 'text/html');
    expect(browser.status).toBe(303);
    expect(browser.headers.location).toBe('/dashboard/login?next=%2Fdashboard%2Fcottbus');
    expect((await request(app).get('/dashboard/cottbus')).status).toBe(401);
  });

  it("sets an HttpOnly, SameSite=Strict cookie for /dashboard and goes to the token's own jobcenter", async () => {
    const res = await login({ token: TL });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/cottbus');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^jc_dashboard=/);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = cookie.split(';')[0]!;
    expect((await request(app).get('/dashboard/cottbus').set('Cookie', jar)).status).toBe(200);
    expect((await request(app).get('/dashboard').set('Cookie', jar)).headers.location).toBe('/dashboard/cottbus');
    expect((await request(app).get('/dashboard/wuppertal').set('Cookie', jar)).status).toBe(403);
  });

  it("never lets the cookie stand in for the API's bearer token", async () => {
    const jar = String((await login({ token: TL })).headers['set-cookie']).split(';')[0]!;
    expect(
      (await request(app).get('/api/v1/reports/mds?jobcenter=cottbus&from=2026-11-01&to=2026-11-30').set('Cookie', jar))
        .status,
    ).toBe(401);
  });

  it('refuses unknown tokens and roles without the dashboard, setting no cookie', async () => {
    for (const token of ['', 'wrong-token-0123456789', TOKENS.IFK]) {
      const res = await login({ token });
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.text).toMatch(/unbekannt oder gilt nicht/);
    }
  });

  it('follows `next` only to dashboard pages', async () => {
    expect((await login({ token: TL, next: '/dashboard/cottbus?from=2026-11-01' })).headers.location).toBe(
      '/dashboard/cottbus?from=2026-11-01',
    );
    for (const next of [
      'https://evil.example/',
      '//evil.example/dashboard',
      '/api/v1/applications',
      '/dashboard/../api',
    ]) {
      expect((await login({ token: TL, next })).headers.location).toBe('/dashboard/cottbus');
    }
  });

  it('logs out by clearing the cookie', async () => {
    const res = await request(app).post('/dashboard/logout');
    expect(res.status).toBe(303);
    expect(String(res.headers['set-cookie'])).toMatch(/jc_dashboard=;.*Expires=Thu, 01 Jan 1970/);
  });
});
