/**
 * The workers part of `npm run bench`: what our job handlers cost per Cottbus intake, with the engine left out.
 * N applications are recorded as the API records them; then every service task of the happy path (channel EZ,
 * Neukunde, responsible) runs through the real runner (runJob: input parsed, handler, output parsed, outcome),
 * in diagram order, with the variables the engine would carry from task to task, up to the first-consultation
 * booking and the invitation of each eLb. After that the process waits for people (consultation, documents).
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { KyselyPlugin } from 'kysely';
import winston from 'winston';
import { createdBody, confirmStart, recordUnconfirmed } from '../../src/api/applications/recording.js';
import { ApplicationBody } from '../../src/api/applications/schema.js';
import { applicationRecord, neukundeInputs, startVariables } from '../../src/api/applications/service.js';
import type { AppDeps } from '../../src/app/deps.js';
import { berlinDate } from '../../src/calendar/index.js';
import { calendarsFor } from '../../src/calendar/calendars.js';
import { EnvSchema } from '../../src/config/env.js';
import { loadJobcenters } from '../../src/config/load.js';
import { ageFacts } from '../../src/domain/age-facts.js';
import { readBpmn } from '../../src/processes/load.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createScratchDatabase } from '../../src/store/scratch-database.js';
import type { AnyWorker } from '../../src/worker-runtime/define-worker.js';
import { declaredVariables, runJob, type JobOutcome } from '../../src/worker-runtime/run-job.js';
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
import { row, type Row } from '../row.js';

const ENGINE = 'excluded — our job handlers only, run in-process';
const DIAGRAM = 'processes/cottbus/neukunde.bpmn';
/** A Monday 09:00 in Berlin, as in the worker tests: the 09:00 slot has just passed, the rest of the week is free. */
const NOW = new Date('2026-11-23T09:00:00+01:00');
/** Unreported instances first: the first jobs compile schemas and queries. */
const WARM_UP = 5;
/** Zeebe keys of partition 1 start here; instance, element and job keys all come from one counter, as there. */
const FIRST_PARTITION_KEY = 2251799813685249n;

type Variables = Record<string, unknown>;

interface Step {
  elementId: string;
  worker: AnyWorker;
  /** The task headers the diagram sets on the element. */
  headers?: Record<string, string>;
}

const step = (elementId: string, worker: AnyWorker, headers: Record<string, string> = {}): Step => ({ elementId, worker, headers });

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
const INVITE = step('Task_IssueInvitation', issueInvitation, { template: 'einladung-rfb', phoneNoteTemplate: 'telefonischer-hinweis' });
const ALL_STEPS = [DERIVE, RECORD_ELIGIBILITY, ...THROUGH_APPLICATION_PACK, BOOK, INVITE];

/** The ID check's form on the happy path: identity shown, jobcenter responsible, invitation by letter. */
const ID_CHECK_DONE = { identityVerified: true, responsible: true, invitationByPhone: false };

/** The steps are written out here, so a renamed element or changed job type in the diagram must fail the bench, not skew it. */
async function checkAgainstDiagram(): Promise<void> {
  const { jobTypes } = await readBpmn(DIAGRAM);
  for (const s of ALL_STEPS) {
    if (!jobTypes.some((j) => j.elementId === s.elementId && j.type === s.worker.type)) {
      throw new Error(`${DIAGRAM} has no ${s.elementId} of type ${s.worker.type}: the worker path bench no longer follows the diagram`);
    }
  }
}

// One surname per Ü25 caseworker's range in processes/cottbus/jobcenter.json, so bookings spread over all of them.
const SURNAMES = ['Albrecht', 'Bauer', 'Becker', 'Braun', 'Dietrich', 'Ebert', 'Fischer', 'Fuchs', 'Gerber', 'Günther', 'Hartmann', 'Herrmann', 'Horn', 'Jung', 'Klein', 'Krause', 'Lange', 'Lehmann', 'Maier', 'Müller', 'Neumann', 'Peters', 'Reuter', 'Richter', 'Sauer', 'Schäfer', 'Schmidt', 'Seidel', 'Vogel', 'Weber', 'Wolf', 'Zimmermann'];
const HEADS = ['Anna', 'Jörg', 'Mira', 'Stefan', 'Katrin', 'Uwe', 'Sandra', 'Thomas', 'Yvonne', 'Marcel', 'Doreen', 'René', 'Nicole'];
const OTHERS = ['Ben', 'Lea', 'Paul', 'Lina', 'Tim', 'Emma', 'Felix', 'Sophie', 'Jonas', 'Marie', 'Luca'];

function isoDay(from: string, days: number): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Household i: an Ü25 head and one more eLb, a partner (Ü25) or, in every fourth household, a grown child (U25),
 * so both age bands book. Names and birth dates vary with i, so every person is a new customer.
 */
