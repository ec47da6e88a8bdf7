/**
 * The workers part of `npm run bench`: what our job handlers cost per Cottbus intake, with the engine left out.
 * N applications are recorded as the API records them; then every service task of the happy path (channel EZ,
 * Neukunde, responsible) runs through the real runner (runExternalTask: input parsed, handler, output parsed, outcome),
 * in diagram order, up to the first-consultation booking and the invitation of each eLb. Between the tasks the
 * variables travel as the engine carries them (plain values, objects as JSON text, decoded for the workers that
 * declare them), and what the engine does itself is done here: the Neukunde decision per person appending to
 * `neukundeResults`, the gateways (asserted), the ID check's form values, and the per-eLb input mappings of the
 * first-consultation sub-process (`${eligibleKdNumbers.split(',')[loopCounter]}` ...).
 *
 * It stays next to the end-to-end rows because it answers what they cannot: which job type costs what, and how
 * many SQL statements an intake takes, without the engine's share mixed in.
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type { KyselyPlugin } from 'kysely';
import winston from 'winston';

import { confirmStart, createdBody, recordUnconfirmed } from '../../src/api/applications/recording.js';
import { applicationRecord, neukundeInputs, startVariables } from '../../src/api/applications/service.js';
import { type AppDeps, appDeps } from '../../src/app/deps.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { berlinDate } from '../../src/calendar/index.js';
import { EnvSchema } from '../../src/config/env.js';
import { loadJobcenters } from '../../src/config/load.js';
import { ageFacts } from '../../src/domain/age-facts.js';
import { fromEngineVariables, toEngineVariables } from '../../src/engine/variables.js';
import { readBpmn } from '../../src/processes/load.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createScratchDatabase } from '../../src/store/scratch-database.js';
import type { AnyWorker } from '../../src/worker-runtime/define-worker.js';
import {
  declaredVariables,
  type ExternalTaskOutcome,
  runExternalTask,
} from '../../src/worker-runtime/run-external-task.js';
import { decodeInput } from '../../src/worker-runtime/structured-variables.js';
import { neukundeByTheRules } from '../../test/fakes/neukunde-rules.js';
import assignBgNumber from '../../workers/allegro.assign-bg-number.js';
import recordApplicationDate from '../../workers/allegro.record-application-date.js';
import recordEligibility from '../../workers/applications.record-eligibility.js';
import bookFirstConsultation from '../../workers/atv.book-first-consultation.js';
import computeDeadlines from '../../workers/calendar.compute-deadlines.js';
import issueApplicationPack from '../../workers/documents.issue-application-pack.js';
import issueInvitation from '../../workers/documents.issue-invitation.js';
import deriveEligibilityFacts from '../../workers/persons.derive-eligibility-facts.js';
import upsertCustomers from '../../workers/verbis.upsert-customers.js';
import writeHistoryNote from '../../workers/verbis.write-history-note.js';
import { household, ID_CHECK_FORM } from '../households.js';
import { type Row, row } from '../row.js';

const ENGINE = 'excluded — our job handlers only, run in-process';
const DIAGRAM = 'processes/cottbus/neukunde.bpmn';
/** A Monday 09:00 in Berlin, as in the worker tests: the 09:00 slot has just passed, the rest of the week is free. */
const NOW = new Date('2026-11-23T09:00:00+01:00');
/** Unreported instances first: the first jobs compile schemas and queries. */
const WARM_UP = 5;

/** Variables as the engine holds them: plain values, objects and arrays as JSON text. */
type Variables = Record<string, unknown>;

interface Step {
  activityId: string;
  worker: AnyWorker;
  /** The extension properties (`camunda:properties`) the diagram sets on the element. */
  properties?: Record<string, string>;
}

const step = (activityId: string, worker: AnyWorker, properties: Record<string, string> = {}): Step => ({
  activityId,
  worker,
  properties,
});

