/**
 * The API part of `npm run bench`: the real express app (store on in-memory PGlite) in its own process under
 * POST /api/v1/applications, first at a steady 50 requests/s, then as fast as 10 connections get answers, with
 * the engine's calls answered in-process (every row says so); then with a simulated 20 ms start call, on PGlite
 * and (BENCH_DATABASE_URL) PostgreSQL. Also the API process's cold start to listening. What our code costs on
 * its own: the API against the real engine is in the end-to-end rows (bench/engine), whose instances have
 * workers to take them; an API run here against the engine would leave thousands of instances without any.
 */
import { performance } from 'node:perf_hooks';

import { createScratchDatabase } from '../../src/store/scratch-database.js';
import { type Row, row } from '../row.js';
import { IN_PROCESS_ENGINE_LABEL } from './in-process-engine.js';
import { type LoadFigures, type LoadShape, postApplications } from './load.js';
import type { ServerStats } from './messages.js';
import { startApiServer } from './server-process.js';

/** The stand-in for the engine's start call: about what the local engine's start answers in when it is not busy. */
export const SIMULATED_START_MS = 20;

export function apiSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.BENCH_API_SECONDS ?? 10);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`BENCH_API_SECONDS must be a positive number of seconds, not "${env.BENCH_API_SECONDS}"`);
  return seconds;
}

/** Rows written in a run must equal the 2xx answers the server sent in it: more would be writes without an answer, fewer lost applications. */
function rowsCheck(before: ServerStats, after: ServerStats, figures: LoadFigures): { written: number; note: string } {
  const written = after.applications - before.applications;
  const answered = after.answered2xx - before.answered2xx;
  const unread = answered - figures.read2xx;
  const verdict =
    written === answered ? 'ok: rows = 2xx answers' : `MISMATCH: ${written} rows, ${answered} 2xx answers`;
  return {
    written,
    note: `${verdict} (${answered} sent by the server${unread ? `, ${unread} of them after the load generator hung up` : ''})`,
  };
}

function rowsFor(
  shape: LoadShape,
  figures: LoadFigures,
  before: ServerStats,
  after: ServerStats,
  engine: string,
): Row[] {
  const label = `API POST /api/v1/applications, ${shape.name}`;
  const check = rowsCheck(before, after, figures);
  const failures = [
    figures.statusCodes,
    figures.errors ? `${figures.errors} errors` : '',
    figures.timeouts ? `${figures.timeouts} timeouts` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return [
    row(`${label}: throughput`, figures.requestsPerSecond, 'req/s', {
      note: `${figures.read2xx} × 2xx in ${figures.seconds.toFixed(2)} s`,
      engine,
    }),
    row(`${label}: latency p50`, figures.p50Ms, 'ms', { engine }),
    row(`${label}: latency p99`, figures.p99Ms, 'ms', { engine }),
    row(`${label}: non-2xx answers`, figures.non2xx, 'count', { note: failures, engine }),
    row(`${label}: applications rows written`, check.written, 'count', { note: check.note, engine }),
    row(`${label}: API process peak resident memory`, figures.peakRssMb, 'MB', { engine }),
  ];
}

export async function apiBench(seconds = apiSeconds()): Promise<Row[]> {
  const engine = IN_PROCESS_ENGINE_LABEL;
  const spawned = performance.now();
  const server = await startApiServer({ engine: null });
  const coldStartMs = performance.now() - spawned;
  try {
    const idle = await server.rssMb();
    // One unreported second first: the first requests compile the schemas, routes and queries.
    await postApplications(server, { name: 'warm-up', connections: 10, seconds: 1 });
    const rows: Row[] = [
      row('API process cold start to listening', coldStartMs, 'ms', {
        note: 'node and tsx started, code loaded, in-memory PGlite created and migrated, app built; the engine not included',
        engine,
      }),
      row('API process resident memory before the load', idle, 'MB', {
        note: 'started, in-memory PGlite store migrated, nothing served yet',
        engine,
      }),
    ];
    let before = await server.stats();
    const shapes: LoadShape[] = [
      // One application a second from each of 50 clients started 20 ms apart: an even 50/s, not a burst each second.
      { name: '50/s fixed (50 clients × 1/s, evenly spread)', connections: 50, overallRate: 50, seconds },
      { name: 'max rate, 10 connections', connections: 10, seconds },
    ];
    for (const shape of shapes) {
      const figures = await postApplications(server, shape);
      const after = await server.stats();
      rows.push(...rowsFor(shape, figures, before, after, engine));
      before = after;
    }
    rows.push(
      row('API process resident memory after the load', before.rssMb, 'MB', {
        note: `${before.applications} applications in the store`,
        engine,
      }),
    );
    rows.push(...(await slowStartRun('pglite', seconds)));
    if (process.env.BENCH_DATABASE_URL) rows.push(...(await slowStartRun('postgres', seconds)));
    return rows;
  } finally {
    await server.stop();
  }
}

/**
 * The API with an engine start call that takes time, as a real one does: shows whether the store waits on the
 * engine (the first bottleneck found: PGlite's one session held across the call).
 */
export async function slowStartRun(store: 'pglite' | 'postgres', seconds: number): Promise<Row[]> {
  const scratch =
    store === 'postgres' ? await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'bench_api') : undefined;
  const engine = `${IN_PROCESS_ENGINE_LABEL}, start call ${SIMULATED_START_MS} ms (simulated)`;
  const server = await startApiServer({ engine: null, startDelayMs: SIMULATED_START_MS, databaseUrl: scratch?.url });
  try {
    await postApplications(server, { name: 'warm-up', connections: 10, seconds: 1 });
    const before = await server.stats();
    const shape: LoadShape = { name: `max rate, 10 connections, store on ${store}`, connections: 10, seconds };
    const figures = await postApplications(server, shape);
    return rowsFor(shape, figures, before, await server.stats(), engine).filter(
      (r) => !r.measure.endsWith('peak resident memory'),
    );
  } finally {
    await server.stop();
    await scratch?.drop();
  }
}
