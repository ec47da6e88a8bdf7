/** Bearer-token authentication; routes name the roles that may call them, ADMIN may call everything. */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Role } from '../config/roles.js';
import type { TokenTable } from '../config/tokens.js';
import { HttpError } from './errors.js';

function lookup(tokens: TokenTable, presented: string): readonly Role[] | undefined {
  const p = Buffer.from(presented);
  for (const [token, roles] of tokens) {
    const t = Buffer.from(token);
    if (t.length === p.length && timingSafeEqual(t, p)) return roles;
  }
  return undefined;
}

export function authenticate(tokens: TokenTable): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const roles = m?.[1] ? lookup(tokens, m[1]) : undefined;
    if (!roles) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return next(new HttpError(401, 'A valid bearer token is required', [{ path: 'headers.authorization', message: 'missing or unknown token' }]));
    }
    res.locals.roles = roles;
    next();
  };
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (_req, res, next) => {
    const roles = (res.locals.roles ?? []) as Role[];
    if (roles.includes('ADMIN') || roles.some((r) => allowed.includes(r))) return next();
    next(new HttpError(403, `This needs one of the roles ${['ADMIN', ...allowed].join(', ')}`));
  };
}
