/**
 * A worker that dies at the worst moment, played against the real engine: it fetches and locks one external task
 * through the REST API with a short lock, runs the real worker's handler on it through the runtime's own code
 * (externalTaskInput and runExternalTask, as the worker host does), and never reports the outcome, or reports it too late. The
 * engine then hands the same task out again, and the idempotency specs count what the two runs left behind.
 */
import { type Task, type TypedValue, Variables } from 'camunda-external-task-client-js';

import type { EngineRestClient } from '../../src/engine/rest-client.js';
import { toEngineVariables } from '../../src/engine/variables.js';
import { createLogger } from '../../src/log/logger.js';
import type { AnyWorker } from '../../src/worker-runtime/define-worker.js';
import {
  declaredVariables,
  type ExternalTaskOutcome,
  runExternalTask,
} from '../../src/worker-runtime/run-external-task.js';
import { externalTaskInput } from '../../src/worker-runtime/worker-host.js';
import { eventually } from '../support/eventually.js';
import type { System } from './system.js';

export const CRASHED_WORKER_ID = 'idempotency-spec:crashed-worker';
/** Short, so the engine gives the task to the next worker soon after the crash. */
export const CRASHED_LOCK_MS = 1500;

type LockedTask = Omit<Task, 'variables'> & { variables: Record<string, TypedValue>; lockExpirationTime?: string };

export interface CrashedRun {
  externalTaskId: string;
  /** What the handler decided; the engine never heard of it. */
  outcome: ExternalTaskOutcome;
}

/** Where the instance waits: its business key (the application id) narrows the fetch to this case. */
export interface TaskAt {
  businessKey: string;
  processInstanceId: string;
  activityId: string;
}

/** Locks the instance's task at `activityId` as the crashed worker and runs the real handler on it, without completing. */
export async function runWithoutCompleting(system: System, worker: AnyWorker, at: TaskAt): Promise<CrashedRun> {
  const waiting = await eventually(
    `the external task ${at.activityId}`,
    async () =>
      (await system.client.externalTasks({ processInstanceId: at.processInstanceId, activityId: at.activityId }))[0],
  );
  const [locked, ...more] = await system.client.request<LockedTask[]>('POST', '/external-task/fetchAndLock', {
    workerId: CRASHED_WORKER_ID,
    maxTasks: 2,
    topics: [
      {
        topicName: worker.topic,
        lockDuration: CRASHED_LOCK_MS,
        variables: declaredVariables(worker),
        includeExtensionProperties: true,
        businessKey: at.businessKey,
      },
    ],
  });
  if (!locked || more.length > 0 || locked.id !== waiting.id) {
    throw new Error(
      `Expected to lock exactly the task ${waiting.id} of ${at.activityId}, got ${JSON.stringify([locked, ...more].map((t) => t?.id))}`,
    );
  }
  const task: Task = { ...locked, variables: new Variables(locked.variables, { readOnly: true }) };
  const log = createLogger({ level: 'warn', format: 'json' }).child({
    externalTaskId: task.id,
    topic: task.topicName,
    workerId: CRASHED_WORKER_ID,
  });
  const outcome = await runExternalTask(worker, externalTaskInput(worker, task), system.deps, log);
  return { externalTaskId: task.id, outcome };
}

interface RuntimeExternalTask {
  id: string;
  workerId: string | null;
  lockExpirationTime: string | null;
}

/** The task as the engine holds it now, or undefined once it is completed. */
export async function externalTask(client: EngineRestClient, id: string): Promise<RuntimeExternalTask | undefined> {
  const [task] = await client.request<RuntimeExternalTask[]>('GET', `/external-task?externalTaskId=${id}`);
  return task;
}

/** Waits until the task's lock has passed, so the engine may hand it to another worker. */
export function lockExpired(client: EngineRestClient, id: string): Promise<true> {
  return eventually('the crashed worker’s lock to expire', async () => {
    const task = await externalTask(client, id);
    if (!task) throw new Error(`External task ${id} was completed while only the crashed worker held it`);
    return task.lockExpirationTime && Date.parse(task.lockExpirationTime) < Date.now() ? true : undefined;
  });
}

/** Waits until another worker holds the task, or has completed it already. */
export function takenOver(client: EngineRestClient, id: string): Promise<true> {
  return eventually('another worker to take the task', async () => {
    const task = await externalTask(client, id);
    return !task || (task.workerId !== null && task.workerId !== CRASHED_WORKER_ID) ? true : undefined;
  });
}

/** The crashed worker's late report of its outcome, as the worker host would send it. */
export function completeLate(client: EngineRestClient, run: CrashedRun): Promise<void> {
  if (run.outcome.kind !== 'complete')
    throw new Error(`The crashed run did not complete: ${JSON.stringify(run.outcome)}`);
  return client.request('POST', `/external-task/${run.externalTaskId}/complete`, {
    workerId: CRASHED_WORKER_ID,
    variables: toEngineVariables(run.outcome.variables),
  });
}

/** The workers the engine's history says completed the task (one entry per successful completion). */
export async function completedBy(client: EngineRestClient, id: string): Promise<string[]> {
  const log = await client.request<{ workerId: string }[]>(
    'GET',
    `/history/external-task-log?externalTaskId=${id}&successLog=true`,
  );
  return log.map((l) => l.workerId);
}
