/**
 * The store fails in the middle of a task that writes several rows in one transaction. The fault is real (a
 * trigger that raises inside the database, created for the test and dropped after); the task travels the path
 * an external task takes: the worker host's subscription handler, runExternalTask, the handler, and back out through
 * complete, handleFailure or handleBpmnError. Only the external-task client is faked: it hands us the
 * subscription handlers, and its task service records which action it got.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'kysely';
import winston from 'winston';

import { type AppDeps, appDeps } from '../../../src/app/deps.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { type EngineVariable, fromEngineVariables, toEngineVariables } from '../../../src/engine/variables.js';
import type { Database, Store } from '../../../src/store/index.js';
import type { AnyWorker } from '../../../src/worker-runtime/define-worker.js';
import { seedApplication } from '../../support/application.js';
import { BACKENDS, openTestStore } from '../store/backends.js';

type Action =
  | { kind: 'complete'; variables: Record<string, unknown> }
  | { kind: 'fail'; errorMessage: string; retries: number; retryBackOff: number }
  | { kind: 'error'; errorCode: string };

type SubscriptionHandler = (args: { task: unknown; taskService: unknown }) => Promise<void>;

/** Stands in for the external-task client: no HTTP, it only keeps each topic's handler so the test can deliver tasks. */
const handlers = new Map<string, SubscriptionHandler>();
class FakeVariables {
  typed: Record<string, EngineVariable> = {};
  constructor(private readonly plain: Record<string, unknown> = {}) {}
  getAll() {
    return this.plain;
  }
  setAllTyped(values: Record<string, EngineVariable>) {
    this.typed = values;
    return this;
  }
}
class FakeClient {
  options: Record<string, unknown> = {};
  activeTasksCount = 0;
  subscribe(topic: string, _options: unknown, handler: SubscriptionHandler) {
    handlers.set(topic, handler);
    return { unsubscribe() {} };
  }
  on() {
    return this;
  }
  start() {}
  stop() {}
}
jest.unstable_mockModule('camunda-external-task-client-js', () => ({
  Client: FakeClient,
  Variables: FakeVariables,
  BasicAuthInterceptor: class {},
}));

const { startWorkers } = await import('../../../src/worker-runtime/worker-host.js');
const { backoffFor, DEFAULT_RETRIES } = await import('../../../src/worker-runtime/run-external-task.js');
const { default: upsertCustomers } = await import('../../../workers/verbis.upsert-customers.js');
const { default: assignBgNumber } = await import('../../../workers/allegro.assign-bg-number.js');

/** What the process sees of completed variables: objects come back from their JSON text. */
function asProcessSees(typed: Record<string, EngineVariable>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fromEngineVariables(typed)).map(([k, v]) => [
      k,
      typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v,
    ]),
  );
}

/**
 * Delivers one fetch of a task to the host's handler for its topic and returns the action taken. The variables
 * reach the worker as the engine sends them (objects as JSON text); `retries` is null on the first delivery.
 */
async function deliver(
  worker: AnyWorker,
  activityInstanceId: string,
  variables: Record<string, unknown>,
  retries: number | null,
): Promise<Action> {
  const handler = handlers.get(worker.topic);
  if (!handler) throw new Error(`no subscription for ${worker.topic}`);
  const actions: Action[] = [];
  const task = {
    id: `${activityInstanceId}-task`,
    topicName: worker.topic,
    processInstanceId: 'c0ffee00-0000-11f1-8000-000000000001',
    processDefinitionKey: 'neukunde-cottbus',
    businessKey: null,
    activityId: 'Task_Test',
    activityInstanceId,
    retries,
    extensionProperties: {},
    variables: new FakeVariables(fromEngineVariables(toEngineVariables(variables))),
  };
  const taskService = {
    async complete(_t: unknown, v?: FakeVariables) {
      actions.push({ kind: 'complete', variables: asProcessSees(v?.typed ?? {}) });
    },
    async handleFailure(_t: unknown, f: { errorMessage: string; retries: number; retryTimeout: number }) {
      actions.push({ kind: 'fail', errorMessage: f.errorMessage, retries: f.retries, retryBackOff: f.retryTimeout });
    },
    async handleBpmnError(_t: unknown, errorCode: string) {
      actions.push({ kind: 'error', errorCode });
    },
    async extendLock() {},
  };
  await handler({ task, taskService });
  expect(actions).toHaveLength(1);
  return actions[0]!;
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
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const kdNumbers = await store.db.selectFrom('persons').select(['id', 'kd_number']).orderBy('id').execute();
  return { counts, kdNumbers };
}

