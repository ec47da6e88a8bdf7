/**
 * The staff workspace's login, kept in the browser and nowhere else so any replica can serve the next request:
 * `<payload>.<signature>`, the payload base64url JSON (user id, groups, jobcenter, expiry, a random nonce), the
 * signature HMAC-SHA256 over it with WORKSPACE_SESSION_SECRET. The cookie is HttpOnly and SameSite=Strict; POST
 * forms also carry a token derived from the nonce, so a form from anywhere else is refused even where a browser
 * would send the cookie.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { z } from 'zod';

export const SESSION_COOKIE = 'jc_arbeitsplatz';
/** A working day and a little: staff log in once in the morning. */
export const SESSION_HOURS = 10;

export const Session = z.object({
  /** The engine user id. */
  u: z.string(),
  /** The engine groups at login. */
  g: z.array(z.string()),
  /**
   * The jobcenters whose cases the user sees (one for most staff, several for a regional lead); null: every
   * jobcenter (local trial logins without a jobcenter group only). A cookie from before regional leads holds one id.
   */
  j: z.union([z.array(z.string()).min(1), z.string().transform((id) => [id])]).nullable(),
  /** Expiry, epoch milliseconds. */
  exp: z.number(),
  /** Random per login: the CSRF token is derived from it. */
  n: z.string(),
});
export type Session = z.infer<typeof Session>;

const mac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('base64url');

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newSession(
  account: { userId: string; groups: string[]; jobcenters: string[] | null },
  now: Date,
): Session {
  return {
    u: account.userId,
    g: account.groups,
    j: account.jobcenters,
    exp: now.getTime() + SESSION_HOURS * 3600_000,
    n: randomBytes(16).toString('base64url'),
  };
}

export function sealSession(secret: string, session: Session): string {
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `${payload}.${mac(secret, `session.${payload}`)}`;
}

/** The session a cookie holds, if its signature is ours and it has not expired. */
export function openSession(secret: string, cookie: string | undefined, now: Date): Session | undefined {
  if (!cookie) return undefined;
  const dot = cookie.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = cookie.slice(0, dot);
  if (!equal(cookie.slice(dot + 1), mac(secret, `session.${payload}`))) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = Session.safeParse(json);
  if (!parsed.success || parsed.data.exp <= now.getTime()) return undefined;
  return parsed.data;
}

/** Whether the session may see a case of this jobcenter. */
export const mayJobcenter = (session: Session, jobcenter: string) =>
  session.j === null || session.j.includes(jobcenter);

/** The token every POST form of this session carries. */
export const csrfToken = (secret: string, session: Session) => mac(secret, `csrf.${session.u}.${session.n}`);

export function csrfValid(secret: string, session: Session, presented: unknown): boolean {
  return typeof presented === 'string' && equal(presented, csrfToken(secret, session));
}
