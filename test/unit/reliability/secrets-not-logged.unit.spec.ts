/**
 * No secret reaches a log: the API tokens, the engine passwords (technical user, administrator, database), the
 * store's database password, the d.3 signing key, nor any Authorization header a client sent. The
 * configuration is loaded from an environment full of secrets, the app is built with the production logger
 * writing into an array, and requests go through supertest; the start-up path of src/main.ts (ensureEngine
 * against an engine that does not answer, with and without provisioning, and the local engine host on a JDK
 * that is a stand-in script) logs into the same array.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { type AppConfig, ConfigError, loadConfig } from '../../../src/config/load.js';
import type { CompleteResult, EngineGateway } from '../../../src/engine/gateway.js';
import { createLogger, type Logger } from '../../../src/log/logger.js';
import { ensureEngine } from '../../../src/main.js';
import type { Store } from '../../../src/store/index.js';
import { sourcesHash } from '../../../tools/engine/engine-host.js';
import { anApplication } from '../../support/application.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { bearer } from '../../support/tokens.js';

const EZ_TOKEN = 'ezCottbus-7f3a9c1d5e8b2a46';
const TL_TOKEN = 'tlAll-b4e2d6f09c7a1e53';
const WRONG_TOKEN = 'notIssued-0d9e8c7b6a5f4e3d';
const SMTP_PASSWORD = 'smtpPa55-9d1e4b7c2a';
const D3_SECRET = 'd3Hmac-5c8e1a2b7f6d4c3b';
const ENGINE_PASSWORD = 'engPa55-61f0b2e9d8';
const ENGINE_ADMIN_PASSWORD = 'admPa55-4e7c1a9b3f';
const ENGINE_DATABASE_PASSWORD = 'engDbPa55-2b8d6f0a1c';
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
  DATABASE_URL: `postgres://app:${DATABASE_PASSWORD}@127.0.0.1:1/jobcenter`,
  // An engine that does not answer, so the start-up path logs its waiting and gives up after a second.
  ENGINE_URL: 'http://127.0.0.1:1/engine-rest',
  ENGINE_USER: 'orchestrator',
  ENGINE_PASSWORD,
  ENGINE_ADMIN_USER: 'admin',
  ENGINE_ADMIN_PASSWORD,
  ENGINE_DATABASE_URL: 'jdbc:postgresql://127.0.0.1:1/engine',
  ENGINE_DATABASE_USER: 'engine',
  ENGINE_DATABASE_PASSWORD,
  ENGINE_START_TIMEOUT_SECONDS: '1',
};

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

/** Every string that must never appear in a log line, including whole header values as clients send them. */
const SECRETS = [
  EZ_TOKEN,
  TL_TOKEN,
  WRONG_TOKEN,
  SMTP_PASSWORD,
  D3_SECRET,
  ENGINE_PASSWORD,
  ENGINE_ADMIN_PASSWORD,
  ENGINE_DATABASE_PASSWORD,
  DATABASE_PASSWORD,
  `Bearer ${EZ_TOKEN}`,
  `Bearer ${TL_TOKEN}`,
  `Bearer ${WRONG_TOKEN}`,
  basic('orchestrator', ENGINE_PASSWORD),
  basic('admin', ENGINE_ADMIN_PASSWORD),
];

const expectNoSecretIn = (text: string | undefined) => {
  for (const secret of SECRETS) expect(text ?? '').not.toContain(secret);
};

