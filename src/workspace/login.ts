/**
 * Staff log in to the workspace with the account they use for Tasklist and Cockpit: the engine checks the
 * password and names the groups; we keep no passwords. The groups decide the jobcenters: each group
 * `jobcenter-<id>` (the group that also makes the account a member of that jobcenter's engine tenant) and each
 * team group of exactly one jobcenter's settings (`team-<team id>`, as provisioning names them). A regional lead
 * in several jobcenter groups sees those jobcenters. With one jobcenter configured every login belongs to it; an
 * account with none is refused, except outside production, where it sees every jobcenter like the local tokens.
 */
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';

import type { JobcenterSettings } from '../config/jobcenter.js';
import { ROLES } from '../config/roles.js';
import type { Principal } from '../config/tokens.js';
import { jobcenterGroupId, teamGroupId } from '../engine/provision.js';
import type { StaffEngine } from '../engine/staff.js';
import { cookieValue } from '../http/auth.js';
import { cleanText } from '../http/text-hygiene.js';
import { BASE, esc, layout, type PageUser } from './layout.js';
import {
  csrfToken,
  csrfValid,
  newSession,
  openSession,
  sealSession,
  Session,
  SESSION_COOKIE,
  SESSION_HOURS,
} from './session.js';

export const WORKSPACE_LOGIN = `${BASE}/anmelden`;

export interface WorkspaceAuth {
  secret: string;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  /** Production refuses accounts without a jobcenter; elsewhere they see all (local trial logins). */
  allowUnbound: boolean;
  now: () => Date;
}

/** The jobcenters an account's groups bind it to: their ids, null for all, or a refusal in German. */
export function jobcentersOf(
  groups: readonly string[],
  jobcenters: ReadonlyMap<string, JobcenterSettings>,
  allowUnbound: boolean,
): { jobcenters: string[] | null } | { refused: string } {
  const found = new Set<string>();
  for (const jc of jobcenters.values()) {
    if (groups.includes(jobcenterGroupId(jc.id))) found.add(jc.id);
    for (const team of jc.teams) {
      const owners = [...jobcenters.values()].filter((o) => o.teams.some((t) => t.id === team.id));
      if (owners.length === 1 && groups.includes(teamGroupId(team.id))) found.add(jc.id);
    }
  }
  if (found.size > 0) return { jobcenters: [...found] };
  if (jobcenters.size === 1) return { jobcenters: [...jobcenters.keys()] };
  if (allowUnbound) return { jobcenters: null };
  return { refused: 'Ihr Konto ist keinem Jobcenter zugeordnet. Bitte wenden Sie sich an die Administration.' };
}

/** Only our own workspace pages are targets after login. */
function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(arbeitsplatz|dashboard)(\/[a-z0-9-]+)*(\?[\w=&.%+-]*)?$/i.test(next)
    ? next
    : undefined;
}

function loginPage(next: string | undefined, error?: string, userId = ''): string {
  return layout({
    title: 'Anmeldung',
    main: `<h1>Anmeldung</h1>
<p>Melden Sie sich mit Ihrem Konto für Tasklist und Cockpit an.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${WORKSPACE_LOGIN}">
<p><label for="benutzer">Benutzerkennung</label>
<input id="benutzer" name="benutzer" autocomplete="username" required value="${esc(userId)}"></p>
<p><label for="passwort">Passwort</label>
<input id="passwort" name="passwort" type="password" autocomplete="current-password" required></p>
${next ? `<input type="hidden" name="next" value="${esc(next)}">` : ''}
<p><button type="submit">Anmelden</button></p>
</form>`,
  });
}

const LoginBody = z.object({
  benutzer: z.string().max(64).default(''),
  passwort: z.string().max(200).default(''),
  next: z.string().max(500).optional(),
});

/** The API's text hygiene for a form, answered as a page; the cleaned body, or undefined when refused. */
export function cleanForm<T extends z.ZodTypeAny>(
  req: Request,
  res: Response,
  schema: T,
  render: (msg: string) => string,
): unknown {
  const query = cleanText(req.query, undefined, 'query');
  const body = cleanText(req.body ?? {}, schema, 'body');
  const issues = [...query.issues, ...body.issues];
  if (!issues.length) return body.value;
  res
    .status(400)
    .type('html')
    .send(
      render(`Die Eingabe enthält Steuerzeichen oder ungültige Zeichen (${issues.map((i) => i.path).join(', ')}).`),
    );
  return undefined;
}

const cookieOptions = (req: Request) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: req.secure,
  // The whole site: the MDS dashboard (/dashboard) takes the same login.
  path: '/',
});

