/**
 * Parses API_TOKENS ("t1=EZ+SC@cottbus,t2=TL,t3=ADMIN") and, on a loopback-only development setup, makes local
 * tokens. A token named with "@<jobcenter>" acts only on that jobcenter's cases; one without acts on all of them
 * (the supervising TL M&I, administrators, integrations that serve several jobcenters).
 */
import { createHash, randomBytes } from 'node:crypto';

import { type Role, ROLES } from './roles.js';

export interface Principal {
  roles: readonly Role[];
  /** The only jobcenter this token may act on; undefined for all. */
  jobcenter?: string;
  /**
   * A staff login's jobcenters when it has several (a regional lead: src/workspace/login.ts); tokens name one
   * jobcenter or none and leave this unset.
   */
  jobcenters?: readonly string[];
  /** Who acted, for the audit trail: roles, scope and a short hash of the token (never the token itself). */
  actor: string;
}

export type TokenTable = ReadonlyMap<string, Principal>;

/** The audit name of a token: enough to tell tokens apart, useless for calling the API. */
export function principalFor(token: string, roles: readonly Role[], jobcenter?: string): Principal {
  const id = createHash('sha256').update(token).digest('hex').slice(0, 8);
  return { roles, jobcenter, actor: `${roles.join('+')}${jobcenter ? `@${jobcenter}` : ''}#${id}` };
}

type Grant = readonly Role[] | { roles: readonly Role[]; jobcenter?: string };

/** A token table from plain role lists or grants, for tests and tools: `tokenTable({ [token]: ['TL'] })`. */
export function tokenTable(entries: Record<string, Grant> | ReadonlyMap<string, Grant>): TokenTable {
  const pairs: [string, Grant][] =
    entries instanceof Map
      ? [...(entries as ReadonlyMap<string, Grant>)]
      : Object.entries(entries as Record<string, Grant>);
  return new Map(
    pairs.map(([token, grant]) => {
      const { roles, jobcenter }: { roles: readonly Role[]; jobcenter?: string } =
        'roles' in grant ? grant : { roles: grant, jobcenter: undefined };
      return [token, principalFor(token, roles, jobcenter)];
    }),
  );
}

export function parseApiTokens(
  spec: string,
  knownJobcenters?: readonly string[],
): { tokens?: Map<string, Principal>; problems: string[] } {
  const tokens = new Map<string, Principal>();
  const problems: string[] = [];
  for (const [i, entry] of spec.split(',').entries()) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const token = eq > 0 ? trimmed.slice(0, eq) : '';
    const grant = eq > 0 ? trimmed.slice(eq + 1) : '';
    const at = grant.indexOf('@');
    const roles = (at >= 0 ? grant.slice(0, at) : grant)
      .split('+')
      .map((r) => r.trim())
      .filter(Boolean);
    const jobcenter = at >= 0 ? grant.slice(at + 1).trim() : undefined;
    if (!token || roles.length === 0) {
      problems.push(`entry ${i + 1} must look like token=ROLE+ROLE or token=ROLE+ROLE@jobcenter`);
      continue;
    }
    if (token.length < 16) problems.push(`entry ${i + 1}: the token must be at least 16 characters`);
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length)
      problems.push(`entry ${i + 1}: unknown role ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
    if (jobcenter !== undefined && (jobcenter === '' || (knownJobcenters && !knownJobcenters.includes(jobcenter)))) {
      problems.push(
        `entry ${i + 1}: unknown jobcenter "${jobcenter}"${knownJobcenters ? ` (known: ${knownJobcenters.join(', ')})` : ''}`,
      );
    }
    tokens.set(token, principalFor(token, roles as Role[], jobcenter));
  }
  if (tokens.size === 0 && problems.length === 0) problems.push('no tokens given');
  return problems.length ? { problems } : { tokens, problems };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** One token per role, so a developer can try each role's view; printed at start, never logged. */
export function generateLocalTokens(): Map<string, Principal> {
  return new Map(
    ROLES.map((role) => {
      const token = `local-${role.toLowerCase()}-${randomBytes(12).toString('hex')}`;
      return [token, principalFor(token, [role])];
    }),
  );
}
