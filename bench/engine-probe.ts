/**
 * Whether the engine answers, asked once per benchmark run and shared by the end-to-end and API parts, so both
 * agree on what they measured against.
 */
import type { EngineEndpoints } from '../src/engine/endpoints.js';
import { EngineRestClient } from '../src/engine/rest-client.js';

export type EngineProbe = { reachable: true; endpoints: EngineEndpoints } | { reachable: false; endpoints: EngineEndpoints; reason: string };

/** The same addresses `npm start` would use, read straight from the environment (the full config would demand API tokens). */
export function benchEngineEndpoints(env: NodeJS.ProcessEnv = process.env): EngineEndpoints {
  const rest = (env.CAMUNDA_REST_ADDRESS ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  return {
    grpc: env.ZEEBE_ADDRESS ?? '127.0.0.1:26500',
    rest,
    actuator: rest.replace(/:\d+$/, ':9600'),
    operate: `${rest}/operate`,
    tasklist: `${rest}/tasklist`,
    user: env.CAMUNDA_USER ?? 'demo',
    password: env.CAMUNDA_PASSWORD ?? 'demo',
  };
}

export async function probeEngine(endpoints = benchEngineEndpoints()): Promise<EngineProbe> {
  // A short timeout: an engine that needs longer than 3 s for its topology is not one to benchmark against.
  const client = new EngineRestClient(endpoints, 3000);
  try {
    await client.topology();
    return { reachable: true, endpoints };
  } catch (e) {
    return { reachable: false, endpoints, reason: `no engine at ${endpoints.rest} (${(e as Error).message.slice(0, 80)})` };
  }
}
