import type { Logger } from 'winston';
import type { z } from 'zod';

import type { AppDeps } from '../app/deps.js';

/**
 * A business outcome the diagram handles with an error boundary event. Thrown by a handler;
 * the runner turns it into a BPMN error. Codes are UPPER_SNAKE and must be declared in `errors`.
 */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

/**
 * A fault that no retry can repair (the data or the model is wrong): the runner raises an incident at once
 * so the message reaches Cockpit without useless attempts.
 */
export class IncidentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncidentError';
  }
}

/**
 * What the runner knows about the external task; handlers use it for idempotency keys and logging only.
 * `activityInstanceId` stays the same when the engine hands the same task out again (retry, expired lock).
 */
export interface ExternalTaskInfo {
  /** The external task's id. */
  id: string;
  topic: string;
  processInstanceId: string;
  processDefinitionKey: string;
  businessKey: string | null;
  activityId: string;
  activityInstanceId: string;
  /** Retries left as the engine counts them; null before the first failure. */
  retries: number | null;
  /** The task's extension properties (`camunda:properties`): static settings of this use of the worker. */
  properties: Readonly<Record<string, string>>;
}

/**
 * Everything a handler may use. Filled by the worker host (src/worker-runtime/worker-host.ts) and by fakes in unit tests.
 * `deps` is the application's dependency bag (store, calendar, settings, mailer, clock...).
 */
export interface WorkerContext<Deps> {
  externalTask: ExternalTaskInfo;
  log: Logger;
  deps: Deps;
}

export interface WorkerDefinition<I extends z.ZodType, O extends z.ZodType, Deps = AppDeps> {
  /** The external task topic (`camunda:topic`); equals the file name under workers/. */
  topic: string;
  /** One sentence: what the task does in the process. */
  description: string;
  input: I;
  output: O;
  /** BPMN error codes this worker may throw; each must be caught in the diagram. */
  errors: readonly string[];
  /** Seconds a task stays locked to this worker before another may take it; extended while the handler runs. */
  lockSeconds?: number;
  handler: (input: z.infer<I>, ctx: WorkerContext<Deps>) => Promise<z.infer<O>>;
}

export function defineWorker<I extends z.ZodType, O extends z.ZodType, Deps = AppDeps>(
  def: WorkerDefinition<I, O, Deps>,
): WorkerDefinition<I, O, Deps> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWorker = WorkerDefinition<z.ZodType, z.ZodType, any>;