const DERIVE = step('Task_DeriveEligibilityFacts', deriveEligibilityFacts);
const RECORD_ELIGIBILITY = step('Task_RecordEligibility', recordEligibility);
/** From the ID check to the split into the three branches: one straight line of service tasks. */
const THROUGH_APPLICATION_PACK = [
  step('Task_UpsertCustomers', upsertCustomers),
  step('Task_AssignBgNumber', assignBgNumber),
  step('Task_RecordApplicationDate', recordApplicationDate),
  step('Task_WriteHistoryNote', writeHistoryNote),
  step('Task_ComputeDeadlines', computeDeadlines),
  step('Task_IssueApplicationPack', issueApplicationPack, { template: 'anschreiben-antragsunterlagen' }),
];
const BOOK = step('Task_BookFirstConsultation', bookFirstConsultation);
const INVITE = step('Task_IssueInvitation', issueInvitation, {
  template: 'einladung-rfb',
  phoneNoteTemplate: 'telefonischer-hinweis',
});
const ALL_STEPS = [DERIVE, RECORD_ELIGIBILITY, ...THROUGH_APPLICATION_PACK, BOOK, INVITE];

/** The steps are written out here, so a renamed element or changed topic in the diagram must fail the bench, not skew it. */
async function checkAgainstDiagram(): Promise<void> {
  const { topicUses } = await readBpmn(DIAGRAM);
  for (const s of ALL_STEPS) {
    if (!topicUses.some((j) => j.activityId === s.activityId && j.topic === s.worker.topic)) {
      throw new Error(
        `${DIAGRAM} has no ${s.activityId} with topic ${s.worker.topic}: the worker path bench no longer follows the diagram`,
      );
    }
  }
}

/** What a worker's output becomes in the engine: the worker host writes objects and arrays as JSON text. */
const asEngineHolds = (values: Variables): Variables => fromEngineVariables(toEngineVariables(values));

interface Seeded {
  processInstanceId: string;
  variables: Variables;
}

/** Recorded and confirmed as POST /api/v1/applications does it, with an instance id as the engine would give it. */
async function seedApplication(store: Store, i: number, intakeDueAt: string): Promise<Seeded> {
  const body = household(i, berlinDate(NOW));
  const id = randomUUID();
  const variables = startVariables(id, body, intakeDueAt);
  const decisions = body.household.members.map((m) =>
    neukundeByTheRules(neukundeInputs(ageFacts(m.birthDate, body.applicationDate), variables)),
  );
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const application = applicationRecord(
    body,
    id,
    decisions.map(() => randomUUID()),
    decisions,
    { requestHash, actor: 'bench', flags: variables.flags },
  );
  await recordUnconfirmed(store.db, application);
  const processInstanceId = randomUUID();
  const created = {
    status: 201,
    body: createdBody({
      id,
      process_instance_key: processInstanceId,
      new_customer: application.newCustomer,
      not_new_reason: application.notNewReason,
    }),
  };
  await confirmStart(
    store.db,
    { id, jobcenter: body.jobcenter, channel: body.channel, actor: 'bench', idempotencyKey: null },
    created,
  );
  return { processInstanceId, variables: asEngineHolds(variables) };
}

/** Counts every statement Kysely runs (BEGIN and COMMIT go past plugins, so transactions add two each on top). */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
  transformResult: KyselyPlugin['transformResult'] = async (args) => {
    this.count++;
    return args.result;
  };
}

interface Timing {
  jobs: number;
  ms: number;
}

/** Runs jobs the way the worker host does (only the declared variables, JSON text decoded, a child logger per job) and times each. */
class JobRunner {
  readonly timings = new Map<string, Timing>();
  readonly #log = winston.createLogger({ silent: true });

  constructor(private readonly deps: AppDeps) {}

