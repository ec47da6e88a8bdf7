/**
 * docker-compose.yml against the code it runs: the app's environment is one the configuration schema
 * (src/config/env.ts) accepts for production, the engine's environment is one the engine host's
 * application.yaml reads, ports and URLs agree with the defaults of both, and no secret has a default.
 * No Docker daemon is needed: the file is read as YAML, with Compose's ${VAR:-default} / ${VAR:?message}
 * substituted the way Compose does.
 */
import { existsSync, readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

import { ENV_DOCS, EnvSchema } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  ports?: string[];
  environment?: Record<string, string | number | boolean>;
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const applicationYaml = readFileSync('engine/src/main/resources/application.yaml', 'utf8');
const engineDockerfile = readFileSync('docker/engine.Dockerfile', 'utf8');

/** Values the test gives the variables Compose would refuse to run without (`${VAR:?message}`). */
const REQUIRED_SAMPLES: Record<string, string> = {
  API_TOKENS: 'a-long-random-token-123=ADMIN',
  POSTGRES_PASSWORD: 'sample-postgres-password',
  ENGINE_PASSWORD: 'sample-technical-password',
  ENGINE_ADMIN_PASSWORD: 'sample-admin-password',
  WORKSPACE_SESSION_SECRET: 'sample-workspace-session-secret-0123456789',
};

/** Compose's interpolation: ${VAR:-default} gives the default, ${VAR:?message} a sample value, $$ a dollar. */
function substitute(value: string, overrides: Record<string, string> = {}): string {
  return value
    .replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name: string, dflt?: string) => {
      if (name in overrides) return overrides[name]!;
      if (dflt !== undefined) return dflt;
      const sample = REQUIRED_SAMPLES[name];
      if (sample === undefined) throw new Error(`\${${name}} has neither a default nor a sample in this test`);
      return sample;
    })
    .replace(/\$\$/g, '$');
}

function environmentOf(service: Service, overrides: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(String(v), overrides)]),
  );
}

/** The container side of "host:container" (or "ip:host:container"). */
const containerPorts = (service: Service) => (service.ports ?? []).map((p) => Number(String(p).split(':').at(-1)));

/** The names application.yaml reads as ${NAME} or ${NAME:default}, with their defaults. */
const yamlDefaults = new Map(
  [...applicationYaml.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::([^${}]*))?/g)].map((m) => [m[1]!, m[2]]),
);

