/**
 * The reads staff and clients use most, each at a fixed offered rate (BENCH_READS_RATE, default 50/s, evenly
 * spread) for BENCH_READS_SECONDS (default 20): one application and the application list over the API (bearer
 * token), the workspace's Neukunden list and "Meine Aufgaben", and the MDS dashboard (the front desk's workspace
 * login). Behind them the bench engine (H2) with BENCH_READS_TASKS (default 5,000) open user tasks of the front
 * desk, seeded as in workspace/task-list.ts, and a store row per instance; the store on PGlite, as `npm start`,
 * and with BENCH_DATABASE_URL also on a scratch PostgreSQL database. The app and the load generator share this
 * process, as PGlite lives in the process that opened it; at 50/s the generator's own share is small. Reports
 * p50, p99 and max latency, the answers and the non-2xx ones per read, each beside its target; asserts nothing.
 */
import type { Server } from 'node:http';

import { sql } from 'kysely';

import { tokenTable } from '../../src/config/tokens.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { type Logger } from '../../src/log/logger.js';
import { openStore } from '../../src/store/index.js';
import { createScratchDatabase } from '../../src/store/scratch-database.js';
import {
  analyzeBenchDatabase,
  BENCH_API_TOKEN,
  type BenchEngine,
  dropBenchDatabase,
  type EngineSettings,
  startBenchEngine,
} from '../engine/bench-engine.js';
import { type Row, row } from '../row.js';
import { BENCH_JOBCENTER, seedTaskCases, serveWorkspace, startTaskInstances } from '../workspace/task-list.js';
import { pacedRun } from './load.js';

export interface ReadsSettings {
  /** Requests per second offered to each read, one client per request a second. */
  rate: number;
  seconds: number;
  tasks: number;
}

function positiveInteger(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const value = Number(env[key] ?? fallback);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${key} must be a positive whole number, not "${env[key]}"`);
  return value;
}

export const readsSettings = (env: NodeJS.ProcessEnv = process.env): ReadsSettings => ({
  rate: positiveInteger(env, 'BENCH_READS_RATE', 50),
  seconds: positiveInteger(env, 'BENCH_READS_SECONDS', 20),
  tasks: positiveInteger(env, 'BENCH_READS_TASKS', 5000),
});

/** The targets the rows are read against: one record is a lookup, a page of a list may join and render more. */
const ONE_RECORD_P99_MS = 50;
const PAGE_P99_MS = 300;

interface Read {
  name: string;
  path: string;
  /** The API's bearer token, or the workspace's session cookie (the dashboard takes the workspace login too). */
  auth: 'token' | 'cookie';
  targetMs: number;
  what: string;
}

const readsOf = (applicationId: string): Read[] => [
  {
    name: 'GET /api/v1/applications/:id',
    path: `/api/v1/applications/${applicationId}`,
    auth: 'token',
    targetMs: ONE_RECORD_P99_MS,
    what: 'one application',
  },
  {
    name: 'GET /api/v1/applications',
    path: '/api/v1/applications',
    auth: 'token',
    targetMs: PAGE_P99_MS,
    what: 'a list page (default paging: 100 and the count)',
  },
  {
    name: 'GET /arbeitsplatz/neukunden',
    path: '/arbeitsplatz/neukunden',
    auth: 'cookie',
    targetMs: PAGE_P99_MS,
    what: 'a list page (25 cases, the count, their positions in the engine)',
  },
  {
    name: 'GET /arbeitsplatz/aufgaben',
    path: '/arbeitsplatz/aufgaben',
    auth: 'cookie',
    targetMs: PAGE_P99_MS,
    what: 'a list page (25 tasks of the engine, the count, their cases)',
  },
  {
    name: `GET /dashboard/${BENCH_JOBCENTER}`,
    path: `/dashboard/${BENCH_JOBCENTER}`,
    auth: 'cookie',
    targetMs: PAGE_P99_MS,
    what: 'a page like a list page (the MDS report and the cases due)',
  },
];

interface Served {
  base: string;
  headers: (read: Read) => Record<string, string>;
}

/**
 * One request of each read first, unreported: it compiles the routes and queries, and a read that does not answer
 * 200 (or a task list without tasks) would measure nothing, so the part fails instead.
 */
async function warmUp(served: Served, reads: readonly Read[]): Promise<void> {
  for (const read of reads) {
    const res = await fetch(`${served.base}${read.path}`, { headers: served.headers(read), redirect: 'manual' });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${read.name} answered ${res.status} before the load`);
    if (read.path === '/arbeitsplatz/aufgaben' && !body.includes('<tr data-task='))
      throw new Error('the task list showed no task: the bench would measure an empty page');
  }
}

