/**
 * The store fails in the middle of a job that writes several rows in one transaction. The fault is real (a
 * trigger that raises inside the database, created for the test and dropped after); the job travels the path
 * a Zeebe job takes: the worker host's task handler, runJob, the handler, and back out through complete, fail
 * or error on the job. Only zeebe-node is faked: its client hands us the task handler, and the job records
 * which action it got.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'kysely';
import winston from 'winston';
import type { AppDeps } from '../../../src/app/deps.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import type { Database, Store } from '../../../src/store/index.js';
import type { AnyWorker, JobInfo } from '../../../src/worker-runtime/define-worker.js';
import { BACKENDS, openTestStore } from '../store/backends.js';
import { seedApplication } from '../workers/harness.js';

type TaskHandler = (job: FakeJob) => Promise<unknown>;

/** Stands in for zeebe-node's client: no gRPC, it only keeps each worker's task handler so the test can deliver jobs. */
const handlers = new Map<string, TaskHandler>();
class FakeZBClient {
  createWorker(config: { taskType: string; taskHandler: TaskHandler }) {
    handlers.set(config.taskType, config.taskHandler);
    return { close: async () => {} };
  }
  async close() {}
}
jest.unstable_mockModule('zeebe-node', () => ({ ZBClient: FakeZBClient }));

const { startWorkers } = await import('../../../src/worker-runtime/worker-host.js');
const { backoffFor } = await import('../../../src/worker-runtime/run-job.js');
const { default: upsertCustomers } = await import('../../../workers/verbis.upsert-customers.js');
const { default: assignBgNumber } = await import('../../../workers/allegro.assign-bg-number.js');

type Action =
  | { kind: 'complete'; variables: Record<string, unknown> }
  | { kind: 'fail'; errorMessage: string; retries: number; retryBackOff: number }
  | { kind: 'error'; errorCode: string };

/** An activated job as zeebe-node hands it to a task handler; it records the one action the host takes. */
interface FakeJob extends JobInfo {
  customHeaders: Record<string, string>;
  variables: Record<string, unknown>;
  actions: Action[];
  complete(variables?: Record<string, unknown>): Promise<string>;
  fail(f: { errorMessage: string; retries: number; retryBackOff: number }): Promise<string>;
  error(e: { errorCode: string; errorMessage: string }): Promise<string>;
}

function fakeJob(type: string, key: string, variables: Record<string, unknown>, retries: number): FakeJob {
  const actions: Action[] = [];
  return {
    key,
    type,
    processInstanceKey: '2251799813700001',
    bpmnProcessId: 'neukunde-cottbus',
    elementId: 'Task_Test',
    elementInstanceKey: '2251799813700002',
    retries,
    customHeaders: {},
    variables,
    actions,
    async complete(v = {}) {
      actions.push({ kind: 'complete', variables: v });
      return 'JOB_ACTION_ACKNOWLEDGEMENT';
    },
    async fail(f) {
      actions.push({ kind: 'fail', ...f });
      return 'JOB_ACTION_ACKNOWLEDGEMENT';
    },
    async error(e) {
      actions.push({ kind: 'error', errorCode: e.errorCode });
      return 'JOB_ACTION_ACKNOWLEDGEMENT';
    },
  };
}

/** Delivers one activation of a job to the host's handler for its type and returns the action taken. */
async function deliver(worker: AnyWorker, key: string, variables: Record<string, unknown>, retries: number): Promise<Action> {
  const handler = handlers.get(worker.type);
  if (!handler) throw new Error(`no task handler registered for ${worker.type}`);
  const job = fakeJob(worker.type, key, variables, retries);
  await handler(job);
  expect(job.actions).toHaveLength(1);
  return job.actions[0]!;
}

/** The variables of a completed job; any other action fails the test with what it was. */
function completedWith<V>(action: Action): V {
  if (action.kind !== 'complete') throw new Error(`expected completion, got ${JSON.stringify(action)}`);
  return action.variables as V;
}

const TABLES = [
  'applications',
  'persons',
  'customers',
  'households',
  'application_households',
  'case_periods',
  'deadlines',
  'appointments',
  'documents',
  'notifications',
  'history_notes',
  'audit_log',
  'case_assignments',
  'fmg_entries',
] as const satisfies readonly (keyof Database)[];

/** Row counts of every table a worker could write, and the KD numbers on the persons (an UPDATE, not a row). */
async function snapshot(store: Store) {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const kdNumbers = await store.db.selectFrom('persons').select(['id', 'kd_number']).orderBy('id').execute();
  return { counts, kdNumbers };
}