/** ENV keys the runtime stage of the engine image sets (the last FROM onwards), with their values. */
function imageEnv(): Record<string, string> {
  const runtime = engineDockerfile.slice(engineDockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  const block = runtime.match(/^ENV ((?:.*\\\n)*.*)$/m)?.[1] ?? '';
  for (const m of block.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  return env;
}

const buildOf = (service: Service) =>
  typeof service.build === 'string' ? { context: service.build } : (service.build ?? {});
const engineServices = Object.entries(services).filter(([, s]) => buildOf(s).dockerfile === 'docker/engine.Dockerfile');
const app = services.app!;
const engine = services.engine!;
const appEnv = environmentOf(app);
const engineEnv = environmentOf(engine);
const defaults = EnvSchema.parse({});

describe('docker-compose.yml', () => {
  it('runs Operaton, PostgreSQL and the app, and nothing of Camunda 8', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'engine', 'app']));
    for (const [name, service] of Object.entries(services)) {
      expect(`${name} ${service.image ?? ''}`).not.toMatch(/zeebe|camunda|operate|elasticsearch/i);
      expect(Object.keys(service.environment ?? {}).join(' ')).not.toMatch(/ZEEBE|CAMUNDA/);
    }
  });

  describe('the engine', () => {
    it('is built from engine/ by a Maven stage on JDK 17 and runs on a JRE 17', () => {
      expect(engineServices.map(([name]) => name)).toContain('engine');
      for (const [, service] of engineServices) expect(buildOf(service).context).toBe('.');
      const stages = [...engineDockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(stages[0]).toMatch(/^maven:.*(temurin|jdk)-17/);
      expect(stages.at(-1)).toMatch(/17-jre|jre-17/);
      expect(engineDockerfile).toMatch(/^COPY engine\/pom\.xml /m);
      expect(engineDockerfile).toMatch(/^COPY engine\/src /m);
      expect(engineDockerfile).toMatch(/mvn .*package/);
      // The build context is the repository; only the engine's sources may go into it.
      const ignore = readFileSync('docker/engine.Dockerfile.dockerignore', 'utf8')
        .split('\n')
        .map((l) => l.trim());
      expect(ignore).toEqual(expect.arrayContaining(['*', '!engine/pom.xml', '!engine/src']));
    });

    it('listens on every interface inside its container, with a heap limit through JAVA_OPTS', () => {
      const env = imageEnv();
      expect(env.ENGINE_BIND_ADDRESS).toBe('0.0.0.0');
      expect(env.JAVA_OPTS).toMatch(/-Xmx\d+[mg]\b/);
      expect(engineDockerfile).toMatch(/^ENTRYPOINT .*exec java \$JAVA_OPTS -jar /m);
      const heap = /-Xmx(\S+)/.exec(engineEnv.JAVA_OPTS ?? '')?.[1];
      // Compose's heap comes from ENGINE_HEAP, so it must have the format the app's schema demands of it.
      expect(EnvSchema.shape.ENGINE_HEAP.safeParse(heap).success).toBe(true);
    });

    it('is given only variables the engine host reads', () => {
      const read = new Set([...yamlDefaults.keys(), 'JAVA_OPTS']);
      for (const [, service] of engineServices)
        for (const key of Object.keys(service.environment ?? {})) expect([...read]).toContain(key);
      for (const key of Object.keys(imageEnv())) expect([...read]).toContain(key);
    });

    it('uses the engine database the init script creates, on the PostgreSQL service', () => {
      const init = readFileSync('docker/postgres-init.sql', 'utf8');
      expect(services.postgres!.image).toMatch(/^postgres:\d+/);
      expect(services.postgres!.volumes).toContain(
        './docker/postgres-init.sql:/docker-entrypoint-initdb.d/10-databases.sql:ro',
      );
      for (const [, service] of engineServices) {
        const url = environmentOf(service).ENGINE_DATABASE_URL;
        expect(EnvSchema.shape.ENGINE_DATABASE_URL.safeParse(url).success).toBe(true);
        const [, host, port, db] = /^jdbc:postgresql:\/\/([^:/]+):(\d+)\/(\w+)$/.exec(url ?? '') ?? [];
        expect([host, port]).toEqual(['postgres', '5432']);
        expect(init).toMatch(new RegExp(`^CREATE DATABASE ${db} `, 'm'));
        expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
      }
    });

    it('publishes the port the orchestrator expects of an engine, the one application.yaml and the image use', () => {
      const port = defaults.ENGINE_PORT;
      expect(Number(yamlDefaults.get('ENGINE_PORT'))).toBe(port);
      expect(Number(imageEnv().ENGINE_PORT)).toBe(port);
      expect(engineDockerfile).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
      for (const [, service] of engineServices) {
        expect(containerPorts(service)).toEqual([port]);
        expect(Number(environmentOf(service).ENGINE_PORT ?? port)).toBe(port);
        expect(JSON.stringify(service.healthcheck?.test)).toContain(`/dev/tcp/127.0.0.1/${port}`);
      }
      expect(engine.ports).toEqual([`${port}:${port}`]);
    });

    it('has a second node for the cluster profile on the same database, started after the first', () => {
      const second = services['engine-2']!;
      expect(second.profiles).toEqual(['cluster']);
      expect(buildOf(second)).toEqual(buildOf(engine));
      expect(environmentOf(second)).toEqual(engineEnv);
      expect(second.depends_on?.engine?.condition).toBe('service_healthy');
      expect(engine.profiles).toBeUndefined();
    });
  });

  describe('the app', () => {
    it('is built from the Dockerfile and given only variables the configuration schema knows', () => {
      expect(buildOf(app)).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^CMD \["npx", "tsx", "src\/cli\.ts", "start"\]$/m);
      const known = Object.keys(ENV_DOCS);
      for (const key of Object.keys(app.environment ?? {})) expect(known).toContain(key);
    });

    it('gets an environment the configuration accepts for production, with the engine named', () => {
      const config = loadConfig(appEnv);
      expect(config.env.NODE_ENV).toBe('production');
      expect(config.localEngine).toBe(false);
      expect(config.env.ENGINE_PROVISION).toBe(true);
      expect(config.tokensGenerated).toBe(false);
    });

    it('points ENGINE_URL at the engine service, on the port it listens on inside the network', () => {
      expect(appEnv.ENGINE_URL).toBe(`http://engine:${defaults.ENGINE_PORT}/engine-rest`);
      expect(app.depends_on?.engine?.condition).toBe('service_healthy');
    });

    it('can use both nodes of the cluster through ENGINE_URL', () => {
      const both = `http://engine:${defaults.ENGINE_PORT}/engine-rest,http://engine-2:${defaults.ENGINE_PORT}/engine-rest`;
      const urls = loadConfig(environmentOf(app, { ENGINE_URL: both })).env.ENGINE_URL!;
      expect(urls).toHaveLength(2);
      for (const url of urls) {
        const { hostname, port } = new URL(url);
        expect(engineServices.map(([name]) => name)).toContain(hostname);
        expect(containerPorts(services[hostname]!)).toContain(Number(port));
      }
    });

    it('provisions the engine with the administrator the engine is created with', () => {
      expect(app.environment?.ENGINE_ADMIN_USER).toBe(engine.environment?.ENGINE_ADMIN_USER);
      expect(app.environment?.ENGINE_ADMIN_PASSWORD).toBe(engine.environment?.ENGINE_ADMIN_PASSWORD);
      expect(appEnv.ENGINE_USER).toBeTruthy();
    });

    it('publishes the API port it binds to, on every interface of its container', () => {
      expect(appEnv.HOST).toBe('0.0.0.0');
      expect(Number(appEnv.PORT)).toBe(defaults.PORT);
      expect(containerPorts(app)).toEqual([defaults.PORT]);
      expect(readFileSync('Dockerfile', 'utf8')).toMatch(new RegExp(`^EXPOSE ${defaults.PORT}$`, 'm'));
    });

    it('keeps its store in the PostgreSQL database the init script creates', () => {
      const [, host, db] = /^postgres:\/\/jobcenter:[^@]+@([^:/]+):5432\/(\w+)$/.exec(appEnv.DATABASE_URL ?? '') ?? [];
      expect(host).toBe('postgres');
      expect(readFileSync('docker/postgres-init.sql', 'utf8')).toMatch(new RegExp(`^CREATE DATABASE ${db} `, 'm'));
    });
  });

  it('gives no secret a default: each one is required from the environment or left empty', () => {
    const secret = /PASSWORD|TOKENS|SECRET/;
    const raw = readFileSync('docker-compose.yml', 'utf8');
    for (const [, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secret.test(key)) continue;
        expect(`${key}=${value}`).toMatch(new RegExp(`^${key}=\\$\\{\\w+(:\\?[^}]+|:-)\\}$`));
      }
    }
    // Nor inside a URL, and nowhere a default of a *_PASSWORD / *_TOKENS / *_SECRET variable.
    expect(appEnv.DATABASE_URL).toContain(REQUIRED_SAMPLES.POSTGRES_PASSWORD);
    expect(raw).not.toMatch(/\$\{\w*(PASSWORD|TOKENS|SECRET)\w*:-[^}]/);
    // The local engine's well-known logins have no place here.
    for (const [, service] of Object.entries(services))
      expect(Object.values(environmentOf(service))).not.toContain('demo');
    expect(raw).not.toMatch(/:-demo\b/);
  });

  it('names its files as they are in the repository', () => {
    for (const file of ['Dockerfile', 'docker/engine.Dockerfile', 'docker/postgres-init.sql', 'engine/pom.xml'])
      expect(existsSync(file)).toBe(true);
  });
});
