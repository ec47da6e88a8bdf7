import { describe, expect, it } from '@jest/globals';
import winston from 'winston';
import { z } from 'zod';

import { toEngineVariables } from '../../../src/engine/variables.js';
import { type AnyWorker, BpmnError, defineWorker, IncidentError } from '../../../src/worker-runtime/define-worker.js';
import {
  BACKOFF_CAP_MS,
  backoffFor,
  declaredVariables,
  DEFAULT_RETRIES,
  runExternalTask,
} from '../../../src/worker-runtime/run-external-task.js';
import { decodeInput, structuredKeys } from '../../../src/worker-runtime/structured-variables.js';
import { retryOnConflict, selectWorkers } from '../../../src/worker-runtime/worker-host.js';

const log = winston.createLogger({ silent: true });
const job = (variables: unknown, retries: number | null = 3) => ({
  id: '1',
  topic: 'test.worker',
  processInstanceId: '2',
  processDefinitionKey: 'p',
  businessKey: null,
  activityId: 'Task_X',
  activityInstanceId: 'Task_X:3',
  retries,
  properties: {},
  variables,
});

const worker = (handler: (input: { n: number }) => Promise<unknown>) =>
  defineWorker({
    topic: 'test.worker',
    description: 'doubles n',
    input: z.object({ n: z.number().int() }),
    output: z.object({ doubled: z.number() }),
    errors: ['TOO_BIG'],
    handler: handler as never,
  }) as AnyWorker;

describe('runExternalTask maps a handler result to exactly one job outcome', () => {
  it('completes with the parsed output only', async () => {
    const w = worker(async ({ n }) => ({ doubled: n * 2, stray: 'x' }));
    const outcome = await runExternalTask(w, job({ n: 2, other: true }), {}, log);
    expect(outcome).toEqual({ kind: 'complete', variables: { doubled: 4 } });
  });

  it('fails with retries 0 and names the field when variables are invalid', async () => {
    const w = worker(async () => ({ doubled: 0 }));
    const outcome = await runExternalTask(w, job({ n: 'two' }), {}, log);
    expect(outcome.kind).toBe('fail');
    if (outcome.kind !== 'fail') return;
    expect(outcome.retries).toBe(0);
    expect(outcome.message).toContain('n:');
  });

  it('throws a declared BPMN error as a BPMN error with its variables', async () => {
    const w = worker(async () => {
      throw new BpmnError('TOO_BIG', 'n is too big', { limit: 10 });
    });
    expect(await runExternalTask(w, job({ n: 99 }), {}, log)).toEqual({
      kind: 'error',
      code: 'TOO_BIG',
      message: 'n is too big',
      variables: { limit: 10 },
    });
  });

  it('turns an undeclared BPMN error into an incident', async () => {
    const w = worker(async () => {
      throw new BpmnError('SURPRISE', 'not declared');
    });
    const outcome = await runExternalTask(w, job({ n: 1 }), {}, log);
    expect(outcome).toMatchObject({ kind: 'fail', retries: 0 });
  });

  it('fails a technical error with one retry less and a back-off', async () => {
    const w = worker(async () => {
      throw new Error('database down');
    });
    const outcome = await runExternalTask(w, job({ n: 1 }, 3), {}, log);
    expect(outcome).toMatchObject({ kind: 'fail', retries: 2, backoffMs: backoffFor(3) });
    expect(outcome.kind === 'fail' && outcome.message).toContain('database down');
  });

  it('counts the first failure from the default retries, since the engine reports none before it', async () => {
    const w = worker(async () => {
      throw new Error('timeout');
    });
    expect(await runExternalTask(w, job({ n: 1 }, null), {}, log)).toMatchObject({
      kind: 'fail',
      retries: DEFAULT_RETRIES - 1,
      backoffMs: backoffFor(DEFAULT_RETRIES),
    });
    expect(await runExternalTask(w, job({ n: 1 }, 1), {}, log)).toMatchObject({ kind: 'fail', retries: 0 });
  });

  it('raises an incident at once for a fault no retry can repair', async () => {
    const w = worker(async () => {
      throw new IncidentError('slot already booked');
    });
    expect(await runExternalTask(w, job({ n: 1 }, 3), {}, log)).toMatchObject({
      kind: 'fail',
      retries: 0,
      message: expect.stringContaining('slot already booked'),
    });
  });

  it('raises an incident when the output breaks its own schema', async () => {
    const w = worker(async () => ({ doubled: 'four' }));
    expect(await runExternalTask(w, job({ n: 2 }), {}, log)).toMatchObject({ kind: 'fail', retries: 0 });
  });
});