/**
 * A fault inside the database: a trigger that raises like a full disk when the row matches. Created for one
 * step of a test and dropped after, so the retry meets a healthy store.
 */
async function withFault<T>(store: Store, table: 'persons' | 'application_households' | 'notifications', when: string, act: () => Promise<T>): Promise<T> {
  await sql
    .raw(
      `CREATE FUNCTION reliability_injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF ${when} THEN
           RAISE EXCEPTION 'injected fault: could not extend file (disk full)' USING ERRCODE = '53100';
         END IF;
         RETURN NEW;
       END $$`,
    )
    .execute(store.db);
  await sql.raw(`CREATE TRIGGER reliability_injected_fault BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION reliability_injected_fault()`).execute(store.db);
  try {
    return await act();
  } finally {
    await sql.raw(`DROP TRIGGER reliability_injected_fault ON ${table}`).execute(store.db);
    await sql.raw(`DROP FUNCTION reliability_injected_fault()`).execute(store.db);
  }
}

describe.each(BACKENDS)('a store fault in the middle of a job on %s', (kind) => {
  let store: Store;
  let deps: AppDeps;
  const log = winston.createLogger({ silent: true });

  beforeAll(async () => {
    store = await openTestStore(kind);
    const { jobcenters, problems } = loadJobcenters('processes');
    if (problems.length) throw new Error(problems.join('\n'));
    deps = { store, calendars: calendarsFor(jobcenters), jobcenters, now: () => new Date('2026-11-23T09:00:00+01:00') };
    handlers.clear();
    await startWorkers([upsertCustomers, assignBgNumber], deps, { gatewayAddress: '127.0.0.1:1', maxJobsActive: 1, log }).close();
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });

  it('fails the customer records job for a retry, keeps none of its rows, and writes them once when delivered again', async () => {
    // Arrange: two eLb, so the transaction writes a customer and a KD number for the first before the second fails.
    const { applicationId, personIds } = await seedApplication(deps);
    const [anna, ben] = personIds as [string, string];
    const variables = {
      applicationId,
      eligiblePersonIds: [anna, ben],
      personFacts: [
        { personId: anna, isU25: false },
        { personId: ben, isU25: true },
      ],
      flags: {},
    };
    const jobKey = '2251799813711111';
    const before = await snapshot(store);

    // Act: the second person's KD number cannot be written.
    const failed = await withFault(store, 'persons', `NEW.id = '${ben}' AND NEW.kd_number IS NOT NULL`, () => deliver(upsertCustomers, jobKey, variables, 3));

    // Assert: a technical failure with one retry less and the first back-off; nothing of the transaction stays.
    expect(failed).toEqual({ kind: 'fail', errorMessage: expect.stringContaining('injected fault'), retries: 2, retryBackOff: backoffFor(3) });
    expect(backoffFor(3)).toBeGreaterThan(0);
    expect(await snapshot(store)).toEqual(before);

    // Act: Zeebe delivers the job again after the back-off, to a healthy store.
    const retried = await deliver(upsertCustomers, jobKey, variables, 2);

    // Assert: completed, one customer record and one KD number per person.
    const { kdNumbers } = completedWith<{ kdNumbers: Record<string, string> }>(retried);
    expect(Object.keys(kdNumbers).sort()).toEqual([anna, ben].sort());
    const afterRetry = await snapshot(store);
    expect(afterRetry.counts).toEqual({ ...before.counts, customers: before.counts.customers + 2 });
    const onPersons = await store.db.selectFrom('persons').select(['id', 'kd_number']).where('application_id', '=', applicationId).execute();
    expect(Object.fromEntries(onPersons.filter((p) => p.kd_number).map((p) => [p.id, p.kd_number]))).toEqual(kdNumbers);

    // Act: at-least-once delivery hands the completed job over a third time (the complete command was lost).
    const again = await deliver(upsertCustomers, jobKey, variables, 2);

    // Assert: the same numbers, no new row.
    expect(again).toEqual({ kind: 'complete', variables: expect.objectContaining({ kdNumbers }) });
    expect(await snapshot(store)).toEqual(afterRetry);
  });

  it('fails the BG number job for a retry, keeps no household, and links exactly one BG when delivered again', async () => {
    // Arrange: the head has a customer record, as verbis.upsert-customers leaves it before the BG is drawn.
    const { applicationId, personIds } = await seedApplication(deps, { members: [{ givenName: 'Jonas', familyName: 'Berger', birthDate: '1979-03-03', role: 'head' }] });
    const head = personIds[0]!;
    const prepared = await deliver(upsertCustomers, '2251799813722221', { applicationId, eligiblePersonIds: [head], personFacts: [{ personId: head, isU25: false }], flags: {} }, 3);
    expect(prepared.kind).toBe('complete');
    const variables = { applicationId, headPersonId: head };
    const jobKey = '2251799813722222';
    const before = await snapshot(store);

    // Act: the household is inserted, then linking it to the application fails inside the same transaction.
    const failed = await withFault(store, 'application_households', `NEW.application_id = '${applicationId}'`, () => deliver(assignBgNumber, jobKey, variables, 3));

    // Assert
    expect(failed).toEqual({ kind: 'fail', errorMessage: expect.stringContaining('injected fault'), retries: 2, retryBackOff: backoffFor(3) });
    expect(await snapshot(store)).toEqual(before);

    // Act: delivered again after the back-off.
    const retried = await deliver(assignBgNumber, jobKey, variables, 2);

    // Assert: one household, one link, and the process gets that household's number.
    expect(retried).toEqual({ kind: 'complete', variables: { bgNumber: expect.stringMatching(/^COTBG\d{7}$/) } });
    const { bgNumber } = completedWith<{ bgNumber: string }>(retried);
    const afterRetry = await snapshot(store);
    expect(afterRetry.counts).toEqual({ ...before.counts, households: before.counts.households + 1, application_households: before.counts.application_households + 1 });
    expect(await store.db.selectFrom('application_households').select('bg_number').where('application_id', '=', applicationId).execute()).toEqual([{ bg_number: bgNumber }]);

    // Act: delivered a third time.
    const again = await deliver(assignBgNumber, jobKey, variables, 2);

    // Assert: the same BG number, no new row.
    expect(again).toEqual({ kind: 'complete', variables: { bgNumber } });
    expect(await snapshot(store)).toEqual(afterRetry);
  });
  it('keeps neither customer record nor task when the Aufstocker task cannot be queued, and converges on retry', async () => {
    // Arrange: the front-desk task is queued in the customer records' transaction.
    const { applicationId, personIds } = await seedApplication(deps, { members: [{ givenName: 'Mira', familyName: 'Keller', birthDate: '1984-09-09', role: 'head' }] });
    const head = personIds[0]!;
    const variables = { applicationId, eligiblePersonIds: [head], personFacts: [{ personId: head, isU25: false }], flags: { aufstocker: true } };
    const jobKey = '2251799813733333';
    const customersBefore = (await snapshot(store)).counts.customers;
    const tasksOf = () => store.db.selectFrom('notifications').select(['recipient', 'subject']).where('application_id', '=', applicationId).execute();

    // Act
    const failed = await withFault(store, 'notifications', `NEW.application_id = '${applicationId}'`, () => deliver(upsertCustomers, jobKey, variables, 3));
    const afterFault = await snapshot(store);
    const retried = await deliver(upsertCustomers, jobKey, variables, 2);
    const afterRetry = await snapshot(store);
    const again = await deliver(upsertCustomers, jobKey, variables, 2);

    // Assert: failed for a retry without a task; the retry completes with one customer record and one task
    // naming the KD number the person carries; the third delivery changes nothing.
    expect(failed).toEqual({ kind: 'fail', errorMessage: expect.stringContaining('injected fault'), retries: 2, retryBackOff: backoffFor(3) });
    expect(afterFault.counts.customers).toBe(customersBefore);
    expect(afterFault.kdNumbers.find((p) => p.id === head)?.kd_number ?? null).toBeNull();
    const kd = completedWith<{ kdNumbers: Record<string, string> }>(retried).kdNumbers[head];
    expect(kd).toMatch(/^KD\d{9}$/);
    expect(afterRetry.counts.customers).toBe(customersBefore + 1);
    expect(afterRetry.kdNumbers.find((p) => p.id === head)?.kd_number).toBe(kd);
    expect(await tasksOf()).toEqual([{ recipient: 'group:EZ', subject: `Aufgabe: Aufstocker ${kd}` }]);
    expect(again).toEqual({ kind: 'complete', variables: expect.objectContaining({ kdNumbers: { [head]: kd } }) });
    expect(await snapshot(store)).toEqual(afterRetry);
  });
});
