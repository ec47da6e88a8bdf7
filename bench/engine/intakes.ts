/**
 * N Cottbus intakes end to end on the real engine: POST /api/v1/applications on the real app (buildApp, on
 * loopback), the real worker host, the ID check completed as the front desk does it in Tasklist (the EZ login
 * lists its group's tasks, claims one, submits the form through the engine's REST API), until every eLb's first
 * consultation is booked. Request to booked is timed per application: from just before its POST to the moment
 * the booking worker of its last eLb has its appointment in the store (the no-op workers: has answered).
 *
 * The load is a closed loop: `inFlight` intakes are in the system at any time, each client sending its next
 * application once its last one is booked, so the engine works at capacity the whole run and the latency is that
 * of an intake at this concurrency, not of its place in a queue behind a burst. The run stops sending after
 * `sendSeconds` (whatever N is), and waits at most `graceSeconds` more for the intakes still in flight.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import type { LogEvent } from 'kysely';

import { buildApp } from '../../src/api/app.js';
import { appDeps } from '../../src/app/deps.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { berlinDate } from '../../src/calendar/index.js';
import { RestEngineGateway } from '../../src/engine/gateway.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import type { Logger } from '../../src/log/logger.js';
import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { openStore } from '../../src/store/index.js';
import { createScratchDatabase } from '../../src/store/scratch-database.js';
import { startWorkers } from '../../src/worker-runtime/worker-host.js';
import { household, ID_CHECK_FORM } from '../households.js';
import { BENCH_API_TOKEN, type BenchEngine } from './bench-engine.js';
import { type BookingWatch, noopWorkers, realWorkers } from './cottbus-workers.js';
import { cpuMeter, heapUsedMb, loadAverage, peakSampler, percentile, residentMb } from './proc.js';

export const PROCESS_KEY = 'neukunde-cottbus';
const ID_CHECK = 'UserTask_IdCheck';
/** The local Tasklist login of the front desk (src/engine/provision.ts: one login per staff role). */
const FRONT_DESK = { user: 'ez', password: LOCAL_STAFF_PASSWORD };

export interface IntakeOptions {
  workers: 'real' | 'noop';
  intakes: number;
  /** Intakes in the system at once: each client sends its next application when its last one is booked. */
  inFlight: number;
  /**
   * Open loop: applications sent at this fixed rate (per second) for the send window, however many are in the
   * system; unset: the closed loop of `inFlight` clients.
   */
  offeredPerSecond?: number;
  /** Heap after a full GC and resident memory of the engine and this process, at the start and the end of the run. */
  measureMemory?: boolean;
  /** Front-desk clerks completing ID checks at once. */
  clerks: number;
  maxTasks: number;
  longPollSeconds: number;
  lockSeconds: number;
  /** No application is sent after this long; the figures cover those sent. */
  sendSeconds: number;
  /** How long to wait after the last send for the intakes in flight. */
  graceSeconds: number;
  /** PostgreSQL server for the store (a scratch database on it); unset: in-memory PGlite, as the integration tests. */
  storeAdminUrl?: string;
  /**
   * The jobcenters the applications go to, in turn (application i to jobcenters[i % length]); all must run the
   * Cottbus model. Default: Cottbus alone.
   */
  jobcenters?: readonly string[];
  /** Every store query of the run (API and workers), for the profile's count per intake. */
  queryLog?: (event: LogEvent) => void;
  /** The front desk's engine login; it must be a member of every jobcenter's group above. Default: `ez` (Cottbus). */
  frontDesk?: { user: string; password: string };
  /**
   * After the timed window, the front desk reports every application of the run withdrawn through the API, so that
   * its instance ends (the diagram closes its deadlines as not applicable) and the engine keeps it in its history
   * only. Untimed. Unset: the instances stay open, waiting for their consultations and decisions.
   */
  withdrawAfter?: boolean;
}

