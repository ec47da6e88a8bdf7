/**
 * The frame of every workspace page: German, a skip link, one navigation (with the MDS dashboard), a visible
 * focus, and colours with enough contrast (WCAG 2.1 AA, BITV 2.0). Pages give their title and main content.
 */
import { esc } from '../dashboard/page.js';

export { esc };

export const BASE = '/arbeitsplatz';

const STYLE = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
a{color:#0b4f9c}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;padding:.5rem 1.5rem;border-bottom:2px solid #0b4f9c}
header nav ul{display:flex;gap:1.25rem;list-style:none;margin:0;padding:0}
header nav a[aria-current=page]{font-weight:700}
main{padding:1rem 1.5rem;max-width:1400px}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{border-bottom:1px solid #c4c4c4;padding:.35rem .6rem;text-align:left;vertical-align:top}
thead th{background:#eef2f7}
caption{text-align:left;font-weight:700;padding:.25rem 0}
button{font:inherit;padding:.25rem .8rem;border:1px solid #0b4f9c;background:#0b4f9c;color:#fff;border-radius:3px;cursor:pointer}
button.secondary{background:#fff;color:#0b4f9c}
input,select{font:inherit;padding:.3rem}
label{display:block;font-weight:600}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin:.5rem 0}
.overdue,.breached{color:#a00000;font-weight:600}
.soon{color:#7a4a00;font-weight:600}
.error{color:#a00000}
.pager{display:flex;gap:1rem;align-items:center}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.facts dt{font-weight:600}
.inline{display:inline}
.muted{color:#555}
`;

export interface PageUser {
  userId: string;
  jobcenterName: string;
  csrf: string;
  /** The engine groups of the login: the navigation offers only what they may open. */
  groups?: readonly string[];
}

type Section = 'tasks' | 'cases' | 'post' | 'capacity' | 'none';

/** The post room's print list (src/workspace/print-list.ts). */
export const POST_ROOM = `${BASE}/postausgang`;
/** The post room prints and sends; team leads look after it when the post room is away. */
const POST_ROOM_GROUPS = ['POST', 'TL'];
export const mayUsePostRoom = (groups: readonly string[] | undefined) =>
  !!groups?.some((g) => POST_ROOM_GROUPS.includes(g));

export function layout(p: { title: string; user?: PageUser; current?: Section; main: string }): string {
  const nav = p.user
    ? `<nav aria-label="Hauptnavigation"><ul>
<li><a href="${BASE}/aufgaben"${p.current === 'tasks' ? ' aria-current="page"' : ''}>Meine Aufgaben</a></li>
<li><a href="${BASE}/neukunden"${p.current === 'cases' ? ' aria-current="page"' : ''}>Neukunden</a></li>
${mayUsePostRoom(p.user.groups) ? `<li><a href="${POST_ROOM}"${p.current === 'post' ? ' aria-current="page"' : ''}>Postausgang</a></li>\n` : ''}${p.user.groups?.includes('TL') ? `<li><a href="${BASE}/kapazitaet"${p.current === 'capacity' ? ' aria-current="page"' : ''}>Kapazität</a></li>\n` : ''}<li><a href="/dashboard">MDS-Übersicht</a></li>
</ul></nav>
<div><span>${esc(p.user.userId)} · ${esc(p.user.jobcenterName)}</span>
<form method="post" action="${BASE}/abmelden" class="inline">${csrfField(p.user.csrf)}<button type="submit" class="secondary">Abmelden</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} – Arbeitsplatz Neukunden</title>
<style>${STYLE}</style></head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header><p><strong>Arbeitsplatz Neukunden</strong></p>${nav}</header>
<main id="inhalt" tabindex="-1">
${p.main}
</main>
</body></html>`;
}

/** 403 for a page the login's groups may not open; `why` says who may. */
export function forbiddenPage(user: PageUser, why: string): string {
  return layout({ title: 'Kein Zugriff', user, current: 'none', main: `<h1>Kein Zugriff</h1><p>${esc(why)}</p>` });
}

export const csrfField = (token: string) => `<input type="hidden" name="_csrf" value="${esc(token)}">`;

/** 2026-11-23 -> 23.11.2026 */
export const deDate = (d: string | null | undefined) =>
  d ? `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}` : '–';

/** An instant in Berlin time, 23.11.2026, 09:20 */
export const deDateTime = (d: Date | string | null | undefined) =>
  d
    ? new Intl.DateTimeFormat('de-DE', {
        timeZone: 'Europe/Berlin',
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(d))
    : '–';

export const CHANNEL_LABELS: Record<string, string> = {
  EZ: 'Eingangszone',
  SC: 'Servicecenter',
  POST: 'Post',
  ONLINE: 'jobcenter.digital',
};

export const DEADLINE_LABELS: Record<string, string> = {
  'first-consultation': 'Erstberatung',
  decision: 'Entscheidung Erstantrag',
  quer: 'QuEr Haushaltsvorstand',
  'quer-member': 'Erstgespräch BG-Mitglied',
};

export const CASE_STATUS_LABELS: Record<string, string> = {
  'in-progress': 'in Bearbeitung',
  'not-new-customer': 'kein Neukunde',
  forwarded: 'weitergeleitet',
  rejected: 'abgelehnt',
  'approved-in-principle': 'dem Grunde nach bewilligt',
};

export const STATUS_LABELS: Record<string, string> = {
  open: 'offen',
  soon: 'bald fällig',
  overdue: 'überfällig',
  met: 'erfüllt',
  breached: 'verfehlt',
  'not-applicable': 'entfallen',
};

/** A pager that keeps the other query parameters. */
export function pager(path: string, query: Record<string, string | undefined>, page: number, pages: number): string {
  const link = (n: number, label: string, rel: string) => {
    const q = new URLSearchParams(
      Object.entries({ ...query, seite: String(n) }).filter((e): e is [string, string] => !!e[1]),
    );
    return `<a href="${esc(`${path}?${q}`)}" rel="${rel}">${label}</a>`;
  };
  return `<nav class="pager" aria-label="Seiten">${page > 1 ? link(page - 1, 'Vorherige Seite', 'prev') : ''}
<span>Seite ${page} von ${Math.max(1, pages)}</span>${page < pages ? link(page + 1, 'Nächste Seite', 'next') : ''}</nav>`;
}
