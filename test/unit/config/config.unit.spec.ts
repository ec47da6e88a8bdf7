import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ENV_DOCS, EnvSchema } from '../../../src/config/env.js';
import { ConfigError, loadConfig } from '../../../src/config/load.js';
import { parseApiTokens } from '../../../src/config/tokens.js';

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

describe('environment', () => {
  it('documents every key it reads, and reads every key it documents', () => {
    expect(Object.keys(ENV_DOCS).sort()).toEqual(Object.keys(EnvSchema.shape).sort());
  });

  it('lists every documented key in the README configuration table', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const key of Object.keys(ENV_DOCS)) expect(readme).toContain(`| \`${key}\` |`);
  });

  it('starts with defaults on loopback and generates local tokens', () => {
    const config = loadConfig({ PROCESSES_DIR: processesDir(minimal) });
    expect(config.env.PORT).toBe(3000);
    expect(config.env.HOST).toBe('127.0.0.1');
    expect(config.tokensGenerated).toBe(true);
    expect([...config.tokens.values()].flatMap((p) => p.roles)).toContain('ADMIN');
    expect([...config.tokens.values()].every((p) => p.jobcenter === undefined)).toBe(true);
    expect(config.localEngine).toBe(true);
  });

  it('names each wrong value', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL: must start with postgres/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
  });

  it('refuses engine clock control in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', ENGINE_CLOCK_CONTROL: 'true' }).join()).toMatch(/ENGINE_CLOCK_CONTROL: is refused/);
  });

  it('wants both engine addresses or none', () => {
    expect(problemsOf({ ZEEBE_ADDRESS: 'zeebe:26500' }).join()).toMatch(/CAMUNDA_REST_ADDRESS/);
    const config = loadConfig({ ZEEBE_ADDRESS: 'zeebe:26500', CAMUNDA_REST_ADDRESS: 'http://zeebe:8080', PROCESSES_DIR: processesDir(minimal) });
    expect(config.localEngine).toBe(false);
  });

  it('generates no tokens off loopback or in production', () => {
    expect(problemsOf({ HOST: '0.0.0.0', PROCESSES_DIR: processesDir(minimal) }).join()).toMatch(/API_TOKENS: required/);
    expect(problemsOf({ NODE_ENV: 'production', PROCESSES_DIR: processesDir(minimal) }).join()).toMatch(/API_TOKENS: required/);
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
    expect(parseApiTokens('aaaaaaaaaaaaaaaa1=EZ@kottbus', ['cottbus', 'wuppertal']).problems.join()).toMatch(/entry 1: unknown jobcenter "kottbus" \(known: cottbus, wuppertal\)/);
    expect(parseApiTokens('aaaaaaaaaaaaaaaa1=EZ@', ['cottbus']).problems.join()).toMatch(/unknown jobcenter ""/);
  });

  it('refuses to start with a token bound to an unknown jobcenter', () => {
    expect(() => loadConfig({ API_TOKENS: 'aaaaaaaaaaaaaaaa1=EZ@nowhere', PROCESSES_DIR: 'processes' })).toThrow(/API_TOKENS: entry 1: unknown jobcenter "nowhere" \(known: .*cottbus/);
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

  it('loads the sample settings shipped in processes/', () => {
    const config = loadConfig({ PROCESSES_DIR: 'processes' });
    expect(config.jobcenters.get('cottbus')).toMatchObject({ state: 'BB', processId: 'neukunde-cottbus' });
    expect(config.jobcenters.get('cottbus')?.caseworkers.length).toBeGreaterThan(10);
  });
});
