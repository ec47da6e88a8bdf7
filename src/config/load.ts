/** Parses the environment and every jobcenter.json once at start; all problems are reported together. */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { z } from 'zod';

import { unknownAdapters } from '../adapters/registry.js';
import { type Env, EnvSchema } from './env.js';
import { JobcenterSettings } from './jobcenter.js';
import { generateLocalTokens, isLoopback, parseApiTokens, type TokenTable } from './tokens.js';

export interface AppConfig {
  env: Env;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  tokens: TokenTable;
  /** True when the tokens were generated for local use and must be printed at start. */
  tokensGenerated: boolean;
  /**
   * Signs the staff workspace's login cookies: WORKSPACE_SESSION_SECRET, or outside production a random key per
   * start; undefined in production without the key, which then serves no workspace.
   */
  sessionSecret?: string;
  /** True when no ENGINE_URL is configured and `npm start` runs the engine host from engine/. */
  localEngine: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeIssues(where: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${where}${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

/**
 * Every `<folder>/<jobcenter>/jobcenter.json` under the given folders (PROCESSES_DIR first, then JOBCENTER_DIRS), so
 * a jobcenter is added by a folder and nothing else. Its id must equal its folder name and be unique over all.
 */
export function loadJobcenters(
  processesDir: string,
  extraDirs: readonly string[] = [],
): {
  jobcenters: Map<string, JobcenterSettings>;
  problems: string[];
} {
  const jobcenters = new Map<string, JobcenterSettings>();
  const problems: string[] = [];
  if (!existsSync(processesDir))
    return { jobcenters, problems: [`PROCESSES_DIR: folder ${processesDir} does not exist`] };
  for (const dir of extraDirs) if (!existsSync(dir)) problems.push(`JOBCENTER_DIRS: folder ${dir} does not exist`);
  for (const dir of [processesDir, ...extraDirs].filter((d) => existsSync(d)))
    loadJobcentersIn(dir, jobcenters, problems);
  problems.push(...sharedCaseworkers(jobcenters));
  return { jobcenters, problems };
}

/**
 * Appointments, customers and inboxes name a caseworker by id alone, so two jobcenters sharing one would book
 * into each other's calendars.
 */
function sharedCaseworkers(jobcenters: ReadonlyMap<string, JobcenterSettings>): string[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const jc of jobcenters.values()) {
    for (const c of jc.caseworkers) {
      const other = owner.get(c.id);
      if (other && other !== jc.id)
        problems.push(
          `${jc.id}: caseworker id "${c.id}" is also ${other}'s (caseworker ids must be unique across jobcenters)`,
        );
      else owner.set(c.id, jc.id);
    }
  }
  return problems;
}

function loadJobcentersIn(processesDir: string, jobcenters: Map<string, JobcenterSettings>, problems: string[]): void {
  for (const entry of readdirSync(processesDir, { withFileTypes: true })) {
    const file = path.join(processesDir, entry.name, 'jobcenter.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push(`${file}: not valid JSON (${(e as Error).message})`);
      continue;
    }
    const parsed = JobcenterSettings.safeParse(
      json && typeof json === 'object' ? { ...json, folder: path.join(processesDir, entry.name) } : json,
    );
    if (!parsed.success) {
      problems.push(...describeIssues(`${file}: `, parsed.error));
      continue;
    }
    if (parsed.data.id !== entry.name)
      problems.push(`${file}: id "${parsed.data.id}" must equal its folder name "${entry.name}"`);
    const twin = jobcenters.get(parsed.data.id);
    if (twin) {
      problems.push(
        `${file}: jobcenter "${parsed.data.id}" is already configured in ${twin.folder ?? 'another folder'}`,
      );
      continue;
    }
    problems.push(...unknownAdapters(parsed.data.adapters).map((p) => `${file}: ${p}`));
    jobcenters.set(parsed.data.id, parsed.data);
  }
}

/** `servesApi: false` for processes without the HTTP API (`npm run workers`, `npm run deploy`): they need no API tokens. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, opts: { servesApi?: boolean } = {}): AppConfig {
  // An empty variable (`SMTP_URL=` in a compose file) means "not set", as it does for most tools.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsedEnv = EnvSchema.safeParse(present);
  if (!parsedEnv.success) throw new ConfigError(describeIssues('', parsedEnv.error));
  const env = parsedEnv.data;
  const problems: string[] = [];

  const { jobcenters, problems: jcProblems } = loadJobcenters(env.PROCESSES_DIR, env.JOBCENTER_DIRS);
  problems.push(...jcProblems);

  let tokens: TokenTable = new Map();
  let tokensGenerated = false;
  if (env.API_TOKENS) {
    const parsed = parseApiTokens(env.API_TOKENS, [...jobcenters.keys()]);
    problems.push(...parsed.problems.map((p) => `API_TOKENS: ${p}`));
    if (parsed.tokens) tokens = parsed.tokens;
  } else if (env.NODE_ENV !== 'production' && isLoopback(env.HOST)) {
    tokens = generateLocalTokens();
    tokensGenerated = true;
  } else if (opts.servesApi !== false) {
    problems.push(
      `API_TOKENS: required when NODE_ENV=production or HOST is not a loopback address (HOST=${env.HOST}, NODE_ENV=${env.NODE_ENV})`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  // Replicas must share the key; outside production a fresh one per start is enough for the one local replica.
  const sessionSecret =
    env.WORKSPACE_SESSION_SECRET ?? (env.NODE_ENV === 'production' ? undefined : randomBytes(32).toString('hex'));
  return { env, jobcenters, tokens, tokensGenerated, sessionSecret, localEngine: !env.ENGINE_URL };
}
