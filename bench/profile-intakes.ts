/**
 * `npx tsx bench/profile-intakes.ts`: where an intake's CPU goes, on both sides. The bench's engine (H2, or
 * PostgreSQL with BENCH_ENGINE_DATABASE_URL) runs BENCH_PROFILE_INTAKES Cottbus intakes (default 200) with our
 * workers after a warm-up, with
 *  - Java Flight Recorder on the engine JVM for exactly that run (`jcmd JFR.start` / `JFR.stop`),
 *  - V8's sampling profiler on this Node process (API, worker host, store, front desk, load generator),
 *  - the engine's HTTP access log (requests per intake by endpoint),
 *  - on PostgreSQL, the engine database's commits and row writes per table (pg_stat_*).
 * Prints the summaries and writes them with the raw files' paths to bench/results/profile-<date>-<engine>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { createLogger } from '../src/log/logger.js';
import { BENCH_DATA_DIR, startBenchEngine } from './engine/bench-engine.js';
import { intakeRun } from './engine/intakes.js';
import { loadAverage } from './engine/proc.js';
import { summarizeCpuProfile } from './profile/cpu-profile.js';
import { summarizeJfr } from './profile/jfr-profile.js';

const log = createLogger({ level: 'info', format: 'pretty' });
const quiet = createLogger({ level: 'warn', format: 'json' });
const intakes = Number(process.env.BENCH_PROFILE_INTAKES ?? 200);
const postgres = process.env.BENCH_ENGINE_DATABASE_URL
  ? { jdbcUrl: process.env.BENCH_ENGINE_DATABASE_URL, user: process.env.BENCH_ENGINE_DATABASE_USER ?? 'postgres' }
  : undefined;
const label = postgres ? 'postgres' : 'h2';
const outDir = path.resolve(BENCH_DATA_DIR, `profile-${label}`);
mkdirSync(outDir, { recursive: true });
const accessLogDir = path.join(outDir, 'access');
// Spring Boot reads these from the engine's environment (inherited from this process): one line per request.
process.env.SERVER_TOMCAT_ACCESSLOG_ENABLED = 'true';
process.env.SERVER_TOMCAT_ACCESSLOG_DIRECTORY = accessLogDir;
process.env.SERVER_TOMCAT_ACCESSLOG_PATTERN = '%m %U %s';
process.env.SERVER_TOMCAT_ACCESSLOG_BUFFERED = 'false';

const accessLogBytes = () => {
  try {
    return Object.fromEntries(readdirSync(accessLogDir).map((f) => [f, statSync(path.join(accessLogDir, f)).size]));
  } catch {
    return {} as Record<string, number>;
  }
};

/** Requests since `from` by method and path, ids replaced by ":id". */
function requestsSince(from: Record<string, number>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of readdirSync(accessLogDir)) {
    const text = readFileSync(path.join(accessLogDir, f), 'utf8').slice(from[f] ?? 0);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const [method, url, status] = line.split(' ');
      const key = `${method} ${url!.replace(/\/[0-9a-f-]{20,}|\/[A-Za-z_]+:\d+:[0-9a-f-]+/g, '/:id')} ${status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

interface TableStats {
  relname: string;
  n_tup_ins: string;
  n_tup_upd: string;
  n_tup_del: string;
}
async function pgStats(): Promise<
  { commits: number; tables: Map<string, { ins: number; upd: number; del: number }> } | undefined
> {
  if (!postgres) return undefined;
  const url = new URL(postgres.jdbcUrl.replace(/^jdbc:/, ''));
  const client = new pg.Client({ connectionString: `postgresql://${postgres.user}@${url.host}${url.pathname}` });
  await client.connect();
  try {
    // The statistics collector reports with a delay; a fresh snapshot per call.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const db = await client.query<{ xact_commit: string }>(
      'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()',
    );
    const rows = await client.query<TableStats>(
      'SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables',
    );
    return {
      commits: Number(db.rows[0]!.xact_commit),
      tables: new Map(
        rows.rows.map((r) => [
          r.relname,
          { ins: Number(r.n_tup_ins), upd: Number(r.n_tup_upd), del: Number(r.n_tup_del) },
        ]),
      ),
    };
  } finally {
    await client.end();
  }
}

const jcmd = (pid: number, ...args: string[]) => execFileSync('jcmd', [String(pid), ...args], { encoding: 'utf8' });

