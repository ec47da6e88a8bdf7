/**
 * The engine part of `npm run bench` (issue 14 §5): on the project's local Operaton engine host, started fresh
 * for each configuration,
 *  - the engine's cold start (build excluded) and its resident memory after start;
 *  - the bare engine's ceiling: no-op tasks per second on a tiny diagram;
 *  - N Cottbus intakes through the API to their first bookings with our workers, then with no-op workers, and
 *    the ratio of the two;
 *  - tuning, each against the default in the same run: WORKER_MAX_TASKS, long polling, history level audit.
 * H2 always; PostgreSQL as well with BENCH_ENGINE_DATABASE_URL. The optional steps (tuning, the audit engine)
 * run only while the time budget (BENCH_BUDGET_SECONDS for the whole bench) lasts, so a busy machine shortens the
 * run instead of stretching it; what is skipped says so in its row.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { EnvSchema } from '../../src/config/env.js';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { type Row, row } from '../row.js';
import { type BareFigures, type BareOptions, bareRun, CHAIN_LENGTH, deployChain } from './bare-engine.js';
import { type BenchEngine, type EngineSettings, startBenchEngine } from './bench-engine.js';
import { type IntakeFigures, type IntakeOptions, intakeRun } from './intakes.js';
import { residentMb } from './proc.js';

export interface EndToEndSettings {
  intakes: number;
  inFlight: number;
  sendSeconds: number;
  tuningIntakes: number;
  tuningSendSeconds: number;
  bareInstances: number;
  starters: number;
  clerks: number;
  tuning: boolean;
  /** performance.now() by which the optional steps must be done. */
  budgetEndsAt: number;
  budgetSeconds: number;
  worker: { maxTasks: number; longPollSeconds: number; lockSeconds: number };
  postgres?: { jdbcUrl: string; user: string; password?: string };
  /** PostgreSQL server for the intakes' store (scratch databases); unset: in-memory PGlite. */
  storeAdminUrl?: string;
}

