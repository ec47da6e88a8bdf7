/**
 * The engine port answered inside the API process, for benchmarking the API when no engine runs: every call
 * resolves at once with what the engine would plausibly say, so the figures show the cost of our own code alone.
 */
import type { CompleteResult, EngineGateway } from '../../src/engine/gateway.js';

export const IN_PROCESS_ENGINE_LABEL = 'away — engine calls answered in-process';

/** Zeebe keys of partition 1 start here; made-up keys in the same range look like real ones in the store. */
const FIRST_PARTITION_KEY = 2251799813685249n;

export class InProcessEngine implements EngineGateway {
  private nextKey = FIRST_PARTITION_KEY;

  async isReady(): Promise<boolean> {
    return true;
  }

  async startProcess(): Promise<string> {
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
    if (!v.reached15) return { neukunde: false, reason: 'UNTER_15' };
    if (!v.belowAgeLimit) return { neukunde: false, reason: 'ALTERSGRENZE_7A' };
    if (!v.habitualResidenceInGermany) return { neukunde: false, reason: 'KEIN_GEWOEHNLICHER_AUFENTHALT' };
    if (v.firstApplication) return { neukunde: true, reason: 'ERSTANTRAG' };
    if (v.previouslyRejected) return { neukunde: true, reason: 'FRUEHER_ABGELEHNT' };
    if (typeof v.gapDays === 'number' && v.gapDays > 182) return { neukunde: true, reason: 'UNTERBRECHUNG_UEBER_182_TAGE' };
    return { neukunde: false, reason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG' };
  }

  async publishMessage(): Promise<void> {}
}
