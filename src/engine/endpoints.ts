/** Where the engine answers: the local one on fixed loopback ports, or the one named by the environment. */
import type { Env } from '../config/env.js';

export interface EngineEndpoints {
  grpc: string;
  rest: string;
  actuator: string;
  operate: string;
  tasklist: string;
  user: string;
  password: string;
}

export function engineEndpoints(env: Env): EngineEndpoints {
  const rest = (env.CAMUNDA_REST_ADDRESS ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const actuator = env.CAMUNDA_REST_ADDRESS ? rest.replace(/:\d+$/, ':9600') : 'http://127.0.0.1:9600';
  return {
    grpc: env.ZEEBE_ADDRESS ?? '127.0.0.1:26500',
    rest,
    actuator,
    operate: `${rest}/operate`,
    tasklist: `${rest}/tasklist`,
    user: env.CAMUNDA_USER,
    password: env.CAMUNDA_PASSWORD,
  };
}