const engine = await startBenchEngine({ historyLevel: 'full', ...(postgres ? { postgres } : {}) }, log);
const options = {
  workers: 'real' as const,
  intakes,
  inFlight: 20,
  clerks: 4,
  maxTasks: engine.config.env.WORKER_MAX_TASKS,
  longPollSeconds: engine.config.env.WORKER_LONG_POLL_SECONDS,
  lockSeconds: engine.config.env.WORKER_LOCK_SECONDS,
  sendSeconds: 300,
  graceSeconds: 60,
};
const jfrFile = path.join(outDir, 'engine.jfr');
const cpuFile = path.join(outDir, 'node.cpuprofile');
let result;
const session = new Session();
try {
  log.info('warm-up: 40 intakes');
  await intakeRun(engine, { ...options, intakes: 40 }, quiet);
  const loadBefore = loadAverage();
  const access = accessLogBytes();
  const statsBefore = await pgStats();
  jcmd(engine.engine.pid, 'JFR.start', 'name=intakes', 'settings=profile', `filename=${jfrFile}`);
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  log.info(`${intakes} intakes under the profilers`);
  const queries = new Map<string, { n: number; ms: number }>();
  const figures = await intakeRun(
    engine,
    {
      ...options,
      queryLog: (event) => {
        // Literal lists and placeholders vary; the statement's shape is what counts.
        const key = event.query.sql
          .replace(/\$\d+/g, '?')
          .replace(/\(\?(, \?)*\)/g, '(…)')
          .slice(0, 160);
        const q = queries.get(key) ?? { n: 0, ms: 0 };
        q.n++;
        q.ms += event.queryDurationMillis;
        queries.set(key, q);
      },
    },
    quiet,
  );
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(cpuFile, JSON.stringify(profile));
  jcmd(engine.engine.pid, 'JFR.stop', 'name=intakes');
  const statsAfter = await pgStats();
  const requests = requestsSince(access);
  const perIntake = (n: number) => Math.round((n / figures.completed) * 100) / 100;
  const node = summarizeCpuProfile(cpuFile, 15);
  const jfr = await summarizeJfr(jfrFile, { limit: 20 });
  const rest = [...requests].sort((a, b) => b[1] - a[1]).map(([request, n]) => ({ request, perIntake: perIntake(n) }));
  const database =
    statsBefore && statsAfter
      ? {
          commitsPerIntake: perIntake(statsAfter.commits - statsBefore.commits),
          rowWritesPerIntake: [...statsAfter.tables]
            .map(([table, a]) => {
              const b = statsBefore.tables.get(table) ?? { ins: 0, upd: 0, del: 0 };
              return {
                table,
                inserts: perIntake(a.ins - b.ins),
                updates: perIntake(a.upd - b.upd),
                deletes: perIntake(a.del - b.del),
              };
            })
            .filter((t) => t.inserts + t.updates + t.deletes > 0)
            .sort((x, y) => y.inserts + y.updates + y.deletes - (x.inserts + x.updates + x.deletes)),
        }
      : undefined;
  const storeQueries = [...queries]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 25)
    .map(([sql, q]) => ({ sql, perIntake: perIntake(q.n), msPerIntake: perIntake(q.ms) }));
  const storeTotal = [...queries.values()].reduce((a, q) => ({ n: a.n + q.n, ms: a.ms + q.ms }), { n: 0, ms: 0 });
  result = {
    engine: engine.label,
    storeQueriesPerIntake: { count: perIntake(storeTotal.n), ms: perIntake(storeTotal.ms), top: storeQueries },
    intakes: figures.completed,
    throughputPerSecond: figures.sustainedPerSecond,
    cpuMsPerIntake: figures.cpuMsPerIntake,
    latencyMs: figures.latencyMs,
    load: { before: loadBefore, after: loadAverage() },
    files: { jfr: jfrFile, nodeCpuProfile: cpuFile },
    engineProfile: jfr,
    nodeProfile: node,
    restRequestsPerIntake: rest,
    database,
  };
} finally {
  session.disconnect();
  await engine.stop();
}

console.log(
  `\n${result.engine}: ${result.intakes} intakes, ${result.throughputPerSecond.toFixed(2)}/s, CPU per intake engine ${Math.round(result.cpuMsPerIntake.engine)} ms, Node ${Math.round(result.cpuMsPerIntake.node)} ms`,
);
console.log(`\nengine: cost centres (${result.engineProfile.samples} samples)`);
console.table(result.engineProfile.costCentres);
console.log('\nengine: hot methods (self)');
console.table(result.engineProfile.hotMethods);
console.log('\nengine: threads');
console.table(result.engineProfile.threads);
console.log(`\nNode: ${result.nodeProfile.totalMs} ms sampled, ${result.nodeProfile.idleMs} ms idle`);
console.table(result.nodeProfile.selfByOwner);
console.table(result.nodeProfile.onStackByPackage);
console.table(result.nodeProfile.onStackByOurFunction);
console.log(
  `\nstore: ${result.storeQueriesPerIntake.count} queries per intake, ${result.storeQueriesPerIntake.ms} ms (wall, queue included)`,
);
console.table(result.storeQueriesPerIntake.top);
console.log('\nREST requests per intake');
console.table(result.restRequestsPerIntake);
if (result.database) {
  console.log(`\ndatabase: ${result.database.commitsPerIntake} commits per intake; row writes per intake`);
  console.table(result.database.rowWritesPerIntake);
}
const file = path.join(
  'bench',
  'results',
  `profile-${new Date().toISOString().slice(0, 10)}-${label}${process.env.BENCH_PROFILE_TAG ? `-${process.env.BENCH_PROFILE_TAG}` : ''}.json`,
);
writeFileSync(file, JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, ...result }, null, 2));
console.log(`\nwritten: ${file}`);
