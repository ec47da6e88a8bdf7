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
  completeUserTask(processInstanceKey: string, elementId: string, variables: Record<string, unknown>): Promise<CompleteResult>;
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

  async completeUserTask(processInstanceKey: string, elementId: string, variables: Record<string, unknown>): Promise<CompleteResult> {
    const deadline = Date.now() + this.searchGraceMs;
    for (;;) {
      const page = await this.client.searchUserTasks({ processInstanceKey, elementId, state: 'CREATED' });
      const task = page.items[0];
      if (task) {
        await this.client.completeUserTask(String(task.userTaskKey), variables);
        return 'completed';
      }
      if (Date.now() > deadline) return 'not-waiting';
      await sleep(250);
    }
  }

  async publishMessage(name: string, correlationKey: string, variables: Record<string, unknown>, messageId?: string): Promise<void> {
    await this.client.publishMessage(name, correlationKey, variables, messageId);
  }
}