export function workspaceLoginRouter(auth: WorkspaceAuth, staff: StaffEngine): Router {
  const router = Router();
  router.get(WORKSPACE_LOGIN, (req, res) => {
    if (cleanForm(req, res, LoginBody, (m) => loginPage(undefined, m)) === undefined) return;
    res.type('html').send(loginPage(safeNext(req.query.next)));
  });
  router.post(WORKSPACE_LOGIN, express.urlencoded({ extended: false, limit: '2kb' }), async (req, res, next) => {
    try {
      const form = cleanForm(req, res, LoginBody, (m) => loginPage(undefined, m));
      if (form === undefined) return;
      const body = LoginBody.safeParse(form);
      if (!body.success)
        return void res
          .status(400)
          .type('html')
          .send(loginPage(undefined, 'Bitte Benutzerkennung und Passwort angeben.'));
      const target = safeNext(body.data.next);
      const userId = body.data.benutzer.trim();
      const account = await staff.verify(userId, body.data.passwort);
      if (!account) {
        res
          .status(401)
          .type('html')
          .send(loginPage(target, 'Benutzerkennung oder Passwort ist falsch.', userId));
        return;
      }
      const scope = jobcentersOf(account.groups, auth.jobcenters, auth.allowUnbound);
      if ('refused' in scope) {
        res
          .status(403)
          .type('html')
          .send(loginPage(target, scope.refused, userId));
        return;
      }
      const session = newSession({ ...account, jobcenters: scope.jobcenters }, auth.now());
      res.cookie(SESSION_COOKIE, sealSession(auth.secret, session), {
        ...cookieOptions(req),
        maxAge: SESSION_HOURS * 3600_000,
      });
      res.redirect(303, target ?? `${BASE}/aufgaben`);
    } catch (e) {
      next(e);
    }
  });
  return router;
}

export function sessionOf(res: Response): Session {
  const s = res.locals.staffSession as Session | undefined;
  if (!s) throw new Error('sessionOf called on a route without requireStaff()');
  return s;
}

export function pageUser(res: Response, auth: WorkspaceAuth): PageUser {
  const s = sessionOf(res);
  return {
    userId: s.u,
    jobcenterName: s.j ? s.j.map((id) => auth.jobcenters.get(id)?.name ?? id).join(', ') : 'alle Jobcenter',
    csrf: csrfToken(auth.secret, s),
    groups: s.g,
  };
}

/**
 * Every workspace route after the login: a valid session cookie, else the login form (GET) or 401; every POST
 * also needs the session's CSRF token in its form.
 */
export function requireStaff(auth: WorkspaceAuth): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: '20kb' }),
    (req, res, next) => {
      const session = openSession(auth.secret, cookieValue(req.headers.cookie, SESSION_COOKIE), auth.now());
      if (!session) {
        if (req.method === 'GET')
          return res.redirect(303, `${WORKSPACE_LOGIN}?next=${encodeURIComponent(req.originalUrl)}`);
        return res.status(401).type('html').send(loginPage(undefined, 'Bitte melden Sie sich an.'));
      }
      if (
        req.method === 'POST' &&
        !csrfValid(auth.secret, session, (req.body as Record<string, unknown> | undefined)?._csrf)
      ) {
        return res
          .status(403)
          .type('html')
          .send(
            layout({
              title: 'Abgelehnt',
              main: '<h1>Abgelehnt</h1><p role="alert">Das Formular ist ungültig oder abgelaufen. Bitte laden Sie die Seite neu.</p>',
            }),
          );
      }
      res.locals.staffSession = session;
      next();
    },
  ];
}

/**
 * For the MDS dashboard: a workspace login counts like a token with the roles among the account's groups (EZ,
 * TL, ...) and its jobcenter; without one the dashboard asks for its token as before.
 */
export function workspacePrincipal(auth: WorkspaceAuth): RequestHandler {
  return (req, res, next) => {
    const s = openSession(auth.secret, cookieValue(req.headers.cookie, SESSION_COOKIE), auth.now());
    if (s) {
      const roles = ROLES.filter((r) => r !== 'ADMIN' && s.g.includes(r));
      // One jobcenter: like a token bound to it; several (a regional lead): each of them.
      const principal: Principal =
        s.j?.length === 1
          ? { roles, jobcenter: s.j[0], actor: `user:${s.u}` }
          : { roles, ...(s.j ? { jobcenters: s.j } : {}), actor: `user:${s.u}` };
      res.locals.principal = principal;
    }
    next();
  };
}

/** Logging out also needs the form's token, while a session is there to end. */
export function logoutRouter(auth: WorkspaceAuth): Router {
  const router = Router();
  router.post(`${BASE}/abmelden`, express.urlencoded({ extended: false, limit: '2kb' }), (req, res) => {
    const session = openSession(auth.secret, cookieValue(req.headers.cookie, SESSION_COOKIE), auth.now());
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (session && !csrfValid(auth.secret, session, token)) {
      res.status(403).type('html').send(loginPage(undefined, 'Das Formular ist ungültig oder abgelaufen.'));
      return;
    }
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, WORKSPACE_LOGIN);
  });
  return router;
}
