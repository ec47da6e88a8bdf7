/**
 * The API tokens of the tests: one per role, valid for every jobcenter, each as long as the configuration demands
 * (16 characters), and the Authorization headers that send them. A spec about a jobcenter-bound token or about
 * what a log must not show keeps its own token, and sends it with `bearer`.
 */
import type { Role } from '../../src/config/roles.js';
import { type TokenTable, tokenTable } from '../../src/config/tokens.js';

export const TOKENS = {
  EZ: 'ez-token-0123456789abc',
  SC: 'sc-token-0123456789abc',
  POST: 'post-token-0123456789ab',
  LG: 'lg-token-0123456789abc',
  BI: 'bi-token-0123456789abc',
  IFK: 'ifk-token-0123456789ab',
  TL: 'tl-token-0123456789abc',
  ADMIN: 'admin-token-0123456789',
} as const satisfies Record<Role, string>;

/** The header that sends a token. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** The header of each role's token: `request(app).get(route).set(AUTH.TL)`. */
export const AUTH = Object.fromEntries(Object.entries(TOKENS).map(([role, token]) => [role, bearer(token)])) as Record<
  Role,
  { Authorization: string }
>;

/** An app's token table that gives each of the roles its token, for `buildApp({ tokens })`. */
export function testTokens(...roles: Role[]): TokenTable {
  return tokenTable(new Map(roles.map((role) => [TOKENS[role], [role]])));
}

/** The same grants as the API_TOKENS setting of an app that loads its configuration (`token=ROLE,…`). */
export function apiTokensSetting(...roles: Role[]): string {
  return roles.map((role) => `${TOKENS[role]}=${role}`).join(',');
}
