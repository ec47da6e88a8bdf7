/**
 * Waiting for what the system does asynchronously (workers fetching and completing their tasks, a process coming
 * back after a fault): the one polling helper of every suite.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Patience {
  /** How long to keep asking before failing with what never happened; 60 s unless given. */
  timeoutMs?: number;
  /** The pause between two questions; 200 ms unless given. */
  pauseMs?: number;
  /**
   * Ask again when the probe throws, and name its last error if time runs out: for the fault specs, whose engine
   * or API is away for a while. Without it an error fails at once, so a probe can fail fast on an incident.
   */
  retryErrors?: boolean;
}

/** Polls until the probe returns a value (anything but undefined) and returns it; a timeout names what never came. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 60_000, pauseMs = 200, retryErrors = false }: Patience = {},
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      if (!retryErrors) throw e;
      last = e;
    }
    if (Date.now() > until)
      throw new Error(
        `Timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await sleep(pauseMs);
  }
}
