/**
 * The engine the end-to-end part runs on: the project's own local engine host, started and provisioned by
 * `ensureEngine` (src/main.ts) on its own loopback port and data folder, with a fresh database each time (an H2
 * file in the scratch folder, or a PostgreSQL database dropped and created again), then processes/ deployed.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';

import pg from 'pg';

import { type AppConfig, loadConfig } from '../../src/config/load.js';
import { deployAll } from '../../src/engine/deploy.js';
import type { EngineEndpoints } from '../../src/engine/endpoints.js';
import type { RunningEngine } from '../../src/engine/local-engine.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import type { Logger } from '../../src/log/logger.js';
import { ensureEngine } from '../../src/main.js';

/**
 * Ports 18383-18399 belong to the benchmark; the integration tests and other engines use others. BENCH_ENGINE_PORT
 * moves it, for a machine where several people run benches at once.
 */
export const BENCH_ENGINE_PORT = Number(process.env.BENCH_ENGINE_PORT ?? 18383);
export const BENCH_DATA_DIR = '.data/bench';
/** The API's bearer token in the benchmark: an EZ clerk of Cottbus, valid in this process only. */
export const BENCH_API_TOKEN = `bench-ez-${randomBytes(12).toString('hex')}`;

export interface EngineSettings {
  historyLevel: 'full' | 'audit';
  /** JDBC URL of a PostgreSQL database the bench may drop and create; unset: H2. */
  postgres?: { jdbcUrl: string; user: string; password?: string };
  /** false: processes/ is not deployed at start, so the caller can time the deployment itself (default true). */
  deploy?: boolean;
  /** The engine host's source folder, whose target/engine-host.jar runs (default engine/). */
  sourceDir?: string;
}

export interface BenchEngine {
  config: AppConfig;
  endpoints: EngineEndpoints;
  engine: RunningEngine;
  client: EngineRestClient;
  label: string;
  stop(): Promise<void>;
}

/**
 * jdbc:postgresql://host:port/name -> the database name, its postgres:// URL, and an admin URL on the same server
 * (database postgres).
 */