  async run(s: Step, processInstanceId: string, scope: Variables): Promise<ExternalTaskOutcome> {
    const fetched = declaredVariables(s.worker);
    const variables = fetched
      ? Object.fromEntries(fetched.filter((name) => name in scope).map((name) => [name, scope[name]]))
      : scope;
    const job = {
      id: randomUUID(),
      topic: s.worker.topic,
      processInstanceId,
      processDefinitionKey: 'neukunde-cottbus',
      businessKey: typeof scope.applicationId === 'string' ? scope.applicationId : null,
      activityId: s.activityId,
      activityInstanceId: `${s.activityId}:${randomUUID()}`,
      retries: null,
      properties: s.properties ?? {},
    };
    const started = performance.now();
    const log = this.#log.child({
      externalTaskId: job.id,
      topic: job.topic,
      processInstanceId,
      processDefinitionKey: job.processDefinitionKey,
      activityId: job.activityId,
    });
    const outcome = await runExternalTask(
      s.worker,
      { ...job, variables: decodeInput(s.worker, variables) },
      this.deps,
      log,
    );
    const timing = this.timings.get(s.worker.topic) ?? { jobs: 0, ms: 0 };
    timing.jobs++;
    timing.ms += performance.now() - started;
    this.timings.set(s.worker.topic, timing);
    return outcome;
  }

  /** The completed variables as the engine would hold them; anything else ends the bench, which must not time failures as if they were work. */
  async complete(s: Step, processInstanceId: string, scope: Variables): Promise<Variables> {
    const outcome = await this.run(s, processInstanceId, scope);
    if (outcome.kind !== 'complete')
      throw new Error(`${s.worker.topic} (${s.activityId}) did not complete: ${JSON.stringify(outcome)}`);
    return asEngineHolds(outcome.variables);
  }
}

const ids = (list: unknown): string[] => (typeof list === 'string' && list !== '' ? list.split(',') : []);
/** JUEL's `concat` turns null into "", so a decision without an answer leaves an empty field. */
const field = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
};

/**
 * One instance, service task after service task; between them what the engine does: the Neukunde DMN per person
 * and its end listener, the gateways (asserted, not taken on faith), the ID check as a completed user task, and the
 * first-consultation sub-process per eLb with its input mappings. The engine runs the eLb in parallel; here they go
 * one after the other. Returns the number of eLb left without a slot.
 */
async function runInstance(jobs: JobRunner, seeded: Seeded): Promise<number> {
  const pi = seeded.processInstanceId;
  const vars: Variables = { ...seeded.variables };
  Object.assign(vars, await jobs.complete(DERIVE, pi, vars));
  let neukundeResults = '';
  for (const personId of ids(vars.personIds)) {
    const inputs = {
      reached15: ids(vars.reached15PersonIds).includes(personId),
      belowAgeLimit: ids(vars.belowAgeLimitPersonIds).includes(personId),
    };
    const answer = neukundeByTheRules(neukundeInputs(inputs, vars));
    neukundeResults += `${personId}:${field(answer.neukunde)}:${field(answer.reason)};`;
  }
  vars.neukundeResults = neukundeResults;
  Object.assign(vars, await jobs.complete(RECORD_ELIGIBILITY, pi, vars));
  if (vars.newCustomer !== true || vars.channel !== 'EZ')
    throw new Error(
      `Instance ${pi} left the happy path: newCustomer ${String(vars.newCustomer)}, channel ${String(vars.channel)}`,
    );
  Object.assign(vars, ID_CHECK_FORM);
  for (const s of THROUGH_APPLICATION_PACK) Object.assign(vars, await jobs.complete(s, pi, vars));
  let unbooked = 0;
  const eligible = ids(vars.eligiblePersonIds);
  if (eligible.length !== vars.eligiblePersonCount)
    throw new Error(`Instance ${pi}: eligiblePersonIds and eligiblePersonCount disagree`);
  for (const [loopCounter, personId] of eligible.entries()) {
    // The sub-process's input parameters, each taking its element with loopCounter.
    const local: Variables = {
      ...vars,
      personId,
      isU25: ids(vars.u25PersonIds).includes(personId),
      kdNumber: String(vars.eligibleKdNumbers).split(',')[loopCounter],
      caseworkerId: String(vars.eligibleCaseworkerIds).split(',')[loopCounter],
      teamId: String(vars.eligibleTeamIds).split(',')[loopCounter],
      appointment: null,
      appointmentCaseworkerId: null,
      appointmentStartsAt: null,
      invitation: null,
      acknowledged: null,
    };
    const booked = await jobs.run(BOOK, pi, local);
    // No slot is the one outcome the diagram answers (ticket, deputy booking by a person): counted, not timed further.
    if (booked.kind === 'error' && booked.code === 'NO_SLOT_AVAILABLE') {
      unbooked++;
      continue;
    }
    if (booked.kind !== 'complete')
      throw new Error(`${BOOK.worker.topic} (${BOOK.activityId}) did not complete: ${JSON.stringify(booked)}`);
    Object.assign(local, asEngineHolds(booked.variables));
    await jobs.complete(INVITE, pi, local);
  }
  return unbooked;
}

