import { describe, expect, it } from '@jest/globals';
import winston from 'winston';
import { z } from 'zod';
import { BpmnError, defineWorker, IncidentError, type AnyWorker } from '../../../src/worker-runtime/define-worker.js';
import { BACKOFF_CAP_MS, backoffFor, declaredVariables, runJob } from '../../../src/worker-runtime/run-job.js';
import { selectWorkers } from '../../../src/worker-runtime/worker-host.js';

const log = winston.createLogger({ silent: true });
const job = (variables: unknown, retries = 3) => ({
  key: '1',
  type: 'test.worker',
  processInstanceKey: '2',
  bpmnProcessId: 'p',
  elementId: 'Task_X',
  elementInstanceKey: '3',
  retries,
  customHeaders: {},
  variables,
});

const worker = (handler: (input: { n: number }) => Promise<unknown>) =>
  defineWorker({
    type: 'test.worker',
    description: 'doubles n',
    input: z.object({ n: z.number().int() }),
    output: z.object({ doubled: z.number() }),
    errors: ['TOO_BIG'],
    handler: handler as never,
  }) as AnyWorker;

describe('runJob maps a handler result to exactly one job outcome', () => {
  it('completes with the parsed output only', async () => {
    const w = worker(async ({ n }) => ({ doubled: n * 2, stray: 'x' }));
    const outcome = await runJob(w, job({ n: 2, other: true }), {}, log);
    expect(outcome).toEqual({ kind: 'complete', variables: { doubled: 4 } });
  });

  it('fails with retries 0 and names the field when variables are invalid', async () => {
    const w = worker(async () => ({ doubled: 0 }));
    const outcome = await runJob(w, job({ n: 'two' }), {}, log);
    expect(outcome.kind).toBe('fail');
    if (outcome.kind !== 'fail') return;
    expect(outcome.retries).toBe(0);
    expect(outcome.message).toContain('n:');
  });

  it('throws a declared BPMN error as a BPMN error with its variables', async () => {
    const w = worker(async () => {
      throw new BpmnError('TOO_BIG', 'n is too big', { limit: 10 });
    });
    expect(await runJob(w, job({ n: 99 }), {}, log)).toEqual({ kind: 'error', code: 'TOO_BIG', message: 'n is too big', variables: { limit: 10 } });
  });

  it('turns an undeclared BPMN error into an incident', async () => {
    const w = worker(async () => {
      throw new BpmnError('SURPRISE', 'not declared');
    });
    const outcome = await runJob(w, job({ n: 1 }), {}, log);
    expect(outcome).toMatchObject({ kind: 'fail', retries: 0 });
  });

  it('fails a technical error with one retry less and a back-off', async () => {
    const w = worker(async () => {
      throw new Error('database down');
    });
    const outcome = await runJob(w, job({ n: 1 }, 3), {}, log);
    expect(outcome).toMatchObject({ kind: 'fail', retries: 2, backoffMs: backoffFor(3) });
    expect(outcome.kind === 'fail' && outcome.message).toContain('database down');
  });

  it('raises an incident at once for a fault no retry can repair', async () => {
    const w = worker(async () => {
      throw new IncidentError('slot already booked');
    });
    expect(await runJob(w, job({ n: 1 }, 3), {}, log)).toMatchObject({ kind: 'fail', retries: 0, message: expect.stringContaining('slot already booked') });
  });

  it('raises an incident when the output breaks its own schema', async () => {
    const w = worker(async () => ({ doubled: 'four' }));
    expect(await runJob(w, job({ n: 2 }), {}, log)).toMatchObject({ kind: 'fail', retries: 0 });
  });
});

describe('back-off', () => {
  it('doubles per attempt and stops at the cap', () => {
    expect(backoffFor(2)).toBe(2 * backoffFor(3));
    expect(backoffFor(-50)).toBe(BACKOFF_CAP_MS);
  });
});

describe('worker selection and variable fetching', () => {
  const named = (type: string) => ({ ...worker(async () => ({ doubled: 0 })), type }) as AnyWorker;
  const all = ['allegro.assign-bg-number', 'allegro.record-application-date', 'notify.send'].map(named);

  it('selects by glob pattern', () => {
    expect(selectWorkers(all, ['allegro.*']).map((w) => w.type)).toEqual(['allegro.assign-bg-number', 'allegro.record-application-date']);
    expect(selectWorkers(all, ['notify.send']).map((w) => w.type)).toEqual(['notify.send']);
    expect(selectWorkers(all, undefined)).toHaveLength(3);
  });

  it('fetches only the variables a worker declares', () => {
    expect(declaredVariables(named('x'))).toEqual(['n']);
  });
});
