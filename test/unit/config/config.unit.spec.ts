import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { ENV_DOCS, EnvSchema } from '../../../src/config/env.js';
import { ConfigError, loadConfig } from '../../../src/config/load.js';
import { parseApiTokens } from '../../../src/config/tokens.js';
import { engineEndpoints, LOCAL_ADMIN, LOCAL_TECHNICAL_USER } from '../../../src/engine/endpoints.js';

function processesDir(settings: Record<string, unknown>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'processes-'));
  mkdirSync(path.join(root, String(settings.id)));
  writeFileSync(path.join(root, String(settings.id), 'jobcenter.json'), JSON.stringify(settings));
  return root;
}

const minimal = { id: 'testburg', name: 'Jobcenter Testburg', state: 'BB', processId: 'neukunde-cottbus' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

/** The environment schema's problems as "KEY: message" (KEY.0 for the first entry of a list). */
function envProblems(env: Record<string, string>): string[] {
  const parsed = EnvSchema.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** Problems of one key only, so that a test is not satisfied by an unrelated complaint. */
const problemsFor = (key: string, env: Record<string, string>) =>
  envProblems(env).filter((p) => p.startsWith(`${key}:`) || p.startsWith(`${key}.`));

const remoteEngine = {
  ENGINE_URL: 'http://engine:8080/engine-rest',
  ENGINE_USER: 'orchestrator',
  ENGINE_PASSWORD: 'a-real-secret-4f1c',
};
const production = { NODE_ENV: 'production', ...remoteEngine };

describe('environment', () => {
  it('documents every key it reads, and reads every key it documents', () => {
    expect(Object.keys(ENV_DOCS).sort()).toEqual(Object.keys(EnvSchema.shape).sort());
    expect(Object.keys(ENV_DOCS).join(' ')).not.toMatch(/ZEEBE|CAMUNDA/);
  });

  it('lists every documented key with its doc line in the README configuration table, and no other key', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const [key, doc] of Object.entries(ENV_DOCS))
      expect(readme).toContain(`| \`${key}\` | ${doc.replace(/\|/g, '\\|')} |`);
    const section = readme.slice(readme.indexOf('\n## Configuration'));
    const tableKeys = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(tableKeys.sort()).toEqual(Object.keys(ENV_DOCS).sort());
  });

  it('lists every documented key in .env.example, commented out, below its doc line', () => {
    const lines = readFileSync('.env.example', 'utf8').split('\n');
    for (const [key, doc] of Object.entries(ENV_DOCS)) {
      const at = lines.findIndex((l) => l.startsWith(`# ${key}=`));
      expect({ key, found: at >= 0 }).toEqual({ key, found: true });
      expect(lines[at - 1]).toBe(`# ${doc}`);
    }
    // Nothing is set by copying the file as it is.
    expect(lines.filter((l) => l.trim() && !l.startsWith('#'))).toEqual([]);
  });

  it('starts with defaults on loopback, the local engine and generated local tokens', () => {
    const config = loadConfig({ PROCESSES_DIR: processesDir(minimal) });
    expect(config.env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      ENGINE_PORT: 8080,
      ENGINE_HEAP: '512m',
      ENGINE_HISTORY_LEVEL: 'full',
    });
    expect(config.env).toMatchObject({ WORKER_MAX_TASKS: 32, WORKER_LOCK_SECONDS: 30, WORKER_LONG_POLL_SECONDS: 10 });
    expect(config.tokensGenerated).toBe(true);
    expect([...config.tokens.values()].flatMap((p) => p.roles)).toContain('ADMIN');
    expect([...config.tokens.values()].every((p) => p.jobcenter === undefined)).toBe(true);
    expect(config.localEngine).toBe(true);
    const endpoints = engineEndpoints(config.env);
    expect(endpoints.rest).toEqual(['http://127.0.0.1:8080/engine-rest']);
    expect(endpoints.technical).toEqual(LOCAL_TECHNICAL_USER);
    expect(endpoints.administrator).toEqual(LOCAL_ADMIN);
  });

  it('names each wrong value', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }).join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL: must start with postgres/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it('takes an empty variable for an unset one', () => {
    const config = loadConfig({ PROCESSES_DIR: processesDir(minimal), SMTP_URL: '', ENGINE_URL: '', ENGINE_HEAP: '' });
    expect(config.env.SMTP_URL).toBeUndefined();
    expect(config.localEngine).toBe(true);
    expect(config.env.ENGINE_HEAP).toBe('512m');
  });

  it('generates no tokens off loopback or in production', () => {
    expect(problemsOf({ HOST: '0.0.0.0', PROCESSES_DIR: processesDir(minimal) }).join()).toMatch(
      /API_TOKENS: required/,
    );
    expect(problemsOf({ ...production, PROCESSES_DIR: processesDir(minimal) }).join()).toMatch(/API_TOKENS: required/);
    expect(
      problemsOf({ ...production, API_TOKENS: 'aaaaaaaaaaaaaaaa1=ADMIN', PROCESSES_DIR: processesDir(minimal) }),
    ).toEqual([]);
  });

  it('needs no API tokens for a process that serves no API (workers, deploy)', () => {
    expect(() =>
      loadConfig({ ...production, PROCESSES_DIR: processesDir(minimal) }, { servesApi: false }),
    ).not.toThrow();
    expect(() => loadConfig({ ...production, PROCESSES_DIR: processesDir(minimal) })).toThrow(/API_TOKENS: required/);
  });
});

