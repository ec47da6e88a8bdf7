/**
 * The local engine's Spring configuration (see docs/engine.md in the team's notes): H2 file as secondary
 * storage so Operate and Tasklist run without Elasticsearch, everything bound to 127.0.0.1.
 * YAML is a superset of JSON, so the file is written as JSON and needs no YAML library.
 */
import path from 'node:path';

export interface EngineConfigOptions {
  dataDir: string;
  clockControlled: boolean;
  user: string;
  password: string;
}

export function engineConfig(opts: EngineConfigOptions): Record<string, unknown> {
  const dataDir = path.resolve(opts.dataDir);
  return {
    server: { address: '127.0.0.1', port: 8080 },
    management: { server: { address: '127.0.0.1', port: 9600 } },
    zeebe: {
      clock: { controlled: opts.clockControlled },
      broker: {
        network: { host: '127.0.0.1', advertisedHost: '127.0.0.1' },
        gateway: { network: { host: '127.0.0.1', port: 26500 } },
      },
    },
    camunda: {
      data: {
        'primary-storage': { directory: path.join(dataDir, 'zeebe') },
        'secondary-storage': {
          type: 'rdbms',
          rdbms: {
            url: `jdbc:h2:file:${path.join(dataDir, 'h2', 'camunda')}`,
            username: 'sa',
            password: '',
            flushInterval: 'PT0.5S',
            queueSize: 1000,
          },
        },
      },
      security: {
        authentication: { method: 'BASIC', 'unprotected-api': true },
        authorizations: { enabled: false },
        initialization: {
          users: [{ username: opts.user, password: opts.password, name: 'Demo', email: 'demo@example.com' }],
          defaultRoles: { admin: { users: [opts.user] } },
        },
      },
    },
  };
}

export function engineConfigYaml(opts: EngineConfigOptions): string {
  return `# Written by src/engine/engine-config.ts at every start; edit that file, not this one.\n${JSON.stringify(engineConfig(opts), null, 2)}\n`;
}

/** Java 25 needs these for the engine's native and unsafe memory access (Camunda 8 Run sets the same). */
export function jdkOptions(major: number): string {
  return major >= 24 ? '--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow' : '';
}
