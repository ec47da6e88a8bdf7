/** Where the engine answers and with which logins: the local engine host on loopback, or the engine(s) ENGINE_URL names. */
import type { Env } from '../config/env.js';

export interface Credentials {
  user: string;
  password: string;
}

export interface EngineEndpoints {
  /** REST API base(s), e.g. http://127.0.0.1:8080/engine-rest; several for a cluster, used in turn. */
  rest: string[];
  cockpit: string;
  tasklist: string;
  admin: string;
  /** The technical user of the API and the workers. */
  technical: Credentials;
  /** The engine administrator (web apps, provisioning); undefined when not configured for a remote engine. */
  administrator?: Credentials;
  local: boolean;
}

/** The local defaults that `npm start` prints; refused with ENGINE_URL and in production (src/config/env.ts). */
export const LOCAL_TECHNICAL_USER: Credentials = { user: 'orchestrator', password: 'orchestrator' };
export const LOCAL_ADMIN: Credentials = { user: 'demo', password: 'demo' };

export function engineEndpoints(env: Env): EngineEndpoints {
  const local = !env.ENGINE_URL;
  const rest = env.ENGINE_URL ?? [`http://127.0.0.1:${env.ENGINE_PORT}/engine-rest`];
  const web = rest[0]!.replace(/\/engine-rest$/, '');
  const admin =
    env.ENGINE_ADMIN_USER || env.ENGINE_ADMIN_PASSWORD || local
      ? { user: env.ENGINE_ADMIN_USER ?? LOCAL_ADMIN.user, password: env.ENGINE_ADMIN_PASSWORD ?? LOCAL_ADMIN.password }
      : undefined;
  return {
    rest,
    cockpit: `${web}/operaton/app/cockpit/default/`,
    tasklist: `${web}/operaton/app/tasklist/default/`,
    admin: `${web}/operaton/app/admin/default/`,
    technical: {
      user: env.ENGINE_USER ?? LOCAL_TECHNICAL_USER.user,
      password: env.ENGINE_PASSWORD ?? LOCAL_TECHNICAL_USER.password,
    },
    administrator: admin,
    local,
  };
}
