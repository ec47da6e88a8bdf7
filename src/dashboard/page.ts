/**
 * The MDS dashboard a team lead opens every morning: what is due today and in the next 3 working days, what
 * is overdue, met rates per deadline kind, team and caseworker as SVG bars, each case linked to the workspace,
 * Cockpit and Tasklist, and each figure to the list of the cases behind it. Server-rendered from the same report
 * the API gives, so the numbers cannot differ.
 */
import type { Counts, MdsReport } from '../reports/mds.js';

export interface DueCase {
  applicationId: string;
  processInstanceId: string | null;
  kind: string;
  dueDate: string;
  status: string;
  team: string | null;
  caseworkerId: string | null;
}

/**
 * The soonest due deadlines of a list, at most DUE_LIST_LIMIT, and how many there are in all: a page of thousands
 * of rows helps nobody steer and took seconds to render; the rest are one click away in the workspace's list.
 */
export interface DueList {
  total: number;
  cases: DueCase[];
}

export const DUE_LIST_LIMIT = 50;

const KIND_LABELS: Record<string, string> = {
  'first-consultation': 'Erstberatung (15 Arbeitstage)',
  decision: 'Entscheidung Erstantrag (14 Arbeitstage)',
  quer: 'QuEr Haushaltsvorstand (10 Arbeitstage)',
  'quer-member': 'Erstgespräch BG-Mitglied (Folgemonat)',
};

/** The instance in Cockpit: its diagram with the tokens where it stands, variables, incidents. */
export const cockpitLink = (cockpitUrl: string, processInstanceId: string) =>
  `${cockpitUrl}#/process-instance/${encodeURIComponent(processInstanceId)}/runtime`;

/**
 * The instance's open tasks in Tasklist, as its search widget puts them in the URL: Operaton 1.0.3 (like
 * Camunda 7) knows the search type processInstanceIdIn with the operator In and a list of ids; an unknown type
 * such as processInstanceId is dropped silently and the list shows every task (checked in Chromium by
 * test/integration/dashboard-on-engine.integration.spec.ts). The link survives Tasklist's login.
 */
export const tasklistLink = (tasklistUrl: string, processInstanceId: string) =>
  `${tasklistUrl}#/?searchQuery=${encodeURIComponent(JSON.stringify([{ type: 'processInstanceIdIn', operator: 'In', value: [processInstanceId], name: '' }]))}`;

/** Escapes text for HTML content and quoted attributes. */
export const esc = (s: string | number | null | undefined) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (r: number | null) => (r === null ? '–' : `${Math.round(r * 100)} %`);
const de = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
const count = (n: number) => n.toLocaleString('de-DE');

