/**
 * `npm run bench -- --only tenants-400` (issue 20 §5): 400 jobcenters as tenants of one engine on PostgreSQL.
 * Reported, never asserted.
 *
 * 400 settings folders are generated in a temporary folder (Cottbus's jobcenter.json and letters, ids jc001 to
 * jc400, their team, team lead and caseworker ids prefixed with the jobcenter's, since the loader refuses a
 * caseworker id twice and the engine's `team-<id>` groups name teams without their jobcenter) and loaded through
 * JOBCENTER_DIRS, as a real jobcenter is added. Then on a fresh engine (PostgreSQL, history full):
 *  - provisioning as at every start, without the local trial logins production does not have: the groups, grants
 *    and Tasklist filter of every role and team (provision), then a tenant per jobcenter with its two memberships
 *    (provisionTenants); then the shared deployment of processes/; the engine heap after each (jcmd, after a GC);
 *  - intakes to first booking (bench/engine/intakes.ts, the same machinery as the end-to-end rows), spread over
 *    all 400 tenants (application i to jobcenter i mod 400) against all to one tenant (jc001), alternating A B A B
 *    on the same engine, the same front desk login (EZ and a member of every jobcenter, so its own tenant check
 *    costs the same in both) and the same workers;
 *  - the workspace's task-list query (src/engine/task-pages.ts, as the technical user, who is in every tenant)
 *    and the same page read with a one-jobcenter staff login (Tasklist's way, the engine's tenant check), with 5
 *    open user tasks per tenant;
 *  - fetch-and-lock as the technical user with one instance per tenant waiting at the first external task.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import pLimit from 'p-limit';

import { type AppConfig, loadConfig } from '../../src/config/load.js';
import { deployAll } from '../../src/engine/deploy.js';
import {
  jobcenterGroupId,
  provision,
  provisioningPlan,
  provisionTenants,
  tenantPlan,
} from '../../src/engine/provision.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { RestTaskPages, type TaskPageQuery } from '../../src/engine/task-pages.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { type Row, row } from '../row.js';
import { DIAGRAM as USER_TASK_DIAGRAM, KEY as USER_TASK_KEY } from '../workspace/task-list.js';
import { BENCH_API_TOKEN, type BenchEngine, dropBenchDatabase, startBenchEngine } from './bench-engine.js';
import { type EndToEndSettings, intakeOptions, type RunRecord } from './end-to-end.js';
import { type IntakeFigures, type IntakeOptions, intakeRun, PROCESS_KEY } from './intakes.js';
import { heapUsedMb, loadAverage, percentile, residentMb } from './proc.js';

const FIRST_TOPIC = 'persons.derive-eligibility-facts';
const FETCHES = 50;
const TASKS_PER_TENANT = 5;
const QUERIES = 30;

export interface Tenants400Settings {
  tenants: number;
  /** Intakes per run; each side (spread, one tenant) runs `pairs` times. */
  intakes: number;
  pairs: number;
  sendSeconds: number;
  inFlight: number;
  clerks: number;
  worker: EndToEndSettings['worker'];
  postgres?: EndToEndSettings['postgres'];
  storeAdminUrl?: string;
}

