/**
 * Whether the engine answers, asked once per benchmark run and shared by the end-to-end and API parts, so both
 * agree on what they measured against.
 */
import { EnvSchema } from '../src/config/env.js';
import { type EngineEndpoints, engineEndpoints } from '../src/engine/endpoints.js';
import { EngineRestClient } from '../src/engine/rest-client.js';

export type EngineProbe =
  { reachable: true; endpoints: EngineEndpoints } | { reachable: false; endpoints: EngineEndpoints; reason: string };

/** The same addresses and technical user `npm start` would use, read straight from the environment (the full config would demand API tokens). */
export function benchEngineEndpoints(env: NodeJS.ProcessEnv = process.env): EngineEndpoints {
  return engineEndpoints(
    EnvSchema.parse({
      ...(env.ENGINE_URL ? { ENGINE_URL: env.ENGINE_URL } : {}),
      ...(env.ENGINE_USER ? { ENGINE_USER: env.ENGINE_USER, ENGINE_PASSWORD: env.ENGINE_PASSWORD } : {}),
    }),
  );
}

export async function probeEngine(endpoints = benchEngineEndpoints()): Promise<EngineProbe> {
  // A short timeout: an engine that needs longer than 3 s to answer is not one to benchmark against.
  const client = new EngineRestClient(endpoints.rest, endpoints.technical, 3000);
  try {
    await client.version();
    return { reachable: true, endpoints };
  } catch (e) {
    return {
      reachable: false,
      endpoints,
      reason: `no engine at ${endpoints.rest.join(', ')} (${(e as Error).message.slice(0, 80)})`,
    };
  }
}
