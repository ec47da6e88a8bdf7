/**
 * No secret reaches a log: the API tokens, the passwords in the configuration, the d.3 signing key, nor any
 * Authorization header a client sent. The configuration is loaded from an environment full of secrets, the app
 * is built with the production logger writing into an array, and requests go through supertest; the start-up
 * path of src/main.ts (ensureEngine against an engine that does not answer) logs into the same array.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';
import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { ConfigError, loadConfig, type AppConfig } from '../../../src/config/load.js';
import type { CompleteResult, EngineGateway } from '../../../src/engine/gateway.js';
import { createLogger, type Logger } from '../../../src/log/logger.js';
import { ensureEngine } from '../../../src/main.js';
import { openStore, type Store } from '../../../src/store/index.js';

const EZ_TOKEN = 'ezCottbus-7f3a9c1d5e8b2a46';
const TL_TOKEN = 'tlAll-b4e2d6f09c7a1e53';
const WRONG_TOKEN = 'notIssued-0d9e8c7b6a5f4e3d';
const SMTP_PASSWORD = 'smtpPa55-9d1e4b7c2a';
const D3_SECRET = 'd3Hmac-5c8e1a2b7f6d4c3b';
const CAMUNDA_PASSWORD = 'camPa55-61f0b2e9d8';
const DATABASE_PASSWORD = 'dbPa55-83c4a1f7e2';

const ENV = {
  NODE_ENV: 'production',
  HOST: '0.0.0.0',
  LOG_LEVEL: 'debug',
  LOG_FORMAT: 'json',
  PROCESSES_DIR: 'processes',
  API_TOKENS: `${EZ_TOKEN}=EZ@cottbus,${TL_TOKEN}=TL`,
  SMTP_URL: `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:2525`,
  D3_WEBHOOK_URL: 'http://127.0.0.1:1/d3',
  D3_WEBHOOK_SECRET: D3_SECRET,
  CAMUNDA_USER: 'orchestrator',
  CAMUNDA_PASSWORD,
  DATABASE_URL: `postgres://app:${DATABASE_PASSWORD}@127.0.0.1:1/jobcenter`,
  // An engine that does not answer, so the start-up path logs its waiting and gives up after a second.
  ZEEBE_ADDRESS: '127.0.0.1:1',
  CAMUNDA_REST_ADDRESS: 'http://127.0.0.1:1',
  ENGINE_START_TIMEOUT_SECONDS: '1',
};

/** Every string that must never appear in a log line, including whole header values as clients send them. */
const SECRETS = [
  EZ_TOKEN,
  TL_TOKEN,
  WRONG_TOKEN,
  SMTP_PASSWORD,
  D3_SECRET,
  CAMUNDA_PASSWORD,
  DATABASE_PASSWORD,
  `Bearer ${EZ_TOKEN}`,
  `Bearer ${TL_TOKEN}`,
  `Bearer ${WRONG_TOKEN}`,
  Buffer.from(`orchestrator:${CAMUNDA_PASSWORD}`).toString('base64'),
];

class FailingEngine implements EngineGateway {
  async isReady() {
    return true;
  }
  async startProcess(): Promise<string> {
    throw new Error('engine exploded while starting the process');
  }
  async completeUserTask(): Promise<CompleteResult> {
    return 'completed';
  }
  async isWaitingAt() {
    return true;
  }
  async evaluateDecision() {
    return { neukunde: true, reason: 'ERSTANTRAG' };
  }
  async correlateMessage() {
    return 'completed' as const;
  }
}

const application = () => ({
  jobcenter: 'cottbus',
  channel: 'EZ',
  applicationDate: '2026-11-20',
  reason: 'Arbeitslosigkeit',
  habitualResidenceInGermany: true,
  household: { members: [{ givenName: 'Erika', familyName: 'Mustermann', birthDate: '1985-07-14', role: 'head', erwerbsfaehig: true }] },
  flags: {},
});

let config: AppConfig;
let store: Store;
let log: Logger;
let app: Express;
const lines: string[] = [];
const consoleLines: string[] = [];
const spies: { mockRestore(): void }[] = [];

beforeAll(async () => {
  config = loadConfig(ENV);
  // The logger main.ts gets (same level and format), with its console transport swapped for an array.
  log = createLogger({ level: config.env.LOG_LEVEL, format: config.env.LOG_FORMAT ?? 'json' });
  log.clear();
  log.add(
    new winston.transports.Stream({
      stream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    }),
  );
  // Libraries (the rate limiter among them) warn through the console; that is a log too.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' '))));
  }
  store = await openStore({});
  app = buildApp({
    engine: new FailingEngine(),
    store,
    calendars: calendarsFor(config.jobcenters),
    jobcenters: config.jobcenters,
    tokens: config.tokens,
    log,
    now: () => new Date('2026-11-23T10:00:00+01:00'),
    rateLimitPerMinute: config.env.RATE_LIMIT_PER_MINUTE,
  });
});
afterAll(async () => {
  for (const spy of spies) spy.mockRestore();
  await store?.close();
});