/** A port nothing listens on, for the local engine host that never gets to open it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

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
    spies.push(
      jest
        .spyOn(console, method)
        .mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' '))),
    );
  }
  store = await openMemoryStore();
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

  it('logs the start against an absent engine without the engine passwords', async () => {
    const error = await ensureEngine(config, log).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/The engine at http:\/\/127\.0\.0\.1:1\/engine-rest did not answer within 1 s/);
    expectNoSecretIn(error?.message);
    expect(lines.join('')).toMatch(/Using the engine at http:\/\/127\.0\.0\.1:1\/engine-rest/);
    expectNoSecretIn(lines.join(''));
  });

  it('logs the provisioning wait against an absent engine without the administrator password', async () => {
    // Long enough for one progress line ("Waiting for the engine ...", every 5 s) to be written.
    const provisioning = loadConfig({ ...ENV, ENGINE_PROVISION: 'true', ENGINE_START_TIMEOUT_SECONDS: '6' });
    const before = lines.length;
    const error = await ensureEngine(provisioning, log).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/did not answer within 6 s/);
    expectNoSecretIn(error?.message);
    const logged = lines.slice(before).join('');
    expect(logged).toMatch(/Waiting for the engine at http:\/\/127\.0\.0\.1:1\/engine-rest/);
    expectNoSecretIn(logged);
  }, 20_000);

  it('logs the start of the local engine host without its administrator or database password', async () => {
    // Arrange: engine sources whose jar counts as built, and a "JDK" whose java says 17 and then exits at once,
    // so the start runs every log line up to the engine's death without Maven or a real engine.
    const root = mkdtempSync(path.join(tmpdir(), 'secrets-engine-'));
    const engineDir = path.join(root, 'engine');
    mkdirSync(path.join(engineDir, 'src'), { recursive: true });
    mkdirSync(path.join(engineDir, 'target'));
    writeFileSync(path.join(engineDir, 'pom.xml'), '<project/>');
    writeFileSync(path.join(engineDir, 'src', 'Stub.java'), 'class Stub {}');
    writeFileSync(path.join(engineDir, 'target', 'engine-host.jar'), 'not a jar');
    writeFileSync(path.join(engineDir, 'target', 'sources.sha256'), `${sourcesHash(engineDir)}\n`);
    const javaHome = path.join(root, 'jdk');
    mkdirSync(path.join(javaHome, 'bin'), { recursive: true });
    const java = path.join(javaHome, 'bin', 'java');
    writeFileSync(
      java,
      '#!/bin/sh\nif [ "$1" = "-version" ]; then echo \'openjdk version "17.0.15"\' >&2; exit 0; fi\necho "engine stand-in exits"\nexit 1\n',
    );
    chmodSync(java, 0o755);
    const port = await freePort();
    const { ENGINE_URL: _remote, ...local } = ENV;
    const localConfig = loadConfig({
      ...local,
      ENGINE_SOURCE_DIR: engineDir,
      DATA_DIR: path.join(root, 'data'),
      JAVA_HOME: javaHome,
      ENGINE_PORT: String(port),
      ENGINE_START_TIMEOUT_SECONDS: '10',
    });
    const before = lines.length;

    // Act
    const error = await ensureEngine(localConfig, log)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
      .finally(() => rmSync(root, { recursive: true, force: true }));

    // Assert
    expect(error?.message).toMatch(/The engine process exited during start-up/);
    expectNoSecretIn(error?.message);
    const logged = lines.slice(before).join('');
    expect(logged).toMatch(/Starting the Operaton engine host on Java 17, port \d+/);
    expectNoSecretIn(logged);
  }, 20_000);

  it('answers every kind of request without writing a token or header into a log line', async () => {
    const statuses = [
      // A token that was never issued, and the engine's Basic credentials sent to the API.
      (await request(app).get('/api/v1/applications').set(bearer(WRONG_TOKEN))).status,
      (
        await request(app)
          .get('/api/v1/applications')
          .set('Authorization', `Basic ${basic('orchestrator', ENGINE_PASSWORD)}`)
      ).status,
      // A real token without the role.
      (await request(app).post('/api/v1/applications').set(bearer(TL_TOKEN)).send(anApplication())).status,
      // A real token, a bad body that carries a token as a value.
      (
        await request(app)
          .post('/api/v1/applications')
          .set(bearer(EZ_TOKEN))
          .send({ ...anApplication(), channel: 'FAX', note: TL_TOKEN })
      ).status,
      // A successful read.
      (await request(app).get('/api/v1/applications?jobcenter=cottbus').set(bearer(TL_TOKEN))).status,
      // A server error, logged; the token also rides in the query string.
      (
        await request(app)
          .post(`/api/v1/applications?access_token=${EZ_TOKEN}`)
          .set(bearer(EZ_TOKEN))
          .send(anApplication())
      ).status,
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
    const res = await request(app).get('/api/v1/applications').set(bearer(WRONG_TOKEN));
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
    const envProblem = problemOf({
      ...ENV,
      D3_WEBHOOK_SECRET: shortD3Secret,
      SMTP_URL: `smpt://mailer:${SMTP_PASSWORD}@host`,
    });
    expect(envProblem).toMatch(/D3_WEBHOOK_SECRET/);
    expect(envProblem).toMatch(/SMTP_URL/);
    for (const secret of [shortD3Secret, SMTP_PASSWORD, EZ_TOKEN, TL_TOKEN]) expect(envProblem).not.toContain(secret);

    const engineProblem = problemOf({
      ...ENV,
      ENGINE_URL: `http://orchestrator:${ENGINE_PASSWORD}@127.0.0.1:1/engine-rest`,
      ENGINE_ADMIN_PASSWORD: 'demo',
    });
    expect(engineProblem).toMatch(/ENGINE_URL\.0: must not carry a user or password/);
    expect(engineProblem).toMatch(/ENGINE_ADMIN_PASSWORD: must not be the local default "demo"/);
    expectNoSecretIn(engineProblem);

    const shortToken = 'shortSecret1';
    const badRoleToken = 'roleless-4c2e9a7d1b8f';
    const strangerToken = 'elsewhere-9b1c7d3e5f2a';
    const tokenProblem = problemOf({
      ...ENV,
      API_TOKENS: `${shortToken}=EZ,${badRoleToken}=CHEF,${strangerToken}=EZ@atlantis,${EZ_TOKEN}`,
    });
    expect(tokenProblem).toMatch(/API_TOKENS: entry 1: the token must be at least 16 characters/);
    expect(tokenProblem).toMatch(/entry 2: unknown role CHEF/);
    expect(tokenProblem).toMatch(/entry 3: unknown jobcenter "atlantis"/);
    expect(tokenProblem).toMatch(/entry 4 must look like/);
    for (const secret of [shortToken, badRoleToken, strangerToken, EZ_TOKEN])
      expect(tokenProblem).not.toContain(secret);
  });
});
