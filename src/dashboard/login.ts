/**
 * Login for the dashboard pages: a team lead opens the page in an ordinary browser, which cannot send a bearer
 * header, so the token is entered once in a form and kept in an HttpOnly, SameSite=Strict cookie limited to
 * /dashboard. The API itself still takes only the Authorization header.
 */
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';

import type { JobcenterSettings } from '../config/jobcenter.js';
import type { TokenTable } from '../config/tokens.js';
import { hasRole, lookup, principalOf, requireRole, scopeOf } from '../http/auth.js';
import { cleanText } from '../http/text-hygiene.js';
import { esc } from './page.js';

export const DASHBOARD_COOKIE = 'jc_dashboard';
export const LOGIN_PATH = '/dashboard/login';

/** Only our own dashboard pages are valid targets after login, so the form cannot send anyone elsewhere. */
function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/dashboard(\/[a-z0-9-]+)?(\?[\w=&.%-]*)?$/i.test(next) ? next : undefined;
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:15px/1.4 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{font:inherit;padding:.4rem 1rem;margin-top:.8rem}.error{color:#c62828}</style>
</head><body>${body}</body></html>`;

function loginPage(next: string | undefined, error?: string): string {
  return page(
    'Anmeldung MDS-Übersicht',
    `<h1>MDS-Übersicht</h1>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${LOGIN_PATH}">
<label for="token">Zugangsschlüssel (API-Token der Teamleitung oder der Eingangszone)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
${next ? `<input type="hidden" name="next" value="${esc(next)}">` : ''}
<button type="submit">Anmelden</button>
</form>
<p><a href="/arbeitsplatz/anmelden${next ? `?next=${esc(encodeURIComponent(next))}` : ''}">Mit Ihrem Benutzerkonto anmelden (Arbeitsplatz Neukunden)</a></p>`,
  );
}

const LoginBody = z.object({ token: z.string().max(500).default(''), next: z.string().max(500).optional() });

/**
 * The API's text hygiene (validate() does it for every other route) for the form and its address, answered as the
 * form page a browser expects; the cleaned form, or undefined when refused.
 */
function cleanForm(req: Request, res: Response): unknown {
  const query = cleanText(req.query, undefined, 'query');
  const body = cleanText(req.body ?? {}, LoginBody, 'body');
  const issues = [...query.issues, ...body.issues];
  if (!issues.length) return body.value;
  const fields = issues.map((i) => i.path).join(', ');
  res
    .status(400)
    .type('html')
    .send(loginPage(undefined, `Die Eingabe enthält Steuerzeichen oder ungültige Zeichen (${fields}).`));
  return undefined;
}

export function dashboardLoginRouter(tokens: TokenTable): Router {
  const router = Router();
  router.get(LOGIN_PATH, (req, res) => {
    if (cleanForm(req, res) === undefined) return;
    res.type('html').send(loginPage(safeNext(req.query.next)));
  });
  router.post(LOGIN_PATH, express.urlencoded({ extended: false, limit: '2kb' }), (req, res) => {
    const form = cleanForm(req, res);
    if (form === undefined) return;
    const body = LoginBody.safeParse(form);
    const next = body.success ? safeNext(body.data.next) : undefined;
    const principal = body.success && body.data.token ? lookup(tokens, body.data.token.trim()) : undefined;
    if (!principal || !hasRole(principal, ['TL', 'EZ'])) {
      res
        .status(401)
        .type('html')
        .send(loginPage(next, 'Dieser Zugangsschlüssel ist unbekannt oder gilt nicht für die MDS-Übersicht.'));
      return;
    }
    res.cookie(DASHBOARD_COOKIE, body.data!.token.trim(), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/dashboard',
      maxAge: 12 * 3600_000,
    });
    res.redirect(303, next ?? (principal.jobcenter ? `/dashboard/${principal.jobcenter}` : '/dashboard'));
  });
  router.post('/dashboard/logout', (_req, res) => {
    res.clearCookie(DASHBOARD_COOKIE, { path: '/dashboard' });
    res.redirect(303, LOGIN_PATH);
  });
  return router;
}

/** GET /dashboard: a token bound to one jobcenter goes straight to its page; others choose. */
export function dashboardIndexRouter(jobcenters: ReadonlyMap<string, JobcenterSettings>): Router {
  const router = Router();
  router.get('/dashboard', requireRole('TL', 'EZ'), (_req, res) => {
    const scope = scopeOf(principalOf(res));
    if (scope?.length === 1) return res.redirect(303, `/dashboard/${scope[0]}`);
    // A regional lead chooses among their jobcenters only.
    const mine = [...jobcenters.values()].filter((j) => !scope || scope.includes(j.id));
    res.type('html').send(
      page(
        'MDS-Übersicht',
        `<h1>MDS-Übersicht</h1><ul>${mine.map((j) => `<li><a href="/dashboard/${esc(j.id)}">${esc(j.name)}</a></li>`).join('')}</ul>
<form method="post" action="/dashboard/logout"><button type="submit">Abmelden</button></form>`,
      ),
    );
  });
  return router;
}
