/**
 * The performance parts of `npm run bench` (issue 22), each on a fresh engine of the bench (H2, and PostgreSQL
 * with BENCH_ENGINE_DATABASE_URL):
 *  - settings: the engine as before the tuning against the engine as it ships, alternated A B A B on fresh
 *    engines, medians quoted; a comparison is called only when no neighbour used the machine meanwhile;
 *  - feel: the same, with the engine host built on FEEL 1.19.3 (Operaton 1.0.3's own) as A and on the pinned
 *    FEEL of engine/pom.xml as B;
 *  - fixed-load: Cottbus intakes offered at a fixed rate (default 2 per second for 300 s), request to booked
 *    p50/p99 and memory of the engine and of Node at the start and the end;
 *  - decay: batches of intakes on one engine whose database keeps every instance, the first batch's throughput
 *    against the last one's. By default each batch's cases end after it is measured (withdrawn), so the history
 *    grows by every intake while the open work stays at one batch, as in a jobcenter whose cases close within
 *    weeks; BENCH_DECAY_CASES=keep leaves them open, so that the open work grows with the intakes too.
 */
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { createLogger, type Logger } from '../../src/log/logger.js';
import { buildEngineHost } from '../../tools/engine/build.js';
import { type Row, row } from '../row.js';
import {
  autovacuumOf,
  BENCH_DATA_DIR,
  type BenchEngine,
  dropBenchDatabase,
  type EngineSettings,
  startBenchEngine,
} from './bench-engine.js';
import { positive } from './end-to-end.js';
import { type IntakeFigures, type IntakeOptions, intakeRun } from './intakes.js';
import { loadAverage, neighbourMeter } from './proc.js';

const quiet = createLogger({ level: 'warn', format: 'json' });

export interface PerformanceSettings {
  postgres?: { jdbcUrl: string; user: string; password?: string };
  worker: { maxTasks: number; longPollSeconds: number; lockSeconds: number };
  /** Intakes per run of the settings comparison (BENCH_AB_INTAKES, default 150). */
  abIntakes: number;
  /** BENCH_FIXED_RATE (default 2 per second) for BENCH_FIXED_SECONDS (default 300). */
  fixedRate: number;
  fixedSeconds: number;
  /** BENCH_DECAY_INTAKES (default 10,000) in batches of BENCH_DECAY_BATCH (default 200). */
  decayIntakes: number;
  decayBatch: number;
  /** BENCH_DECAY_CASES: withdraw (default) ends each batch's instances after it is measured; keep leaves them open. */
  decayCases: 'withdraw' | 'keep';
  /** A neighbour using more than this many cores on average makes a comparison uncalled (BENCH_BUSY_CORES, 0.25). */
  busyCores: number;
}

export function performanceSettings(
  env: NodeJS.ProcessEnv,
  base: Pick<PerformanceSettings, 'postgres' | 'worker'>,
): PerformanceSettings {
  return {
    ...base,
    abIntakes: Math.round(positive(env, 'BENCH_AB_INTAKES', 150)),
    fixedRate: positive(env, 'BENCH_FIXED_RATE', 2),
    fixedSeconds: positive(env, 'BENCH_FIXED_SECONDS', 300),
    decayIntakes: Math.round(positive(env, 'BENCH_DECAY_INTAKES', 10_000)),
    decayBatch: Math.round(positive(env, 'BENCH_DECAY_BATCH', 200)),
    decayCases: decayCases(env.BENCH_DECAY_CASES),
    busyCores: positive(env, 'BENCH_BUSY_CORES', 0.25),
  };
}

function decayCases(raw: string | undefined): 'withdraw' | 'keep' {
  if (raw === undefined || raw === '' || raw === 'withdraw') return 'withdraw';
  if (raw === 'keep') return 'keep';
  throw new Error(`BENCH_DECAY_CASES must be withdraw or keep, not ${JSON.stringify(raw)}`);
}

/** The engine host's switches for what this round tuned; set, they give the engine as it was before. */
export const BEFORE_TUNING: Readonly<Record<string, string>> = {
  ENGINE_QUERY_INDEXES: 'false',
  ENGINE_REST_AUTH_CACHE_SECONDS: '0',
  ENGINE_H2_COMPACT_SECONDS: '0',
  ENGINE_POSTGRES_CUSTOM_PLANS: 'false',
};

