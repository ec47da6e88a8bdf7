/**
 * `npm run bench`: prints a table and writes bench/results/<date>.json. Engine-free parts always run: the
 * working-day calendar against date-fns, ATV booking under 20 concurrent clients, and the Cottbus workers
 * (bench/workers: the happy path's service tasks for 300 applications through our job runner, with the variables
 * the engine would carry, so the rows show what our handlers cost per instance and per job type). The end-to-end
 * part needs the engine (ZEEBE_ADDRESS / CAMUNDA_REST_ADDRESS, or the local one) and says so when it is away. The
 * API part (bench/api) runs either way: against the engine when it answers, else with engine calls answered
 * in-process, which each of its rows says. BENCH_API_SECONDS sets the length of each API run (default 10).
 * BENCH_DATABASE_URL adds the booking and the worker runs on PostgreSQL (each in a scratch database next to the one named).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { addBusinessDays } from 'date-fns';
import { createCalendar } from '../src/calendar/index.js';
import { loadJobcenters } from '../src/config/load.js';
import { bookFirstFreeSlot } from '../src/domain/booking.js';
import { openStore } from '../src/store/index.js';
import { createScratchDatabase } from '../src/store/scratch-database.js';
import { apiBench } from './api/api-bench.js';
import { probeEngine, type EngineProbe } from './engine-probe.js';
import { row, type Row } from './row.js';
import { cottbusWorkerPathBench } from './workers/cottbus-path.js';

const rows: Row[] = [];
const add = (measure: string, value: number, unit: string, note?: string) => rows.push(row(measure, value, unit, note === undefined ? {} : { note }));

function calendarBench(): void {
  const cal = createCalendar({ state: 'BB' });
  const n = 200_000;
  const start = Date.UTC(2026, 0, 1) / 86_400_000;
  const dates = Array.from({ length: 1000 }, (_, i) => new Date((start + (i % 730)) * 86_400_000).toISOString().slice(0, 10));
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
  const scratch = kind === 'postgres' ? await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'bench') : undefined;
  const store = await openStore(scratch ? { databaseUrl: scratch.url } : {});
  const { jobcenters } = loadJobcenters('processes');
  const settings = jobcenters.get('cottbus')!;
  const calendar = createCalendar({ state: 'BB' });
  const applicationId = randomUUID();
  await store.db.insertInto('applications').values({ id: applicationId, jobcenter: 'cottbus', channel: 'EZ', application_date: '2026-11-23', status: 'bench', new_customer: true, not_new_reason: null, reason: 'bench', process_instance_key: null, idempotency_key: null, flags: '{}', created_by: 'bench' }).execute();
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
  const dupes = await store.db.selectFrom('appointments').select(['caseworker_id', 'starts_at']).groupBy(['caseworker_id', 'starts_at']).having((eb) => eb.fn.countAll(), '>', 1).execute();
  conflicts = dupes.length;
  add(`ATV booking on ${kind}: 1,000 bookings, 20 clients`, total / seconds, 'per s', `${unbooked} without slot`);
  add(`ATV booking on ${kind}: slots booked twice`, conflicts, 'count');
  await store.close();
  await scratch?.drop();
}

function engineParts(engine: EngineProbe): void {
  if (!engine.reachable) {
    add('end-to-end intake, no-op ratio, cold start', Number.NaN, '-', `not measured: ${engine.reason}`);
    return;
  }
  add('end-to-end intake', Number.NaN, '-', 'engine answers, but the end-to-end driver is not written yet');
}

// The machine is shared; a busy neighbour explains a bad figure better than a regression does.
const loadBefore = os.loadavg()[0]!;
calendarBench();
await bookingBench('pglite');
await bookingBench('postgres');
rows.push(...(await cottbusWorkerPathBench('pglite')));
if (process.env.BENCH_DATABASE_URL) rows.push(...(await cottbusWorkerPathBench('postgres')));
const engine = await probeEngine();
engineParts(engine);
rows.push(...(await apiBench(engine)));
add('resident memory of this process', process.memoryUsage().rss / 1e6, 'MB');

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const loadAverage = { before: Math.round(loadBefore * 100) / 100, after: Math.round(os.loadavg()[0]! * 100) / 100 };
console.log(`\nBenchmark on ${machine}; load average (1 min) ${loadAverage.before} before, ${loadAverage.after} after\n`);
console.table(rows.map((r) => ({ measure: r.measure, value: r.value, unit: r.unit, note: r.note ?? '', engine: r.engine ?? '' })));
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), machine, loadAverage, rows }, null, 2)}\n`);
console.log(`\nwritten to ${file}`);
