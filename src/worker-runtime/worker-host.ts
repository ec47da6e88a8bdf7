/**
 * The only module that talks to the external-task client: one fetch-and-lock loop (long polling) for every
 * topic of the selected workers, only the variables each worker declares, the lock extended while a handler
 * runs, and each task's outcome carried out (complete, BPMN error or failure). On close it stops fetching and
 * waits for the tasks in hand.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { BasicAuthInterceptor, Client, type Task, type TaskService, Variables } from 'camunda-external-task-client-js';
import pRetry from 'p-retry';
import type { Logger } from 'winston';

import type { Credentials } from '../engine/endpoints.js';
import { toEngineVariables } from '../engine/variables.js';
import type { AnyWorker, ExternalTaskInfo } from './define-worker.js';
import { FAILURES_BEFORE_SWITCH, isNodeAway, isPollFailure, NodeRotation, toCurrentNode } from './engine-failover.js';
import { declaredVariables, type ExternalTaskOutcome, runExternalTask } from './run-external-task.js';
import { decodeInput } from './structured-variables.js';

export interface WorkerHostOptions {
  /**
   * REST API base, e.g. http://127.0.0.1:8080/engine-rest; for a cluster, every node's base (ENGINE_URL): the
   * host talks to one and turns to the next when it stops answering (engine-failover.ts).
   */
  baseUrl: string | readonly string[];
  credentials: Credentials;
  /** Tasks this process holds and runs at once. */
  maxTasks: number;
  lockSeconds: number;
  longPollSeconds: number;
  log: Logger;
  workerId?: string;
}

export interface WorkerHost {
  types: string[];
  workerId: string;
  /** Tasks being handled right now. */
  running(): number;
  close(timeoutMs?: number): Promise<void>;
}

/** Matches `allegro.*`, `notify.send` or `*`: lets operators run a subset of workers as their own service. */
export function selectWorkers(all: AnyWorker[], patterns: string[] | undefined): AnyWorker[] {
  if (!patterns?.length) return all;
  const regexes = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return all.filter((w) => regexes.some((r) => r.test(w.topic)));
}

/** After a failed fetch (engine away), wait this long before the next one instead of hammering the engine. */
const POLL_ERROR_PAUSE_MS = 2_000;
/** Before an outcome goes again to the node the host turned to: the poll loop may be switching meanwhile. */
const REPORT_RETRY_PAUSE_MS = 500;
/** Beyond the long poll: a node that neither answers nor drops the connection (hung, cut off) counts as away. */
const REQUEST_TIMEOUT_MS = 30_000;

/** An interceptor (it edits the options of every request of the client) that gives up on a request after `ms`. */
function withTimeout(ms: number) {
  return (config: Record<string, unknown>) => ({ ...config, timeout: { request: ms } });
}

function jobInfo(task: Task): ExternalTaskInfo {
  return {
    id: task.id,
    topic: task.topicName,
    processInstanceId: task.processInstanceId,
    processDefinitionKey: task.processDefinitionKey,
    businessKey: task.businessKey ?? null,
    activityId: task.activityId,
    activityInstanceId: task.activityInstanceId,
    retries: task.retries ?? null,
    properties: task.extensionProperties ?? {},
  };
}

/**
 * What a handler gets for a fetched task: the job and its declared variables, JSON text read back. Exported so the
 * idempotency tests can play a worker that ran its handler on a locked task and died before completing it.
 */
export function externalTaskInput(
  worker: AnyWorker,
  task: Task,
): ExternalTaskInfo & { variables: Record<string, unknown> } {
  return { ...jobInfo(task), variables: decodeInput(worker, task.variables.getAll()) };
}

/**
 * Parallel branches of one instance (a multi-instance per person) that finish at the same moment write the
 * same execution rows; the engine lets one commit and refuses the others with an OptimisticLockingException.
 * Nothing was written for the refused one, so reporting its outcome again is safe and usually succeeds.
 */
export async function retryOnConflict<T>(
  act: () => Promise<T>,
  attempts = 5,
  pauseMs = () => 50 + Math.random() * 250,
): Promise<T> {
  return pRetry(act, {
    retries: attempts - 1,
    // The pause is drawn here rather than by p-retry's exponential delays: an even spread over 50–300 ms is what
    // pulls the colliding branches apart. p-retry asks shouldRetry only when another attempt is left.
    minTimeout: 0,
    shouldRetry: async ({ error }) => {
      if (!/OptimisticLockingException/.test(error.message)) return false;
      await sleep(pauseMs());
      return true;
    },
  });
}

function typed(values: Record<string, unknown>): Variables {
  return new Variables().setAllTyped(toEngineVariables(values));
}

