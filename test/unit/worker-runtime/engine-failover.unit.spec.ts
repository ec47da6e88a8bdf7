/**
 * The worker host on a two-node cluster when the node it talks to goes away. The external-task client is the
 * real one (so a release that stops handing its interceptors got's options, or builds its URLs differently, fails
 * here); the engine nodes are small
 * HTTP servers on loopback that answer fetch-and-lock, complete and extendLock as Operaton does and record
 * what reached them. Both stand for one engine database: a task locked through one may be completed through the other.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { afterEach, describe, expect, it } from '@jest/globals';
import winston from 'winston';
import { z } from 'zod';

import { type AnyWorker, defineWorker } from '../../../src/worker-runtime/define-worker.js';
import { isNodeAway, isPollFailure, NodeRotation, toCurrentNode } from '../../../src/worker-runtime/engine-failover.js';
import { startWorkers, type WorkerHost } from '../../../src/worker-runtime/worker-host.js';
import { eventually } from '../../support/eventually.js';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

/** One engine node's external-task REST API. `fetchAnswer` decides each fetch-and-lock's answer. */
class FakeNode {
  readonly received: Received[] = [];
  private server!: Server;
  private queue: Record<string, unknown>[] = [];
  fetchStatus = 200;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const path = (req.url ?? '').replace(/^\/engine-rest/, '');
        this.received.push({ path, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        if (path === '/external-task/fetchAndLock') {
          if (this.fetchStatus !== 200) {
            res
              .writeHead(this.fetchStatus, { 'content-type': 'application/json' })
              .end(JSON.stringify({ type: 'ProcessEngineException', message: 'node unwell' }));
            return;
          }
          const tasks = this.queue.splice(0);
          // Like a long poll with nothing to hand out: answer after a moment, not at once, so the loop does not spin.
          setTimeout(
            () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tasks)),
            tasks.length ? 0 : 100,
          );
          return;
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/engine-rest`;
    return this;
  }

  /** The next fetch through this node hands out one task of `topic`. */
  offer(id: string, topic: string): void {
    this.queue.push({
      id,
      topicName: topic,
      workerId: 'w',
      processInstanceId: 'pi-1',
      processDefinitionKey: 'p',
      businessKey: null,
      activityId: 'Task_X',
      activityInstanceId: 'Task_X:1',
      retries: null,
      variables: {},
      extensionProperties: {},
    });
  }

  /** The node dies: it stops listening and its open connections drop, as when its JVM is killed. */
  async kill(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  paths(suffix: string): Received[] {
    return this.received.filter((r) => r.path.endsWith(suffix));
  }
}

function capturingLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return {
    lines,
    log: winston.createLogger({
      level: 'debug',
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream })],
    }),
  };
}

/** A worker whose handler waits until the test lets it finish: the task stays in hand while the node dies. */
function heldWorker() {
  let release!: () => void;
  let started!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const running = new Promise<void>((r) => (started = r));
  const worker = defineWorker({
    topic: 'test.held',
    description: 'waits for the test',
    input: z.object({}),
    output: z.object({ done: z.boolean() }),
    errors: [],
    async handler() {
      started();
      await gate;
      return { done: true };
    },
  }) as AnyWorker;
  return { worker, release, running };
}

/** The fake nodes answer at once: look often, and give up after 15 s. */
const SOON = { timeoutMs: 15_000, pauseMs: 25 };

const failovers = (lines: Record<string, unknown>[]) => lines.filter((l) => l.event === 'engine-failover');

describe('worker host failover between engine nodes', () => {
  const nodes: FakeNode[] = [];
  let host: WorkerHost | undefined;
  const cluster = async () => {
    const a = await new FakeNode().start();
    const b = await new FakeNode().start();
    nodes.push(a, b);
    return { a, b };
  };
  const start = (worker: AnyWorker, urls: string[], log: winston.Logger, lockSeconds = 30) => {
    host = startWorkers(
      [worker],
      {},
      {
        baseUrl: urls,
        credentials: { user: 'u', password: 'p' },
        maxTasks: 2,
        lockSeconds,
        longPollSeconds: 1,
        log,
        workerId: 'worker-1',
      },
    );
    return host;
  };

  afterEach(async () => {
    await host?.close(5_000);
    host = undefined;
    for (const n of nodes.splice(0)) await n.kill().catch(() => {});
  });

  it('fetches from node B once A stops answering, and extends and completes a task A handed out through B', async () => {
    const { a, b } = await cluster();
    const { worker, release, running } = heldWorker();
    const { lines, log } = capturingLog();
    a.offer('task-1', worker.topic);
    start(worker, [a.url, b.url], log, 2);
    await running;

    await a.kill();
    await eventually('the switch to B', async () => (failovers(lines).length > 0 ? true : undefined), SOON);
    expect(failovers(lines)).toEqual([
      expect.objectContaining({
        level: 'warn',
        from: a.url,
        to: b.url,
        consecutiveFailures: 2,
        error: expect.stringContaining('ECONNREFUSED'),
      }),
    ]);
    await eventually('polls at B', async () => (b.paths('/fetchAndLock').length > 0 ? true : undefined), SOON);
    // The lock of a 2 s task is extended every second: after the switch, at B, by the worker that holds it.
    await eventually(
      'a lock extension at B',
      async () => (b.paths('/task-1/extendLock').length > 0 ? true : undefined),
      SOON,
    );
    expect(b.paths('/task-1/extendLock')[0]!.body).toMatchObject({ workerId: 'worker-1', newDuration: 2000 });

    release();
    await eventually(
      'the completion at B',
      async () => (b.paths('/task-1/complete').length > 0 ? true : undefined),
      SOON,
    );
    expect(b.paths('/task-1/complete')).toEqual([
      {
        path: '/external-task/task-1/complete',
        body: expect.objectContaining({
          workerId: 'worker-1',
          variables: { done: expect.objectContaining({ value: true }) },
        }),
      },
    ]);
    expect(a.paths('/complete')).toEqual([]);
    expect(failovers(lines)).toHaveLength(1);
  });

  it('sends a completion its node refused to the next node, even before the poll loop has switched', async () => {
    const { a, b } = await cluster();
    const { worker, release, running } = heldWorker();
    const { lines, log } = capturingLog();
    a.offer('task-2', worker.topic);
    start(worker, [a.url, b.url], log);
    await running;
    await a.kill();
    release();
    await eventually(
      'the completion at B',
      async () => (b.paths('/task-2/complete').length > 0 ? true : undefined),
      SOON,
    );
    expect(b.paths('/task-2/complete')).toHaveLength(1);
    expect(failovers(lines)).toHaveLength(1);
  });

  it('leaves a node that answers every fetch with a 5xx, and keeps a node that refuses the credentials (a 4xx is no outage)', async () => {
    const { a, b } = await cluster();
    const unwell = capturingLog();
    a.fetchStatus = 500;
    start(heldWorker().worker, [a.url, b.url], unwell.log);
    await eventually(
      'the switch away from the 5xx node',
      async () => (failovers(unwell.lines).length > 0 ? true : undefined),
      SOON,
    );
    expect(failovers(unwell.lines)[0]).toMatchObject({ from: a.url, to: b.url });
    await eventually('polls at B', async () => (b.paths('/fetchAndLock').length > 0 ? true : undefined), SOON);
    await host!.close(5_000);

    const refusing = capturingLog();
    a.fetchStatus = 401;
    const before = b.paths('/fetchAndLock').length;
    start(heldWorker().worker, [a.url, b.url], refusing.log);
    // Said as what it is: the technical user refused (wrong password, or locked by wrong logins), not a network fault.
    const refusedLines = () =>
      refusing.lines.filter((l) => String(l.message).startsWith('the engine refuses the technical user (401)'));
    await eventually('three refused fetches', async () => (refusedLines().length >= 3 ? true : undefined), SOON);
    expect(refusedLines().every((l) => l.level === 'error')).toBe(true);
    expect(refusing.lines.filter((l) => l.message === 'fetching external tasks failed; retrying')).toEqual([]);
    expect(failovers(refusing.lines)).toEqual([]);
    expect(b.paths('/fetchAndLock').length).toBe(before);
  });

  it('with one node, keeps polling it while it is away, without a switch', async () => {
    const { a } = await cluster();
    const { lines, log } = capturingLog();
    await a.kill();
    start(heldWorker().worker, [a.url], log);
    await eventually(
      'two failed polls',
      async () =>
        lines.filter((l) => l.message === 'fetching external tasks failed; retrying').length >= 2 ? true : undefined,
      SOON,
    );
    expect(lines.filter((l) => l.message === 'fetching external tasks failed; retrying').map((l) => l.engine)).toEqual([
      a.url,
      a.url,
    ]);
    expect(failovers(lines)).toEqual([]);
  });
});

describe('what counts as a node being away', () => {
  const log = winston.createLogger({ silent: true });

  it('refused, reset and timed-out requests and 502–504; for polls any 5xx; never a 4xx', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const timeout = Object.assign(new Error('Timeout awaiting request'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
    const http = (status: number) => Object.assign(new Error(`Response code ${status}`), { httpStatusCode: status });
    expect([refused, timeout, http(502), http(503), http(504)].map(isNodeAway)).toEqual([true, true, true, true, true]);
    expect([http(500), http(404), http(401), new Error('bad variables')].map(isNodeAway)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([http(500), refused].map(isPollFailure)).toEqual([true, true]);
    expect([http(400), http(401), http(403), http(404)].map(isPollFailure)).toEqual([false, false, false, false]);
  });

  it('switches after consecutive failures of the current node only, and round the cluster', () => {
    const switched: string[] = [];
    const r = new NodeRotation(['a', 'b'], log, (n) => switched.push(n));
    expect(r.failed('a', new Error('x'))).toBe(false);
    r.succeeded('a');
    expect(r.failed('a', new Error('x'))).toBe(false);
    expect(r.failed('a', new Error('x'))).toBe(true);
    expect(r.current).toBe('b');
    // Late failures of requests still under way to a, the node already left, do not count against b.
    expect(r.failed('a', new Error('x'))).toBe(false);
    expect(r.failed('a', new Error('x'))).toBe(false);
    expect(r.current).toBe('b');
    r.failed('b', new Error('x'));
    r.failed('b', new Error('x'));
    expect(r.current).toBe('a');
    expect(switched).toEqual(['b', 'a']);
    const single = new NodeRotation(['only'], log, (n) => switched.push(n));
    for (let i = 0; i < 5; i++) single.failed('only', new Error('x'));
    expect(single.current).toBe('only');
    expect(switched).toHaveLength(2);
  });
});

describe('the interceptor that sends requests to the current node', () => {
  const log = winston.createLogger({ silent: true });
  type Hook = (options: { url?: URL | string }) => unknown;
  const sent = (config: { hooks?: { beforeRequest?: Hook[] } }, url: string) => {
    const options = { url: new URL(url) };
    for (const hook of config.hooks?.beforeRequest ?? []) hook(options);
    return String(options.url);
  };

  it('puts the node current when the request starts in place of the configured base, keeping the other options', () => {
    const rotation = new NodeRotation(['http://a:8080/engine-rest/', 'http://b:8080/engine-rest'], log);
    const intercept = toCurrentNode(rotation, 'http://a:8080/engine-rest/');
    const earlier: Hook = () => undefined;
    const atA = intercept({ headers: { Authorization: 'Basic x' }, hooks: { beforeRequest: [earlier] } });
    rotation.failed(rotation.current, new Error('x'));
    rotation.failed(rotation.current, new Error('x'));
    const atB = intercept({ json: { workerId: 'w' } });

    expect(atA).toMatchObject({ headers: { Authorization: 'Basic x' } });
    expect(atA.hooks?.beforeRequest?.[0]).toBe(earlier);
    expect(atB).toMatchObject({ json: { workerId: 'w' } });
    // A request started before the switch still goes to A; one started after it to B.
    expect(sent(atA, 'http://a:8080/engine-rest/external-task/fetchAndLock')).toBe(
      'http://a:8080/engine-rest/external-task/fetchAndLock',
    );
    expect(sent(atB, 'http://a:8080/engine-rest/external-task/t-1/complete')).toBe(
      'http://b:8080/engine-rest/external-task/t-1/complete',
    );
  });

  it('refuses a URL outside the configured base rather than send it anywhere', () => {
    const rotation = new NodeRotation(['http://a:8080/engine-rest', 'http://b:8080/engine-rest'], log);
    const config = toCurrentNode(rotation, 'http://a:8080/engine-rest')({});
    expect(() => sent(config, 'http://elsewhere:8080/engine-rest/external-task/fetchAndLock')).toThrow(
      'does not start with the engine URL http://a:8080/engine-rest',
    );
  });
});