/** A BENCH_* setting that must be a positive number; the fallback when unset. */
export function positive(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${key} must be a positive number, not "${raw}"`);
  return n;
}

/** The settings from the environment; every key is listed in bench/run.ts. */
export function endToEndSettings(env: NodeJS.ProcessEnv, benchStartedAt: number): EndToEndSettings {
  const defaults = EnvSchema.parse({});
  const budgetSeconds = positive(env, 'BENCH_BUDGET_SECONDS', 600);
  return {
    intakes: Math.round(positive(env, 'BENCH_INTAKES', 200)),
    inFlight: Math.round(positive(env, 'BENCH_IN_FLIGHT', 20)),
    sendSeconds: positive(env, 'BENCH_RUN_SECONDS', 120),
    tuningIntakes: Math.round(positive(env, 'BENCH_TUNING_INTAKES', 100)),
    tuningSendSeconds: positive(env, 'BENCH_TUNING_RUN_SECONDS', 40),
    bareInstances: Math.round(positive(env, 'BENCH_ENGINE_INSTANCES', 200)),
    starters: 20,
    clerks: 4,
    tuning: env.BENCH_TUNING !== '0' && env.BENCH_TUNING !== 'false',
    budgetEndsAt: benchStartedAt + budgetSeconds * 1000,
    budgetSeconds,
    worker: {
      maxTasks: defaults.WORKER_MAX_TASKS,
      longPollSeconds: defaults.WORKER_LONG_POLL_SECONDS,
      lockSeconds: defaults.WORKER_LOCK_SECONDS,
    },
    ...(env.BENCH_ENGINE_DATABASE_URL
      ? {
          postgres: {
            jdbcUrl: env.BENCH_ENGINE_DATABASE_URL,
            user: env.BENCH_ENGINE_DATABASE_USER ?? 'postgres',
            ...(env.BENCH_ENGINE_DATABASE_PASSWORD ? { password: env.BENCH_ENGINE_DATABASE_PASSWORD } : {}),
          },
        }
      : {}),
    ...(env.BENCH_E2E_DATABASE_URL ? { storeAdminUrl: env.BENCH_E2E_DATABASE_URL } : {}),
  };
}

/** Every figure of every run, for the results file beside the rounded rows. */
export interface RunRecord {
  engine: string;
  run: string;
  settings: Record<string, unknown>;
  figures: BareFigures | IntakeFigures | Record<string, unknown>;
}

/**
 * The workers, the API and the front desk log warnings and errors only: a line per task or request would be part
 * of the measurement (and of the table's scroll-back). The bench's own progress goes to the caller's logger.
 */
const quiet = createLogger({ level: 'warn', format: 'json' });

const CORES = os.cpus().length;
const mb = (pid: number) => residentMb(pid)?.rssMb ?? Number.NaN;
const secondsLeft = (s: EndToEndSettings) => (s.budgetEndsAt - performance.now()) / 1000;

class Recorder {
  readonly rows: Row[] = [];
  readonly runs: RunRecord[] = [];
  add(measure: string, value: number, unit: string, note: string | undefined, engine: string): void {
    this.rows.push(row(measure, value, unit, { ...(note ? { note } : {}), engine }));
  }
}

/** A run's intake options from the bench settings; `over` changes single ones. */
export function intakeOptions(
  s: Pick<EndToEndSettings, 'intakes' | 'inFlight' | 'clerks' | 'worker' | 'sendSeconds' | 'storeAdminUrl'>,
  workers: 'real' | 'noop',
  over: Partial<IntakeOptions> = {},
): IntakeOptions {
  return {
    workers,
    intakes: s.intakes,
    inFlight: s.inFlight,
    clerks: s.clerks,
    maxTasks: s.worker.maxTasks,
    longPollSeconds: s.worker.longPollSeconds,
    lockSeconds: s.worker.lockSeconds,
    sendSeconds: s.sendSeconds,
    graceSeconds: 60,
    ...(s.storeAdminUrl ? { storeAdminUrl: s.storeAdminUrl } : {}),
    ...over,
  };
}

function bareOptions(s: EndToEndSettings, over: Partial<BareOptions> = {}): BareOptions {
  return {
    instances: s.bareInstances,
    starters: s.starters,
    maxTasks: s.worker.maxTasks,
    longPollSeconds: s.worker.longPollSeconds,
    lockSeconds: s.worker.lockSeconds,
    timeoutSeconds: 180,
    ...over,
  };
}

const workerSettings = (o: { maxTasks: number; longPollSeconds: number }) =>
  `WORKER_MAX_TASKS ${o.maxTasks}, long poll ${o.longPollSeconds} s`;

function intakeNote(f: IntakeFigures, o: IntakeOptions): string {
  const sent = f.cutShort
    ? `${f.intakes} intakes sent (of ${o.intakes}: the ${o.sendSeconds} s send window closed first)`
    : `${f.intakes} intakes`;
  const left = f.intakes - f.completed;
  return [
    `${sent}, 2 eLb each, ${o.inFlight} in flight; ${f.booked} booked${left > 0 ? `, ${left} not booked in time` : ''}${f.noSlot ? `, ${f.noSlot} eLb NO_SLOT_AVAILABLE` : ''}`,
    `steady rate between the 10th and 90th percentile of completions; overall ${f.overallPerSecond.toFixed(2)}/s over ${f.seconds.toFixed(1)} s`,
    workerSettings(o),
    `load ${f.load.start.toFixed(1)} → ${f.load.end.toFixed(1)}`,
    f.postFailures ? `POST failures: ${f.postFailures}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function recordIntakes(
  rec: Recorder,
  label: string,
  who: string,
  f: IntakeFigures,
  o: IntakeOptions,
  engine: string,
  full: boolean,
): void {
  const m = `${label}: Cottbus intakes to first booking, ${who}`;
  rec.add(`${m}: throughput`, f.sustainedPerSecond, 'per s', intakeNote(f, o), engine);
  rec.add(`${m}: request to booked p50`, f.latencyMs.p50, 'ms', undefined, engine);
  rec.add(`${m}: request to booked p95`, f.latencyMs.p95, 'ms', undefined, engine);
  rec.add(`${m}: request to booked p99`, f.latencyMs.p99, 'ms', `max ${Math.round(f.latencyMs.max)} ms`, engine);
  const cpu = f.cpuMsPerIntake;
  rec.add(
    `${m}: CPU per intake, engine + Node`,
    cpu.engine + cpu.node,
    'ms',
    `engine JVM ${Math.round(cpu.engine)} ms, Node ${Math.round(cpu.node)} ms (API, workers, store, front desk, load generator) over the run / intakes booked; on ${CORES} otherwise idle cores that allows at most ≈ ${((CORES * 1000) / (cpu.engine + cpu.node)).toFixed(1)} intakes/s (a database outside these two processes, PostgreSQL, is not counted; H2 runs in the JVM, PGlite in Node)`,
    engine,
  );
  if (!full) return;
  rec.add(
    `${m}: POST /api/v1/applications p50`,
    f.postMs.p50,
    'ms',
    `p99 ${Math.round(f.postMs.p99)} ms (two Neukunde decisions and the start on the engine, the store's writes)`,
    engine,
  );
  rec.add(
    `${m}: engine peak resident memory under load`,
    f.engineRssMb,
    'MiB',
    'VmRSS of the engine JVM, sampled every 0.5 s',
    engine,
  );
  rec.add(
    `${m}: Node process peak resident memory under load`,
    f.nodeRssMb,
    'MiB',
    `one process: API, worker host, store (${o.storeAdminUrl ? 'PostgreSQL, BENCH_E2E_DATABASE_URL' : 'PGlite in memory'}), front desk and load generator`,
    engine,
  );
  if (f.slotsBookedTwice !== null) {
    rec.add(
      `${m}: slots booked twice`,
      f.slotsBookedTwice,
      'count',
      `${f.appointmentsInStore} first-consultation appointments in the store for ${f.booked} booked intakes`,
      engine,
    );
  }
}

function recordBare(
  rec: Recorder,
  measure: string,
  f: BareFigures,
  o: BareOptions,
  engine: string,
  extra?: string,
): void {
  rec.add(
    measure,
    f.tasksPerSecond,
    'tasks/s',
    [
      `${f.tasks} no-op tasks: ${o.instances} instances of a chain of ${CHAIN_LENGTH} external tasks on one topic, ${o.starters} clients starting them; ${f.instancesPerSecond.toFixed(2)} instances/s in ${f.seconds.toFixed(1)} s`,
      workerSettings(o),
      `load ${f.load.start.toFixed(1)} → ${f.load.end.toFixed(1)}`,
      `CPU per task: engine ${f.cpuMsPerTask.engine.toFixed(1)} ms, Node ${f.cpuMsPerTask.node.toFixed(1)} ms`,
      f.timedOut ? 'TIMED OUT' : '',
      extra ?? '',
    ]
      .filter(Boolean)
      .join('; '),
    engine,
  );
}

interface EngineRun {
  bare?: BareFigures;
  real?: IntakeFigures;
  noop?: IntakeFigures;
  coldStartMs: number;
}

async function onEngine<T>(
  settings: EngineSettings,
  log: Logger,
  work: (engine: BenchEngine, startedIn: number) => Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  const engine = await startBenchEngine(settings, log);
  const startedIn = performance.now() - t0;
  try {
    await deployChain(engine.client);
    return await work(engine, startedIn);
  } finally {
    await engine.stop();
  }
}

/** One engine configuration: cold start, warm-up, the bare ceiling, our workers, and (unless `realOnly`) the no-op workers. */
async function measureEngine(
  rec: Recorder,
  s: EndToEndSettings,
  engine: BenchEngine,
  startedIn: number,
  log: Logger,
  opts: { realOnly?: boolean; label: string },
): Promise<EngineRun> {
  const label = opts.label;
  const e = engine.label;
  rec.add(
    `${label}: engine cold start`,
    engine.engine.coldStartMs,
    'ms',
    `JVM spawned to REST answering (RunningEngine.coldStartMs, build excluded); with provisioning and deployment ${(startedIn / 1000).toFixed(1)} s`,
    e,
  );
  rec.add(
    `${label}: engine resident memory after start`,
    mb(engine.engine.pid),
    'MiB',
    'VmRSS, idle, processes deployed',
    e,
  );
  // Unreported: the JVM compiles the engine's hot paths, the store and the app warm up.
  log.info(`${label}: warm-up`);
  await bareRun(engine, bareOptions(s, { instances: 100 }), quiet);
  await intakeRun(engine, intakeOptions(s, 'real', { intakes: 20, sendSeconds: 30, graceSeconds: 30 }), quiet);

  log.info(`${label}: bare engine`);
  const bareO = bareOptions(s);
  const bare = await bareRun(engine, bareO, quiet);
  recordBare(
    rec,
    `${label}: bare engine, no-op tasks`,
    bare,
    bareO,
    e,
    `engine peak ${Math.round(bare.engineRssMb)} MiB`,
  );
  rec.runs.push({ engine: e, run: 'bare engine', settings: { ...bareO }, figures: bare });

  log.info(`${label}: ${s.intakes} intakes, our workers`);
  const realO = intakeOptions(s, 'real');
  const real = await intakeRun(engine, realO, quiet);
  recordIntakes(rec, label, 'our workers', real, realO, e, true);
  rec.runs.push({ engine: e, run: 'intakes, our workers', settings: { ...realO }, figures: real });
  if (opts.realOnly) return { bare, real, coldStartMs: engine.engine.coldStartMs };

  log.info(`${label}: ${s.intakes} intakes, no-op workers`);
  const noopO = intakeOptions(s, 'noop');
  const noop = await intakeRun(engine, noopO, quiet);
  recordIntakes(rec, label, 'no-op workers', noop, noopO, e, false);
  rec.runs.push({ engine: e, run: 'intakes, no-op workers', settings: { ...noopO }, figures: noop });
  rec.add(
    `${label}: our workers / no-op workers (intakes per second)`,
    real.sustainedPerSecond / noop.sustainedPerSecond,
    'ratio',
    `${real.sustainedPerSecond.toFixed(2)} / ${noop.sustainedPerSecond.toFixed(2)} per s; target ≥ 0.9`,
    e,
  );
  return { bare, real, noop, coldStartMs: engine.engine.coldStartMs };
}

/**
 * Tuning on the running default engine: each knob against the default of the same engine, measured twice (the
 * main run before the knobs, and once more after them), so a neighbour's load coming or going during the block
 * shows as a difference between the two defaults instead of passing for an effect of the knob.
 */
async function tune(
  rec: Recorder,
  s: EndToEndSettings,
  engine: BenchEngine,
  base: EngineRun,
  log: Logger,
  label: string,
): Promise<void> {
  const e = engine.label;
  const skip = (what: string) =>
    rec.add(
      `${label}: tuning, ${what}`,
      Number.NaN,
      '-',
      `not measured: the time budget (BENCH_BUDGET_SECONDS ${s.budgetSeconds}) ran out`,
      e,
    );
  const ratio = (v: number, defaults: number[]) => {
    const mean = defaults.reduce((a, b) => a + b, 0) / defaults.length;
    return `×${(v / mean).toFixed(2)} of the default's ${defaults.length === 1 ? 'figure' : 'mean'}`;
  };

  const bareBefore = base.bare!;
  const bareSteps: { what: string; over: Partial<BareOptions> }[] = [
    { what: `bare engine, WORKER_MAX_TASKS 8 (default ${s.worker.maxTasks})`, over: { maxTasks: 8 } },
    { what: `bare engine, WORKER_MAX_TASKS 128 (default ${s.worker.maxTasks})`, over: { maxTasks: 128 } },
    {
      what: `bare engine, long polling off: WORKER_LONG_POLL_SECONDS 0 (default ${s.worker.longPollSeconds})`,
      over: { longPollSeconds: 0 },
    },
    { what: 'bare engine, default settings again', over: {} },
  ];
  const bareDone: { what: string; o: BareOptions; f: BareFigures }[] = [];
  for (const step of bareSteps) {
    if (secondsLeft(s) < bareBefore.seconds + 15) {
      skip(step.what);
      continue;
    }
    log.info(`${label}: tuning, ${step.what}`);
    const o = bareOptions(s, step.over);
    const f = await bareRun(engine, o, quiet);
    bareDone.push({ what: step.what, o, f });
    rec.runs.push({ engine: e, run: `tuning: ${step.what}`, settings: { ...o }, figures: f });
  }
  const bareDefaults = [
    bareBefore.tasksPerSecond,
    ...bareDone.filter((d) => d.what.includes('default settings again')).map((d) => d.f.tasksPerSecond),
  ];
  for (const { what, o, f } of bareDone) {
    recordBare(
      rec,
      `${label}: tuning, ${what}`,
      f,
      o,
      e,
      `default in this run: ${bareDefaults.map((v) => v.toFixed(1)).join(' before, ')}${bareDefaults.length > 1 ? ' after' : ''} tasks/s (${ratio(f.tasksPerSecond, bareDefaults)})`,
    );
  }

  const realBefore = base.real!;
  const intakeSteps: { what: string; over: Partial<IntakeOptions> }[] = [
    { what: `Cottbus, our workers, WORKER_MAX_TASKS 8 (default ${s.worker.maxTasks})`, over: { maxTasks: 8 } },
    { what: `Cottbus, our workers, WORKER_MAX_TASKS 64 (default ${s.worker.maxTasks})`, over: { maxTasks: 64 } },
    {
      what: `Cottbus, our workers, long polling off: WORKER_LONG_POLL_SECONDS 0 (default ${s.worker.longPollSeconds})`,
      over: { longPollSeconds: 0 },
    },
    { what: 'Cottbus, our workers, default settings again', over: {} },
  ];
  const intakeDone: { what: string; o: IntakeOptions; f: IntakeFigures }[] = [];
  for (const step of intakeSteps) {
    const estimate = Math.min(s.tuningSendSeconds, s.tuningIntakes / Math.max(0.1, realBefore.sustainedPerSecond)) + 20;
    if (secondsLeft(s) < estimate) {
      skip(step.what);
      continue;
    }
    log.info(`${label}: tuning, ${step.what}`);
    const o = intakeOptions(s, 'real', { intakes: s.tuningIntakes, sendSeconds: s.tuningSendSeconds, ...step.over });
    const f = await intakeRun(engine, o, quiet);
    intakeDone.push({ what: step.what, o, f });
    rec.runs.push({ engine: e, run: `tuning: ${step.what}`, settings: { ...o }, figures: f });
  }
  const again = intakeDone.find((d) => d.what.includes('default settings again'))?.f;
  const realDefaults = [realBefore, ...(again ? [again] : [])];
  for (const { what, o, f } of intakeDone) {
    rec.add(
      `${label}: tuning, ${what}`,
      f.sustainedPerSecond,
      'per s',
      `${intakeNote(f, o)}; p50 ${Math.round(f.latencyMs.p50)} ms, p99 ${Math.round(f.latencyMs.p99)} ms; CPU per intake engine ${Math.round(f.cpuMsPerIntake.engine)} ms, Node ${Math.round(f.cpuMsPerIntake.node)} ms; default in this run: ${realDefaults.map((d) => `${d.sustainedPerSecond.toFixed(2)}/s p50 ${Math.round(d.latencyMs.p50)} ms`).join(' before (N intakes), ')}${again ? ` after (${s.tuningIntakes} intakes)` : ''} (${ratio(
        f.sustainedPerSecond,
        realDefaults.map((d) => d.sustainedPerSecond),
      )})`,
      e,
    );
  }
}

export async function endToEnd(s: EndToEndSettings, log: Logger): Promise<{ rows: Row[]; runs: RunRecord[] }> {
  const rec = new Recorder();
  const h2Full = await onEngine({ historyLevel: 'full' }, log, async (engine, startedIn) => {
    const run = await measureEngine(rec, s, engine, startedIn, log, { label: 'H2' });
    if (s.tuning) await tune(rec, s, engine, run, log, 'H2');
    return run;
  });

  if (s.tuning) {
    // History level needs its own engine; it runs only if the budget allows a start, a warm-up and both runs.
    const estimate =
      h2Full.coldStartMs / 1000 +
      60 +
      (h2Full.bare?.seconds ?? 30) +
      Math.min(s.sendSeconds, s.intakes / Math.max(0.1, h2Full.real!.sustainedPerSecond)) +
      30;
    if (secondsLeft(s) < estimate) {
      rec.add(
        'H2: tuning, ENGINE_HISTORY_LEVEL audit (default full)',
        Number.NaN,
        '-',
        `not measured: the time budget (BENCH_BUDGET_SECONDS ${s.budgetSeconds}) ran out`,
        'H2, history audit',
      );
    } else {
      await onEngine({ historyLevel: 'audit' }, log, async (engine, startedIn) => {
        const audit = await measureEngine(rec, s, engine, startedIn, log, {
          realOnly: true,
          label: 'H2, history audit',
        });
        rec.add(
          'H2: tuning, ENGINE_HISTORY_LEVEL audit (default full): bare engine',
          audit.bare!.tasksPerSecond,
          'tasks/s',
          `full in this run: ${h2Full.bare!.tasksPerSecond.toFixed(1)} tasks/s (×${(audit.bare!.tasksPerSecond / h2Full.bare!.tasksPerSecond).toFixed(2)}); engine CPU per task ${audit.bare!.cpuMsPerTask.engine.toFixed(1)} ms vs ${h2Full.bare!.cpuMsPerTask.engine.toFixed(1)} ms; load ${audit.bare!.load.start.toFixed(1)} vs ${h2Full.bare!.load.start.toFixed(1)}; each on a fresh engine`,
          engine.label,
        );
        rec.add(
          'H2: tuning, ENGINE_HISTORY_LEVEL audit (default full): Cottbus, our workers',
          audit.real!.sustainedPerSecond,
          'per s',
          `full in this run: ${h2Full.real!.sustainedPerSecond.toFixed(2)}/s (×${(audit.real!.sustainedPerSecond / h2Full.real!.sustainedPerSecond).toFixed(2)}); p50 ${Math.round(audit.real!.latencyMs.p50)} ms vs ${Math.round(h2Full.real!.latencyMs.p50)} ms; engine CPU per intake ${Math.round(audit.real!.cpuMsPerIntake.engine)} ms vs ${Math.round(h2Full.real!.cpuMsPerIntake.engine)} ms; load ${audit.real!.load.start.toFixed(1)} vs ${h2Full.real!.load.start.toFixed(1)}`,
          engine.label,
        );
      });
    }
  }

  // Asked for explicitly, so not subject to the budget; every run in it is still bounded by its own send window.
  if (s.postgres) {
    await onEngine({ historyLevel: 'full', postgres: s.postgres }, log, (engine, startedIn) =>
      measureEngine(rec, s, engine, startedIn, log, { label: 'PostgreSQL' }),
    );
  } else {
    rec.add(
      'PostgreSQL: end-to-end rows',
      Number.NaN,
      '-',
      'not measured: set BENCH_ENGINE_DATABASE_URL (e.g. jdbc:postgresql://127.0.0.1:5432/bench_engine; the bench drops and creates it)',
      'PostgreSQL',
    );
  }
  return rec;
}