/** What arm A of a comparison changes: the engine host's environment, or the engine host itself. */
interface ArmA {
  env: Readonly<Record<string, string>>;
  /** An engine host source folder other than engine/ (its jar is built there). */
  sourceDir?: string;
}

interface Comparison {
  name: string;
  /** Arm A in a few words, for the rows. */
  before: string;
  prepare(log: Logger): Promise<ArmA>;
}

const TUNING: Comparison = {
  name: 'settings',
  before: `${Object.keys(BEFORE_TUNING).join(', ')} off`,
  prepare: () => Promise.resolve({ env: BEFORE_TUNING }),
};

/** FEEL as Operaton 1.0.3's BOM brings it, before engine/pom.xml pinned a newer patch release. */
export const FEEL_BEFORE = '1.19.3';

/** engine/ copied to the bench's folder with FEEL_BEFORE in its pom, and built there. */
async function engineHostOnFeelBefore(log: Logger): Promise<string> {
  const dir = path.join(BENCH_DATA_DIR, 'engine-feel-before');
  const pom = readFileSync('engine/pom.xml', 'utf8');
  const property = /<feel-engine\.version>[^<]+<\/feel-engine\.version>/;
  if (!property.test(pom))
    throw new Error('engine/pom.xml has no <feel-engine.version> property: the feel comparison has nothing to change');
  rmSync(path.join(dir, 'src'), { recursive: true, force: true });
  cpSync('engine/src', path.join(dir, 'src'), { recursive: true });
  writeFileSync(
    path.join(dir, 'pom.xml'),
    pom.replace(property, `<feel-engine.version>${FEEL_BEFORE}</feel-engine.version>`),
  );
  await buildEngineHost(log, { engineDir: dir, javaHome: process.env.JAVA_HOME });
  return dir;
}

