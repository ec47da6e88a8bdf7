/** Stops the engine the global setup started (an external engine is left alone). */
import type { RunningEngine } from '../../src/engine/local-engine.js';

export default async function teardown(): Promise<void> {
  const engine = (globalThis as Record<string, unknown>).__ENGINE__ as RunningEngine | undefined;
  await engine?.stop();
}