function household(i: number, applicationDate: string): ApplicationBody {
  const familyName = SURNAMES[i % SURNAMES.length]!;
  const child = i % 4 === 3;
  return ApplicationBody.parse({
    jobcenter: 'cottbus',
    channel: 'EZ',
    applicationDate,
    reason: 'Arbeitslosigkeit nach Ende der Beschäftigung',
    habitualResidenceInGermany: true,
    household: {
      members: [
        { givenName: HEADS[i % HEADS.length], familyName, birthDate: isoDay('1965-01-01', (i * 37) % 10_950), role: 'head', erwerbsfaehig: true },
        {
          givenName: OTHERS[i % OTHERS.length],
          familyName,
          birthDate: child ? isoDay('2002-06-01', (i * 13) % 1_500) : isoDay('1966-01-01', (i * 41) % 10_950),
          role: 'member',
          erwerbsfaehig: true,
        },
      ],
    },
  });
}

interface Seeded {
  processInstanceKey: string;
  variables: Variables;
}

class Keys {
  #next = FIRST_PARTITION_KEY;
  next(): string {
    return String(this.#next++);
  }
}

/** Recorded and confirmed as POST /api/v1/applications does it, with the instance key the engine would have given. */
async function seedApplication(store: Store, keys: Keys, i: number, intakeDueAt: string): Promise<Seeded> {
  const body = household(i, berlinDate(NOW));
  const id = randomUUID();
  const variables = startVariables(id, body, intakeDueAt);
  const decisions = body.household.members.map((m) => neukundeByTheRules(neukundeInputs(ageFacts(m.birthDate, body.applicationDate), variables)));
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const application = applicationRecord(body, id, decisions.map(() => randomUUID()), decisions, { requestHash, actor: 'bench', flags: variables.flags });
  await recordUnconfirmed(store.db, application);
  const processInstanceKey = keys.next();
  const created = { status: 201, body: createdBody({ id, process_instance_key: processInstanceKey, new_customer: application.newCustomer, not_new_reason: application.notNewReason }) };
  await confirmStart(store.db, { id, jobcenter: body.jobcenter, channel: body.channel, actor: 'bench', idempotencyKey: null }, created);
  return { processInstanceKey, variables };
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

/** Runs jobs the way the worker host does (its variables limited to the declared ones, a child logger per job) and times each. */
class JobRunner {
  readonly timings = new Map<string, Timing>();
  readonly #log = winston.createLogger({ silent: true });

  constructor(
    private readonly deps: AppDeps,
    private readonly keys: Keys,
  ) {}

  async run(s: Step, processInstanceKey: string, scope: Variables): Promise<JobOutcome> {
    const fetched = declaredVariables(s.worker);
    const variables = fetched ? Object.fromEntries(fetched.filter((name) => name in scope).map((name) => [name, scope[name]])) : scope;
    const job = { id: this.keys.next(), topic: s.worker.type, processInstanceId: processInstanceKey, processDefinitionKey: 'neukunde-cottbus', businessKey: null, activityId: s.elementId, activityInstanceId: `${s.elementId}:${this.keys.next()}`, retries: null, properties: s.headers ?? {}, variables };
    const started = performance.now();
    const log = this.#log.child({ externalTaskId: job.id, topic: job.topic, processInstanceId: processInstanceKey, processDefinitionKey: job.processDefinitionKey, activityId: job.activityId });
    const outcome = await runJob(s.worker, job, this.deps, log);
    const timing = this.timings.get(s.worker.type) ?? { jobs: 0, ms: 0 };
    timing.jobs++;
    timing.ms += performance.now() - started;
    this.timings.set(s.worker.type, timing);
    return outcome;
  }

  /** The complete variables; anything else ends the bench, which must not time failures as if they were work. */
  async complete(s: Step, processInstanceKey: string, scope: Variables): Promise<Variables> {
    const outcome = await this.run(s, processInstanceKey, scope);
    if (outcome.kind !== 'complete') throw new Error(`${s.worker.type} (${s.elementId}) did not complete: ${JSON.stringify(outcome)}`);
    return outcome.variables;
  }
}

/**
 * One instance, service task after service task; between them what the engine does: the Neukunde DMN per
 * person, the gateways (asserted, not taken on faith), the ID check as a completed user task, and the
 * first-consultation sub-process per eLb with its input mappings. The engine runs the eLb in parallel; here
 * they go one after the other. Returns the number of eLb left without a slot.
 */
async function runInstance(jobs: JobRunner, seeded: Seeded): Promise<number> {
  const key = seeded.processInstanceKey;
  const vars: Variables = { ...seeded.variables };
  Object.assign(vars, await jobs.complete(DERIVE, key, vars));
  const facts = vars.personFacts as { personId: string; reached15: boolean; belowAgeLimit: boolean; isU25: boolean }[];
  vars.neukundeResults = facts.map((f) => ({ personId: f.personId, ...neukundeByTheRules(neukundeInputs(f, vars)) }));
  Object.assign(vars, await jobs.complete(RECORD_ELIGIBILITY, key, vars));
  if (vars.newCustomer !== true || vars.channel !== 'EZ') throw new Error(`Instance ${key} left the happy path: newCustomer ${String(vars.newCustomer)}, channel ${String(vars.channel)}`);
  Object.assign(vars, ID_CHECK_DONE);
  for (const s of THROUGH_APPLICATION_PACK) Object.assign(vars, await jobs.complete(s, key, vars));
  let unbooked = 0;
  for (const personId of vars.eligiblePersonIds as string[]) {
    const kdNumbers = vars.kdNumbers as Record<string, string>;
    const local: Variables = { ...vars, personId, appointment: null, deputyBooking: null, firstConsultation: null, acknowledged: null, isU25: facts.some((f) => f.personId === personId && f.isU25), kdNumber: kdNumbers[personId] ?? null };
    const booked = await jobs.run(BOOK, key, local);
    // No slot is the one outcome the diagram answers (ticket, deputy booking by a person): counted, not timed further.
    if (booked.kind === 'error' && booked.code === 'NO_SLOT_AVAILABLE') {
      unbooked++;
      continue;
    }
    if (booked.kind !== 'complete') throw new Error(`${BOOK.worker.type} (${BOOK.elementId}) did not complete: ${JSON.stringify(booked)}`);
    Object.assign(local, booked.variables);
    await jobs.complete(INVITE, key, local);
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

export async function cottbusWorkerPathBench(kind: 'pglite' | 'postgres', opts: { instances?: number; concurrency?: number } = {}): Promise<Row[]> {
  const instances = opts.instances ?? 300;
  // The worker host's default of tasks held at once; here it is instances in flight, each on one task at a time.
  const concurrency = opts.concurrency ?? EnvSchema.parse({}).WORKER_MAX_TASKS;
  await checkAgainstDiagram();
  // A scratch database, never the one named: the benchmark writes hundreds of cases.
  const scratch = kind === 'postgres' ? await createScratchDatabase(process.env.BENCH_DATABASE_URL!, 'bench_workers') : undefined;
  const store = await openStore(scratch ? { databaseUrl: scratch.url } : {});
  try {
    const { jobcenters, problems } = loadJobcenters('processes');
    if (problems.length) throw new Error(problems.join('\n'));
    const calendars = calendarsFor(jobcenters);
    const calendar = calendars.of('cottbus')!;
    const intakeDueAt = calendar.breachInstant(calendar.addWorkingDays(berlinDate(NOW), 1));
    const keys = new Keys();
    const seeded = await inFlight(WARM_UP + instances, concurrency, (i) => seedApplication(store, keys, i, intakeDueAt));

    const counter = new StatementCounter();
    const deps: AppDeps = { store: { ...store, db: store.db.withPlugin(counter) }, calendars, jobcenters, now: () => NOW };
    const warmUp = new JobRunner(deps, keys);
    for (const s of seeded.slice(0, WARM_UP)) await runInstance(warmUp, s);

    counter.count = 0;
    const jobs = new JobRunner(deps, keys);
    const started = performance.now();
    const unbooked = (await inFlight(instances, concurrency, (i) => runInstance(jobs, seeded[WARM_UP + i]!))).reduce((a, b) => a + b, 0);
    const seconds = (performance.now() - started) / 1000;

    const invitations = await store.db.selectFrom('documents').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'einladung-rfb').executeTakeFirstOrThrow();
    const invited = jobs.timings.get(INVITE.worker.type)?.jobs ?? 0;
    if (Number(invitations.n) !== invited + (warmUp.timings.get(INVITE.worker.type)?.jobs ?? 0)) {
      throw new Error(`${invited} invitation jobs completed, but the store holds ${invitations.n} invitations`);
    }

    const totalJobs = [...jobs.timings.values()].reduce((a, t) => a + t.jobs, 0);
    const label = `worker path Cottbus on ${kind}`;
    const add = (measure: string, value: number, unit: string, note?: string) => row(`${label}: ${measure}`, value, unit, { ...(note === undefined ? {} : { note }), engine: ENGINE });
    return [
      add(
        'instances',
        instances / seconds,
        'per s',
        `${instances} EZ applications (head + 1 eLb) through derive facts … application pack, then booking + invitation per eLb; ${concurrency} instances in flight, each one job at a time; ${seconds.toFixed(2)} s after ${WARM_UP} unreported; no mail or d.3 task lies on this path`,
      ),
      add('jobs', totalJobs / seconds, 'per s', `${totalJobs} jobs, ${unbooked ? `all completed but ${unbooked} bookings answered NO_SLOT_AVAILABLE` : 'all completed'}`),
      ...[...jobs.timings].map(([type, t]) => add(`${type} mean`, t.ms / t.jobs, 'ms', `${t.jobs} jobs; wall time at ${concurrency} in flight: waits for the store and the event loop included`)),
      add('SQL statements per instance', counter.count / instances, 'count', 'through Kysely; BEGIN/COMMIT of the 3 transactions (record-eligibility, upsert-customers, assign-bg-number) come on top'),
      add('eLb without a slot', unbooked, 'count', unbooked ? 'NO_SLOT_AVAILABLE: their invitation was not run (the diagram hands them to a person)' : 'every eLb booked before its MDS due date'),
    ];
  } finally {
    await store.close();
    await scratch?.drop();
  }
}
