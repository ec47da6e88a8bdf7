/**
 * close() while every slot of the worker host is busy (the state a SIGTERM under load meets): it returns once
 * the tasks in hand are done and reported, not after its whole timeout. The external-task client is the real
 * one; the engine is a small HTTP server on loopback answering fetch-and-lock and complete.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, describe, expect, it } from '@jest/globals';
import winston from 'winston';
import { z } from 'zod';

import { type AnyWorker, defineWorker } from '../../../src/worker-runtime/define-worker.js';
import { startWorkers, type WorkerHost } from '../../../src/worker-runtime/worker-host.js';

const task = (id: string) => ({
  id,
  topicName: 'test.busy',
  workerId: 'w',
  processInstanceId: 'pi-1',
  processDefinitionKey: 'p',
  businessKey: null,
  activityId: 'Task_X',
  activityInstanceId: `Task_X:${id}`,
  retries: null,
  variables: {},
  extensionProperties: {},
});

describe('worker host close while every slot is busy', () => {
  let server: Server;
  let host: WorkerHost | undefined;
  afterEach(async () => {
    await host?.close(1000);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('waits for the tasks in hand, reports them, and returns without waiting out its timeout', async () => {
    const completed: string[] = [];
    let offered = false;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const path = (req.url ?? '').replace(/^\/engine-rest/, '');
        if (path.endsWith('/fetchAndLock')) {
          // Both slots filled by the first fetch; later fetches find nothing.
          const tasks = offered ? [] : [task('t1'), task('t2')];
          offered = true;
          setTimeout(
            () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tasks)),
            tasks.length ? 0 : 100,
          );
          return;
        }
        const done = /\/external-task\/([^/]+)\/complete$/.exec(path);
        if (done) completed.push(done[1]!);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const worker = defineWorker({
      topic: 'test.busy',
      description: 'waits for the test',
      input: z.object({}),
      output: z.object({ done: z.boolean() }),
      errors: [],
      async handler() {
        started++;
        await gate;
        return { done: true };
      },
    }) as AnyWorker;
    const log = winston.createLogger({ silent: true });
    host = startWorkers(
      [worker],
      {},
      {
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`,
        credentials: { user: 'u', password: 'p' },
        maxTasks: 2,
        lockSeconds: 30,
        longPollSeconds: 1,
        log,
        workerId: 'w',
      },
    );
    while (started < 2) await sleep(20);
    // Let the client meet its full slots at least once: it skips those fetches without a success or error event.
    await sleep(200);

    // A timeout longer than this test may run: were close() to wait it out, the test would fail on jest's limit.
    const closed = host.close(10 * 60_000);
    release();
    await closed;
    host = undefined;
    expect(completed.sort()).toEqual(['t1', 't2']);
  });
});