export function startWorkers<Deps>(workers: AnyWorker[], deps: Deps, opts: WorkerHostOptions): WorkerHost {
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const lockMs = opts.lockSeconds * 1000;
  const nodes = typeof opts.baseUrl === 'string' ? [opts.baseUrl] : [...opts.baseUrl];
  const rotation = new NodeRotation(nodes, opts.log);
  const client = new Client({
    baseUrl: nodes[0]!,
    workerId,
    maxTasks: opts.maxTasks,
    maxParallelExecutions: opts.maxTasks,
    // No pause between fetches while work comes in: the long poll already waits on the engine when there is none.
    interval: 0,
    asyncResponseTimeout: opts.longPollSeconds * 1000,
    lockDuration: lockMs,
    autoPoll: false,
    interceptors: [
      new BasicAuthInterceptor({ username: opts.credentials.user, password: opts.credentials.password }),
      withTimeout(opts.longPollSeconds * 1000 + REQUEST_TIMEOUT_MS),
      // Every request (fetch, complete, failure, lock, variables) goes to the rotation's current node: a switch
      // moves polls and reports to the next node at once.
      toCurrentNode(rotation, nodes[0]!),
    ],
  });
  let polling = false;
  let polledNode = rotation.current;
  client.on('poll:start', () => {
    // With every slot busy the client skips this fetch without a poll:success or poll:error to follow; counted as
    // a fetch, it would keep close() waiting out its whole timeout after the last task has finished.
    polling = client.activeTasksCount < opts.maxTasks;
    polledNode = rotation.current;
  });
  client.on('poll:error', (e: Error) => {
    polling = false;
    client.options.interval = POLL_ERROR_PAUSE_MS;
    if (/\b401\b/.test(e.message)) {
      // Not a network fault: a wrong password, or the engine holding the login back after wrong logins by anyone
      // (a growing delay, locked for good after 10), which an administrator lifts in Admin.
      opts.log.error(
        'the engine refuses the technical user (401): check ENGINE_USER and ENGINE_PASSWORD, or unlock the user in Admin (Users, Unlock); retrying',
        { error: e.message, engine: polledNode },
      );
    } else {
      opts.log.warn('fetching external tasks failed; retrying', { error: e.message, engine: polledNode });
    }
    if (isPollFailure(e)) rotation.failed(polledNode, e);
  });
  client.on('poll:success', () => {
    polling = false;
    client.options.interval = 0;
    rotation.succeeded(polledNode);
  });

  /**
   * Reports an outcome; when its node does not answer, again on the node the host turns to. Only with several
   * nodes: a single node gets the task back after the lock expires, and the idempotent handler repeats itself.
   */
  async function report(act: () => Promise<void>): Promise<void> {
    const attempts = nodes.length > 1 ? nodes.length * FAILURES_BEFORE_SWITCH + 1 : 1;
    let node = rotation.current;
    await pRetry(
      async () => {
        node = rotation.current;
        await act();
        rotation.succeeded(node);
      },
      {
        retries: attempts - 1,
        minTimeout: REPORT_RETRY_PAUSE_MS,
        factor: 1,
        shouldRetry: ({ error }) => {
          if (!isNodeAway(error)) return false;
          rotation.failed(node, error);
          return true;
        },
      },
    );
  }

  const inFlight = new Set<Promise<void>>();

  async function handle(worker: AnyWorker, task: Task, taskService: TaskService): Promise<void> {
    const job = externalTaskInput(worker, task);
    const log = opts.log.child({
      externalTaskId: job.id,
      topic: job.topic,
      processInstanceId: job.processInstanceId,
      processDefinitionKey: job.processDefinitionKey,
      activityId: job.activityId,
    });
    // Keep the lock short, so a dead worker's task comes back soon, and extend it while this one is busy.
    const extender = setInterval(
      () => {
        const node = rotation.current;
        taskService.extendLock(task, lockMs).then(
          () => rotation.succeeded(node),
          (e: Error) => {
            log.warn('extending the lock failed', { error: e.message, engine: node });
            if (isNodeAway(e)) rotation.failed(node, e);
          },
        );
      },
      Math.max(1000, lockMs / 2),
    );
    extender.unref();
    let outcome: ExternalTaskOutcome;
    try {
      outcome = await runExternalTask(worker, job, deps, log);
    } finally {
      clearInterval(extender);
    }
    try {
      switch (outcome.kind) {
        case 'complete':
          await report(() => retryOnConflict(() => taskService.complete(task, typed(outcome.variables))));
          log.info('task completed');
          return;
        case 'error':
          await report(() =>
            retryOnConflict(() =>
              taskService.handleBpmnError(task, outcome.code, outcome.message, typed(outcome.variables)),
            ),
          );
          return;
        case 'fail':
          if (outcome.retries === 0)
            log.error('task failed without retries left: incident', { reason: outcome.message });
          await report(() =>
            taskService.handleFailure(task, {
              errorMessage: outcome.message.slice(0, 3900),
              errorDetails: outcome.message,
              retries: outcome.retries,
              retryTimeout: outcome.backoffMs,
            }),
          );
          return;
      }
    } catch (e) {
      // The lock was lost (expired, task cancelled, engine away): the engine hands the task out again and the
      // idempotent handler finds its earlier result; nothing to do here but say so.
      log.warn('reporting the outcome to the engine failed', { outcome: outcome.kind, error: (e as Error).message });
    }
  }

  for (const worker of workers) {
    client.subscribe(
      worker.topic,
      { lockDuration: lockMs, variables: declaredVariables(worker), includeExtensionProperties: true },
      async ({ task, taskService }) => {
        const p = handle(worker, task, taskService);
        inFlight.add(p);
        try {
          await p;
        } finally {
          inFlight.delete(p);
        }
      },
    );
  }
  client.start();
  opts.log.info('workers started', {
    topics: workers.map((w) => w.topic),
    engine: rotation.current,
    cluster: nodes,
    workerId,
  });

  return {
    types: workers.map((w) => w.topic),
    workerId,
    running: () => inFlight.size,
    async close(timeoutMs = 30_000 + opts.longPollSeconds * 1000) {
      client.stop();
      const until = Date.now() + timeoutMs;
      // A long poll already on its way may still bring tasks: they run to the end like the others.
      while ((polling || inFlight.size > 0 || client.activeTasksCount > 0) && Date.now() < until) {
        await sleep(100);
      }
      opts.log.info('workers stopped', { unfinished: inFlight.size });
    },
  };
}
