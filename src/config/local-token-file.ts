/**
 * The tokens `npm start` generates for a local run, also written to DATA_DIR/local-api-tokens.json (owner-only)
 * so local tools such as `npm run demo` can call the API without copying a token from the banner. Only
 * generated tokens go there: they exist only outside production on loopback, and die with the run.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import type { TokenTable } from './tokens.js';

export const LOCAL_TOKEN_FILE = 'local-api-tokens.json';

const LocalTokens = z.object({
  api: z.string().url(),
  /** Where the local engine's web apps are, for tools that point people there. */
  cockpit: z.string().url().optional(),
  tasklist: z.string().url().optional(),
  tokens: z.record(z.string(), z.string()),
});
export type LocalTokens = z.infer<typeof LocalTokens>;

export function localTokenFile(dataDir: string): string {
  return path.join(dataDir, LOCAL_TOKEN_FILE);
}

/** One token per role (the generated table has exactly one token per role). */
export function writeLocalTokenFile(
  dataDir: string,
  where: { api: string; cockpit: string; tasklist: string },
  tokens: TokenTable,
): string {
  const file = localTokenFile(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const byRole = Object.fromEntries([...tokens].map(([token, p]) => [p.roles.join('+'), token]));
  writeFileSync(file, `${JSON.stringify({ ...where, tokens: byRole }, null, 2)}\n`, { mode: 0o600 });
  // A file left by an older run keeps its mode on overwrite.
  chmodSync(file, 0o600);
  return file;
}

/** The file of the last local run, or undefined when there is none or it is not ours. */
export function readLocalTokenFile(dataDir: string): LocalTokens | undefined {
  const file = localTokenFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = LocalTokens.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