describe('the engine', () => {
  it('reads ENGINE_URL as a list of one or more engine nodes', () => {
    const config = loadConfig({
      ...remoteEngine,
      ENGINE_URL: ' http://engine:8080/engine-rest/ , http://engine-2:8080/engine-rest',
      PROCESSES_DIR: processesDir(minimal),
    });
    expect(config.env.ENGINE_URL).toEqual(['http://engine:8080/engine-rest', 'http://engine-2:8080/engine-rest']);
    expect(config.localEngine).toBe(false);
    const endpoints = engineEndpoints(config.env);
    expect(endpoints.rest).toEqual(config.env.ENGINE_URL);
    expect(endpoints.cockpit).toBe('http://engine:8080/operaton/app/cockpit/default/');
    expect(endpoints.tasklist).toBe('http://engine:8080/operaton/app/tasklist/default/');
  });

  it('refuses an ENGINE_URL that is no http(s) URL, naming the entry', () => {
    expect(
      problemsFor('ENGINE_URL', { ...remoteEngine, ENGINE_URL: 'http://engine:8080/engine-rest,engine:26500' }).join(),
    ).toMatch(/^ENGINE_URL\.1: /);
    expect(problemsFor('ENGINE_URL', { ...remoteEngine, ENGINE_URL: 'ftp://engine/engine-rest' }).join()).toMatch(
      /must be an http\(s\) URL/,
    );
    expect(problemsFor('ENGINE_URL', { ...remoteEngine, ENGINE_URL: ' , ' })).not.toEqual([]);
    expect(problemsFor('ENGINE_URL', remoteEngine)).toEqual([]);
  });

  it('refuses credentials inside ENGINE_URL without repeating them', () => {
    const problems = problemsFor('ENGINE_URL', {
      ...remoteEngine,
      ENGINE_URL: 'http://orchestrator:urlPa55word@engine:8080/engine-rest',
    });
    expect(problems.join()).toMatch(/must not carry a user or password: set ENGINE_USER and ENGINE_PASSWORD/);
    expect(problems.join()).not.toContain('urlPa55word');
  });

  it('wants ENGINE_USER and ENGINE_PASSWORD with ENGINE_URL', () => {
    const problems = envProblems({ ENGINE_URL: 'http://engine:8080/engine-rest' }).join('\n');
    expect(problems).toMatch(/ENGINE_USER: is required with ENGINE_URL/);
    expect(problems).toMatch(/ENGINE_PASSWORD: is required with ENGINE_URL/);
    expect(
      problemsFor('ENGINE_PASSWORD', { ENGINE_URL: 'http://engine:8080/engine-rest', ENGINE_USER: 'orchestrator' }),
    ).toHaveLength(1);
    expect(envProblems(remoteEngine)).toEqual([]);
  });

  it('wants ENGINE_USER and ENGINE_PASSWORD in production, also for the local engine', () => {
    const problems = envProblems({ NODE_ENV: 'production', ENGINE_ADMIN_PASSWORD: 'a-real-admin-secret' }).join('\n');
    expect(problems).toMatch(/ENGINE_USER: is required with ENGINE_URL or NODE_ENV=production/);
    expect(problems).toMatch(/ENGINE_PASSWORD: is required/);
    expect(
      envProblems({
        NODE_ENV: 'production',
        ENGINE_USER: 'orchestrator',
        ENGINE_PASSWORD: 'a-real-secret-4f1c',
        ENGINE_ADMIN_PASSWORD: 'a-real-admin-secret',
      }),
    ).toEqual([]);
    // Outside production the local engine's technical user has its printed default.
    expect(problemsFor('ENGINE_USER', { NODE_ENV: 'test' })).toEqual([]);
  });

  it('refuses the local administrator password demo in production', () => {
    expect(
      problemsFor('ENGINE_ADMIN_PASSWORD', {
        ...production,
        ENGINE_ADMIN_USER: 'admin',
        ENGINE_ADMIN_PASSWORD: 'demo',
      }).join(),
    ).toMatch(/must not be the local default "demo" when NODE_ENV=production/);
    expect(
      problemsFor('ENGINE_ADMIN_PASSWORD', {
        ...production,
        ENGINE_ADMIN_USER: 'admin',
        ENGINE_ADMIN_PASSWORD: 'a-real-admin-secret',
      }),
    ).toEqual([]);
    expect(
      problemsFor('ENGINE_ADMIN_PASSWORD', { ...remoteEngine, NODE_ENV: 'test', ENGINE_ADMIN_PASSWORD: 'demo' }),
    ).toEqual([]);
  });

  it('wants an administrator password when production starts the local engine, which would otherwise get demo', () => {
    const local = { NODE_ENV: 'production', ENGINE_USER: 'orchestrator', ENGINE_PASSWORD: 'a-real-secret-4f1c' };
    expect(problemsFor('ENGINE_ADMIN_PASSWORD', local).join()).toMatch(
      /is required when NODE_ENV=production starts the local engine/,
    );
    const env = EnvSchema.parse({ ...local, ENGINE_ADMIN_PASSWORD: 'a-real-admin-secret' });
    expect(engineEndpoints(env).administrator?.password).toBe('a-real-admin-secret');
    // A remote engine was created by someone else: without provisioning, no administrator is needed.
    expect(problemsFor('ENGINE_ADMIN_PASSWORD', production)).toEqual([]);
    expect(engineEndpoints(EnvSchema.parse(production)).administrator).toBeUndefined();
  });

  it('wants the administrator to provision a remote engine', () => {
    expect(problemsFor('ENGINE_ADMIN_PASSWORD', { ...remoteEngine, ENGINE_PROVISION: 'true' }).join()).toMatch(
      /ENGINE_ADMIN_USER and ENGINE_ADMIN_PASSWORD are required when ENGINE_PROVISION=true with ENGINE_URL/,
    );
    expect(
      problemsFor('ENGINE_ADMIN_PASSWORD', {
        ...remoteEngine,
        ENGINE_PROVISION: 'true',
        ENGINE_ADMIN_PASSWORD: 'a-real-admin-secret',
      }),
    ).toHaveLength(1);
    expect(
      envProblems({
        ...remoteEngine,
        ENGINE_PROVISION: 'true',
        ENGINE_ADMIN_USER: 'admin',
        ENGINE_ADMIN_PASSWORD: 'a-real-admin-secret',
      }),
    ).toEqual([]);
    expect(
      EnvSchema.parse({ ...remoteEngine, ENGINE_PROVISION: 'yes', ENGINE_ADMIN_USER: 'a', ENGINE_ADMIN_PASSWORD: 'b' })
        .ENGINE_PROVISION,
    ).toBe(true);
    expect(problemsFor('ENGINE_PROVISION', { ENGINE_PROVISION: 'sometimes' })).not.toEqual([]);
  });

  it('wants a JDBC URL for the engine database, unlike the store', () => {
    expect(
      problemsFor('ENGINE_DATABASE_URL', { ENGINE_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/engine' }).join(),
    ).toMatch(/must be a JDBC URL such as jdbc:postgresql:/);
    expect(problemsFor('ENGINE_DATABASE_URL', { ENGINE_DATABASE_URL: 'jdbc:mysql://127.0.0.1/engine' })).toHaveLength(
      1,
    );
    expect(
      problemsFor('ENGINE_DATABASE_URL', { ENGINE_DATABASE_URL: 'jdbc:postgresql://127.0.0.1:5432/engine' }),
    ).toEqual([]);
    expect(problemsFor('ENGINE_DATABASE_URL', { ENGINE_DATABASE_URL: 'jdbc:h2:file:/tmp/engine' })).toEqual([]);
    expect(problemsFor('DATABASE_URL', { DATABASE_URL: 'jdbc:postgresql://127.0.0.1:5432/jobcenter' }).join()).toMatch(
      /must start with postgres/,
    );
  });

  it('wants the heap as java -Xmx takes it', () => {
    for (const bad of ['512', '1.5g', '512mb', '-Xmx512m', 'm'])
      expect(problemsFor('ENGINE_HEAP', { ENGINE_HEAP: bad }).join()).toMatch(
        /must be a Java heap size such as 512m or 1g/,
      );
    for (const good of ['512m', '2g', '1024M', '1G'])
      expect(problemsFor('ENGINE_HEAP', { ENGINE_HEAP: good })).toEqual([]);
  });

  it('takes the engine host login cache and index switch only as the engine host reads them', () => {
    for (const bad of ['-1', '3601', '1.5', 'thirty'])
      expect(problemsFor('ENGINE_REST_AUTH_CACHE_SECONDS', { ENGINE_REST_AUTH_CACHE_SECONDS: bad })).toHaveLength(1);
    for (const good of ['0', '30', '3600'])
      expect(problemsFor('ENGINE_REST_AUTH_CACHE_SECONDS', { ENGINE_REST_AUTH_CACHE_SECONDS: good })).toEqual([]);
    expect(problemsFor('ENGINE_QUERY_INDEXES', { ENGINE_QUERY_INDEXES: 'no' })).toHaveLength(1);
    expect(problemsFor('ENGINE_QUERY_INDEXES', { ENGINE_QUERY_INDEXES: 'false' })).toEqual([]);
    for (const bad of ['-1', '3601', '2.5', 'often'])
      expect(problemsFor('ENGINE_H2_COMPACT_SECONDS', { ENGINE_H2_COMPACT_SECONDS: bad })).toHaveLength(1);
    for (const good of ['0', '10', '3600'])
      expect(problemsFor('ENGINE_H2_COMPACT_SECONDS', { ENGINE_H2_COMPACT_SECONDS: good })).toEqual([]);
    expect(problemsFor('ENGINE_POSTGRES_CUSTOM_PLANS', { ENGINE_POSTGRES_CUSTOM_PLANS: 'off' })).toHaveLength(1);
    expect(problemsFor('ENGINE_POSTGRES_CUSTOM_PLANS', { ENGINE_POSTGRES_CUSTOM_PLANS: 'false' })).toEqual([]);
  });

  it('knows the history levels and ports the engine host accepts', () => {
    expect(problemsFor('ENGINE_HISTORY_LEVEL', { ENGINE_HISTORY_LEVEL: 'verbose' })).toHaveLength(1);
    expect(EnvSchema.parse({ ENGINE_HISTORY_LEVEL: 'audit' }).ENGINE_HISTORY_LEVEL).toBe('audit');
    expect(problemsFor('ENGINE_PORT', { ENGINE_PORT: '0' })).toHaveLength(1);
    expect(problemsFor('ENGINE_PORT', { ENGINE_PORT: '65536' })).toHaveLength(1);
    expect(EnvSchema.parse({ ENGINE_PORT: '18080' }).ENGINE_PORT).toBe(18080);
    expect(problemsFor('ENGINE_START_TIMEOUT_SECONDS', { ENGINE_START_TIMEOUT_SECONDS: '0' })).toHaveLength(1);
  });
});

describe('workers', () => {
  it('bounds the tasks a worker process holds', () => {
    expect(problemsFor('WORKER_MAX_TASKS', { WORKER_MAX_TASKS: '0' })).toHaveLength(1);
    expect(problemsFor('WORKER_MAX_TASKS', { WORKER_MAX_TASKS: '1001' })).toHaveLength(1);
    expect(problemsFor('WORKER_MAX_TASKS', { WORKER_MAX_TASKS: 'many' })).toHaveLength(1);
    expect(EnvSchema.parse({ WORKER_MAX_TASKS: '64' }).WORKER_MAX_TASKS).toBe(64);
  });

  it('keeps the lock long enough to extend and short enough to come back', () => {
    expect(problemsFor('WORKER_LOCK_SECONDS', { WORKER_LOCK_SECONDS: '4' })).toHaveLength(1);
    expect(problemsFor('WORKER_LOCK_SECONDS', { WORKER_LOCK_SECONDS: '3601' })).toHaveLength(1);
    expect(EnvSchema.parse({ WORKER_LOCK_SECONDS: '5' }).WORKER_LOCK_SECONDS).toBe(5);
  });

  it('long-polls at most a minute, or not at all', () => {
    expect(problemsFor('WORKER_LONG_POLL_SECONDS', { WORKER_LONG_POLL_SECONDS: '61' })).toHaveLength(1);
    expect(problemsFor('WORKER_LONG_POLL_SECONDS', { WORKER_LONG_POLL_SECONDS: '-1' })).toHaveLength(1);
    expect(EnvSchema.parse({ WORKER_LONG_POLL_SECONDS: '0' }).WORKER_LONG_POLL_SECONDS).toBe(0);
  });
});

describe('notifications', () => {
  it('wants a signing key of 16 characters or more with the d.3 webhook', () => {
    expect(problemsFor('D3_WEBHOOK_SECRET', { D3_WEBHOOK_URL: 'http://d3.example/hook' }).join()).toMatch(
      /is required when D3_WEBHOOK_URL is set/,
    );
    expect(
      problemsFor('D3_WEBHOOK_SECRET', { D3_WEBHOOK_URL: 'http://d3.example/hook', D3_WEBHOOK_SECRET: 'short' }).join(),
    ).toMatch(/at least 16/);
    expect(
      problemsFor('D3_WEBHOOK_SECRET', {
        D3_WEBHOOK_URL: 'http://d3.example/hook',
        D3_WEBHOOK_SECRET: 'a-long-signing-key-1',
      }),
    ).toEqual([]);
  });

  it('wants an smtp URL and a mail address', () => {
    expect(problemsFor('SMTP_URL', { SMTP_URL: 'http://mail' })).toHaveLength(1);
    expect(problemsFor('SMTP_URL', { SMTP_URL: 'smtps://mail.example:465' })).toEqual([]);
    expect(problemsFor('MAIL_FROM', { MAIL_FROM: 'nobody' })).toHaveLength(1);
  });
});

describe('API_TOKENS', () => {
  it('maps tokens to roles', () => {
    const { tokens } = parseApiTokens('aaaaaaaaaaaaaaaa1=EZ+SC, bbbbbbbbbbbbbbbb2=ADMIN');
    expect(tokens?.get('aaaaaaaaaaaaaaaa1')?.roles).toEqual(['EZ', 'SC']);
    expect(tokens?.get('bbbbbbbbbbbbbbbb2')?.roles).toEqual(['ADMIN']);
    expect(tokens?.get('bbbbbbbbbbbbbbbb2')?.jobcenter).toBeUndefined();
  });

  it('binds a token to one jobcenter with @', () => {
    const { tokens, problems } = parseApiTokens('aaaaaaaaaaaaaaaa1=EZ+SC@cottbus', ['cottbus', 'wuppertal']);
    expect(problems).toEqual([]);
    expect(tokens?.get('aaaaaaaaaaaaaaaa1')).toMatchObject({ roles: ['EZ', 'SC'], jobcenter: 'cottbus' });
  });

  it('names a jobcenter that does not exist', () => {
    expect(parseApiTokens('aaaaaaaaaaaaaaaa1=EZ@kottbus', ['cottbus', 'wuppertal']).problems.join()).toMatch(
      /entry 1: unknown jobcenter "kottbus" \(known: cottbus, wuppertal\)/,
    );
    expect(parseApiTokens('aaaaaaaaaaaaaaaa1=EZ@', ['cottbus']).problems.join()).toMatch(/unknown jobcenter ""/);
  });

  it('refuses to start with a token bound to an unknown jobcenter', () => {
    expect(() => loadConfig({ API_TOKENS: 'aaaaaaaaaaaaaaaa1=EZ@nowhere', PROCESSES_DIR: 'processes' })).toThrow(
      /API_TOKENS: entry 1: unknown jobcenter "nowhere" \(known: .*cottbus/,
    );
  });

  it('names tokens in the audit trail by a hash, never by the token', () => {
    const { tokens } = parseApiTokens('aaaaaaaaaaaaaaaa1=EZ@cottbus,aaaaaaaaaaaaaaaa2=EZ@cottbus');
    const [a, b] = [tokens!.get('aaaaaaaaaaaaaaaa1')!.actor, tokens!.get('aaaaaaaaaaaaaaaa2')!.actor];
    expect(a).toMatch(/^EZ@cottbus#[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('aaaaaaaaaaaaaaaa');
  });

  it('names unknown roles, short tokens and broken entries', () => {
    expect(parseApiTokens('aaaaaaaaaaaaaaaa1=CHEF').problems.join()).toMatch(/unknown role CHEF/);
    expect(parseApiTokens('short=EZ').problems.join()).toMatch(/at least 16/);
    expect(parseApiTokens('justatoken').problems.join()).toMatch(/token=ROLE/);
  });
});

describe('jobcenter settings', () => {
  it('names the file and the field of a wrong setting', () => {
    const root = processesDir({ ...minimal, state: 'XX', extraClosingDays: ['2026-02-30'] });
    const problems = problemsOf({ PROCESSES_DIR: root }).join('\n');
    expect(problems).toContain(path.join(root, 'testburg', 'jobcenter.json'));
    expect(problems).toMatch(/state/);
    expect(problems).toMatch(/extraClosingDays\.0: must be a real date/);
  });

  it('names a holiday region the state does not have, with the ones it has', () => {
    const problems = problemsOf({ PROCESSES_DIR: processesDir({ ...minimal, state: 'BY', holidayRegion: 'AUG' }) });
    expect(problems.join('\n')).toMatch(/holidayRegion: unknown region "AUG" of BY \(known: A \(Stadt Augsburg\)/);
    expect(problemsOf({ PROCESSES_DIR: processesDir({ ...minimal, state: 'BY', holidayRegion: 'A' }) })).toEqual([]);
  });

  it('names a local holiday on a day no year has', () => {
    const root = processesDir({ ...minimal, localHolidays: [{ name: 'Stadtfest', month: 2, day: 30 }] });
    expect(problemsOf({ PROCESSES_DIR: root }).join('\n')).toMatch(
      /localHolidays\.0\.day: 30\.2\. is no day of the year/,
    );
  });

  it('loads jobcenters from JOBCENTER_DIRS besides PROCESSES_DIR, and refuses an id or a caseworker twice', () => {
    const extra = processesDir({ ...minimal, id: 'nebenort', state: 'TH' });
    const config = loadConfig({ PROCESSES_DIR: processesDir(minimal), JOBCENTER_DIRS: ` ${extra} ,` });
    expect([...config.jobcenters.keys()].sort()).toEqual(['nebenort', 'testburg']);
    expect(config.jobcenters.get('nebenort')?.folder).toBe(path.join(extra, 'nebenort'));

    const twin = processesDir(minimal);
    expect(problemsOf({ PROCESSES_DIR: processesDir(minimal), JOBCENTER_DIRS: twin }).join()).toMatch(
      /jobcenter "testburg" is already configured in/,
    );
    expect(problemsOf({ PROCESSES_DIR: 'processes', JOBCENTER_DIRS: '/nowhere/at/all' }).join()).toMatch(
      /JOBCENTER_DIRS: folder \/nowhere\/at\/all does not exist/,
    );
    const caseworker = { id: 'av-1', name: 'A B', email: 'a@x.example', team: 't' };
    const a = processesDir({ ...minimal, caseworkers: [caseworker] });
    const b = processesDir({ ...minimal, id: 'anderswo', caseworkers: [caseworker] });
    expect(problemsOf({ PROCESSES_DIR: a, JOBCENTER_DIRS: b }).join()).toMatch(
      /anderswo: caseworker id "av-1" is also testburg's/,
    );
  });

  it('loads the sample settings shipped in processes/', () => {
    const config = loadConfig({ PROCESSES_DIR: 'processes' });
    expect(config.jobcenters.get('cottbus')).toMatchObject({ state: 'BB', processId: 'neukunde-cottbus' });
    expect(config.jobcenters.get('cottbus')?.caseworkers.length).toBeGreaterThan(10);
  });
});
