/**
 * `npx tsx bench/engine/tenant-deploy.ts [shared|per-tenant|both]`: the two ways of giving each of 400 jobcenters its
 * own tenant, measured on a fresh local engine each (H2, history full, the default heap):
 *
 * - shared: the Cottbus model, the shared decisions and the forms deployed once without a tenant; each instance
 *   gets its tenant from the `jobcenter` start variable (engine/…/JobcenterTenantIdProvider.java).
 * - per-tenant: the same files deployed once per tenant with `tenant-id`; an instance is started on its
 *   tenant's definition (`/process-definition/key/<key>/tenant-id/<tenant>/start`).
 *
 * Both: 400 tenants with the technical user's group a member of each (provisionTenants), one instance started per
 * tenant, then fetch-and-lock and the task list as the technical user, who sees all 400 tenants. The engine heap is
 * read with `jcmd GC.heap_info` after a full GC. Prints the rows and writes bench/results/tenants-<date>.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { provisionTenants, TECHNICAL_GROUP, tenantPlan } from '../../src/engine/provision.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import { createLogger } from '../../src/log/logger.js';
import { type Row, row } from '../row.js';
import { startBenchEngine } from './bench-engine.js';
import { heapUsedMb, loadAverage, percentile } from './proc.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 400);
const FETCHES = 50;
const PROCESS_KEY = 'neukunde-cottbus';
const FIRST_TOPIC = 'persons.derive-eligibility-facts';
/** What one jobcenter running the Cottbus model deploys: its diagram, the shared decisions, its forms. */
const FILES = [
  'processes/cottbus/neukunde.bpmn',
  'processes/shared/neukunde.dmn',
  'processes/shared/kundensteuerung.dmn',
  ...[
    'acknowledge',
    'arbeitspaket',
    'deputy-booking',
    'first-consultation',
    'forwarding-ez',
    'id-check',
    'ticket-ez',
  ].map((f) => `processes/forms/cottbus-${f}.form`),
];

type Mode = 'shared' | 'per-tenant';
const log = createLogger({ level: 'info', format: 'pretty' });
const tenantIds = Array.from({ length: TENANTS }, (_, i) => `bench-jc-${String(i + 1).padStart(3, '0')}`);

function deploymentForm(name: string, tenantId?: string): FormData {
  const form = new FormData();
  form.append('deployment-name', name);
  form.append('deployment-source', 'tenant-bench');
  if (tenantId) form.append('tenant-id', tenantId);
  for (const file of FILES)
    form.append(path.basename(file), new Blob([new Uint8Array(readFileSync(file))]), path.basename(file));
  return form;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await work();
  return { ms: performance.now() - t, value };
}