function postgresTarget(
  jdbcUrl: string,
  user: string,
  password?: string,
): { name: string; url: string; adminUrl: string } {
  const url = new URL(jdbcUrl.replace(/^jdbc:/, ''));
  const name = url.pathname.replace(/^\//, '');
  if (!/^bench[a-z0-9_]*$/.test(name)) {
    throw new Error(
      `BENCH_ENGINE_DATABASE_URL names the database "${name}": the benchmark drops and creates it, so its name must start with "bench" (e.g. bench_engine)`,
    );
  }
  const login = `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}`;
  return {
    name,
    url: `postgresql://${login}@${url.host}/${name}`,
    adminUrl: `postgresql://${login}@${url.host}/postgres`,
  };
}

type PostgresBenchTarget = { jdbcUrl: string; user: string; password?: string };

/** Drops the bench's PostgreSQL database once its engine is stopped; runs that need its data afterwards leave it. */
export async function dropBenchDatabase(target: PostgresBenchTarget): Promise<void> {
  const { name, adminUrl } = postgresTarget(target.jdbcUrl, target.user, target.password);
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Runs `work` on a client of its own, closed afterwards. */
async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function showAutovacuum(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
  return rows[0]!.autovacuum;
}

/**
 * ANALYZE on the bench's PostgreSQL database after a bulk seeding. A server with autovacuum on (PostgreSQL's
 * default) analyses such a table within a minute or so; with it off, as on some test machines, the planner keeps
 * the statistics of the empty tables and plans the engine's task query for one row (measured: 95 ms against 22 ms
 * for a page of 5,000 open tasks). Returns the server's autovacuum setting, for the results.
 */
export async function analyzeBenchDatabase(target: PostgresBenchTarget) {
  return withClient(postgresTarget(target.jdbcUrl, target.user, target.password).url, async (client) => {
    await client.query('ANALYZE');
    return showAutovacuum(client);
  });
}

/**
 * The server's autovacuum setting, for a decay run's results. Without autovacuum the rows of every finished case
 * stay dead in the engine's runtime tables, which each batch then reads past, so a decay run needs it on, as
 * PostgreSQL ships it. (Statistics it took while the tables were nearly empty no longer stay in cached plans: the
 * engine host plans each statement anew, see PostgresCustomPlans.)
 */
export async function autovacuumOf(target: PostgresBenchTarget) {
  return withClient(postgresTarget(target.jdbcUrl, target.user, target.password).adminUrl, showAutovacuum);
}

async function freshPostgres(jdbcUrl: string, user: string, password?: string): Promise<void> {
  const { name, adminUrl } = postgresTarget(jdbcUrl, user, password);
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
}

/**
 * The JVM inherits this process's environment (src/engine/local-engine.ts spreads it), so a database or pool
 * setting from the caller's shell would change what an H2 run measures: those keys are held back while it starts.
 */
function withoutInheritedEngineSettings<T>(run: () => Promise<T>): Promise<T> {
  const keys = ['ENGINE_DATABASE_URL', 'ENGINE_DATABASE_USER', 'ENGINE_DATABASE_PASSWORD', 'ENGINE_HISTORY_LEVEL'];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) delete process.env[k];
  return run().finally(() => {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  });
}

/** Engines this process started and has not stopped: an interrupted bench must not leave one holding its port. */
const running = new Set<RunningEngine>();
let signalsHandled = false;

function killOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // A scratch engine: killing it loses nothing, and a signal handler cannot wait for a clean stop.
      for (const engine of running) engine.kill();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export async function startBenchEngine(settings: EngineSettings, log: Logger): Promise<BenchEngine> {
  const dataDir = path.join(BENCH_DATA_DIR, `${settings.postgres ? 'pg' : 'h2'}-${settings.historyLevel}`);
  rmSync(dataDir, { recursive: true, force: true });
  if (settings.postgres)
    await freshPostgres(settings.postgres.jdbcUrl, settings.postgres.user, settings.postgres.password);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ENGINE_PORT: String(BENCH_ENGINE_PORT),
    ENGINE_HISTORY_LEVEL: settings.historyLevel,
    API_TOKENS: `${BENCH_API_TOKEN}=EZ@cottbus`,
    LOG_LEVEL: 'warn',
    ...(settings.sourceDir ? { ENGINE_SOURCE_DIR: settings.sourceDir } : {}),
    ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
    ...(settings.postgres
      ? {
          ENGINE_DATABASE_URL: settings.postgres.jdbcUrl,
          ENGINE_DATABASE_USER: settings.postgres.user,
          ...(settings.postgres.password ? { ENGINE_DATABASE_PASSWORD: settings.postgres.password } : {}),
        }
      : {}),
  });
  const { endpoints, engine } = await withoutInheritedEngineSettings(() => ensureEngine(config, log));
  if (!engine)
    throw new Error('ensureEngine started no local engine: the benchmark runs its own, never one named by ENGINE_URL');
  killOnSignals();
  running.add(engine);
  const client = new EngineRestClient(endpoints.rest, endpoints.technical);
  try {
    if (settings.deploy !== false) await deployAll(client, config.env.PROCESSES_DIR, log, 'bench');
  } catch (e) {
    await engine.stop();
    running.delete(engine);
    throw e;
  }
  const label = `Operaton 1.0.3 local, ${settings.postgres ? 'PostgreSQL' : 'H2'}, history ${settings.historyLevel}, heap ${config.env.ENGINE_HEAP}`;
  return {
    config,
    endpoints,
    engine,
    client,
    label,
    stop: async () => {
      await engine.stop();
      running.delete(engine);
      // The engine's log stays for a look afterwards; its database and its copy of the jar go.
      rmSync(path.join(dataDir, 'engine', 'h2'), { recursive: true, force: true });
      rmSync(path.join(dataDir, 'engine', 'engine-host.jar'), { force: true });
    },
  };
}