/**
 * A fault inside the database: a trigger that raises like a full disk when the row matches. Created for one
 * step of a test and dropped after, so the retry meets a healthy store.
 */
async function withFault<T>(
  store: Store,
  table: 'persons' | 'application_households' | 'notifications',
  when: string,
  act: () => Promise<T>,
): Promise<T> {
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
  await sql
    .raw(
      `CREATE TRIGGER reliability_injected_fault BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION reliability_injected_fault()`,
    )
    .execute(store.db);
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
    deps = appDeps({
      store,
      calendars: calendarsFor(jobcenters),
      jobcenters,
      now: () => new Date('2026-11-23T09:00:00+01:00'),
    });
    handlers.clear();
    await startWorkers([upsertCustomers, assignBgNumber], deps, {
      baseUrl: 'http://127.0.0.1:1/engine-rest',
      credentials: { user: 'u', password: 'p' },
      maxTasks: 1,
      lockSeconds: 30,
      longPollSeconds: 0,
      log,
    }).close();
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
    const jobKey = 'Task_CreateCustomerRecords:a1';
    const before = await snapshot(store);

    // Act: the second person's KD number cannot be written.
    const failed = await withFault(store, 'persons', `NEW.id = '${ben}' AND NEW.kd_number IS NOT NULL`, () =>
      deliver(upsertCustomers, jobKey, variables, null),
    );

    // Assert: a technical failure with one retry less and the first back-off; nothing of the transaction stays.
    expect(failed).toEqual({
      kind: 'fail',
      errorMessage: expect.stringContaining('injected fault'),
      retries: DEFAULT_RETRIES - 1,
      retryBackOff: backoffFor(DEFAULT_RETRIES),
    });
    expect(backoffFor(DEFAULT_RETRIES)).toBeGreaterThan(0);
    expect(await snapshot(store)).toEqual(before);

    // Act: the engine hands the task out again after the back-off, to a healthy store.
    const retried = await deliver(upsertCustomers, jobKey, variables, 2);

    // Assert: completed, one customer record and one KD number per person.
    const { kdNumbers } = completedWith<{ kdNumbers: Record<string, string> }>(retried);
    expect(Object.keys(kdNumbers).sort()).toEqual([anna, ben].sort());
    const afterRetry = await snapshot(store);
    expect(afterRetry.counts).toEqual({ ...before.counts, customers: before.counts.customers + 2 });
    const onPersons = await store.db
      .selectFrom('persons')
      .select(['id', 'kd_number'])
      .where('application_id', '=', applicationId)
      .execute();
    expect(Object.fromEntries(onPersons.filter((p) => p.kd_number).map((p) => [p.id, p.kd_number]))).toEqual(kdNumbers);

    // Act: at-least-once delivery hands the completed job over a third time (the complete command was lost).
    const again = await deliver(upsertCustomers, jobKey, variables, 2);

    // Assert: the same numbers, no new row.
    expect(again).toEqual({ kind: 'complete', variables: expect.objectContaining({ kdNumbers }) });
    expect(await snapshot(store)).toEqual(afterRetry);
  });

  it('fails the BG number job for a retry, keeps no household, and links exactly one BG when delivered again', async () => {
    // Arrange: the head has a customer record, as verbis.upsert-customers leaves it before the BG is drawn.
    const { applicationId, personIds } = await seedApplication(deps, {
      members: [{ givenName: 'Jonas', familyName: 'Berger', birthDate: '1979-03-03', role: 'head' }],
    });
    const head = personIds[0]!;
    const prepared = await deliver(
      upsertCustomers,
      'Task_CreateCustomerRecords:a0',
      { applicationId, eligiblePersonIds: [head], personFacts: [{ personId: head, isU25: false }], flags: {} },
      null,
    );
    expect(prepared.kind).toBe('complete');
    const variables = { applicationId, headPersonId: head };
    const jobKey = 'Task_AssignBgNumber:a2';
    const before = await snapshot(store);

    // Act: the household is inserted, then linking it to the application fails inside the same transaction.
    const failed = await withFault(store, 'application_households', `NEW.application_id = '${applicationId}'`, () =>
      deliver(assignBgNumber, jobKey, variables, null),
    );

    // Assert
    expect(failed).toEqual({
      kind: 'fail',
      errorMessage: expect.stringContaining('injected fault'),
      retries: DEFAULT_RETRIES - 1,
      retryBackOff: backoffFor(DEFAULT_RETRIES),
    });
    expect(await snapshot(store)).toEqual(before);

    // Act: delivered again after the back-off.
    const retried = await deliver(assignBgNumber, jobKey, variables, 2);

    // Assert: one household, one link, and the process gets that household's number.
    expect(retried).toEqual({ kind: 'complete', variables: { bgNumber: expect.stringMatching(/^COTBG\d{7}$/) } });
    const { bgNumber } = completedWith<{ bgNumber: string }>(retried);
    const afterRetry = await snapshot(store);
    expect(afterRetry.counts).toEqual({
      ...before.counts,
      households: before.counts.households + 1,
      application_households: before.counts.application_households + 1,
    });
    expect(
      await store.db
        .selectFrom('application_households')
        .select('bg_number')
        .where('application_id', '=', applicationId)
        .execute(),
    ).toEqual([{ bg_number: bgNumber }]);

    // Act: delivered a third time.
    const again = await deliver(assignBgNumber, jobKey, variables, 2);

    // Assert: the same BG number, no new row.
    expect(again).toEqual({ kind: 'complete', variables: { bgNumber } });
    expect(await snapshot(store)).toEqual(afterRetry);
  });
  it('keeps neither customer record nor task when the Aufstocker task cannot be queued, and converges on retry', async () => {
    // Arrange: the front-desk task is queued in the customer records' transaction.
    const { applicationId, personIds } = await seedApplication(deps, {
      members: [{ givenName: 'Mira', familyName: 'Keller', birthDate: '1984-09-09', role: 'head' }],
    });
    const head = personIds[0]!;
    const variables = {
      applicationId,
      eligiblePersonIds: [head],
      personFacts: [{ personId: head, isU25: false }],
      flags: { aufstocker: true },
    };
    const jobKey = 'Task_CreateCustomerRecords:a3';
    const customersBefore = (await snapshot(store)).counts.customers;
    const tasksOf = () =>
      store.db
        .selectFrom('notifications')
        .select(['recipient', 'subject'])
        .where('application_id', '=', applicationId)
        .execute();

    // Act
    const failed = await withFault(store, 'notifications', `NEW.application_id = '${applicationId}'`, () =>
      deliver(upsertCustomers, jobKey, variables, null),
    );
    const afterFault = await snapshot(store);
    const retried = await deliver(upsertCustomers, jobKey, variables, 2);
    const afterRetry = await snapshot(store);
    const again = await deliver(upsertCustomers, jobKey, variables, 2);

    // Assert: failed for a retry without a task; the retry completes with one customer record and one task
    // naming the KD number the person carries; the third delivery changes nothing.
    expect(failed).toEqual({
      kind: 'fail',
      errorMessage: expect.stringContaining('injected fault'),
      retries: DEFAULT_RETRIES - 1,
      retryBackOff: backoffFor(DEFAULT_RETRIES),
    });
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
