import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { EnvSchema } from '../../src/config/env.js';

/** Compose's ${VAR:-default} and ${VAR:?message}: substitute the default, or a sample value for required ones. */
function substitute(value: string): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name: string, dflt?: string) =>
    dflt !== undefined ? dflt : name === 'API_TOKENS' ? 'a-long-random-token-123=ADMIN' : 'sample',
  );
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
    services: Record<string, { image?: string; build?: unknown; ports?: string[]; environment?: Record<string, string> }>;
  };
  const app = compose.services.app!;
  const camunda = compose.services.camunda!;
  const env = Object.fromEntries(Object.entries(app.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]));

  it('runs the Camunda version the app pins', () => {
    const pinned = EnvSchema.parse({}).CAMUNDA_VERSION;
    expect(camunda.image).toBe(`camunda/camunda:${pinned}`);
  });

  it('builds the app and gives it only variables the configuration schema knows', () => {
    expect(app.build).toBeDefined();
    const known = Object.keys(EnvSchema.shape);
    for (const key of Object.keys(env)) expect(known).toContain(key);
  });

  it('gives the app an environment the configuration schema accepts, for production', () => {
    const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
    const parsed = EnvSchema.safeParse(present);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(parsed.data?.NODE_ENV).toBe('production');
  });

  it('points the app at the engine container on the ports the engine publishes', () => {
    expect(env.ZEEBE_ADDRESS).toBe('camunda:26500');
    expect(env.CAMUNDA_REST_ADDRESS).toBe('http://camunda:8080');
    expect(camunda.ports).toEqual(expect.arrayContaining(['26500:26500', '8080:8080']));
  });

  it('uses PostgreSQL for both the store and the engine secondary storage', () => {
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(camunda.environment?.CAMUNDA_DATA_SECONDARYSTORAGE_RDBMS_URL).toMatch(/^jdbc:postgresql:\/\/postgres:5432\//);
  });
});
