/**
 * The API under load, run as a child process of the benchmark: the load generator gets its own event loop, and
 * this process's resident memory is the API's alone. Started and asked for figures by server-process.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { buildApp } from '../../src/api/app.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { loadJobcenters } from '../../src/config/load.js';
import { tokenTable } from '../../src/config/tokens.js';
import { deployAll } from '../../src/engine/deploy.js';
import { type EngineGateway, RestEngineGateway } from '../../src/engine/gateway.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { InProcessEngine } from './in-process-engine.js';
import type { FromServer, StartServer, ToServer } from './messages.js';

// Errors only: a 5xx under load should be seen, but one log line per request would be part of the measurement.
const log = createLogger({ level: 'error', format: 'json' });

function send(message: FromServer, then?: () => void): void {
  process.send!(message, undefined, {}, () => then?.());
}

async function engineFor(start: StartServer): Promise<EngineGateway> {
  if (!start.engine) return new InProcessEngine(start.startDelayMs);
  const client = new EngineRestClient(start.engine.rest, start.engine.technical);
  // The POST starts the jobcenter's process, which must be deployed; deploying unchanged files is a no-op.
  await deployAll(client, 'processes', log);
  return new RestEngineGateway(client);
}

async function listen(start: StartServer): Promise<{ server: http.Server; store: Store; answers: Answers }> {
  const { jobcenters, problems } = loadJobcenters('processes');
  if (problems.length) throw new Error(`processes/: ${problems.join('; ')}`);
  const store = await openStore(start.databaseUrl ? { databaseUrl: start.databaseUrl } : {});
  const app = buildApp({
    engine: await engineFor(start),
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens: tokenTable({ [start.token]: { roles: ['EZ'], jobcenter: 'cottbus' } }),
    log,
    // Off: the benchmark is one client, and the production limit (600/min) would turn the max-rate run into 429s.
    rateLimitPerMinute: 0,
  });
  const answers = countAnswers();
  const server = http.createServer((req, res) => {
    answers.watch(res);
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, store, answers };
}

interface Answers {
  watch(res: http.ServerResponse): void;
  answered2xx(): number;
  /** Resolves once every request taken in has its status decided, so its writes are committed. */
  settled(): Promise<void>;
}

/**
 * Counts 2xx answers when the app ends its response, not when the answer is delivered: when the load generator
 * stops it drops its connections, and a request still in flight then commits its rows and answers a socket that
 * is gone. Counted at delivery, or at the status line (Node skips writing it to a destroyed socket), that answer
 * would look like a lost one.
 */
function countAnswers(): Answers {
  let answered2xx = 0;
  let inFlight = 0;
  return {
    watch(res) {
      inFlight++;
      const end = res.end;
      let ended = false;
      res.end = function (this: http.ServerResponse, ...args: unknown[]) {
        if (!ended) {
          ended = true;
          inFlight--;
          if (res.statusCode >= 200 && res.statusCode < 300) answered2xx++;
        }
        return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
      } as typeof res.end;
    },
    answered2xx: () => answered2xx,
    async settled() {
      const deadline = Date.now() + 30_000;
      while (inFlight > 0 && Date.now() < deadline) await sleep(10);
    },
  };
}

async function countApplications(store: Store): Promise<number> {
  const { n } = await store.db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

let running: Awaited<ReturnType<typeof listen>> | undefined;

process.on('message', (message: ToServer) => {
  void (async () => {
    if (message.type === 'start') {
      try {
        running = await listen(message);
        send({ type: 'listening', port: (running.server.address() as AddressInfo).port });
      } catch (e) {
        send({ type: 'failed', message: (e as Error).message }, () => process.exit(1));
      }
      return;
    }
    if (!running) throw new Error(`"${message.type}" before "start"`);
    if (message.type === 'memory') {
      send({ type: 'memory', id: message.id, rssMb: process.memoryUsage().rss / 1e6 });
      return;
    }
    if (message.type === 'stats') {
      await running.answers.settled();
      const stats = {
        rssMb: process.memoryUsage().rss / 1e6,
        applications: await countApplications(running.store),
        answered2xx: running.answers.answered2xx(),
      };
      send({ type: 'stats', id: message.id, stats });
      return;
    }
    running.server.closeAllConnections();
    await new Promise<void>((resolve) => running!.server.close(() => resolve()));
    await running.store.close();
    // process.exit, not a drained loop: --cpu-prof writes its profile on exit either way, and PGlite may hold handles.
    send({ type: 'stopped', id: message.id }, () => process.exit(0));
  })();
});