/** One horizontal bar per row: met (green), breached (red), open (grey), scaled to the largest total. */
function bars(rows: { label: string; c: Counts }[]): string {
  const max = Math.max(1, ...rows.map((r) => r.c.due));
  // Bars start after the longest label (34 characters at 12 px).
  const X = 250;
  const h = 22;
  const body = rows
    .map((r, i) => {
      const y = i * h;
      const w = (n: number) => (n / max) * 360;
      const met = w(r.c.met);
      const breached = w(r.c.breached);
      const open = w(r.c.open);
      const label = r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label;
      return `<g transform="translate(0,${y})"><text x="0" y="15" font-size="12"><title>${esc(r.label)}</title>${esc(label)}</text>
<rect x="${X}" y="3" width="${met}" height="14" fill="#2e7d32"><title>erfüllt: ${r.c.met}</title></rect>
<rect x="${X + met}" y="3" width="${breached}" height="14" fill="#c62828"><title>verfehlt: ${r.c.breached}</title></rect>
<rect x="${X + met + breached}" y="3" width="${open}" height="14" fill="#9e9e9e"><title>offen: ${r.c.open}</title></rect>
<text x="${X + 6 + met + breached + open}" y="15" font-size="12">${r.c.due} · ${pct(r.c.metRate)}</text></g>`;
    })
    .join('\n');
  return `<svg aria-hidden="true" focusable="false" width="720" height="${rows.length * h + 4}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

/** Where the cases behind the figures are listed: the workspace's Neukunden list, filtered as the report counts. */
export const CASES_PATH = '/arbeitsplatz/neukunden';

/** The list filter (`frist`) for each counted column; `due` has none, since it leaves the not applicable out. */
const COLUMN_FILTERS: Partial<Record<keyof Counts, string>> = {
  met: 'met',
  breached: 'breached',
  open: 'open',
  overdue: 'overdue',
  dueSoon: 'soon',
  notApplicable: 'not-applicable',
};

const COLUMN_WORDS: Partial<Record<keyof Counts, string>> = {
  met: 'erfüllt',
  breached: 'verfehlt',
  open: 'offen',
  overdue: 'überfällig',
  dueSoon: 'bald fällig',
  notApplicable: 'entfallen',
};

interface FigureRow {
  id: string | null;
  label: string;
  c: Counts;
  /** The list filters that pick this row's deadlines (kind, team, caseworker); undefined: the list cannot. */
  filter?: Record<string, string>;
}

/**
 * Each row carries its group and raw key (kind, team id, caseworker id; empty for none), so scripts need not parse
 * labels. A figure links to the cases behind it when the list can select exactly its deadlines.
 */
function table(
  title: string,
  group: string,
  rows: FigureRow[],
  link: (row: FigureRow, column: keyof Counts) => string | undefined,
): string {
  const cell = (r: FigureRow, column: keyof Counts) => {
    const href = r.c[column] ? link(r, column) : undefined;
    const n = r.c[column];
    return `<td class="${column}">${href ? `<a href="${esc(href)}" aria-label="${esc(`${COLUMN_WORDS[column]}: ${n}, ${r.label}, Vorgänge anzeigen`)}">${n}</a>` : n}</td>`;
  };
  return `<h3>${esc(title)}</h3>
<table><thead><tr><th></th><th>fällig</th><th>erfüllt</th><th>verfehlt</th><th>offen</th><th>überfällig</th><th>bald fällig</th><th>entfallen</th><th>Quote</th></tr></thead><tbody>
${rows.map((r) => `<tr data-group="${group}" data-id="${esc(r.id ?? '')}" data-key="${esc(r.label)}"><th>${esc(r.label)}</th><td class="due">${r.c.due}</td>${cell(r, 'met')}${cell(r, 'breached')}${cell(r, 'open')}${cell(r, 'overdue')}${cell(r, 'dueSoon')}${cell(r, 'notApplicable')}<td class="metRate">${pct(r.c.metRate)}</td></tr>`).join('\n')}
</tbody></table>
${bars(rows)}`;
}

export function dashboardHtml(p: {
  jobcenterName: string;
  report: MdsReport;
  upcoming: DueList;
  overdue: DueList;
  cockpitUrl: string;
  tasklistUrl: string;
  /** Caseworker id -> name, from the settings; ids without a name are shown as they are. */
  names: ReadonlyMap<string, string>;
  /** The jobcenter's team ids: the list filters only by these. */
  teamIds: ReadonlySet<string>;
  /** Today in Berlin: the list counts overdue and due soon as of today, so only then do those figures link. */
  today: string;
}): string {
  const r = p.report;
  const link = (row: FigureRow, column: keyof Counts) => {
    const frist = COLUMN_FILTERS[column];
    if (!frist || !row.filter) return undefined;
    if ((column === 'overdue' || column === 'dueSoon') && r.asOf !== p.today) return undefined;
    return `${CASES_PATH}?${new URLSearchParams({ frist, ...row.filter, von: r.from, bis: r.to })}`;
  };
  const who = (id: string | null) => (id ? (p.names.get(id) ?? id) : '');
  const caseRow = (
    c: DueCase,
  ) => `<tr><td>${de(c.dueDate)}</td><td>${esc(KIND_LABELS[c.kind] ?? c.kind)}</td><td>${esc(c.team)}</td><td>${esc(who(c.caseworkerId))}</td>
<td><a class="case" href="${esc(`${CASES_PATH}/${c.applicationId}`)}">Vorgang</a>${c.processInstanceId ? ` · <a class="cockpit" href="${esc(cockpitLink(p.cockpitUrl, c.processInstanceId))}">Cockpit</a> · <a class="tasklist" href="${esc(tasklistLink(p.tasklistUrl, c.processInstanceId))}">Tasklist</a>` : ''}</td></tr>`;
  // The workspace's list counts due soon and overdue as of today, so it shows the rest only when the page does too.
  const dueTable = (list: DueList, frist: 'soon' | 'overdue') => {
    const more =
      list.total > list.cases.length
        ? `<p class="more">Die ${count(list.cases.length)} am frühesten fälligen von ${count(list.total)}${r.asOf === p.today ? `; <a href="${esc(`${CASES_PATH}?${new URLSearchParams({ frist })}`)}">alle Vorgänge dazu im Arbeitsplatz</a>` : ''}.</p>\n`
        : '';
    return `${more}<table><thead><tr><th>fällig am</th><th>Frist</th><th>Team</th><th>Betreuer/in</th><th>Fall</th></tr></thead><tbody>${list.cases.map(caseRow).join('\n')}</tbody></table>`;
  };
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>MDS-Übersicht ${esc(p.jobcenterName)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}.breached,.overdue{color:#c62828}</style></head>
<body>
<h1>MDS-Übersicht ${esc(p.jobcenterName)}</h1>
<nav aria-label="Anwendungen"><a href="/arbeitsplatz/aufgaben">Arbeitsplatz Neukunden</a></nav>
<form method="post" action="/dashboard/logout" class="logout"><button type="submit">Abmelden</button></form>
<p>Fristen mit Fälligkeit vom ${de(r.from)} bis ${de(r.to)}, Stand ${de(r.asOf)}. Grün: erfüllt, rot: verfehlt, grau: offen.</p>
<h2>Heute und in den nächsten 3 Arbeitstagen fällig (${count(p.upcoming.total)})</h2>
${dueTable(p.upcoming, 'soon')}
<h2>Überfällig (${count(p.overdue.total)})</h2>
${dueTable(p.overdue, 'overdue')}
<h2>Quoten</h2>
<p>Die Zahlen zählen Fristen; ein Klick auf eine Zahl zeigt die Vorgänge dazu im Arbeitsplatz (ein Vorgang kann mehrere Fristen haben).</p>
${table(
  'nach Frist',
  'kind',
  r.kinds.map((k) => ({ id: k.kind, label: KIND_LABELS[k.kind] ?? k.kind, c: k, filter: { art: k.kind } })),
  link,
)}
${table(
  'nach Team',
  'team',
  r.byTeam.map((t) => ({
    id: t.team,
    label: t.team ?? 'ohne Team',
    c: t,
    filter: t.team && p.teamIds.has(t.team) ? { team: t.team } : undefined,
  })),
  link,
)}
${table(
  'nach Betreuer/in',
  'caseworker',
  r.byCaseworker.map((c) => ({
    id: c.caseworkerId,
    label: c.caseworkerId ? who(c.caseworkerId) : 'ohne Zuordnung',
    c,
    filter: c.caseworkerId && p.names.has(c.caseworkerId) ? { fachkraft: c.caseworkerId } : undefined,
  })),
  link,
)}
</body></html>`;
}
