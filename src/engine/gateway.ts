/**
 * What the API needs from the engine, as one small port: start an instance, complete the user task an instance
 * waits in, correlate a message, evaluate a decision, say whether the engine is there. Unit tests fake it;
 * integration tests and `npm start` use the REST implementation below against the real Operaton engine, whose
 * queries are consistent with its writes (no search index to wait for).
 */
import pLimit, { type LimitFunction } from 'p-limit';

import { EngineRequestError, EngineRestClient, EngineUnavailableError } from './rest-client.js';
import { fromEngineVariables } from './variables.js';

export type CompleteResult = 'completed' | 'not-waiting';

export interface EngineGateway {
  isReady(): Promise<boolean>;
  /** Starts the newest version of the process; the business key is the application id, so Cockpit finds the case by it. */
  startProcess(processKey: string, variables: Record<string, unknown>, businessKey?: string): Promise<string>;
  /** Completes the open user task at `activityId`; with `localMatch`, only the one whose variables match (multi-instance). */
  completeUserTask(
    processInstanceId: string,
    activityId: string,
    variables: Record<string, unknown>,
    localMatch?: Record<string, string>,
  ): Promise<CompleteResult>;
  /**
   * Whether the instance waits at `activityId` (a receive task, an event-based gateway), so a message now would
   * correlate. It names the activity an execution stands at: an embedded subprocess around it never matches.
   */
  isWaitingAt(processInstanceId: string, activityId: string): Promise<boolean>;
  /** The decision's output: an object for several output columns, a plain value for one. */
  evaluateDecision(decisionKey: string, variables: Record<string, unknown>): Promise<unknown>;
  correlateMessage(
    processInstanceId: string,
    name: string,
    variables: Record<string, unknown>,
  ): Promise<CompleteResult>;
}

/**
 * Calls the API has at the engine at once (decisions, starts, user tasks, messages); the others wait their turn
 * here. In a burst (hundreds of applications within a second) the engine shares its CPU and database
 * connections among all calls it holds, so with every call sent at once each took longer than the request
 * timeout and answered 503; queued here, the request timeout measures the engine, not the queue.
 */
export const ENGINE_CALLS_AT_ONCE = 16;

export class RestEngineGateway implements EngineGateway {
  /** Lets at most `callsAtOnce` calls in at once; the others wait in arrival order (p-limit's queue is FIFO). */
  private readonly calls: LimitFunction;

  constructor(
    readonly client: EngineRestClient,
    callsAtOnce = ENGINE_CALLS_AT_ONCE,
  ) {
    this.calls = pLimit(callsAtOnce);
  }

  async isReady(): Promise<boolean> {
    try {
      await this.calls(() => this.client.version());
      return true;
    } catch (e) {
      if (e instanceof EngineUnavailableError || e instanceof EngineRequestError) return false;
      throw e;
    }
  }

  async startProcess(processKey: string, variables: Record<string, unknown>, businessKey?: string): Promise<string> {
    const key = businessKey ?? (typeof variables.applicationId === 'string' ? variables.applicationId : undefined);
    if (!key) throw new Error(`startProcess(${processKey}) needs a business key`);
    return (await this.calls(() => this.client.startProcess(processKey, key, variables))).id;
  }

  async completeUserTask(
    processInstanceId: string,
    activityId: string,
    variables: Record<string, unknown>,
    localMatch: Record<string, string> = {},
  ): Promise<CompleteResult> {
    const tasks = await this.calls(() => this.client.tasks({ processInstanceId, taskDefinitionKey: activityId }));
    for (const task of tasks) {
      if (!(await this.matches(task.id, localMatch))) continue;
      try {
        await onConflictAgain(() => this.calls(() => this.client.completeTask(task.id, variables)));
      } catch (e) {
        // Completed meanwhile by someone else (Tasklist, a twin request): the process is no longer waiting here.
        if (
          e instanceof EngineRequestError &&
          (e.status === 404 || e.status === 500) &&
          /not found|cannot find task/i.test(e.message)
        )
          return 'not-waiting';
        throw e;
      }
      return 'completed';
    }
    return 'not-waiting';
  }

  private async matches(taskId: string, localMatch: Record<string, string>): Promise<boolean> {
    for (const [name, expected] of Object.entries(localMatch)) {
      const v = await this.calls(() => this.client.taskVariable(taskId, name));
      if (v?.value !== expected) return false;
    }
    return true;
  }

  async isWaitingAt(processInstanceId: string, activityId: string): Promise<boolean> {
    return (await this.calls(() => this.client.executions({ processInstanceId, activityId: activityId }))).length > 0;
  }

  async evaluateDecision(decisionKey: string, variables: Record<string, unknown>): Promise<unknown> {
    const [first] = await this.calls(() => this.client.evaluateDecision(decisionKey, variables));
    if (!first) return null;
    const output = fromEngineVariables(first);
    const names = Object.keys(output);
    return names.length === 1 ? output[names[0]!] : output;
  }

  async correlateMessage(
    processInstanceId: string,
    name: string,
    variables: Record<string, unknown>,
  ): Promise<CompleteResult> {
    try {
      await onConflictAgain(() =>
        this.calls(() => this.client.correlateMessage(name, { processInstanceId }, variables)),
      );
      return 'completed';
    } catch (e) {
      // MismatchingMessageCorrelationException: nothing waits for the message (any more).
      if (
        e instanceof EngineRequestError &&
        e.status === 400 &&
        /correlate|Mismatching/i.test(`${e.engineType} ${e.message}`)
      )
        return 'not-waiting';
      throw e;
    }
  }
}

/** How often an event is sent again after the engine refused it for a concurrent change of the same instance. */
export const CONFLICT_ATTEMPTS = 5;

/**
 * A worker finishing a parallel branch of the same instance (a consultation's deadline, the next booking) can
 * write the execution rows an event's task completion or message also writes; the engine commits one and refuses
 * the other with an OptimisticLockingException (ENGINE-03005, answered as 500). Nothing of the refused call was
 * written, so sending it again is safe, and after a short, spread-out pause it goes through; anything else is
 * thrown at once.
 */
export async function onConflictAgain<T>(act: () => Promise<T>, pauseMs = () => 50 + Math.random() * 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await act();
    } catch (e) {
      const conflict =
        e instanceof EngineRequestError &&
        /OptimisticLocking|ENGINE-03005|updated by another transaction concurrently/i.test(
          `${e.engineType ?? ''} ${e.message}`,
        );
      if (!conflict || attempt >= CONFLICT_ATTEMPTS) throw e;
      await new Promise((resolve) => setTimeout(resolve, pauseMs()));
    }
  }
}
