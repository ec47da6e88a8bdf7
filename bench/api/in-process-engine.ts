/**
 * The engine port answered inside the API process, for benchmarking the API when no engine runs: every call
 * resolves at once with what the engine would plausibly say, so the figures show the cost of our own code alone.
 */
import type { CompleteResult, EngineGateway } from '../../src/engine/gateway.js';
import { neukundeByTheRules } from '../../test/fakes/neukunde-rules.js';

export const IN_PROCESS_ENGINE_LABEL = 'away — engine calls answered in-process';

/** Zeebe keys of partition 1 start here; made-up keys in the same range look like real ones in the store. */
const FIRST_PARTITION_KEY = 2251799813685249n;

export class InProcessEngine implements EngineGateway {
  private nextKey = FIRST_PARTITION_KEY;

  /** `startDelayMs`: the start call resolves after this long, as a stand-in for the engine's round trip. */
  constructor(private readonly startDelayMs = 0) {}

  async isReady(): Promise<boolean> {
    return true;
  }

  async startProcess(): Promise<string> {
    if (this.startDelayMs > 0) await new Promise((r) => setTimeout(r, this.startDelayMs));
    return String(this.nextKey++);
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
