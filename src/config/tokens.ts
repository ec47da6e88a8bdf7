/** Parses API_TOKENS ("t1=EZ+SC,t2=ADMIN") and, on a loopback-only development setup, makes local tokens. */
import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from './roles.js';

export type TokenTable = ReadonlyMap<string, readonly Role[]>;

export function parseApiTokens(spec: string): { tokens?: Map<string, Role[]>; problems: string[] } {
  const tokens = new Map<string, Role[]>();
  const problems: string[] = [];
  for (const [i, entry] of spec.split(',').entries()) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const token = eq > 0 ? trimmed.slice(0, eq) : '';
    const roles = eq > 0 ? trimmed.slice(eq + 1).split('+').map((r) => r.trim()) : [];
    if (!token || roles.length === 0) {
      problems.push(`entry ${i + 1} must look like token=ROLE+ROLE`);
      continue;
    }
    if (token.length < 16) problems.push(`entry ${i + 1}: the token must be at least 16 characters`);
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length) problems.push(`entry ${i + 1}: unknown role ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
    tokens.set(token, roles as Role[]);
  }
  if (tokens.size === 0 && problems.length === 0) problems.push('no tokens given');
  return problems.length ? { problems } : { tokens, problems };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** One token per role, so a developer can try each role's view; printed at start, never logged. */
export function generateLocalTokens(): Map<string, Role[]> {
  return new Map(ROLES.map((role) => [`local-${role.toLowerCase()}-${randomBytes(12).toString('hex')}`, [role]]));
}
