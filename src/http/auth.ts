/**
 * Bearer-token authentication; routes name the roles that may call them, ADMIN may call everything. A token bound
 * to a jobcenter sees only that jobcenter: asking for another one by name is refused (403), and a case of another
 * jobcenter looks like no case at all (404), so ids of other jobcenters' cases reveal nothing.
 */
import { timingSafeEqual } from 'node:crypto';

import type { RequestHandler, Response } from 'express';

import type { Role } from '../config/roles.js';
import type { Principal, TokenTable } from '../config/tokens.js';
import { HttpError } from './errors.js';

export function lookup(tokens: TokenTable, presented: string): Principal | undefined {
  const p = Buffer.from(presented);
  for (const [token, principal] of tokens) {
    const t = Buffer.from(token);
    if (t.length === p.length && timingSafeEqual(t, p)) return principal;
  }
  return undefined;
}

/** The value of one cookie of the request, if sent; a value that is not valid percent-encoding counts as none. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined; // URIError: a client's malformed cookie is an unknown token (401), never a 500
      }
    }
  }
  return undefined;
}

/**
 * The bearer token from the Authorization header; for pages (`page` given), also from the login cookie, and a
 * browser without either is sent to the login form instead of getting a bare 401.
 */
export function authenticate(tokens: TokenTable, page?: { cookie: string; loginPath: string }): RequestHandler {
  return (req, res, next) => {
    // Already known from a page login of the staff workspace (src/workspace/login.ts).
    if (page && res.locals.principal) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const presented = m?.[1] ?? (page ? cookieValue(req.headers.cookie, page.cookie) : undefined);
    const principal = presented ? lookup(tokens, presented) : undefined;
    if (!principal && page && req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      return res.redirect(303, `${page.loginPath}?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return next(
        new HttpError(401, 'A valid bearer token is required', [
          { path: 'headers.authorization', message: 'missing or unknown token' },
        ]),
      );
    }
    res.locals.principal = principal;
    next();
  };
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new Error('principalOf called on a route without authenticate()');
  return p;
}

export function hasRole(principal: Principal, allowed: readonly Role[]): boolean {
  return principal.roles.includes('ADMIN') || principal.roles.some((r) => allowed.includes(r));
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (_req, res, next) => {
    if (hasRole(principalOf(res), allowed)) return next();
    next(new HttpError(403, `This needs one of the roles ${['ADMIN', ...allowed].join(', ')}`));
  };
}

/** The jobcenters a principal may act on; undefined for all. */
export function scopeOf(principal: Principal): readonly string[] | undefined {
  return principal.jobcenters ?? (principal.jobcenter !== undefined ? [principal.jobcenter] : undefined);
}

/** Refuses a jobcenter the token is not bound to; `path` names the request field that asked for it. */
export function requireJobcenter(res: Response, jobcenter: string, path: string): void {
  const scope = scopeOf(principalOf(res));
  if (scope !== undefined && !scope.includes(jobcenter)) {
    throw new HttpError(403, `This token is for jobcenter ${scope.map((j) => `"${j}"`).join(', ')} only`, [
      { path, message: `may not act on jobcenter "${jobcenter}"` },
    ]);
  }
}

/** True when the token may see a case of this jobcenter; callers answer 404 otherwise. */
export function maySee(res: Response, jobcenter: string): boolean {
  const scope = scopeOf(principalOf(res));
  return scope === undefined || scope.includes(jobcenter);
}