/** Adds its rows to `rows` as it goes, so a run that fails half-way still reports what it measured. */
async function run(mode: Mode, rows: Row[]): Promise<void> {
  const add = (measure: string, value: number, unit: string, note?: string) =>
    rows.push(row(`${mode}: ${measure}`, value, unit, note === undefined ? {} : { note }));
  const engine = await startBenchEngine({ historyLevel: 'full' }, log);
  try {
    const admin = new EngineRestClient(engine.endpoints.rest, engine.endpoints.administrator!);
    // A generous timeout: a call that takes minutes is a finding to record, not a reason to stop measuring.
    const technical = new EngineRestClient(engine.endpoints.rest, engine.endpoints.technical, 300_000);
    add('heap after start', heapUsedMb(engine.engine.pid), 'MB', 'processes/ deployed once, after a full GC');

    const plan = tenantPlan(tenantIds.map((id) => ({ id, name: `Jobcenter ${id}` })));
    const tenants = await timed(() =>
      provisionTenants(
        admin,
        { ...plan, groupMembers: plan.groupMembers.filter((m) => m.groupId === TECHNICAL_GROUP) },
        log,
      ),
    );
    add(`provision ${TENANTS} tenants + technical memberships`, tenants.ms / 1000, 's');
    const again = await timed(() =>
      provisionTenants(
        admin,
        { ...plan, groupMembers: plan.groupMembers.filter((m) => m.groupId === TECHNICAL_GROUP) },
        log,
      ),
    );
    add('provision again (nothing to do)', again.ms / 1000, 's', `${again.value} created`);

    // Deploy: once for all, or once per tenant.
    const deployMs: number[] = [];
    if (mode === 'shared') {
      deployMs.push((await timed(() => technical.request('POST', '/deployment/create', deploymentForm('shared')))).ms);
    } else {
      for (const [i, t] of tenantIds.entries()) {
        deployMs.push((await timed(() => technical.request('POST', '/deployment/create', deploymentForm(t, t)))).ms);
        if ((i + 1) % 100 === 0) {
          const heap = heapUsedMb(engine.engine.pid);
          add(`heap after ${i + 1} tenant deployments`, heap, 'MB');
          log.info(
            `${i + 1} deployments, last 100 in ${(deployMs.slice(-100).reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, heap ${heap.toFixed(0)} MB`,
          );
        }
      }
    }
    add(
      `deploy for ${TENANTS} tenants`,
      deployMs.reduce((a, b) => a + b, 0) / 1000,
      's',
      `${deployMs.length} deployment(s)`,
    );
    const definitions = await technical.request<{ count: number }>('GET', '/process-definition/count');
    add('process definitions in the engine', definitions.count, 'count');
    add('heap after deploy', heapUsedMb(engine.engine.pid), 'MB');

    // One instance per tenant.
    const startMs: number[] = [];
    for (const [i, t] of tenantIds.entries()) {
      if (i % 100 === 0) log.info(`${i} instances started`);
      const body = {
        businessKey: randomUUID(),
        variables: toEngineVariables({ jobcenter: t, applicationId: randomUUID() }),
      };
      const url =
        mode === 'shared'
          ? `/process-definition/key/${PROCESS_KEY}/start`
          : `/process-definition/key/${PROCESS_KEY}/tenant-id/${t}/start`;
      const started = await timed(() => technical.request<{ tenantId: string | null }>('POST', url, body));
      if (started.value.tenantId !== t)
        throw new Error(`${mode}: instance of ${t} carries tenant ${started.value.tenantId}`);
      startMs.push(started.ms);
    }
    add(
      'start an instance p50',
      percentile(startMs, 50),
      'ms',
      `${TENANTS} starts, one per tenant, each checked for its tenant id`,
    );
    add('start an instance p95', percentile(startMs, 95), 'ms');
    add(
      'heap after starts',
      heapUsedMb(engine.engine.pid),
      'MB',
      `${TENANTS} instances waiting at their first external task`,
    );

    // Fetch-and-lock and the task list as the technical user (member of every tenant).
    const fetchMs: number[] = [];
    let locked = 0;
    for (let i = 0; i < FETCHES; i++) {
      const f = await timed(() =>
        technical.request<unknown[]>('POST', '/external-task/fetchAndLock', {
          workerId: `bench-${i}`,
          maxTasks: 5,
          topics: [{ topicName: FIRST_TOPIC, lockDuration: 600_000 }],
        }),
      );
      locked += f.value.length;
      fetchMs.push(f.ms);
    }
    add('fetch-and-lock (5 tasks) p50', percentile(fetchMs, 50), 'ms', `${FETCHES} fetches, ${locked} tasks locked`);
    add('fetch-and-lock (5 tasks) p95', percentile(fetchMs, 95), 'ms');
    const countMs: number[] = [];
    for (let i = 0; i < 20; i++)
      countMs.push((await timed(() => technical.request('GET', '/external-task/count?notLocked=true'))).ms);
    add('external task count p50', percentile(countMs, 50), 'ms');
    add('heap at the end', heapUsedMb(engine.engine.pid), 'MB');
  } catch (e) {
    // An engine that ran out of heap only says so in its own log; the client just sees the connection drop.
    const died = readFileSync(engine.engine.logFile, 'utf8').match(/.*OutOfMemoryError.*/)?.[0];
    throw died ? new Error(`${(e as Error).message}; the engine's log: ${died.trim()}`) : e;
  } finally {
    await engine.stop();
  }
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'both';
  const modes: Mode[] = which === 'both' ? ['shared', 'per-tenant'] : [which as Mode];
  const loadAtStart = loadAverage();
  const rows: Row[] = [];
  for (const mode of modes) {
    try {
      await run(mode, rows);
    } catch (e) {
      // Recorded, not thrown: one way failing at 400 tenants is itself the result of that run.
      rows.push(row(`${mode}: run failed`, 0, '', { note: (e as Error).message.slice(0, 300) }));
    }
    console.table(rows);
  }
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/tenants-${new Date().toISOString().slice(0, 10)}-${which}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ machine: { cpus: os.cpus().length, memGb: Math.round(os.totalmem() / 2 ** 30) }, command: `tenant-deploy ${which}`, tenants: TENANTS, engine: 'Operaton 1.0.3 local, H2, history full', loadAtStart, loadAtEnd: loadAverage(), rows }, null, 2)}\n`,
  );
  log.info(`Written ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