describe('back-off', () => {
  it('doubles per attempt and stops at the cap', () => {
    expect(backoffFor(2)).toBe(2 * backoffFor(3));
    expect(backoffFor(-50)).toBe(BACKOFF_CAP_MS);
  });
});

describe('worker selection and variable fetching', () => {
  const named = (topic: string) => ({ ...worker(async () => ({ doubled: 0 })), topic }) as AnyWorker;
  const all = ['allegro.assign-bg-number', 'allegro.record-application-date', 'notify.send'].map(named);

  it('selects by glob pattern', () => {
    expect(selectWorkers(all, ['allegro.*']).map((w) => w.topic)).toEqual([
      'allegro.assign-bg-number',
      'allegro.record-application-date',
    ]);
    expect(selectWorkers(all, ['notify.send']).map((w) => w.topic)).toEqual(['notify.send']);
    expect(selectWorkers(all, undefined)).toHaveLength(3);
  });

  it('fetches only the variables a worker declares', () => {
    expect(declaredVariables(named('x'))).toEqual(['n']);
  });
});

describe('structured values travel as JSON text (docs/modelling-on-operaton.md)', () => {
  const w = defineWorker({
    topic: 'test.structured',
    description: 'reads structured inputs',
    input: z.object({
      applicationId: z.string(),
      flags: z.object({ aufstocker: z.boolean() }),
      personFacts: z.array(z.object({ personId: z.string() })).optional(),
      caseworkers: z.record(z.string(), z.string()).nullable(),
      note: z.string().nullable(),
    }),
    output: z.object({}),
    errors: [],
    handler: async () => ({}),
  }) as AnyWorker;

  it('knows which declared inputs are objects, arrays or records', () => {
    expect([...structuredKeys(w)].sort()).toEqual(['caseworkers', 'flags', 'personFacts']);
  });

  it('parses those from JSON text and leaves strings that are meant as strings alone', () => {
    const decoded = decodeInput(w, {
      applicationId: '{"not":"parsed"}',
      flags: '{"aufstocker":true}',
      personFacts: '[{"personId":"p1"}]',
      caseworkers: null,
      note: '[1]',
    });
    expect(decoded).toEqual({
      applicationId: '{"not":"parsed"}',
      flags: { aufstocker: true },
      personFacts: [{ personId: 'p1' }],
      caseworkers: null,
      note: '[1]',
    });
  });

  it('leaves broken JSON as text, so the schema names the field', async () => {
    const outcome = await runExternalTask(
      w,
      job(decodeInput(w, { applicationId: 'a', flags: '{broken', caseworkers: null, note: null })),
      {},
      log,
    );
    expect(outcome).toMatchObject({ kind: 'fail', retries: 0, message: expect.stringContaining('flags') });
  });

  it('writes outputs as plain engine types, objects and arrays as JSON text', () => {
    expect(
      toEngineVariables({ s: 'x', b: true, i: 3, l: 2 ** 40, d: 1.5, n: null, u: undefined, o: { a: 1 }, a: ['p1'] }),
    ).toEqual({
      s: { value: 'x', type: 'String' },
      b: { value: true, type: 'Boolean' },
      i: { value: 3, type: 'Integer' },
      l: { value: 2 ** 40, type: 'Long' },
      d: { value: 1.5, type: 'Double' },
      n: { value: null, type: 'Null' },
      o: { value: '{"a":1}', type: 'String' },
      a: { value: '["p1"]', type: 'String' },
    });
  });
});

describe('reporting an outcome when parallel branches collide', () => {
  it('tries again after an optimistic locking conflict, and gives up after the last attempt', async () => {
    let calls = 0;
    const conflict = async () => {
      calls++;
      if (calls < 3) throw new Error('Response code 500; Type: OptimisticLockingException');
      return 'done';
    };
    expect(await retryOnConflict(conflict, 5, () => 0)).toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retryOnConflict(
        async () => {
          calls++;
          throw new Error('OptimisticLockingException');
        },
        2,
        () => 0,
      ),
    ).rejects.toThrow('OptimisticLockingException');
    expect(calls).toBe(2);
  });

  it('does not repeat any other error', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(
        async () => {
          calls++;
          throw new Error('task not found');
        },
        5,
        () => 0,
      ),
    ).rejects.toThrow('not found');
    expect(calls).toBe(1);
  });
});