export interface IntakeFigures {
  /** Applications sent and answered 201. */
  intakes: number;
  /** The send window closed before N were sent. */
  cutShort: boolean;
  /** Applications whose every eLb was booked or handed to a person. */
  completed: number;
  /** Applications whose every eLb got a first-consultation appointment. */
  booked: number;
  /** eLb answered NO_SLOT_AVAILABLE (the diagram hands them to a person; not waited for). */
  noSlot: number;
  timedOut: boolean;
  /** First request to the last booking. */
  seconds: number;
  overallPerSecond: number;
  /** Bookings completed between the 10th and the 90th percentile of completion, per second: the steady rate. */
  sustainedPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  postMs: { p50: number; p99: number };
  postFailures: string;
  /** Peaks while the load ran. */
  engineRssMb: number;
  nodeRssMb: number;
  appointmentsInStore: number | null;
  slotsBookedTwice: number | null;
  /** CPU time over the run (first request to last booking) per intake completed: the engine JVM, and this process (API, workers, store, front desk, load). */
  cpuMsPerIntake: { engine: number; node: number };
  /** The machine's 1-minute load average when the run started and when its last intake was booked. */
  load: { start: number; end: number };
  /** What is still waiting for a worker after the drain (should be 0). */
  externalTasksLeft: number;
  /**
   * With `withdrawAfter`: the model's instances still running after the drain (0 when every run on the engine
   * withdrew its applications), and withdrawals refused.
   */
  withdrawal?: { instancesRunning: number; refused: number };
  /** With `measureMemory`. */
  memory?: { start: MemoryFigures; end: MemoryFigures };
}

export interface MemoryFigures {
  engineRssMb: number;
  /** Java heap in use after a full GC. */
  engineHeapMb: number;
  nodeRssMb: number;
  /** V8 heap in use (after a GC when Node runs with --expose-gc). */
  nodeHeapMb: number;
}

function memoryNow(enginePid: number): MemoryFigures {
  (globalThis as { gc?: () => void }).gc?.();
  return {
    engineRssMb: residentMb(enginePid)?.rssMb ?? Number.NaN,
    engineHeapMb: heapUsedMb(enginePid),
    nodeRssMb: process.memoryUsage().rss / 1024 / 1024,
    nodeHeapMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
}

async function countOf(client: EngineRestClient, path: string, query: Record<string, string>): Promise<number> {
  return (await client.request<{ count: number }>('GET', `${path}?${new URLSearchParams(query)}`)).count;
}

/** The front desk: lists the EZ's open ID checks as Tasklist does, claims each, and submits its form. */
function frontDesk(
  engine: BenchEngine,
  clerks: number,
  log: Logger,
  login = FRONT_DESK,
): { completed(): number; stop(): Promise<void> } {
  const client = new EngineRestClient(engine.endpoints.rest, login);
  const inHand = new Set<string>();
  let completed = 0;
  let stopped = false;
  const complete = async (taskId: string) => {
    try {
      await client.request('POST', `/task/${taskId}/claim`, { userId: login.user });
      await client.request('POST', `/task/${taskId}/submit-form`, { variables: toEngineVariables(ID_CHECK_FORM) });
      completed++;
    } catch (e) {
      log.warn('the bench front desk could not complete an ID check; trying again', {
        taskId,
        error: (e as Error).message,
      });
      inHand.delete(taskId);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const tasks = await client
        .tasks({
          processDefinitionKey: PROCESS_KEY,
          taskDefinitionKey: ID_CHECK,
          candidateGroup: 'EZ',
          sortBy: 'created',
          sortOrder: 'asc',
          maxResults: '100',
        })
        .catch((e: Error) => {
          log.warn('the bench front desk could not list tasks', { error: e.message });
          return [];
        });
      const fresh = tasks.filter((t) => !inHand.has(t.id));
      if (fresh.length === 0) {
        await sleep(100);
        continue;
      }
      for (const t of fresh) inHand.add(t.id);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(clerks, fresh.length) }, async () => {
          for (let i = next++; i < fresh.length; i = next++) await complete(fresh[i]!.id);
        }),
      );
    }
  })();
  return {
    completed: () => completed,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** Reports each application withdrawn today, eight at a time, as the front desk does; returns how many were refused. */
async function withdrawAll(ids: string[], applicationsUrl: string, on: string, log: Logger): Promise<number> {
  let refused = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < ids.length; i = next++) {
        const res = await fetch(`${applicationsUrl}/${ids[i]}/events/withdrawn`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BENCH_API_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ withdrawnOn: on }),
        }).catch((e: Error) => e);
        if (res instanceof Error || res.status !== 202) {
          refused++;
          log.warn('the bench front desk could not withdraw an application', {
            applicationId: ids[i],
            status: res instanceof Error ? res.message : res.status,
          });
        }
      }
    }),
  );
  return refused;
}

