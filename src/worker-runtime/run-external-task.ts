/**
 * Turns one fetched external task into exactly one outcome (complete, BPMN error or failure) without touching
 * the external-task client, so the mapping is tested once, in isolation, and the host only carries it out.
 */
import type { Logger } from 'winston';
import { z } from 'zod';

import { type AnyWorker, BpmnError, type ExternalTaskInfo, IncidentError } from './define-worker.js';

export type ExternalTaskOutcome =
  | { kind: 'complete'; variables: Record<string, unknown> }
  | { kind: 'error'; code: string; message: string; variables: Record<string, unknown> }
  | { kind: 'fail'; message: string; retries: number; backoffMs: number };

/** Back-off for technical failures: 2 s, 4 s, 8 s ... capped at 5 minutes. */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/**
 * Attempts a task gets before it becomes an incident. The engine reports `retries: null` until the first
 * failure; from then on it counts down what the runner set.
 */
export const DEFAULT_RETRIES = 3;

export function backoffFor(retriesLeft: number): number {
  const attempt = Math.max(0, DEFAULT_RETRIES - retriesLeft);
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** The variable names a worker declares, so the engine sends only those (`variables` of fetch-and-lock). */
export function declaredVariables(worker: AnyWorker): string[] | undefined {
  const shape = (worker.input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : undefined;
}

export async function runExternalTask<Deps>(
  worker: AnyWorker,
  externalTask: ExternalTaskInfo & { variables: unknown },
  deps: Deps,
  log: Logger,
): Promise<ExternalTaskOutcome> {
  const input = worker.input.safeParse(externalTask.variables);
  if (!input.success) {
    // Retrying cannot repair wrong variables: raise an incident at once, naming the fields.
    return {
      kind: 'fail',
      retries: 0,
      backoffMs: 0,
      message: `Invalid variables for ${worker.topic}: ${describe(input.error)}`,
    };
  }
  let result: unknown;
  try {
    result = await worker.handler(input.data, { externalTask, log, deps });
  } catch (e) {
    if (e instanceof BpmnError) {
      if (!worker.errors.includes(e.code)) {
        return {
          kind: 'fail',
          retries: 0,
          backoffMs: 0,
          message: `${worker.topic} threw undeclared BPMN error ${e.code}: ${e.message}`,
        };
      }
      log.info('bpmn error', { errorCode: e.code, reason: e.message });
      return { kind: 'error', code: e.code, message: e.message, variables: e.variables };
    }
    if (e instanceof IncidentError) {
      log.error('external task cannot succeed: incident', { reason: e.message });
      return { kind: 'fail', retries: 0, backoffMs: 0, message: `${worker.topic}: ${e.message}` };
    }
    const message = e instanceof Error ? e.message : String(e);
    const before = externalTask.retries ?? DEFAULT_RETRIES;
    const retries = Math.max(0, before - 1);
    log.warn('task failed', { error: message, retriesLeft: retries });
    return { kind: 'fail', message: `${worker.topic} failed: ${message}`, retries, backoffMs: backoffFor(before) };
  }
  const output = worker.output.safeParse(result);
  if (!output.success) {
    return {
      kind: 'fail',
      retries: 0,
      backoffMs: 0,
      message: `Output of ${worker.topic} does not match its schema: ${describe(output.error)}`,
    };
  }
  return { kind: 'complete', variables: (output.data ?? {}) as Record<string, unknown> };
}
