/**
 * `npm run bench`: prints a table and writes bench/results/<date>.json (the machine, the command, every setting,
 * the load average at start and end, the rows, and the raw figures of every engine run).
 *
 * Engine-free: the working-day calendar against date-fns, ATV booking under 20 concurrent clients, the Cottbus
 * worker path (bench/workers: our handlers per job type, the engine left out), and the API with the engine's
 * calls answered in-process and with a simulated start call (bench/api).
 * End to end on the real engine (bench/engine): the project's local Operaton engine host on port 18383 with a
 * scratch data folder, cold start and memory, the bare engine's ceiling, N Cottbus intakes to their first
 * bookings with our workers and with no-op workers, and tuning (WORKER_MAX_TASKS, long polling, history level).
 *
 * Settings (environment):
 *   BENCH_INTAKES            intakes per end-to-end run (default 200: 500 took longer than the 10 minutes the whole
 *                            bench may take on the shared 2-core machine; on a quiet one 500 fit)
 *   BENCH_IN_FLIGHT          intakes in the system at once (default 20)
 *   BENCH_RUN_SECONDS        send window of an intake run: no application is sent after it (default 120)
 *   BENCH_ENGINE_INSTANCES   instances of the bare engine's 10-task chain (default 200)
 *   BENCH_TUNING             0: no tuning runs and no second engine (default on)
 *   BENCH_TUNING_INTAKES     intakes per tuning run (default 100), BENCH_TUNING_RUN_SECONDS its window (default 40)
 *   BENCH_BUDGET_SECONDS     the whole bench's time; tuning and the audit engine are skipped when it runs out (default 600)
 *   BENCH_ENGINE_DATABASE_URL  adds the end-to-end rows on PostgreSQL, e.g. jdbc:postgresql://127.0.0.1:5432/bench_engine
 *                            (dropped and created by the bench; its name must start with "bench"); BENCH_ENGINE_DATABASE_USER (postgres)
 *   BENCH_DATABASE_URL       PostgreSQL for the store: adds the booking, worker-path and API rows on it (scratch
 *                            databases next to the one named)
 *   BENCH_E2E_DATABASE_URL   the end-to-end intakes' store on PostgreSQL (scratch databases next to the one named);
 *                            unset: in-memory PGlite, as `npm start` without DATABASE_URL and the integration tests
 *   BENCH_API_SECONDS        length of each API run (default 10)
 *   BENCH_WORKSPACE_TASKS    open user tasks behind the workspace's task list (default 5000); BENCH_WORKSPACE_REQUESTS
 *                            requests timed after the first (default 50)
 *   BENCH_READS_RATE         reads: requests per second offered to each read (default 50, evenly spread);
 *                            BENCH_READS_SECONDS per read and store (default 20); BENCH_READS_TASKS open user tasks of
 *                            the front desk behind them (default 5000); BENCH_DATABASE_URL adds the reads on PostgreSQL
 *                            as the store, BENCH_ENGINE_DATABASE_URL all of them again on an engine on PostgreSQL
 *   BENCH_ENGINE_PORT        the bench engine's port (default 18383)
 *   BENCH_SKIP               comma-separated parts to leave out: calendar, booking, workers, api, engine, workspace-tasks
 *   BENCH_TENANTS            jobcenters generated for tenants-400 (default 400); BENCH_TENANTS_INTAKES intakes per run
 *                            (default 100), BENCH_TENANTS_PAIRS spread/one-tenant pairs (default 2),
 *                            BENCH_TENANTS_RUN_SECONDS send window per run (default 60)
 *
 *   BENCH_AB_INTAKES         intakes per run of the settings comparison (default 150); BENCH_BUSY_CORES the CPU a
 *                            neighbour may use during a run before a comparison is not called (default 0.25 cores)
 *   BENCH_FIXED_RATE         fixed-load: intakes offered per second (default 2) for BENCH_FIXED_SECONDS (default 300)
 *   BENCH_DATABASES          the engines of settings, feel, fixed-load and decay: h2, postgres or both (default: h2, and
 *                            postgres with BENCH_ENGINE_DATABASE_URL)
 *   BENCH_DECAY_INTAKES      decay: intakes in all (default 10,000), in batches of BENCH_DECAY_BATCH (default 200);
 *                            BENCH_DECAY_CASES withdraw (default: each batch's cases end after it is measured) or keep
 *
 * `npm run bench -- --only workspace-tasks` (or BENCH_ONLY=workspace-tasks, comma-separated) runs only the parts named.
 * tenants-400 (400 jobcenters as tenants on PostgreSQL, bench/engine/tenants-400.ts) runs only when named so, with
 * BENCH_ENGINE_DATABASE_URL set: it takes about ten minutes on its own, the whole budget of the other parts. So do
 * the performance parts of bench/engine/performance.ts: settings (the engine before and after this round's tuning,
 * A B A B), feel (the engine host on Operaton's FEEL 1.19.3 against the pinned one, A B A B), fixed-load (latency and memory at a fixed offered load) and decay (throughput as the engine's data
 * grows), on H2 and, with BENCH_ENGINE_DATABASE_URL, on PostgreSQL; and reads (the most used reads at a fixed
 * rate: one application, the lists, Meine Aufgaben, the dashboard, bench/api/reads.ts): five reads of 20 s on each
 * store, after seeding 5,000 tasks.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { addBusinessDays, addDays, lightFormat } from 'date-fns';

import { bookFirstFreeSlot } from '../src/adapters/atv/store-atv.js';
import { createCalendar } from '../src/calendar/index.js';
import { loadJobcenters } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { openStore } from '../src/store/index.js';
import { createScratchDatabase } from '../src/store/scratch-database.js';
import { apiBench, apiSeconds } from './api/api-bench.js';
import { readsBench, readsSettings } from './api/reads.js';
import { BENCH_ENGINE_PORT } from './engine/bench-engine.js';
import { endToEnd, endToEndSettings, type RunRecord } from './engine/end-to-end.js';
import { decay, feelComparison, fixedLoad, performanceSettings, settingsComparison } from './engine/performance.js';
import { loadAverage } from './engine/proc.js';
import { tenants400Bench, tenants400Settings } from './engine/tenants-400.js';
import { type Row, row } from './row.js';
import { cottbusWorkerPathBench } from './workers/cottbus-path.js';
import { workspaceBenchSettings, workspaceTaskListBench } from './workspace/task-list.js';

const rows: Row[] = [];
const add = (measure: string, value: number, unit: string, note?: string) =>
  rows.push(row(measure, value, unit, note === undefined ? {} : { note }));

function calendarBench(): void {
  const cal = createCalendar({ state: 'BB' });
  const n = 200_000;
  const dates = Array.from({ length: 1000 }, (_, i) =>
    lightFormat(addDays(new Date(2026, 0, 1), i % 730), 'yyyy-MM-dd'),
  );
  let t = performance.now();
  for (let i = 0; i < n; i++) cal.addWorkingDays(dates[i % dates.length]!, 15);
  const ours = n / ((performance.now() - t) / 1000);
  const jsDates = dates.map((d) => new Date(`${d}T00:00:00`));
  t = performance.now();
  for (let i = 0; i < n; i++) addBusinessDays(jsDates[i % jsDates.length]!, 15);
  const theirs = n / ((performance.now() - t) / 1000);
  add('calendar: due dates (15 working days, BB holidays)', ours, 'per s');
  add('date-fns addBusinessDays (no holidays)', theirs, 'per s');
  add('calendar / date-fns', ours / theirs, 'ratio');
}

async function bookingBench(kind: 'pglite' | 'postgres'): Promise<void> {
  if (kind === 'postgres' && !process.env.BENCH_DATABASE_URL) return;
  // A scratch database, never the one named: the benchmark writes a thousand bookings.
  const scratch =
    kind === 'postgres' ? await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'bench') : undefined;
  const store = await openStore(scratch ? { databaseUrl: scratch.url } : {});
  const { jobcenters } = loadJobcenters('processes');
  const settings = jobcenters.get('cottbus')!;
  const calendar = createCalendar({ state: 'BB' });
  const applicationId = randomUUID();
  await store.db
    .insertInto('applications')
    .values({
      id: applicationId,
      jobcenter: 'cottbus',
      channel: 'EZ',
      application_date: '2026-11-23',
      status: 'bench',
      new_customer: true,
      not_new_reason: null,
      reason: 'bench',
      process_instance_key: null,
      idempotency_key: null,
      flags: '{}',
      created_by: 'bench',
    })
    .execute();
  const caseworkers = settings.caseworkers.slice(0, 20).map((c) => c.id);
  const total = 1000;
  let next = 0;
  let conflicts = 0;
  let unbooked = 0;
  const now = new Date('2026-11-23T08:00:00Z');
  const t = performance.now();
  // 20 clients, each booking for its own stream of people over the same 20 caseworkers.
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const booking = await bookFirstFreeSlot(store.db, settings, calendar, now, {
          jobcenter: 'cottbus',
          applicationId,
          personId: `p${i}`,
          kind: 'first-consultation',
          caseworkerId: caseworkers[i % caseworkers.length]!,
          dueDate: '2027-06-30',
          bookedBy: 'bench',
        });
        if (!booking) unbooked++;
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  const dupes = await store.db
    .selectFrom('appointments')
    .select(['caseworker_id', 'starts_at'])
    .groupBy(['caseworker_id', 'starts_at'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  conflicts = dupes.length;
  add(`ATV booking on ${kind}: 1,000 bookings, 20 clients`, total / seconds, 'per s', `${unbooked} without slot`);
  add(`ATV booking on ${kind}: slots booked twice`, conflicts, 'count');
  await store.close();
  await scratch?.drop();
}

const PARTS = [
  'calendar',
  'booking',
  'workers',
  'api',
  'engine',
  'workspace-tasks',
  'reads',
  'tenants-400',
  'settings',
  'feel',
  'fixed-load',
  'decay',
] as const;
/** Parts that run only when --only names them: each takes ten minutes or more on its own. */
const ON_REQUEST: readonly string[] = ['tenants-400', 'reads', 'settings', 'feel', 'fixed-load', 'decay'];
const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
const onlyArg = process.argv.indexOf('--only');
const only = list(onlyArg >= 0 ? process.argv[onlyArg + 1] : process.env.BENCH_ONLY);
for (const p of only)
  if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only ${p}: the parts are ${PARTS.join(', ')}`);
const skip = new Set([
  ...list(process.env.BENCH_SKIP),
  ...PARTS.filter((p) => (only.length ? !only.includes(p) : ON_REQUEST.includes(p))),
]);
const benchStartedAt = performance.now();
const e2eSettings = endToEndSettings(process.env, benchStartedAt);
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'info', format: 'pretty' });
// The machine is shared; a busy neighbour explains a bad figure better than a regression does.
const loadAtStart = loadAverage();
const startedAt = new Date();
let runs: RunRecord[] = [];

if (!skip.has('calendar')) calendarBench();
if (!skip.has('booking')) {
  await bookingBench('pglite');
  await bookingBench('postgres');
}
if (!skip.has('workers')) {
  log.info('worker path (engine-free)');
  rows.push(...(await cottbusWorkerPathBench('pglite')));
  if (process.env.BENCH_DATABASE_URL) rows.push(...(await cottbusWorkerPathBench('postgres')));
}
if (!skip.has('api')) {
  log.info('API (engine calls answered in-process)');
  rows.push(...(await apiBench(apiSeconds())));
}
if (!skip.has('engine')) {
  // The engine part logs its progress; a failure there is reported in the table, the engine-free rows still count.
  try {
    const result = await endToEnd(e2eSettings, log);
    rows.push(...result.rows);
    runs = result.runs;
  } catch (e) {
    log.error('the end-to-end part failed', { error: (e as Error).stack ?? String(e) });
    add('end-to-end part', Number.NaN, '-', `FAILED: ${(e as Error).message.slice(0, 300)}`);
  }
}
/** Runs one part; a failure is logged and reported in the table, the other parts' rows still count. */
async function part(name: string, what: string, measure: () => Promise<{ rows: Row[]; runs?: RunRecord[] }>) {
  log.info(what);
  try {
    const result = await measure();
    rows.push(...result.rows);
    runs.push(...(result.runs ?? []));
  } catch (e) {
    log.error(`the ${name} part failed`, { error: (e as Error).stack ?? String(e) });
    add(name, Number.NaN, '-', `FAILED: ${(e as Error).message.slice(0, 300)}`);
  }
}

if (!skip.has('workspace-tasks'))
  await part('workspace task list', 'workspace task list on the engine', async () => ({
    rows: await workspaceTaskListBench(workspaceBenchSettings(process.env), log),
  }));
if (!skip.has('reads'))
  await part('reads', 'the most used reads at a fixed rate, on the engine', async () => ({
    rows: await readsBench(readsSettings(process.env), log, e2eSettings.postgres),
  }));
if (!skip.has('tenants-400'))
  await part('tenants-400', '400 jobcenters as tenants on one engine (PostgreSQL)', () =>
    tenants400Bench(tenants400Settings(process.env, e2eSettings), log),
  );
/** BENCH_DATABASES (h2, postgres or both, comma-separated): the engines the performance parts run on. */
function performanceDatabases(env: NodeJS.ProcessEnv, postgres: boolean): ('h2' | 'postgres')[] {
  const all: ('h2' | 'postgres')[] = postgres ? ['h2', 'postgres'] : ['h2'];
  if (!env.BENCH_DATABASES) return all;
  const named = env.BENCH_DATABASES.split(',').map((d) => d.trim());
  const unknown = named.filter((d) => !(all as string[]).includes(d));
  if (unknown.length)
    throw new Error(
      `BENCH_DATABASES names ${unknown.join(', ')}; possible: ${all.join(', ')}${postgres ? '' : ' (postgres needs BENCH_ENGINE_DATABASE_URL)'}`,
    );
  return all.filter((d) => named.includes(d));
}
const performanceParts = [
  ['settings', settingsComparison],
  ['feel', feelComparison],
  ['fixed-load', fixedLoad],
  ['decay', decay],
] as const;
const perf = performanceSettings(process.env, {
  worker: e2eSettings.worker,
  ...(e2eSettings.postgres ? { postgres: e2eSettings.postgres } : {}),
});
for (const [name, measure] of performanceParts) {
  if (skip.has(name)) continue;
  for (const db of performanceDatabases(process.env, perf.postgres !== undefined)) {
    await part(`${name} (${db})`, `${name} on ${db}`, async () => {
      const result = await measure(perf, db, log);
      return { rows: result.rows, runs: result.runs.map((r) => ({ engine: db, ...r })) };
    });
  }
}
add('resident memory of the bench process at the end', process.memoryUsage().rss / 2 ** 20, 'MiB');

const loadAtEnd = loadAverage();
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const benchEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_') && !/PASSWORD/.test(k)),
);
const command = `${Object.entries(benchEnv)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ')} npm run bench${onlyArg >= 0 ? ` -- --only ${only.join(',')}` : ''}`.trim();
const seconds = (performance.now() - benchStartedAt) / 1000;
console.log(`\nBenchmark on ${machine}; ${command}; ${Math.round(seconds)} s`);
console.log(
  `load average (1/5/15 min) ${loadAtStart.raw.split(' ').slice(0, 3).join(' / ')} at start, ${loadAtEnd.raw.split(' ').slice(0, 3).join(' / ')} at end\n`,
);
console.table(
  rows.map((r) => ({ measure: r.measure, value: r.value, unit: r.unit, note: r.note ?? '', engine: r.engine ?? '' })),
);
mkdirSync('bench/results', { recursive: true });
// A run of some parts only gets its own file, so it never overwrites the full run of the same day.
const file = `bench/results/${startedAt.toISOString().slice(0, 10)}${only.length ? `-${only.join('+')}` : ''}.json`;
const settings = {
  ...e2eSettings,
  budgetEndsAt: undefined,
  postgres: e2eSettings.postgres
    ? { jdbcUrl: e2eSettings.postgres.jdbcUrl, user: e2eSettings.postgres.user }
    : undefined,
  enginePort: BENCH_ENGINE_PORT,
  apiSeconds: skip.has('api') ? undefined : apiSeconds(),
  skipped: [...skip],
};
writeFileSync(
  file,
  `${JSON.stringify({ at: startedAt.toISOString(), seconds: Math.round(seconds), machine, command, settings, loadAverage: { start: loadAtStart, end: loadAtEnd }, rows, runs }, null, 2)}\n`,
);
console.log(`\nwritten to ${file}`);