/** BENCH_TENANTS (400), BENCH_TENANTS_INTAKES (100), BENCH_TENANTS_PAIRS (2), BENCH_TENANTS_RUN_SECONDS (60). */
export function tenants400Settings(env: NodeJS.ProcessEnv, e2e: EndToEndSettings): Tenants400Settings {
  const n = (key: string, fallback: number) => {
    const v = Number(env[key] ?? fallback);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${key} must be a positive whole number, not "${env[key]}"`);
    return v;
  };
  return {
    tenants: n('BENCH_TENANTS', 400),
    intakes: n('BENCH_TENANTS_INTAKES', 100),
    pairs: n('BENCH_TENANTS_PAIRS', 2),
    sendSeconds: n('BENCH_TENANTS_RUN_SECONDS', 60),
    inFlight: e2e.inFlight,
    clerks: e2e.clerks,
    worker: e2e.worker,
    ...(e2e.postgres ? { postgres: e2e.postgres } : {}),
    ...(e2e.storeAdminUrl ? { storeAdminUrl: e2e.storeAdminUrl } : {}),
  };
}

export const tenantId = (i: number) => `jc${String(i + 1).padStart(3, '0')}`;

/**
 * Writes `count` copies of Cottbus's settings and letters under `dir`. Team, team-lead and caseworker ids get the
 * jobcenter's id in front: the loader refuses a caseworker id twice, and team ids name engine groups.
 */
export function generateJobcenters(dir: string, count: number, source = 'processes/cottbus'): string[] {
  const text = readFileSync(path.join(source, 'jobcenter.json'), 'utf8');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = tenantId(i);
    const jc = JSON.parse(text.replaceAll('jobcenter-cottbus.example', `${id}.example`)) as Record<string, any>;
    const prefix = (x: { id: string }) => ({ ...x, id: `${id}-${x.id}` });
    jc.id = id;
    jc.name = `Jobcenter Bench ${id}`;
    jc._sample = 'Generated by bench/engine/tenants-400.ts from processes/cottbus/jobcenter.json.';
    jc.offices = (jc.offices as { id: string }[]).map(prefix);
    jc.roles = Object.fromEntries(
      Object.entries(jc.roles as Record<string, { id: string }>).map(([k, v]) => [k, prefix(v)]),
    );
    jc.teams = (jc.teams as { id: string; lead?: { id: string } }[]).map((t) => ({
      ...prefix(t),
      ...(t.lead ? { lead: prefix(t.lead) } : {}),
    }));
    jc.caseworkers = (jc.caseworkers as { id: string; team: string }[]).map((c) => ({
      ...prefix(c),
      team: `${id}-${c.team}`,
    }));
    mkdirSync(path.join(dir, id), { recursive: true });
    writeFileSync(path.join(dir, id, 'jobcenter.json'), `${JSON.stringify(jc, null, 2)}\n`);
    cpSync(path.join(source, 'letters'), path.join(dir, id, 'letters'), { recursive: true });
    ids.push(id);
  }
  return ids;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await work();
  return { ms: performance.now() - t, value };
}

const quiet = createLogger({ level: 'warn', format: 'json' });

/** A staff login in the engine: EZ and the given jobcenters' groups (which make it a member of their tenants). */
async function staffLogin(admin: EngineRestClient, id: string, jobcenters: readonly string[]) {
  const password = randomBytes(12).toString('hex');
  await admin.request('POST', '/user/create', {
    profile: { id, firstName: id, lastName: 'Bench', email: `${id}@jobcenter.example` },
    credentials: { password },
  });
  const limit = pLimit(8);
  await Promise.all(
    ['EZ', ...jobcenters.map(jobcenterGroupId)].map((g) =>
      limit(() => admin.request('PUT', `/group/${encodeURIComponent(g)}/members/${encodeURIComponent(id)}`)),
    ),
  );
  return { user: id, password };
}

export async function tenants400Bench(s: Tenants400Settings, log: Logger): Promise<{ rows: Row[]; runs: RunRecord[] }> {
  const rows: Row[] = [];
  const runs: RunRecord[] = [];
  if (!s.postgres)
    throw new Error('tenants-400 runs on PostgreSQL: set BENCH_ENGINE_DATABASE_URL (the bench drops and creates it)');
  let label = `Operaton 1.0.3 local, PostgreSQL, history full, ${s.tenants} tenants`;
  const add = (measure: string, value: number, unit: string, note?: string) =>
    rows.push(row(`${s.tenants} tenants: ${measure}`, value, unit, { ...(note ? { note } : {}), engine: label }));

  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-tenants-'));
  let engine: BenchEngine | undefined;
  try {
    const ids = generateJobcenters(dir, s.tenants);
    const loaded = await timed(async () =>
      loadConfig({
        NODE_ENV: 'test',
        JOBCENTER_DIRS: dir,
        API_TOKENS: `${BENCH_API_TOKEN}=EZ`,
        LOG_LEVEL: 'warn',
      }),
    );
    const config: AppConfig = loaded.value;
    add(
      'settings loaded and checked (JOBCENTER_DIRS)',
      loaded.ms,
      'ms',
      `${config.jobcenters.size} jobcenters: ${s.tenants} generated + those of processes/`,
    );

    const started = await timed(() =>
      startBenchEngine({ historyLevel: 'full', postgres: s.postgres, deploy: false }, log),
    );
    engine = started.value;
    label = `${engine.label}, ${s.tenants} tenants`;
    const pid = engine.engine.pid;
    add(
      'engine cold start',
      engine.engine.coldStartMs,
      'ms',
      `with provisioning of processes/'s jobcenters and their trial logins ${(started.ms / 1000).toFixed(1)} s; nothing deployed yet`,
    );
    add('engine heap after start', heapUsedMb(pid), 'MB', 'in use after a full GC (jcmd)');

    // Provisioning as at every start of a production app with these settings (no trial logins there).
    log.info(`tenants-400: provisioning ${config.jobcenters.size} jobcenters`);
    const admin = new EngineRestClient(engine.endpoints.rest, engine.endpoints.administrator!, 300_000);
    const plan = provisioningPlan(config.jobcenters.values(), engine.endpoints.technical);
    const identity = await timed(() => provision(admin, plan, quiet));
    add(
      'provisioning: groups, grants, Tasklist filter',
      identity.ms / 1000,
      's',
      `${plan.groups.length} groups (roles, a team-<id> group per team, jobcenter-<id>), ${plan.grants.length} grants + filter READ for ${plan.filters[0]?.groups.length ?? 0} groups; sequential, one lookup and one create each`,
    );
    const tPlan = tenantPlan(config.jobcenters.values());
    const tenants = await timed(() => provisionTenants(admin, tPlan, quiet));
    add(
      'provisioning: tenants and memberships',
      tenants.ms / 1000,
      's',
      `${tPlan.tenants.length} tenants, ${tPlan.groupMembers.length} memberships, ${tenants.value} created`,
    );
    const again = await timed(() => provisionTenants(admin, tPlan, quiet));
    add('provisioning: tenants again (nothing missing)', again.ms / 1000, 's', `${again.value} created`);
    add('engine heap after provisioning', heapUsedMb(pid), 'MB');

    log.info('tenants-400: deploying processes/ (shared definitions)');
    const deployed = await timed(() => deployAll(engine!.client, config.env.PROCESSES_DIR, quiet, 'bench'));
    add(
      'deployment of processes/ (shared, no tenant)',
      deployed.ms / 1000,
      's',
      `${deployed.value.length} deployment(s)`,
    );
    const provisionAndDeploy = (identity.ms + tenants.ms + deployed.ms) / 1000;
    add(
      'provisioned and deployed, all jobcenters',
      provisionAndDeploy,
      's',
      `target ≤ 300 s: ${provisionAndDeploy <= 300 ? 'met' : 'NOT met'}`,
    );
    const counts = await Promise.all(
      ['/tenant/count', '/group/count', '/authorization/count', '/process-definition/count'].map(
        async (p) => `${p.split('/')[1]} ${(await admin.request<{ count: number }>('GET', p)).count}`,
      ),
    );
    add('engine heap after provisioning and deployment', heapUsedMb(pid), 'MB', `in the engine: ${counts.join(', ')}`);
    add('engine resident memory after provisioning and deployment', residentMb(pid)?.rssMb ?? Number.NaN, 'MiB');

    // One front desk for both sides, in every tenant, so that its own tenant check costs the same in A and in B.
    const everyJobcenter = [...config.jobcenters.keys()];
    const desk = await staffLogin(admin, 'bench-ez-all', everyJobcenter);
    const own = await staffLogin(admin, `${ids[0]}-ez`, [ids[0]!]);

    // Intakes: spread over every tenant (A) against all to one tenant (B), alternating on the same engine.
    const onConfig: BenchEngine = { ...engine, config };
    const options = (jobcenters: readonly string[], over: Partial<IntakeOptions> = {}): IntakeOptions =>
      intakeOptions(s, 'real', { jobcenters, frontDesk: desk, ...over });
    log.info('tenants-400: warm-up intakes');
    await intakeRun(onConfig, options(ids, { intakes: 20, sendSeconds: 30, graceSeconds: 30 }), quiet);
    // An engine host without the tenant-id provider (a stale jar) runs everything without tenants, and the
    // tenant check then hides nothing: such a run would measure one tenant on both sides.
    const untenanted = await admin.request<{ count: number }>(
      'GET',
      `/history/process-instance/count?processDefinitionKey=${PROCESS_KEY}&withoutTenantId=true`,
    );
    if (untenanted.count > 0)
      throw new Error(
        `${untenanted.count} intake instance(s) without a tenant: the engine host gives no tenant (rebuild it: npm run engine:build)`,
      );
    const spread: IntakeFigures[] = [];
    const single: IntakeFigures[] = [];
    for (let p = 0; p < s.pairs; p++) {
      // Each spread run starts where the last stopped, so the runs together reach as many tenants as they can.
      const offset = (p * s.intakes) % ids.length;
      const rotated = [...ids.slice(offset), ...ids.slice(0, offset)];
      for (const [side, jobcenters, into] of [
        ['A, spread over every tenant', rotated, spread],
        [`B, one tenant (${ids[0]})`, [ids[0]!], single],
      ] as const) {
        log.info(`tenants-400: intakes ${side}, run ${p + 1} of ${s.pairs}`);
        const o = options(jobcenters);
        const f = await intakeRun(onConfig, o, quiet);
        into.push(f);
        const reached = new Set(Array.from({ length: f.intakes }, (_, i) => jobcenters[i % jobcenters.length])).size;
        add(
          `intakes to first booking, ${side}, run ${p + 1}`,
          f.sustainedPerSecond,
          'per s',
          `${f.intakes} intakes to ${reached} jobcenter(s), ${f.booked} booked${f.intakes - f.completed ? `, ${f.intakes - f.completed} not booked in time` : ''}, ${s.inFlight} in flight; overall ${f.overallPerSecond.toFixed(2)}/s; request to booked p50 ${Math.round(f.latencyMs.p50)} ms, p95 ${Math.round(f.latencyMs.p95)} ms; engine CPU per intake ${Math.round(f.cpuMsPerIntake.engine)} ms; slots booked twice ${f.slotsBookedTwice}; load ${f.load.start.toFixed(1)} → ${f.load.end.toFixed(1)}${f.postFailures ? `; POST failures: ${f.postFailures}` : ''}`,
        );
        runs.push({
          engine: label,
          run: `tenants-400: ${side}, run ${p + 1}`,
          settings: { ...o, jobcenters: `${jobcenters.length}, from ${jobcenters[0]}`, frontDesk: desk.user },
          figures: f,
        });
      }
    }
    const mean = (fs: IntakeFigures[]) => fs.reduce((a, f) => a + f.sustainedPerSecond, 0) / fs.length;
    const ratio = mean(spread) / mean(single);
    add(
      'intakes per second, spread over every tenant / one tenant',
      ratio,
      'ratio',
      `${mean(spread).toFixed(2)} / ${mean(single).toFixed(2)} per s, means of ${s.pairs} alternating runs each; per pair ${spread.map((f, i) => (f.sustainedPerSecond / single[i]!.sustainedPerSecond).toFixed(2)).join(', ')}; target ≥ 0.9: ${ratio >= 0.9 ? 'met' : 'NOT met'}`,
    );
    add('engine heap after the intakes', heapUsedMb(pid), 'MB');

    // The task list: TASKS_PER_TENANT open user tasks of group EZ in every tenant.
    log.info(`tenants-400: ${TASKS_PER_TENANT * ids.length} open user tasks for the task list`);
    await engine.client.deploy('bench-workspace', [{ name: `${USER_TASK_KEY}.bpmn`, content: USER_TASK_DIAGRAM }]);
    const limit = pLimit(20);
    await Promise.all(
      Array.from({ length: TASKS_PER_TENANT * ids.length }, (_, i) =>
        limit(() =>
          engine!.client.request('POST', `/process-definition/key/${USER_TASK_KEY}/start`, {
            variables: toEngineVariables({
              jobcenter: ids[i % ids.length]!,
              due: new Date(Date.UTC(2026, 11, 7 + (i % 60), 22, 59)).toISOString().slice(0, 19),
            }),
          }),
        ),
      ),
    );
    const query: TaskPageQuery = {
      userId: own.user,
      groups: ['EZ'],
      processDefinitionKeys: [USER_TASK_KEY],
      first: 0,
      max: 25,
    };
    const timesOf = async (read: () => Promise<number>) => {
      const ms: number[] = [];
      let seen = 0;
      await read(); // unreported: the first of a kind compiles the query
      for (let i = 0; i < QUERIES; i++) {
        const t = await timed(read);
        ms.push(t.ms);
        seen = t.value;
      }
      return { p50: percentile(ms, 50), p99: percentile(ms, 99), seen };
    };
    const filter = {
      orQueries: [{ candidateGroups: ['EZ'], includeAssignedTasks: true, assignee: own.user }],
      processDefinitionKeyIn: [USER_TASK_KEY],
    };
    const sorting = [
      { sortBy: 'dueDate', sortOrder: 'asc' },
      { sortBy: 'created', sortOrder: 'asc' },
    ];
    const pageOf = async (client: EngineRestClient, body: Record<string, unknown>) => {
      const [count] = await Promise.all([
        client.request<{ count: number }>('POST', '/task/count', body),
        client.request<unknown[]>('POST', '/task?firstResult=0&maxResults=25', { ...body, sorting }),
      ]);
      return count.count;
    };
    const workspace = await timesOf(async () => (await new RestTaskPages(engine!.client).page(query)).total);
    add(
      'workspace task-list page (technical user, as src/engine/task-pages.ts asks) p50',
      workspace.p50,
      'ms',
      `p99 ${Math.round(workspace.p99)} ms of ${QUERIES}; ${TASKS_PER_TENANT * ids.length} open EZ tasks, ${TASKS_PER_TENANT} per tenant; the engine counted ${workspace.seen} for a ${ids[0]} login: the query names no tenant, so its page holds every jobcenter's tasks and the workspace drops the others' after the store join`,
    );
    const scoped = await timesOf(() => pageOf(engine!.client, { ...filter, tenantIdIn: [ids[0]] }));
    add(
      "the same page restricted to the login's tenant (tenantIdIn) p50",
      scoped.p50,
      'ms',
      `p99 ${Math.round(scoped.p99)} ms; the engine counted ${scoped.seen}; not what the workspace asks today`,
    );
    const ownClient = new EngineRestClient(engine.endpoints.rest, own);
    const tasklist = await timesOf(() => pageOf(ownClient, filter));
    add(
      `the same page with the ${ids[0]} staff login (Tasklist's way: the engine's tenant check) p50`,
      tasklist.p50,
      'ms',
      `p99 ${Math.round(tasklist.p99)} ms; the engine counted ${tasklist.seen}`,
    );

    // Fetch-and-lock: one instance per tenant waiting at the first external task, no workers running.
    log.info(`tenants-400: ${ids.length} instances for fetch-and-lock`);
    const startMs: number[] = [];
    for (const id of ids) {
      const t = await timed(() =>
        engine!.client.request<{ tenantId: string | null }>('POST', `/process-definition/key/${PROCESS_KEY}/start`, {
          businessKey: randomUUID(),
          variables: toEngineVariables({ jobcenter: id, applicationId: randomUUID() }),
        }),
      );
      if (t.value.tenantId !== id) throw new Error(`an instance of ${id} carries tenant ${t.value.tenantId}`);
      startMs.push(t.ms);
    }
    add(
      'start an instance (technical user) p50',
      percentile(startMs, 50),
      'ms',
      `p95 ${Math.round(percentile(startMs, 95))} ms; ${ids.length} starts, one per tenant, each checked for its tenant`,
    );
    const fetchMs: number[] = [];
    let locked = 0;
    for (let i = 0; i < FETCHES; i++) {
      const f = await timed(() =>
        engine!.client.request<unknown[]>('POST', '/external-task/fetchAndLock', {
          workerId: `bench-tenants-${i}`,
          maxTasks: 5,
          topics: [{ topicName: FIRST_TOPIC, lockDuration: 600_000 }],
        }),
      );
      locked += f.value.length;
      fetchMs.push(f.ms);
    }
    add(
      'fetch-and-lock, 5 tasks, technical user in every tenant p50',
      percentile(fetchMs, 50),
      'ms',
      `p95 ${Math.round(percentile(fetchMs, 95))} ms; ${FETCHES} fetches, ${locked} tasks locked; ${ids.length} instances waiting`,
    );
    add(
      'engine heap at the end',
      heapUsedMb(pid),
      'MB',
      `load average ${loadAverage().raw.split(' ').slice(0, 3).join(' / ')}`,
    );
  } catch (e) {
    // What was measured before the failure stays in the rows; the failure is a row of its own.
    log.error('tenants-400 failed', { error: (e as Error).stack ?? String(e) });
    add('run failed', Number.NaN, '-', (e as Error).message.slice(0, 300));
  } finally {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (engine) await dropBenchDatabase(s.postgres);
  }
  return { rows, runs };
}
