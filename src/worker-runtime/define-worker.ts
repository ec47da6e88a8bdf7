import type { Logger } from 'winston';
import type { z } from 'zod';

import type { AppDeps } from '../app/deps.js';

export { BpmnError, IncidentError } from '../domain/process-errors.js';

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
  // Method syntax on purpose: it lets one list hold workers of different inputs and deps (AnyWorker).
  handler(input: z.infer<I>, ctx: WorkerContext<Deps>): Promise<z.infer<O>>;
}

export function defineWorker<I extends z.ZodType, O extends z.ZodType, Deps = AppDeps>(
  def: WorkerDefinition<I, O, Deps>,
): WorkerDefinition<I, O, Deps> {
  return def;
}

export type AnyWorker = WorkerDefinition<z.ZodType, z.ZodType, unknown>;