describe('secrets stay out of the logs', () => {
  it('loads the secrets it is given, so the checks below are about real tokens', () => {
    expect([...config.tokens.keys()].sort()).toEqual([EZ_TOKEN, TL_TOKEN].sort());
    expect(config.env.D3_WEBHOOK_SECRET).toBe(D3_SECRET);
    expect(config.env.SMTP_URL).toContain(SMTP_PASSWORD);
  });

  it('logs the start against an absent engine without the engine password', async () => {
    const started = ensureEngine(config, log);
    const error = await started.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/not ready after 1 s/);
    for (const secret of SECRETS) expect(error?.message).not.toContain(secret);
    expect(lines.join('')).toMatch(/Using the engine at http:\/\/127\.0\.0\.1:1/);
  }, 15_000);

  it('answers every kind of request without writing a token or header into a log line', async () => {
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const statuses = [
      // A token that was never issued, and the engine's Basic credentials sent to the API.
      (await request(app).get('/api/v1/applications').set(as(WRONG_TOKEN))).status,
      (await request(app).get('/api/v1/applications').set('Authorization', `Basic ${Buffer.from(`orchestrator:${CAMUNDA_PASSWORD}`).toString('base64')}`)).status,
      // A real token without the role.
      (await request(app).post('/api/v1/applications').set(as(TL_TOKEN)).send(application())).status,
      // A real token, a bad body that carries a token as a value.
      (await request(app).post('/api/v1/applications').set(as(EZ_TOKEN)).send({ ...application(), channel: 'FAX', note: TL_TOKEN })).status,
      // A successful read.
      (await request(app).get('/api/v1/applications?jobcenter=cottbus').set(as(TL_TOKEN))).status,
      // A server error, logged; the token also rides in the query string.
      (await request(app).post(`/api/v1/applications?access_token=${EZ_TOKEN}`).set(as(EZ_TOKEN)).send(application())).status,
    ];
    expect(statuses).toEqual([401, 401, 403, 400, 200, 500]);

    const logged = lines.join('');
    // The capture works: the server error is in the log, with its request id and path.
    expect(logged).toMatch(/"message":"request failed"/);
    expect(logged).toMatch(/"path":"\/api\/v1\/applications"/);
    for (const secret of SECRETS) {
      expect(logged).not.toContain(secret);
      expect(consoleLines.join('\n')).not.toContain(secret);
    }
  });

  it('answers a wrong token without echoing it back', async () => {
    const res = await request(app).get('/api/v1/applications').set('Authorization', `Bearer ${WRONG_TOKEN}`);
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain(WRONG_TOKEN);
    expect(JSON.stringify(res.headers)).not.toContain(WRONG_TOKEN);
  });

  it('reports a broken configuration without the values it refuses', () => {
    const problemOf = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (e) {
        if (e instanceof ConfigError) return e.message;
        throw e;
      }
      throw new Error('the configuration was accepted');
    };
    const shortD3Secret = 'tinyD3key';
    const envProblem = problemOf({ ...ENV, D3_WEBHOOK_SECRET: shortD3Secret, SMTP_URL: `smpt://mailer:${SMTP_PASSWORD}@host` });
    expect(envProblem).toMatch(/D3_WEBHOOK_SECRET/);
    expect(envProblem).toMatch(/SMTP_URL/);
    for (const secret of [shortD3Secret, SMTP_PASSWORD, EZ_TOKEN, TL_TOKEN]) expect(envProblem).not.toContain(secret);

    const shortToken = 'shortSecret1';
    const badRoleToken = 'roleless-4c2e9a7d1b8f';
    const strangerToken = 'elsewhere-9b1c7d3e5f2a';
    const tokenProblem = problemOf({ ...ENV, API_TOKENS: `${shortToken}=EZ,${badRoleToken}=CHEF,${strangerToken}=EZ@atlantis,${EZ_TOKEN}` });
    expect(tokenProblem).toMatch(/API_TOKENS: entry 1: the token must be at least 16 characters/);
    expect(tokenProblem).toMatch(/entry 2: unknown role CHEF/);
    expect(tokenProblem).toMatch(/entry 3: unknown jobcenter "atlantis"/);
    expect(tokenProblem).toMatch(/entry 4 must look like/);
    for (const secret of [shortToken, badRoleToken, strangerToken, EZ_TOKEN]) expect(tokenProblem).not.toContain(secret);
  });
});