const FEEL: Comparison = {
  name: 'feel',
  before: `FEEL ${FEEL_BEFORE}`,
  prepare: async (log) => ({ env: {}, sourceDir: await engineHostOnFeelBefore(log) }),
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs `work` on a fresh bench engine started with `env` added to this process's environment (the JVM inherits it). */
async function onFreshEngine<T>(
  settings: EngineSettings,
  env: Readonly<Record<string, string>>,
  log: Logger,
  work: (engine: BenchEngine) => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let engine: BenchEngine;
  try {
    engine = await startBenchEngine(settings, log);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  try {
    return await work(engine);
  } finally {
    await engine.stop();
  }
}

function intakeOptions(s: PerformanceSettings, over: Partial<IntakeOptions>): IntakeOptions {
  return {
    workers: 'real',
    intakes: 200,
    inFlight: 20,
    clerks: 4,
    maxTasks: s.worker.maxTasks,
    longPollSeconds: s.worker.longPollSeconds,
    lockSeconds: s.worker.lockSeconds,
    sendSeconds: 300,
    graceSeconds: 60,
    ...over,
  };
}

interface MeasuredRun {
  figures: IntakeFigures;
  neighbourCores: number;
  neighbours: string;
}

/** A warm-up of 20 intakes (unreported), then the measured run, with what the rest of the machine used meanwhile. */
async function measuredRun(engine: BenchEngine, s: PerformanceSettings, o: IntakeOptions): Promise<MeasuredRun> {
  await intakeRun(engine, intakeOptions(s, { intakes: 20, sendSeconds: 30, graceSeconds: 30 }), quiet);
  const neighbours = neighbourMeter(() => engine.engine.pid);
  const figures = await intakeRun(engine, o, quiet);
  const n = neighbours.stop();
  return { figures, neighbourCores: n.cores, neighbours: n.top };
}

const dbLabel = (s: PerformanceSettings, db: 'h2' | 'postgres') => (db === 'postgres' ? 'PostgreSQL' : 'H2');
const engineSettings = (s: PerformanceSettings, db: 'h2' | 'postgres'): EngineSettings => ({
  historyLevel: 'full',
  ...(db === 'postgres' && s.postgres ? { postgres: s.postgres } : {}),
});

export interface Recorded {
  rows: Row[];
  runs: { run: string; settings: Record<string, unknown>; figures: Record<string, unknown> }[];
}

/** Engine as before (A) against the engine as shipped (B), A B A B, each on a fresh engine and database. */
export const settingsComparison = (s: PerformanceSettings, db: 'h2' | 'postgres', log: Logger) =>
  abComparison(TUNING, s, db, log);

/** The engine host on FEEL 1.19.3 (A) against the host as shipped (B), A B A B. */
export const feelComparison = (s: PerformanceSettings, db: 'h2' | 'postgres', log: Logger) =>
  abComparison(FEEL, s, db, log);

async function abComparison(
  c: Comparison,
  s: PerformanceSettings,
  db: 'h2' | 'postgres',
  log: Logger,
): Promise<Recorded> {
  const out: Recorded = { rows: [], runs: [] };
  const label = dbLabel(s, db);
  const a = await c.prepare(log);
  const b: ArmA = { env: {} };
  const order = [
    ['A', a],
    ['B', b],
    ['A', a],
    ['B', b],
  ] as const;
  const results: { arm: 'A' | 'B'; run: MeasuredRun }[] = [];
  for (const [arm, { env, sourceDir }] of order) {
    log.info(`${label}: ${c.name} ${arm} (${arm === 'A' ? c.before : 'as shipped'}), ${s.abIntakes} intakes`);
    const o = intakeOptions(s, { intakes: s.abIntakes });
    const engine = { ...engineSettings(s, db), ...(sourceDir ? { sourceDir } : {}) };
    const run = await onFreshEngine(engine, env, log, (e) => measuredRun(e, s, o));
    results.push({ arm, run });
    out.runs.push({
      run: `${label} ${c.name} ${arm}`,
      settings: { ...o, engineEnv: env, ...(sourceDir ? { engineSourceDir: sourceDir } : {}) },
      figures: { ...run },
    });
  }
  const arm = (a: 'A' | 'B') => results.filter((r) => r.arm === a).map((r) => r.run);
  const busiest = Math.max(...results.map((r) => r.run.neighbourCores));
  const called = busiest <= s.busyCores;
  const verdict = called
    ? `neighbours used at most ${busiest.toFixed(2)} cores during a run`
    : `NOT CALLED: a neighbour used ${busiest.toFixed(2)} cores during a run (${results.find((r) => r.run.neighbourCores === busiest)!.run.neighbours}), more than BENCH_BUSY_CORES ${s.busyCores}`;
  const figure = (name: string, unit: string, of: (f: IntakeFigures) => number) => {
    const xa = arm('A').map((r) => of(r.figures));
    const xb = arm('B').map((r) => of(r.figures));
    const ma = median(xa);
    const mb = median(xb);
    const m = `${label}, ${c.name} A/B: ${name}`;
    const loads = results.map((r) => `${r.arm} ${r.run.figures.load.start.toFixed(1)}`).join(', ');
    out.rows.push(
      row(`${m}, A (before: ${c.before})`, ma, unit, {
        note: `runs ${xa.map((v) => v.toFixed(2)).join(', ')}; median`,
      }),
      row(`${m}, B (as shipped)`, mb, unit, { note: `runs ${xb.map((v) => v.toFixed(2)).join(', ')}; median` }),
      row(`${m}, B / A`, called ? mb / ma : Number.NaN, 'ratio', {
        note: `${verdict}; order A B A B, fresh engine each; load average at each start: ${loads}`,
      }),
    );
  };
  figure('throughput', 'per s', (f) => f.sustainedPerSecond);
  figure('CPU per intake, engine + Node', 'ms', (f) => f.cpuMsPerIntake.engine + f.cpuMsPerIntake.node);
  figure('CPU per intake, engine', 'ms', (f) => f.cpuMsPerIntake.engine);
  figure('request to booked p99', 'ms', (f) => f.latencyMs.p99);
  return out;
}

/** Intakes offered at a fixed rate on a warm engine; latency and memory at the start and end. */
export async function fixedLoad(s: PerformanceSettings, db: 'h2' | 'postgres', log: Logger): Promise<Recorded> {
  const label = dbLabel(s, db);
  log.info(`${label}: ${s.fixedRate} intakes per second for ${s.fixedSeconds} s`);
  const o = intakeOptions(s, {
    offeredPerSecond: s.fixedRate,
    intakes: Math.ceil(s.fixedRate * s.fixedSeconds),
    sendSeconds: s.fixedSeconds,
    measureMemory: true,
  });
  const run = await onFreshEngine(engineSettings(s, db), {}, log, (engine) => measuredRun(engine, s, o));
  const f = run.figures;
  const m = `${label}: Cottbus intakes offered at ${s.fixedRate} per s for ${s.fixedSeconds} s`;
  const mem = f.memory!;
  return {
    rows: [
      row(`${m}: request to booked p50`, f.latencyMs.p50, 'ms', {
        note: `${f.completed} of ${f.intakes} booked; p95 ${Math.round(f.latencyMs.p95)} ms, max ${Math.round(f.latencyMs.max)} ms; neighbours ${run.neighbourCores.toFixed(2)} cores; load ${f.load.start.toFixed(1)} → ${f.load.end.toFixed(1)}`,
      }),
      row(`${m}: request to booked p99`, f.latencyMs.p99, 'ms', { note: 'target < 2,000 ms (PostgreSQL)' }),
      row(`${m}: CPU per intake, engine + Node`, f.cpuMsPerIntake.engine + f.cpuMsPerIntake.node, 'ms', {
        note: `engine ${Math.round(f.cpuMsPerIntake.engine)} ms, Node ${Math.round(f.cpuMsPerIntake.node)} ms`,
      }),
      row(`${m}: engine heap after full GC, start → end`, mem.end.engineHeapMb - mem.start.engineHeapMb, 'MiB', {
        note: `${mem.start.engineHeapMb.toFixed(0)} → ${mem.end.engineHeapMb.toFixed(0)} MiB; resident ${mem.start.engineRssMb.toFixed(0)} → ${mem.end.engineRssMb.toFixed(0)} MiB`,
      }),
      row(`${m}: Node heap, start → end`, mem.end.nodeHeapMb - mem.start.nodeHeapMb, 'MiB', {
        note: `${mem.start.nodeHeapMb.toFixed(0)} → ${mem.end.nodeHeapMb.toFixed(0)} MiB; resident ${mem.start.nodeRssMb.toFixed(0)} → ${mem.end.nodeRssMb.toFixed(0)} MiB (one process: API, workers, in-memory store, load)`,
      }),
    ],
    runs: [{ run: `${label} fixed load`, settings: { ...o }, figures: { ...run } }],
  };
}

/**
 * Batches of intakes on one engine that keeps every instance in its history; throughput per batch, first against
 * last. With decayCases withdraw, each batch's cases are withdrawn after it is measured (untimed), so that what grows
 * is the finished work only.
 */
export async function decay(s: PerformanceSettings, db: 'h2' | 'postgres', log: Logger): Promise<Recorded> {
  const label = dbLabel(s, db);
  // The first batch warms the engine's JIT compiler up (it was slower than the second in all four runs so far, 0.64
  // to 0.97 of it) and is reported apart; the intakes in all include it.
  const batches = Math.max(1, Math.ceil(s.decayIntakes / s.decayBatch) - 1);
  const withdrawAfter = s.decayCases === 'withdraw';
  const t0 = performance.now();
  const perBatch: {
    intakes: number;
    perSecond: number;
    p99: number;
    load: number;
    neighbours: number;
    /** The H2 file's size: it grew without bound while nothing compacted it (H2Compaction in the engine host). */
    h2FileMb?: number;
    /** Instances of the model running after the batch (withdrawn: should be 0; kept: every intake so far). */
    instancesRunning?: number;
  }[] = [];
  let warmUp: IntakeFigures | undefined;
  const autovacuum = db === 'postgres' && s.postgres ? await autovacuumOf(s.postgres) : undefined;
  if (autovacuum === 'off')
    log.warn(`${label} decay: this server runs without autovacuum, unlike PostgreSQL as it ships; see autovacuumOf`);
  await onFreshEngine(engineSettings(s, db), {}, log, async (engine) => {
    const h2File = path.join(engine.config.env.DATA_DIR, 'engine', 'h2', 'engine.mv.db');
    const h2FileMb = () => (db === 'h2' && existsSync(h2File) ? statSync(h2File).size / 2 ** 20 : undefined);
    warmUp = await intakeRun(engine, intakeOptions(s, { intakes: s.decayBatch, withdrawAfter }), quiet);
    let done = warmUp.completed;
    log.info(`${label} decay: warm-up batch of ${done} intakes, ${warmUp.sustainedPerSecond.toFixed(2)}/s`);
    for (let b = 0; b < batches; b++) {
      const neighbours = neighbourMeter(() => engine.engine.pid);
      const f = await intakeRun(engine, intakeOptions(s, { intakes: s.decayBatch, withdrawAfter }), quiet);
      done += f.completed;
      if (f.withdrawal && (f.withdrawal.refused > 0 || f.withdrawal.instancesRunning !== 0))
        log.warn(
          `${label} decay: after batch ${b + 1}, ${f.withdrawal.refused} withdrawals refused and ${f.withdrawal.instancesRunning} instances still running`,
        );
      perBatch.push({
        intakes: done,
        perSecond: f.sustainedPerSecond,
        p99: f.latencyMs.p99,
        load: loadAverage()['1m'],
        neighbours: neighbours.stop().cores,
        h2FileMb: h2FileMb(),
        instancesRunning: f.withdrawal?.instancesRunning,
      });
      if (b % 5 === 0 || b === batches - 1)
        log.info(
          `${label} decay: ${done} intakes, last batch ${f.sustainedPerSecond.toFixed(2)}/s${db === 'h2' ? `, H2 file ${h2FileMb()?.toFixed(0)} MiB` : ''}`,
        );
    }
  });
  if (db === 'postgres' && s.postgres) await dropBenchDatabase(s.postgres);
  const first = perBatch[0]!;
  const last = perBatch.at(-1)!;
  const m = `${label}: decay over ${last.intakes} intakes ${withdrawAfter ? 'finished (each batch withdrawn after it was measured)' : 'kept open'} (batches of ${s.decayBatch})`;
  const stillRunning = perBatch.filter((p) => p.instancesRunning !== undefined && p.instancesRunning !== 0).length;
  return {
    rows: [
      row(`${m}: warm-up batch (not compared)`, warmUp?.sustainedPerSecond ?? Number.NaN, 'per s', {
        note: `the JVM's first ${warmUp?.completed ?? 0} intakes`,
      }),
      row(`${m}: first batch after it`, first.perSecond, 'per s', { note: `p99 ${Math.round(first.p99)} ms` }),
      row(`${m}: last batch`, last.perSecond, 'per s', {
        note: `p99 ${Math.round(last.p99)} ms; ${((performance.now() - t0) / 60_000).toFixed(0)} min in all`,
      }),
      row(`${m}: last / first`, last.perSecond / first.perSecond, 'ratio', {
        note: `target ≥ 0.9; every batch: ${perBatch.map((p) => p.perSecond.toFixed(2)).join(' ')}; busiest neighbour ${Math.max(...perBatch.map((p) => p.neighbours)).toFixed(2)} cores${withdrawAfter ? `; batches after which instances were still running: ${stillRunning}` : ''}${autovacuum ? `; autovacuum ${autovacuum}` : ''}`,
      }),
      ...(last.h2FileMb !== undefined
        ? [
            row(`${m}: H2 file after the last batch`, last.h2FileMb, 'MiB', {
              note: `after the first: ${first.h2FileMb?.toFixed(0)} MiB`,
            }),
          ]
        : []),
    ],
    runs: [
      {
        run: `${label} decay`,
        settings: { ...s, ...(autovacuum ? { autovacuum } : {}) },
        figures: {
          warmUp: warmUp && { intakes: warmUp.completed, perSecond: warmUp.sustainedPerSecond },
          batches: perBatch,
        },
      },
    ],
  };
}
