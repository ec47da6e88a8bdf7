/**
 * The engine's ceiling on this machine: a tiny diagram the bench deploys itself, a chain of external tasks on one
 * topic (as many as the Cottbus path has up to its bookings), completed by one no-op worker through our worker host,
 * instances started over the REST API by a few concurrent clients. Tasks per second is every task of every
 * instance over the time from the first start to the last instance's end.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import type { EngineRestClient } from '../../src/engine/rest-client.js';
import type { Logger } from '../../src/log/logger.js';
import { startWorkers } from '../../src/worker-runtime/worker-host.js';
import type { BenchEngine } from './bench-engine.js';
import { bareNoopWorker, NOOP_TOPIC } from './cottbus-workers.js';
import { cpuMeter, loadAverage, peakSampler, residentMb } from './proc.js';

export const CHAIN_PROCESS = 'bench-noop-chain';
/** One no-op task: started when a run ends, it answers the worker host's open long poll, so closing the host need not wait out the poll. */
export const WAKE_PROCESS = 'bench-wake';
/** The Cottbus path has 10 external tasks up to both bookings of a two-eLb household. */
export const CHAIN_LENGTH = 10;

/** A process with CHAIN_LENGTH external tasks in a row, all on the no-op topic. */
export function chainBpmn(length = CHAIN_LENGTH, processId = CHAIN_PROCESS): string {
  const tasks = Array.from({ length }, (_, i) => `Task_Noop${i + 1}`);
  const nodes = ['StartEvent_Bench', ...tasks, 'End_Bench'];
  const flows = nodes
    .slice(1)
    .map((to, i) => `    <bpmn:sequenceFlow id="Flow_${i + 1}" sourceRef="${nodes[i]}" targetRef="${to}" />`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_BenchNoopChain" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${processId}" name="Benchmark: Kette leerer Aufgaben" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="StartEvent_Bench" />
${tasks.map((id) => `    <bpmn:serviceTask id="${id}" camunda:type="external" camunda:topic="${NOOP_TOPIC}" />`).join('\n')}
    <bpmn:endEvent id="End_Bench" />
${flows.join('\n')}
  </bpmn:process>
</bpmn:definitions>
`;
}

export async function deployChain(client: EngineRestClient): Promise<void> {
  await client.deploy('bench-noop-chain', [
    { name: 'bench-noop-chain.bpmn', content: chainBpmn() },
    { name: 'bench-wake.bpmn', content: chainBpmn(1, WAKE_PROCESS) },
  ]);
}

export interface BareOptions {
  instances: number;
  /** Clients starting instances at once. */
  starters: number;
  maxTasks: number;
  longPollSeconds: number;
  lockSeconds: number;
  timeoutSeconds: number;
}

export interface BareFigures {
  tasks: number;
  seconds: number;
  tasksPerSecond: number;
  instancesPerSecond: number;
  timedOut: boolean;
  engineRssMb: number;
  /** CPU time per task over the run: the engine JVM, and this process (the worker host and the starting clients). */
  cpuMsPerTask: { engine: number; node: number };
  /** The machine's 1-minute load average at the start and the end of the run. */
  load: { start: number; end: number };
}

async function running(client: EngineRestClient): Promise<number> {
  return (
    await client.request<{ count: number }>('GET', `/process-instance/count?processDefinitionKey=${CHAIN_PROCESS}`)
  ).count;
}

export async function bareRun(engine: BenchEngine, opts: BareOptions, log: Logger): Promise<BareFigures> {
  const total = opts.instances * CHAIN_LENGTH;
  let handled = 0;
  const host = startWorkers(
    [bareNoopWorker(() => handled++)],
    {},
    {
      baseUrl: engine.endpoints.rest[0]!,
      credentials: engine.endpoints.technical,
      maxTasks: opts.maxTasks,
      lockSeconds: opts.lockSeconds,
      longPollSeconds: opts.longPollSeconds,
      log,
    },
  );
  const rss = peakSampler(() => residentMb(engine.engine.pid)?.rssMb);
  const deadline = performance.now() + opts.timeoutSeconds * 1000;
  const loadAtStart = loadAverage()['1m'];
  const cpu = cpuMeter(engine.engine.pid);
  const started = performance.now();
  let next = 0;
  let timedOut = false;
  let ended = started;
  let cpuUsed = { engineMs: Number.NaN, nodeMs: Number.NaN };
  let loadAtEnd = Number.NaN;
  try {
    await Promise.all(
      Array.from({ length: opts.starters }, async () => {
        for (let i = next++; i < opts.instances; i = next++)
          await engine.client.startProcess(CHAIN_PROCESS, `bench-${i}`, {});
      }),
    );
    // The worker's count says when the last task is in hand; the engine's count says when its instance has ended.
    while (handled < total && performance.now() < deadline) await sleep(20);
    while ((await running(engine.client)) > 0) {
      if (performance.now() > deadline) {
        timedOut = true;
        break;
      }
      await sleep(20);
    }
    ended = performance.now();
  } finally {
    cpuUsed = cpu.stop();
    loadAtEnd = loadAverage()['1m'];
    const closing = host.close();
    if (opts.longPollSeconds > 0)
      await engine.client.startProcess(WAKE_PROCESS, 'bench-wake', {}).catch(() => undefined);
    await closing;
  }
  const seconds = (ended - started) / 1000;
  const tasks = Math.min(handled, total);
  return {
    tasks,
    seconds,
    tasksPerSecond: tasks / seconds,
    instancesPerSecond: tasks / CHAIN_LENGTH / seconds,
    timedOut,
    engineRssMb: rss.stop(),
    cpuMsPerTask: { engine: cpuUsed.engineMs / tasks, node: cpuUsed.nodeMs / tasks },
    load: { start: loadAtStart, end: loadAtEnd },
  };
}