/** Runs `count` tasks with at most `concurrency` in flight; the first error ends the run. */
async function inFlight<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await task(i);
    }),
  );
  return results;
}

export async function cottbusWorkerPathBench(
  kind: 'pglite' | 'postgres',
  opts: { instances?: number; concurrency?: number } = {},
): Promise<Row[]> {
  const instances = opts.instances ?? 300;
  // The worker host's default of tasks held at once; here it is instances in flight, each on one task at a time.
  const concurrency = opts.concurrency ?? EnvSchema.parse({}).WORKER_MAX_TASKS;
  await checkAgainstDiagram();
  // A scratch database, never the one named: the benchmark writes hundreds of cases.
  const scratch =
    kind === 'postgres' ? await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'bench_workers') : undefined;
  const store = await openStore(scratch ? { databaseUrl: scratch.url } : {});
  try {
    const { jobcenters, problems } = loadJobcenters('processes');
    if (problems.length) throw new Error(problems.join('\n'));
    const calendars = calendarsFor(jobcenters);
    const calendar = calendars.of('cottbus')!;
    const intakeDueAt = calendar.breachInstant(calendar.addWorkingDays(berlinDate(NOW), 1));
    const seeded = await inFlight(WARM_UP + instances, concurrency, (i) => seedApplication(store, i, intakeDueAt));

    const counter = new StatementCounter();
    const deps = appDeps({
      store: { ...store, db: store.db.withPlugin(counter) },
      calendars,
      jobcenters,
      now: () => NOW,
    });
    const warmUp = new JobRunner(deps);
    for (const s of seeded.slice(0, WARM_UP)) await runInstance(warmUp, s);

    counter.count = 0;
    const jobs = new JobRunner(deps);
    const started = performance.now();
    const unbooked = (await inFlight(instances, concurrency, (i) => runInstance(jobs, seeded[WARM_UP + i]!))).reduce(
      (a, b) => a + b,
      0,
    );
    const seconds = (performance.now() - started) / 1000;

    const invitations = await store.db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'einladung-rfb')
      .executeTakeFirstOrThrow();
    const invited = jobs.timings.get(INVITE.worker.topic)?.jobs ?? 0;
    if (Number(invitations.n) !== invited + (warmUp.timings.get(INVITE.worker.topic)?.jobs ?? 0)) {
      throw new Error(`${invited} invitation jobs completed, but the store holds ${invitations.n} invitations`);
    }

    const totalJobs = [...jobs.timings.values()].reduce((a, t) => a + t.jobs, 0);
    const label = `worker path Cottbus on ${kind}`;
    const add = (measure: string, value: number, unit: string, note?: string) =>
      row(`${label}: ${measure}`, value, unit, { ...(note === undefined ? {} : { note }), engine: ENGINE });
    return [
      add(
        'instances',
        instances / seconds,
        'per s',
        `${instances} EZ applications (head + 1 eLb) through derive facts … application pack, then booking + invitation per eLb; ${concurrency} instances in flight, each one job at a time; ${seconds.toFixed(2)} s after ${WARM_UP} unreported; no mail or d.3 task lies on this path`,
      ),
      add(
        'jobs',
        totalJobs / seconds,
        'per s',
        `${totalJobs} jobs, ${unbooked ? `all completed but ${unbooked} bookings answered NO_SLOT_AVAILABLE` : 'all completed'}`,
      ),
      ...[...jobs.timings].map(([type, t]) =>
        add(
          `${type} mean`,
          t.ms / t.jobs,
          'ms',
          `${t.jobs} jobs; wall time at ${concurrency} in flight: waits for the store and the event loop included`,
        ),
      ),
      add(
        'SQL statements per instance',
        counter.count / instances,
        'count',
        'through Kysely; BEGIN/COMMIT of the 3 transactions (record-eligibility, upsert-customers, assign-bg-number) come on top',
      ),
      add(
        'eLb without a slot',
        unbooked,
        'count',
        unbooked
          ? 'NO_SLOT_AVAILABLE: their invitation was not run (the diagram hands them to a person)'
          : 'every eLb booked before its MDS due date',
      ),
    ];
  } finally {
    await store.close();
    await scratch?.drop();
  }
}