export async function intakeRun(engine: BenchEngine, opts: IntakeOptions, log: Logger): Promise<IntakeFigures> {
  const { config } = engine;
  const scratch = opts.storeAdminUrl ? await createScratchDatabase(opts.storeAdminUrl, 'bench_e2e') : undefined;
  const store = await openStore({
    ...(scratch ? { databaseUrl: scratch.url } : {}),
    ...(opts.queryLog ? { log: opts.queryLog } : {}),
  });
  const calendars = calendarsFor(config.jobcenters);
  const deps = appDeps({ store, calendars, jobcenters: config.jobcenters, now: () => new Date() });

  const eligible = new Map<string, number>();
  const bookedPersons = new Map<string, Set<string>>();
  const noSlotPersons = new Map<string, Set<string>>();
  const doneAt = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const settle = (applicationId: string) => {
    const want = eligible.get(applicationId);
    const have = (bookedPersons.get(applicationId)?.size ?? 0) + (noSlotPersons.get(applicationId)?.size ?? 0);
    if (want !== undefined && have >= want && !doneAt.has(applicationId)) {
      doneAt.set(applicationId, performance.now());
      waiting.get(applicationId)?.();
    }
  };
  /** Resolves when the application is booked (or handed to a person), false when `until` passes first. */
  const booked = (applicationId: string, until: number) =>
    new Promise<boolean>((resolve) => {
      if (doneAt.has(applicationId)) return resolve(true);
      const timer = setTimeout(
        () => {
          waiting.delete(applicationId);
          resolve(false);
        },
        Math.max(0, until - performance.now()),
      );
      waiting.set(applicationId, () => {
        clearTimeout(timer);
        waiting.delete(applicationId);
        resolve(true);
      });
    });
  const add = (m: Map<string, Set<string>>, applicationId: string, personId: string) => {
    const s = m.get(applicationId) ?? new Set<string>();
    s.add(personId);
    m.set(applicationId, s);
    settle(applicationId);
  };
  const watch: BookingWatch = {
    eligible: (applicationId, count) => {
      eligible.set(applicationId, count);
      settle(applicationId);
    },
    booked: (applicationId, personId) => add(bookedPersons, applicationId, personId),
    noSlot: (applicationId, personId) => add(noSlotPersons, applicationId, personId),
  };

  const workers = opts.workers === 'real' ? realWorkers(watch) : noopWorkers(watch, calendars.of('cottbus')!);
  const host = startWorkers(workers, deps, {
    baseUrl: engine.endpoints.rest[0]!,
    credentials: engine.endpoints.technical,
    maxTasks: opts.maxTasks,
    lockSeconds: opts.lockSeconds,
    longPollSeconds: opts.longPollSeconds,
    log,
  });
  const app = buildApp({
    engine: new RestEngineGateway(engine.client),
    store,
    calendars,
    jobcenters: config.jobcenters,
    tokens: config.tokens,
    log,
    rateLimitPerMinute: 0,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/applications`;
  const desk = frontDesk(engine, opts.clerks, log, opts.frontDesk);
  const jobcenters = opts.jobcenters?.length ? opts.jobcenters : ['cottbus'];
  const engineRss = peakSampler(() => residentMb(engine.engine.pid)?.rssMb);
  const nodeRss = peakSampler(() => residentMb(process.pid)?.rssMb);

  const sentAt = new Map<string, number>();
  const postMs: number[] = [];
  const failures = new Map<string, number>();
  const run = randomBytes(4).toString('hex');
  const applicationDate = berlinDate(new Date());
  const memoryAtStart = opts.measureMemory ? memoryNow(engine.engine.pid) : undefined;
  const loadAtStart = loadAverage()['1m'];
  const cpu = cpuMeter(engine.engine.pid);
  const first = performance.now();
  const sendUntil = first + opts.sendSeconds * 1000;
  const waitUntil = sendUntil + opts.graceSeconds * 1000;
  let next = 0;
  let attempts = 0;
  let timedOut = false;
  let engineRssMb = 0;
  let nodeRssMb = 0;
  let cpuUsed = { engineMs: Number.NaN, nodeMs: Number.NaN };
  let loadAtEnd = Number.NaN;
  try {
    const sendOne = async (i: number) => {
      attempts++;
      const t0 = performance.now();
      let id: string | undefined;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${BENCH_API_TOKEN}`,
            'content-type': 'application/json',
            'idempotency-key': `bench-${run}-${i}`,
          },
          body: JSON.stringify(household(i, applicationDate, '', jobcenters[i % jobcenters.length])),
        });
        const body = (await res.json()) as { id?: string };
        postMs.push(performance.now() - t0);
        if (res.status === 201 && body.id) id = body.id;
        else failures.set(String(res.status), (failures.get(String(res.status)) ?? 0) + 1);
      } catch (e) {
        const key = (e as Error).message.slice(0, 60);
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
      if (!id) return;
      sentAt.set(id, t0);
      if (!(await booked(id, waitUntil))) timedOut = true;
    };
    if (opts.offeredPerSecond) {
      // Open loop: application i leaves at i / rate whatever the system does, as applicants arrive.
      const sends: Promise<void>[] = [];
      for (let i = 0; i < opts.intakes; i++) {
        const at = first + (i * 1000) / opts.offeredPerSecond;
        if (at >= sendUntil) break;
        await sleep(Math.max(0, at - performance.now()));
        sends.push(sendOne(i));
      }
      await Promise.all(sends);
    } else {
      await Promise.all(
        Array.from({ length: opts.inFlight }, async () => {
          for (let i = next++; i < opts.intakes && performance.now() < sendUntil; i = next++) await sendOne(i);
        }),
      );
    }
    if (timedOut)
      log.warn(
        `intake run: ${sentAt.size - doneAt.size} of ${sentAt.size} intakes not booked ${opts.graceSeconds} s after the send window closed`,
      );
  } finally {
    cpuUsed = cpu.stop();
    loadAtEnd = loadAverage()['1m'];
    engineRssMb = engineRss.stop();
    nodeRssMb = nodeRss.stop();
    await desk.stop();
  }

  const memoryAtEnd = opts.measureMemory ? memoryNow(engine.engine.pid) : undefined;
  // Drain: the invitations after the bookings, so the next run's workers meet none of this run's tasks.
  const definition = await engine.client.request<{ id: string }>('GET', `/process-definition/key/${PROCESS_KEY}`);
  const drain = async () => {
    let left = -1;
    const drainUntil = performance.now() + 60_000;
    while (performance.now() < drainUntil) {
      left = await countOf(engine.client, '/external-task/count', { processDefinitionId: definition.id }).catch(
        () => -1,
      );
      if (left === 0 && host.running() === 0) break;
      await sleep(200);
    }
    return left;
  };
  let externalTasksLeft = await drain();
  // Then the withdrawals, and their closing of the deadlines.
  const refused = opts.withdrawAfter ? await withdrawAll([...sentAt.keys()], url, applicationDate, log) : 0;
  if (opts.withdrawAfter) externalTasksLeft = await drain();
  const withdrawal = opts.withdrawAfter
    ? {
        instancesRunning: await countOf(engine.client, '/process-instance/count', {
          processDefinitionKey: PROCESS_KEY,
        }).catch(() => -1),
        refused,
      }
    : undefined;
  await host.close();
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

  let appointmentsInStore: number | null = null;
  let slotsBookedTwice: number | null = null;
  if (opts.workers === 'real') {
    const n = await store.db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'first-consultation')
      .executeTakeFirstOrThrow();
    appointmentsInStore = Number(n.n);
    const dupes = await store.db
      .selectFrom('appointments')
      .select(['caseworker_id', 'starts_at'])
      .groupBy(['caseworker_id', 'starts_at'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    slotsBookedTwice = dupes.length;
  }
  await store.close();
  await scratch?.drop();

  const latencies: number[] = [];
  const completions: number[] = [];
  for (const [id, t0] of sentAt) {
    const t1 = doneAt.get(id);
    if (t1 === undefined) continue;
    latencies.push(t1 - t0);
    completions.push(t1 - first);
  }
  completions.sort((a, b) => a - b);
  const last = completions.at(-1) ?? Number.NaN;
  const lo = Math.floor(completions.length * 0.1);
  const hi = Math.max(lo + 1, Math.ceil(completions.length * 0.9) - 1);
  const sustained =
    completions.length >= 10
      ? (hi - lo) / ((completions[hi]! - completions[lo]!) / 1000)
      : completions.length / (last / 1000);
  const noSlot = [...noSlotPersons.values()].reduce((a, s) => a + s.size, 0);
  return {
    intakes: sentAt.size,
    cutShort: attempts < opts.intakes,
    completed: latencies.length,
    booked: [...sentAt.keys()].filter((id) => doneAt.has(id) && !noSlotPersons.has(id)).length,
    noSlot,
    timedOut,
    seconds: last / 1000,
    overallPerSecond: completions.length / (last / 1000),
    sustainedPerSecond: sustained,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    },
    postMs: { p50: percentile(postMs, 50), p99: percentile(postMs, 99) },
    postFailures: [...failures].map(([k, v]) => `${k} × ${v}`).join(', '),
    engineRssMb,
    nodeRssMb,
    cpuMsPerIntake: { engine: cpuUsed.engineMs / latencies.length, node: cpuUsed.nodeMs / latencies.length },
    load: { start: loadAtStart, end: loadAtEnd },
    appointmentsInStore,
    slotsBookedTwice,
    externalTasksLeft,
    ...(withdrawal ? { withdrawal } : {}),
    ...(memoryAtStart && memoryAtEnd ? { memory: { start: memoryAtStart, end: memoryAtEnd } } : {}),
  };
}
