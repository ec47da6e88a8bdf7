/**
 * The engine port answered inside the API process, for benchmarking the API when no engine runs: every call
 * resolves at once with what the engine would plausibly say, so the figures show the cost of our own code alone.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { CompleteResult, EngineGateway } from '../../src/engine/gateway.js';
import { neukundeByTheRules } from '../../test/fakes/neukunde-rules.js';

export const IN_PROCESS_ENGINE_LABEL = 'not used — engine calls answered in-process';

export class InProcessEngine implements EngineGateway {
  /** `startDelayMs`: the start call resolves after this long, as a stand-in for the engine's round trip. */
  constructor(private readonly startDelayMs = 0) {}

  async isReady(): Promise<boolean> {
    return true;
  }

  async startProcess(): Promise<string> {
    if (this.startDelayMs > 0) await sleep(this.startDelayMs);
    // Operaton's process instance ids are UUIDs (its default id generator).
    return randomUUID();
  }

  async completeUserTask(): Promise<CompleteResult> {
    return 'completed';
  }

  async isWaitingAt(): Promise<boolean> {
    return true;
  }

  /** The neukunde DMN's first matching rule for the inputs the API sends; other decisions are not on the POST path. */
  async evaluateDecision(decisionId: string, v: Record<string, unknown>): Promise<unknown> {
    if (decisionId !== 'neukunde') return {};
    return neukundeByTheRules(v);
  }

  async correlateMessage(): Promise<'completed'> {
    return 'completed';
  }
}
