import type { z } from 'zod';
import type { Logger } from 'winston';
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
 * so the message reaches Operate without three useless attempts.
 */
export class IncidentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncidentError';
  }
}

/** What the runner knows about the job; handlers use it for idempotency keys and logging only. */
export interface JobInfo {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  retries: number;
  customHeaders: Readonly<Record<string, string>>;
}

/**
 * Everything a handler may use. Filled by the worker host (src/zeebe/host.ts) and by fakes in unit tests.
 * `deps` is the application's dependency bag (store, calendar, settings, mailer, clock...).
 */
export interface WorkerContext<Deps> {
  job: JobInfo;
  log: Logger;
  deps: Deps;
}

export interface WorkerDefinition<I extends z.ZodType, O extends z.ZodType, Deps = AppDeps> {
  /** The BPMN job type; equals the file name under workers/. */
  type: string;
  /** One sentence: what the task does in the process. */
  description: string;
  input: I;
  output: O;
  /** BPMN error codes this worker may throw; each must be caught in the diagram. */
  errors: readonly string[];
  /** Seconds a job stays locked to this worker before another may take it. */
  timeoutSeconds?: number;
  handler: (input: z.infer<I>, ctx: WorkerContext<Deps>) => Promise<z.infer<O>>;
}


export function defineWorker<I extends z.ZodType, O extends z.ZodType, Deps = AppDeps>(
  def: WorkerDefinition<I, O, Deps>,
): WorkerDefinition<I, O, Deps> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWorker = WorkerDefinition<z.ZodType, z.ZodType, any>;
