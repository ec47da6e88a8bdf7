/**
 * What the API needs from the engine, as one small port: start an instance, complete the Camunda user task
 * an instance waits in, publish a message, say whether the engine is there. Unit tests fake it; integration
 * tests and `npm start` use the REST implementation below against the real engine.
 */
import { EngineRestClient, EngineUnavailableError } from './rest-client.js';

export type CompleteResult = 'completed' | 'not-waiting';

export interface EngineGateway {
  isReady(): Promise<boolean>;
  startProcess(processId: string, variables: Record<string, unknown>): Promise<string>;
  /** Completes the open user task at `elementId`; with `localMatch`, only the one whose local variables match (multi-instance). */
  completeUserTask(
    processInstanceKey: string,
    elementId: string,
    variables: Record<string, unknown>,
    localMatch?: Record<string, string>,
  ): Promise<CompleteResult>;
  /** Whether the instance waits at `elementId` (e.g. a receive task), so a message now would correlate. */
  isWaitingAt(processInstanceKey: string, elementId: string): Promise<boolean>;
  /** The decision's output: an object for several output columns, a plain value for one. */
  evaluateDecision(decisionId: string, variables: Record<string, unknown>): Promise<unknown>;
  publishMessage(name: string, correlationKey: string, variables: Record<string, unknown>, messageId?: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RestEngineGateway implements EngineGateway {
  constructor(
    readonly client: EngineRestClient,
    /** Search results trail the engine by the exporter's flush interval; wait this long for a fresh task. */
    private readonly searchGraceMs = 3000,
  ) {}

  async isReady(): Promise<boolean> {
    try {
      const topo = await this.client.topology();
      const leaders = topo.brokers.flatMap((b) => b.partitions).filter((p) => p.role === 'leader');
      return topo.partitionsCount > 0 && leaders.length >= topo.partitionsCount;
    } catch (e) {
      if (e instanceof EngineUnavailableError) return false;
      return false;
    }
  }

  async startProcess(processId: string, variables: Record<string, unknown>): Promise<string> {
    const r = await this.client.createProcessInstance(processId, variables);
    return String(r.processInstanceKey);
  }

  async completeUserTask(
    processInstanceKey: string,
    elementId: string,
    variables: Record<string, unknown>,
    localMatch: Record<string, string> = {},
  ): Promise<CompleteResult> {
    const deadline = Date.now() + this.searchGraceMs;
    for (;;) {
      const page = await this.client.searchUserTasks({ processInstanceKey, elementId, state: 'CREATED' });
      let task: (typeof page.items)[number] | undefined;
      for (const candidate of page.items) {
        if (await this.matches(String(candidate.userTaskKey), localMatch)) {
          task = candidate;
          break;
        }
      }
      if (task) {
        await this.client.completeUserTask(String(task.userTaskKey), variables);
        return 'completed';
      }
      if (Date.now() > deadline) return 'not-waiting';
      await sleep(250);
    }
  }

  private async matches(userTaskKey: string, localMatch: Record<string, string>): Promise<boolean> {
    for (const [name, expected] of Object.entries(localMatch)) {
      const vars = await this.client.searchUserTaskVariables(userTaskKey, { name });
      // Variable values come back as JSON text.
      if (!vars.items.some((v) => v.value === JSON.stringify(expected))) return false;
    }
    return true;
  }

  async isWaitingAt(processInstanceKey: string, elementId: string): Promise<boolean> {
    const deadline = Date.now() + this.searchGraceMs;
    for (;;) {
      const page = await this.client.searchElementInstances({ processInstanceKey, elementId, state: 'ACTIVE' });
      if (page.items.length > 0) return true;
      if (Date.now() > deadline) return false;
      await sleep(250);
    }
  }

  async evaluateDecision(decisionId: string, variables: Record<string, unknown>): Promise<unknown> {
    const result = await this.client.evaluateDecision(decisionId, variables);
    return JSON.parse(result.output) as unknown;
  }

  async publishMessage(name: string, correlationKey: string, variables: Record<string, unknown>, messageId?: string): Promise<void> {
    await this.client.publishMessage(name, correlationKey, variables, messageId);
  }
}
