/**
 * The worker runtime against the real engine, with a fixture diagram of one external task: only declared
 * variables reach the handler, JSON text becomes objects, extension properties arrive, a BPMN error is caught by
 * the diagram, a technical failure is retried with back-off and becomes an incident at retries 0, invalid
 * variables become an incident at once naming the field, a long handler keeps its lock, and closing the host
 * lets a running task finish.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { z } from 'zod';

import { deployAll } from '../../src/engine/deploy.js';
import { createLogger } from '../../src/log/logger.js';
import { type AnyWorker, BpmnError, defineWorker } from '../../src/worker-runtime/define-worker.js';
import { startWorkers, type WorkerHost } from '../../src/worker-runtime/worker-host.js';
import { configuredEngine, ended } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { integrationEnv } from './engine-env.js';

jest.setTimeout(120_000);

const LOCK_SECONDS = 2;
const attempts = new Map<string, number>();
const running = new Set<string>();

const behave = defineWorker({
  topic: 'fixture.behave',
  description: 'Behaves as `mode` says, so the runtime can be seen handling each outcome.',
  input: z.object({
    mode: z.enum(['ok', 'fail', 'refuse', 'slow']),
    count: z.number().int(),
    flags: z.object({ a: z.boolean() }).optional(),
  }),
  output: z.object({ doubled: z.number(), seenKeys: z.string(), label: z.string(), flagA: z.boolean().nullable() }),
  errors: ['REFUSED'],
  async handler(input, { externalTask }) {
    attempts.set(externalTask.processInstanceId, (attempts.get(externalTask.processInstanceId) ?? 0) + 1);
    if (input.mode === 'fail') throw new Error('the archive is down');
    if (input.mode === 'refuse') throw new BpmnError('REFUSED', 'not responsible');
    if (input.mode === 'slow') {
      running.add(externalTask.processInstanceId);
      // Longer than two lock durations: only the lock extension keeps another delivery away.
      await sleep(LOCK_SECONDS * 2500);
      running.delete(externalTask.processInstanceId);
    }
    return {
      doubled: input.count * 2,
      seenKeys: Object.keys(input).sort().join(','),
      label: externalTask.properties.label ?? '',
      flagA: input.flags?.a ?? null,
    };
  },
}) as AnyWorker;

describe('worker runtime on the real engine', () => {
  const { endpoints, client } = configuredEngine(integrationEnv);
  const log = createLogger({ level: 'error', format: 'json' });
  let host: WorkerHost;

  const start = async (variables: Record<string, unknown>) =>
    (await client.startProcess('worker-runtime-fixture', randomUUID(), variables)).id;
  const endActivity = async (id: string) =>
    (await client.historicActivities({ processInstanceId: id, activityType: 'noneEndEvent' }))[0]?.activityId;

  beforeAll(async () => {
    await deployAll(client, 'test/fixtures/worker-runtime', log, 'worker-runtime-fixture');
    host = startWorkers(
      [behave],
      {},
      {
        baseUrl: endpoints.rest[0]!,
        credentials: endpoints.technical,
        maxTasks: 4,
        lockSeconds: LOCK_SECONDS,
        longPollSeconds: 1,
        log,
      },
    );
  });
  afterAll(async () => {
    await host?.close();
  });

  it('hands the handler only its declared variables, objects parsed from JSON text, and its extension properties', async () => {
    const id = await start({
      mode: 'ok',
      count: 21,
      flags: JSON.stringify({ a: true }),
      secretNote: 'not for this worker',
    });
    expect((await ended(client, id)).state).toBe('COMPLETED');
    expect(await endActivity(id)).toBe('End_Done');
    const history = Object.fromEntries(
      (await client.historicVariableInstances({ processInstanceId: id })).map((v) => [v.name, v.value]),
    );
    expect(history).toMatchObject({ doubled: 42, seenKeys: 'count,flags,mode', label: 'fixture', flagA: true });
  });

  it('lets the diagram catch a declared BPMN error', async () => {
    const id = await start({ mode: 'refuse', count: 1 });
    await ended(client, id);
    expect(await endActivity(id)).toBe('End_Refused');
    const history = Object.fromEntries(
      (await client.historicVariableInstances({ processInstanceId: id })).map((v) => [v.name, v.value]),
    );
    expect(history.refusedCode).toBe('REFUSED');
  });

  it('retries a technical failure with back-off and raises an incident at retries 0', async () => {
    const id = await start({ mode: 'fail', count: 1 });
    const [incident] = await eventually('the incident', async () => {
      const found = await client.incidents({ processInstanceId: id });
      return found.length ? found : undefined;
    });
    expect(incident).toMatchObject({ activityId: 'Task_Behave', incidentType: 'failedExternalTask' });
    expect(incident!.incidentMessage).toContain('the archive is down');
    expect(attempts.get(id)).toBe(3);
    const [task] = await client.externalTasks({ processInstanceId: id });
    expect(task!.retries).toBe(0);
  });

  it('raises an incident at once, naming the field, when a variable is invalid', async () => {
    const id = await start({ mode: 'ok', count: 'two' });
    const [incident] = await eventually('the incident', async () => {
      const found = await client.incidents({ processInstanceId: id });
      return found.length ? found : undefined;
    });
    expect(incident!.incidentMessage).toMatch(/Invalid variables for fixture\.behave: count:/);
    expect(attempts.get(id)).toBeUndefined();
  });

  it('keeps the lock of a handler that runs longer than the lock duration, so it runs once', async () => {
    const id = await start({ mode: 'slow', count: 2 });
    expect((await ended(client, id)).state).toBe('COMPLETED');
    expect(attempts.get(id)).toBe(1);
  });

  it('lets a running task finish when the host is closed, and fetches nothing after', async () => {
    const id = await start({ mode: 'slow', count: 3 });
    await eventually('the slow handler to start', async () => (running.has(id) ? true : undefined));
    await host.close();
    expect(running.has(id)).toBe(false);
    expect((await client.historicProcessInstance(id)).state).toBe('COMPLETED');
    const after = await start({ mode: 'ok', count: 1 });
    await sleep(2000);
    expect(attempts.get(after)).toBeUndefined();
    await client.deleteProcessInstance(after);
  });
});