async function measure(served: Served, read: Read, s: ReadsSettings, label: string, engine: string): Promise<Row[]> {
  const { result, seconds } = await pacedRun(
    served.base,
    { name: read.name, connections: s.rate, overallRate: s.rate, seconds: s.seconds },
    () => [{ method: 'GET', path: read.path, headers: served.headers(read) }],
  );
  const answered = result['2xx'] + result.non2xx;
  const target = `target p99 < ${read.targetMs} ms (${read.what})`;
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code} × ${count}`)
    .join(', ');
  const failures = [
    codes,
    result.errors ? `${result.errors} errors` : '',
    result.timeouts ? `${result.timeouts} timeouts` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const name = `${label}: ${read.name}`;
  return [
    row(`${name}: latency p50`, result.latency.p50, 'ms', { note: target, engine }),
    row(`${name}: latency p99`, result.latency.p99, 'ms', { note: target, engine }),
    row(`${name}: latency max`, result.latency.max, 'ms', { note: target, engine }),
    row(`${name}: requests answered`, answered, 'count', {
      // An answer slower than the interval holds its client back, so the rate reached tells whether the load held.
      note: `${(answered / seconds).toFixed(1)}/s of ${s.rate}/s offered, ${seconds.toFixed(1)} s`,
      engine,
    }),
    row(`${name}: non-2xx answers`, result.non2xx, 'count', { note: failures, engine }),
  ];
}

/** The five reads on one store: seeded with a case per instance, served on the engine, each read in turn. */
async function readsOnStore(
  kind: 'pglite' | 'postgres',
  engine: BenchEngine,
  engineOnPostgres: boolean,
  instances: readonly string[],
  s: ReadsSettings,
  log: Logger,
): Promise<Row[]> {
  // A scratch database, never the one named: the bench writes thousands of cases.
  const scratch =
    kind === 'postgres' ? await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'bench_reads') : undefined;
  const store = await openStore(scratch ? { databaseUrl: scratch.url } : {});
  let server: Server | undefined;
  try {
    const applicationIds = await seedTaskCases(store, instances);
    // As autovacuum would after the bulk seeding (see analyzeBenchDatabase); PGlite keeps no statistics to gather.
    if (kind === 'postgres') await sql`ANALYZE`.execute(store.db);
    const tokens = tokenTable({ [BENCH_API_TOKEN]: { roles: ['EZ'], jobcenter: BENCH_JOBCENTER } });
    const app = await serveWorkspace(engine, store, { tokens });
    server = app.server;
    const served: Served = {
      base: app.base,
      headers: (read): Record<string, string> =>
        read.auth === 'token' ? { authorization: `Bearer ${BENCH_API_TOKEN}` } : { cookie: app.cookie },
    };
    const reads = readsOf(applicationIds[Math.floor(applicationIds.length / 2)]!);
    await warmUp(served, reads);
    // The H2 rows keep their names of earlier runs; the engine on PostgreSQL is named.
    const label = `reads on ${kind}${engineOnPostgres ? ' (engine on PostgreSQL)' : ''}, ${s.rate}/s fixed`;
    const engineLabel = `${engine.label}; store ${kind === 'pglite' ? 'PGlite' : 'PostgreSQL'}`;
    const rows: Row[] = [];
    for (const read of reads) {
      log.info(`reads on ${kind}: ${read.name} at ${s.rate}/s for ${s.seconds} s`);
      rows.push(...(await measure(served, read, s, label, engineLabel)));
    }
    return rows;
  } finally {
    const open = server;
    if (open) await new Promise<void>((resolve) => open.close(() => resolve()));
    await store.close();
    await scratch?.drop();
  }
}

/**
 * The reads on the bench engine on H2 and, given `postgres` (BENCH_ENGINE_DATABASE_URL), again on an engine on
 * PostgreSQL: Meine Aufgaben is the engine's task query, whose cost depends on the engine's database.
 */
export async function readsBench(s: ReadsSettings, log: Logger, postgres?: EngineSettings['postgres']): Promise<Row[]> {
  const rows: Row[] = [];
  for (const on of postgres ? [undefined, postgres] : [undefined]) rows.push(...(await readsOnEngine(s, log, on)));
  return rows;
}

async function readsOnEngine(s: ReadsSettings, log: Logger, postgres?: EngineSettings['postgres']): Promise<Row[]> {
  // Only the bench's one-task diagram is needed; processes/ left undeployed saves the engine's start some seconds.
  const engine = await startBenchEngine(
    { historyLevel: 'full', deploy: false, ...(postgres ? { postgres } : {}) },
    log,
  );
  try {
    const admin = new EngineRestClient(engine.endpoints.rest, engine.endpoints.administrator!);
    const { instances, seconds } = await startTaskInstances(admin, s.tasks, log);
    const autovacuum = postgres ? await analyzeBenchDatabase(postgres) : undefined;
    const rows = [
      row(`reads: ${s.tasks} instances with one user task started`, s.tasks / seconds, 'per s', {
        note: `the seeding: 20 starts at once${autovacuum ? `; then ANALYZE (the server's autovacuum: ${autovacuum})` : ''}`,
        engine: engine.label,
      }),
      ...(await readsOnStore('pglite', engine, !!postgres, instances, s, log)),
    ];
    if (process.env.BENCH_DATABASE_URL)
      rows.push(...(await readsOnStore('postgres', engine, !!postgres, instances, s, log)));
    return rows;
  } finally {
    await engine.stop();
    if (postgres) await dropBenchDatabase(postgres);
  }
}
