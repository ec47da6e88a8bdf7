/**
 * The staff workspace under /arbeitsplatz: my tasks (the engine's user tasks of my groups, with the case from the
 * store beside each), the Neukunden list of my jobcenter with search and filters, and one page per case. Another
 * jobcenter's case looks like no case at all (404). Every page that shows personal data writes an audit line.
 */
import { type Request, type Response, Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Calendars } from '../calendar/calendars.js';
import { berlinDate } from '../calendar/index.js';
import { cockpitLink } from '../dashboard/page.js';
import type { StaffEngine, StaffTask } from '../engine/staff.js';
import { cleanText } from '../http/text-hygiene.js';
import type { Database } from '../store/index.js';
import {
  auditView,
  caseList,
  type CaseListRow,
  type CaseView,
  DEADLINE_FILTERS,
  readCase,
  type TaskCaseFacts,
  taskCaseFacts,
} from './cases.js';
import {
  BASE,
  CASE_STATUS_LABELS,
  CHANNEL_LABELS,
  csrfField,
  DEADLINE_LABELS,
  deDate,
  deDateTime,
  esc,
  layout,
  pager,
  type PageUser,
  STATUS_LABELS,
} from './layout.js';
import { pageUser, requireStaff, sessionOf, type WorkspaceAuth } from './login.js';
import { mayJobcenter, type Session } from './session.js';

export interface WorkspaceDeps {
  db: Kysely<Database>;
  staff: StaffEngine;
  calendars: Calendars;
  auth: WorkspaceAuth;
  cockpitUrl: string;
  tasklistUrl: string;
}

const PAGE_SIZE = 25;
/** How many open tasks of the user's groups are read from the engine for one page of the list. */
const TASKS_READ = 500;

const actorOf = (s: Session) => `user:${s.u}`;
const mayCase = mayJobcenter;
/** The audit trail's jobcenter of a view over the session's jobcenters: the one, or "*" for several or all. */
const auditScope = (s: Session) => (s.j?.length === 1 ? s.j[0]! : '*');

function notFound(
  res: Response,
  user: PageUser,
  what = 'Diesen Vorgang gibt es nicht oder Sie dürfen ihn nicht sehen.',
) {
  res
    .status(404)
    .type('html')
    .send(
      layout({ title: 'Nicht gefunden', user, current: 'none', main: `<h1>Nicht gefunden</h1><p>${esc(what)}</p>` }),
    );
}

/** The query or form, cleaned like every API input; undefined (400 page sent) when it holds control characters. */
function cleanQuery(req: Request, res: Response, user: PageUser): Record<string, unknown> | undefined {
  const { value, issues } = cleanText(req.query, undefined, 'query');
  if (!issues.length) return value as Record<string, unknown>;
  res
    .status(400)
    .type('html')
    .send(
      layout({
        title: 'Ungültige Eingabe',
        user,
        main: `<h1>Ungültige Eingabe</h1><p role="alert">Die Eingabe enthält Steuerzeichen oder ungültige Zeichen (${esc(issues.map((i) => i.path).join(', '))}).</p>`,
      }),
    );
  return undefined;
}

const Page = z.coerce.number().int().min(1).max(10_000).catch(1);

const CaseListParams = z.object({
  suche: z.string().max(100).optional(),
  frist: z.enum(DEADLINE_FILTERS).optional().catch(undefined),
  kanal: z.enum(['EZ', 'SC', 'POST', 'ONLINE']).optional().catch(undefined),
  seite: Page.optional(),
});

const Uuid = z.string().uuid();

function ageOn(birthDate: string, today: string): number {
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age--;
  return age;
}

export function workspaceRouter(deps: WorkspaceDeps): Router {
  const router = Router();
  const { auth, db } = deps;
  const guard = requireStaff(auth);
  const names = (jobcenter: string) =>
    new Map((auth.jobcenters.get(jobcenter)?.caseworkers ?? []).map((c) => [c.id, c.name]));
  const today = () => berlinDate(auth.now());
  const soonUntil = (jobcenter: string | null) => {
    const cal = deps.calendars.of(jobcenter ?? [...auth.jobcenters.keys()][0] ?? '');
    return cal ? cal.addWorkingDays(today(), 3) : today();
  };
  const deadlineClass = (due: string | null, jobcenter: string) =>
    !due ? '' : due < today() ? 'overdue' : due <= soonUntil(jobcenter) ? 'soon' : '';
  /** A due date with its state in words too, not by colour alone (WCAG 1.4.1). */
  const dueCell = (due: string | null, jobcenter: string) => {
    const c = deadlineClass(due, jobcenter);
    return `<td class="${c}">${deDate(due)}${c ? ` (${STATUS_LABELS[c]})` : ''}</td>`;
  };

  router.get(BASE, ...guard, (_req, res) => res.redirect(303, `${BASE}/aufgaben`));

  // ---- Meine Aufgaben -------------------------------------------------------------------------------------
  async function visibleTasks(s: Session) {
    const tasks = await deps.staff.openTasks(s.u, s.g, TASKS_READ);
    const facts = await taskCaseFacts(
      db,
      tasks.map((t) => t.processInstanceId),
    );
    const rows = tasks
      .map((t) => ({ task: t, facts: facts.get(t.processInstanceId) }))
      .filter((r): r is { task: StaffTask; facts: TaskCaseFacts } => !!r.facts && mayCase(s, r.facts.jobcenter));
    const key = (r: { task: StaffTask }) => r.task.due ?? '9999';
    const capped = tasks.length >= TASKS_READ;
    return Object.assign(
      rows.sort((a, b) => key(a).localeCompare(key(b)) || (a.task.created ?? '').localeCompare(b.task.created ?? '')),
      { capped },
    );
  }

  router.get(`${BASE}/aufgaben`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const query = cleanQuery(req, res, user);
    if (!query) return;
    const page = Page.parse(query.seite ?? 1);
    const rows = await visibleTasks(s);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const message = typeof query.hinweis === 'string' ? HINTS[query.hinweis] : undefined;
    if (shown.length)
      await auditView(db, {
        jobcenter: auditScope(s),
        actor: actorOf(s),
        action: 'workspace.tasks.view',
        applicationId: null,
        details: { applications: shown.map((r) => r.facts.id) },
      });
    const row = ({ task, facts }: { task: StaffTask; facts: TaskCaseFacts }) => {
      const mine = task.assignee === s.u;
      const who = names(facts.jobcenter);
      const action = mine
        ? `<form method="post" action="${BASE}/aufgaben/${esc(task.id)}/zurueckgeben" class="inline">${csrfField(user.csrf)}<input type="hidden" name="seite" value="${page}"><button type="submit" class="secondary" aria-label="Aufgabe ${esc(task.name ?? '')} für ${esc(facts.case_number)} zurückgeben">Zurückgeben</button></form>`
        : task.assignee
          ? ''
          : `<form method="post" action="${BASE}/aufgaben/${esc(task.id)}/uebernehmen" class="inline">${csrfField(user.csrf)}<input type="hidden" name="seite" value="${page}"><button type="submit" class="claim" aria-label="Aufgabe ${esc(task.name ?? '')} für ${esc(facts.case_number)} übernehmen">Übernehmen</button></form>`;
      const appt = facts.appointment
        ? `${deDateTime(facts.appointment.starts_at)}<br>${esc(who.get(facts.appointment.caseworker_id) ?? facts.appointment.caseworker_id)}`
        : '–';
      const taskDue = task.due ? task.due.slice(0, 10) : null;
      return `<tr data-task="${esc(task.id)}">
<th scope="row"><a href="${BASE}/aufgaben/${esc(task.id)}">${esc(task.name ?? task.taskDefinitionKey)}</a></th>
<td>${esc([facts.family_name, facts.given_name].filter(Boolean).join(', ') || '–')}</td>
<td><a href="${BASE}/neukunden/${esc(facts.id)}">${esc(facts.case_number)}</a></td>
<td>${esc(CHANNEL_LABELS[facts.channel] ?? facts.channel)}</td>
<td>${deDate(facts.application_date)}</td>
${dueCell(taskDue, facts.jobcenter)}
${dueCell(facts.mds_due, facts.jobcenter)}
<td>${appt}</td>
<td>${mine ? 'Ihnen' : task.assignee ? esc(task.assignee) : 'offen'}</td>
<td>${action}</td></tr>`;
    };
    res.type('html').send(
      layout({
        title: 'Meine Aufgaben',
        user,
        current: 'tasks',
        main: `<h1>Meine Aufgaben</h1>
${message ? `<p role="status">${esc(message)}</p>` : ''}
<p>Offene Aufgaben Ihrer Gruppen und Ihnen zugewiesene, nach Fälligkeit sortiert (${rows.length}).</p>
${rows.capped ? `<p>Es gibt mehr als ${TASKS_READ} offene Aufgaben; hier stehen die ${TASKS_READ} am frühesten fälligen.</p>` : ''}
${
  shown.length
    ? `<table><caption>Aufgaben, Seite ${page}</caption><thead><tr><th scope="col">Aufgabe</th><th scope="col">Haushaltsvorstand</th><th scope="col">Vorgangsnummer</th><th scope="col">Kanal</th><th scope="col">Antragsdatum</th><th scope="col">Aufgabe fällig</th><th scope="col">MDS-Frist</th><th scope="col">Termin und Fachkraft</th><th scope="col">Bearbeitung</th><th scope="col">Aktion</th></tr></thead>
<tbody>${shown.map(row).join('\n')}</tbody></table>`
    : '<p>Keine offenen Aufgaben.</p>'
}
${pager(`${BASE}/aufgaben`, {}, page, pages)}`,
      }),
    );
  });

  const HINTS: Record<string, string> = {
    uebernommen: 'Die Aufgabe ist Ihnen jetzt zugewiesen.',
    zurueckgegeben: 'Die Aufgabe ist wieder für Ihre Gruppe offen.',
    vergeben: 'Die Aufgabe hat inzwischen jemand anderes übernommen.',
  };

  /** The task when this user's groups may see it and its case is of the user's jobcenter; else undefined (404). */
  async function taskFor(s: Session, taskId: string) {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(taskId)) return undefined;
    const task = await deps.staff.task(taskId);
    if (!task) return undefined;
    if (task.assignee !== s.u && !task.candidateGroups.some((g) => s.g.includes(g))) return undefined;
    const facts = (await taskCaseFacts(db, [task.processInstanceId])).get(task.processInstanceId);
    if (!facts || !mayCase(s, facts.jobcenter)) return undefined;
    return { task, facts };
  }

  const back = (req: Request, hint: string) => {
    const page = Page.parse((req.body as Record<string, unknown>)?.seite ?? 1);
    return `${BASE}/aufgaben?${new URLSearchParams({ hinweis: hint, ...(page > 1 ? { seite: String(page) } : {}) })}`;
  };

  router.post(`${BASE}/aufgaben/:taskId/uebernehmen`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const found = await taskFor(s, String(req.params.taskId));
    if (!found)
      return notFound(res, pageUser(res, auth), 'Diese Aufgabe gibt es nicht (mehr) oder Sie dürfen sie nicht sehen.');
    if (found.task.assignee && found.task.assignee !== s.u) return res.redirect(303, back(req, 'vergeben'));
    if (!found.task.assignee) await deps.staff.claim(found.task.id, s.u);
    await auditView(db, {
      jobcenter: found.facts.jobcenter,
      actor: actorOf(s),
      action: 'workspace.task.claim',
      applicationId: found.facts.id,
      details: { taskId: found.task.id },
    });
    res.redirect(303, back(req, 'uebernommen'));
  });

  router.post(`${BASE}/aufgaben/:taskId/zurueckgeben`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const found = await taskFor(s, String(req.params.taskId));
    if (!found || found.task.assignee !== s.u)
      return notFound(res, pageUser(res, auth), 'Diese Aufgabe ist Ihnen nicht zugewiesen.');
    await deps.staff.unclaim(found.task.id);
    await auditView(db, {
      jobcenter: found.facts.jobcenter,
      actor: actorOf(s),
      action: 'workspace.task.unclaim',
      applicationId: found.facts.id,
      details: { taskId: found.task.id },
    });
    res.redirect(303, back(req, 'zurueckgegeben'));
  });

  /** A task opened: the task's facts beside its case; the form itself is still filled in Tasklist. */
  router.get(`${BASE}/aufgaben/:taskId`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const found = await taskFor(s, String(req.params.taskId));
    const view = found && (await readCase(db, found.facts.id));
    if (!found || !view)
      return notFound(res, user, 'Diese Aufgabe gibt es nicht (mehr) oder Sie dürfen sie nicht sehen.');
    const { task } = found;
    await auditView(db, {
      jobcenter: view.app.jobcenter,
      actor: actorOf(s),
      action: 'workspace.task.view',
      applicationId: view.app.id,
      details: { taskId: task.id },
    });
    const mine = task.assignee === s.u;
    const claim = mine
      ? `<form method="post" action="${BASE}/aufgaben/${esc(task.id)}/zurueckgeben" class="inline">${csrfField(user.csrf)}<button type="submit" class="secondary">Zurückgeben</button></form>`
      : task.assignee
        ? ''
        : `<form method="post" action="${BASE}/aufgaben/${esc(task.id)}/uebernehmen" class="inline">${csrfField(user.csrf)}<button type="submit" class="claim">Übernehmen</button></form>`;
    res.type('html').send(
      layout({
        title: `${task.name ?? task.taskDefinitionKey} – ${view.app.case_number}`,
        user,
        current: 'tasks',
        main: `<section aria-labelledby="aufgabe"><h1 id="aufgabe">${esc(task.name ?? task.taskDefinitionKey)}</h1>
<dl class="facts">
<dt>Fällig</dt><dd>${deDate(task.due?.slice(0, 10))}</dd>
<dt>Bearbeitung</dt><dd>${mine ? 'Ihnen zugewiesen' : task.assignee ? esc(task.assignee) : 'offen'}</dd>
</dl>
<p>${claim} <a href="${esc(`${deps.tasklistUrl}#/?task=${encodeURIComponent(task.id)}`)}">Formular in Tasklist ausfüllen</a></p>
</section>
<section aria-label="Vorgang">${caseHtml(view, 2)}</section>`,
      }),
    );
  });

  // ---- Neukunden ------------------------------------------------------------------------------------------
  router.get(`${BASE}/neukunden`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const query = cleanQuery(req, res, user);
    if (!query) return;
    const params = CaseListParams.safeParse(query);
    const p = params.success ? params.data : {};
    const page = p.seite ?? 1;
    const { total, rows } = await caseList(db, {
      jobcenter: s.j,
      search: p.suche,
      deadline: p.frist,
      channel: p.kanal,
      page,
      pageSize: PAGE_SIZE,
      today: today(),
      soonUntil: soonUntil(s.j?.[0] ?? null),
    });
    if (rows.length)
      await auditView(db, {
        jobcenter: auditScope(s),
        actor: actorOf(s),
        action: 'workspace.cases.view',
        applicationId: null,
        details: { search: p.suche ? 'yes' : 'no', applications: rows.map((r) => r.id) },
      });
    const option = (value: string, label: string, selected: string | undefined) =>
      `<option value="${esc(value)}"${selected === value ? ' selected' : ''}>${esc(label)}</option>`;
    const row = (r: CaseListRow) => `<tr>
<th scope="row"><a href="${BASE}/neukunden/${esc(r.id)}">${esc(r.case_number)}</a></th>
<td>${esc([r.family_name, r.given_name].filter(Boolean).join(', ') || '–')}</td>
<td>${esc(r.bg_number ?? '–')}</td>
<td>${esc(r.kd_number ?? '–')}</td>
<td>${esc(CHANNEL_LABELS[r.channel] ?? r.channel)}</td>
<td>${deDate(r.application_date)}</td>
${dueCell(r.next_due, r.jobcenter)}
<td>${Number(r.breached) > 0 ? `<span class="breached">${Number(r.breached)} verfehlt</span>` : '–'}</td></tr>`;
    res.type('html').send(
      layout({
        title: 'Neukunden',
        user,
        current: 'cases',
        main: `<h1>Neukunden</h1>
<form method="get" action="${BASE}/neukunden" class="filters" role="search" aria-label="Neukunden suchen">
<p><label for="suche">Name, Vorgangs-, BG- oder KD-Nummer</label><input id="suche" name="suche" type="search" value="${esc(p.suche ?? '')}"></p>
<p><label for="frist">Frist</label><select id="frist" name="frist">${option('', 'alle', p.frist)}${DEADLINE_FILTERS.map((f) => option(f, STATUS_LABELS[f] ?? f, p.frist)).join('')}</select></p>
<p><label for="kanal">Kanal</label><select id="kanal" name="kanal">${option('', 'alle', p.kanal)}${Object.entries(
          CHANNEL_LABELS,
        )
          .map(([k, l]) => option(k, l, p.kanal))
          .join('')}</select></p>
<p><button type="submit">Suchen</button></p>
</form>
<p role="status">${total} ${total === 1 ? 'Vorgang' : 'Vorgänge'} gefunden.</p>
${
  rows.length
    ? `<table><caption>Neukunden, Seite ${page}</caption><thead><tr><th scope="col">Vorgangsnummer</th><th scope="col">Haushaltsvorstand</th><th scope="col">BG-Nummer</th><th scope="col">KD-Nummer</th><th scope="col">Kanal</th><th scope="col">Antragsdatum</th><th scope="col">Nächste Frist</th><th scope="col">Verfehlt</th></tr></thead>
<tbody>${rows.map(row).join('\n')}</tbody></table>`
    : ''
}
${pager(`${BASE}/neukunden`, { suche: p.suche, frist: p.frist, kanal: p.kanal }, page, Math.ceil(total / PAGE_SIZE))}`,
      }),
    );
  });

  // ---- Ein Vorgang ----------------------------------------------------------------------------------------
  router.get(`${BASE}/neukunden/:id`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const id = Uuid.safeParse(req.params.id);
    const view = id.success ? await readCase(db, id.data) : undefined;
    if (!view || !mayCase(s, view.app.jobcenter)) return notFound(res, user);
    await auditView(db, {
      jobcenter: view.app.jobcenter,
      actor: actorOf(s),
      action: 'workspace.case.view',
      applicationId: view.app.id,
    });
    res
      .type('html')
      .send(layout({ title: `Vorgang ${view.app.case_number}`, user, current: 'cases', main: caseHtml(view) }));
  });

  router.get(`${BASE}/neukunden/:id/dokumente/:docId`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const id = Uuid.safeParse(req.params.id);
    const docId = Uuid.safeParse(req.params.docId);
    const doc =
      id.success && docId.success
        ? await db
            .selectFrom('documents')
            .select(['id', 'jobcenter', 'application_id', 'title', 'media_type', 'content'])
            .where('id', '=', docId.data)
            .where('application_id', '=', id.data)
            .executeTakeFirst()
        : undefined;
    if (!doc || !mayCase(s, doc.jobcenter))
      return notFound(res, user, 'Dieses Schreiben gibt es nicht oder Sie dürfen es nicht sehen.');
    await auditView(db, {
      jobcenter: doc.jobcenter,
      actor: actorOf(s),
      action: 'workspace.document.download',
      applicationId: doc.application_id,
      details: { documentId: doc.id },
    });
    const ext = doc.media_type === 'application/pdf' ? '.pdf' : '';
    res
      .type(doc.media_type)
      .attachment(`${doc.title.replace(/[^\p{L}\p{N} ._-]/gu, '_')}${ext}`)
      .send(doc.content);
  });

  /** The case; `level` is its heading level (1 on its own page, 2 beside a task). */
  function caseHtml(v: CaseView, level = 1): string {
    const h = `h${level}`;
    const h2 = `h${level + 1}`;
    const a = v.app;
    const who = names(a.jobcenter);
    const personName = (id: string | null) => {
      const p = v.persons.find((x) => x.id === id);
      return p ? `${p.given_name} ${p.family_name}` : '';
    };
    const head = v.persons.find((p) => p.role === 'head');
    const t = today();
    const status = (d: CaseView['deadlines'][number]) =>
      d.status === 'open'
        ? d.due_date < t
          ? 'overdue'
          : d.due_date <= soonUntil(a.jobcenter)
            ? 'soon'
            : 'open'
        : d.status;
    return `<${h}>Vorgang ${esc(a.case_number)}${head ? `: ${esc(head.family_name)}, ${esc(head.given_name)}` : ''}</${h}>
<dl class="facts">
<dt>Kanal</dt><dd>${esc(CHANNEL_LABELS[a.channel] ?? a.channel)}</dd>
<dt>Antragsdatum</dt><dd>${deDate(a.application_date)}</dd>
<dt>Stand</dt><dd>${esc(CASE_STATUS_LABELS[a.status] ?? a.status)}</dd>
<dt>BG-Nummer</dt><dd>${esc(v.bgNumber ?? 'noch nicht vergeben')}</dd>
<dt>Neukunde</dt><dd>${a.new_customer ? 'ja' : `nein${a.not_new_reason ? ` (${esc(a.not_new_reason)})` : ''}`}</dd>
<dt>Prozess</dt><dd>${a.process_instance_key ? `<a href="${esc(cockpitLink(deps.cockpitUrl, a.process_instance_key))}">in Cockpit öffnen</a>` : 'noch nicht gestartet'}</dd>
</dl>
<${h2}>Haushalt</${h2}>
<table><caption>Mitglieder der Bedarfsgemeinschaft</caption><thead><tr><th scope="col">Name</th><th scope="col">Rolle</th><th scope="col">Alter</th><th scope="col">eLb</th><th scope="col">KD-Nummer</th><th scope="col">Fachkraft</th></tr></thead><tbody>
${v.persons
  .map((p) => {
    const cw = p.case_holder ?? p.caseworker_id;
    return `<tr><th scope="row">${esc(p.family_name)}, ${esc(p.given_name)}</th><td>${p.role === 'head' ? 'Haushaltsvorstand' : 'Mitglied'}</td><td>${ageOn(p.birth_date, t)} Jahre</td><td>${p.erwerbsfaehig ? 'ja' : 'nein'}</td><td>${esc(p.kd_number ?? '–')}</td><td>${cw ? esc(who.get(cw) ?? cw) : '–'}</td></tr>`;
  })
  .join('\n')}</tbody></table>
<${h2}>Fristen</${h2}>
${
  v.deadlines.length
    ? `<table><caption>MDS-Fristen</caption><thead><tr><th scope="col">Frist</th><th scope="col">Person</th><th scope="col">fällig am</th><th scope="col">Stand</th><th scope="col">erfüllt am</th></tr></thead><tbody>
${v.deadlines
  .map((d) => {
    const st = status(d);
    return `<tr><th scope="row">${esc(DEADLINE_LABELS[d.kind] ?? d.kind)}</th><td>${esc(personName(d.person_id))}</td><td>${deDate(d.due_date)}</td><td class="${st}">${esc(STATUS_LABELS[st] ?? st)}</td><td>${deDate(d.met_on)}</td></tr>`;
  })
  .join('\n')}</tbody></table>`
    : '<p>Noch keine Fristen.</p>'
}
<${h2}>Termine</${h2}>
${
  v.appointments.length
    ? `<table><caption>Termine</caption><thead><tr><th scope="col">Termin</th><th scope="col">Art</th><th scope="col">Person</th><th scope="col">Fachkraft</th></tr></thead><tbody>
${v.appointments.map((x) => `<tr><th scope="row">${deDateTime(x.starts_at)}</th><td>${esc(x.kind)}</td><td>${esc(personName(x.person_id))}</td><td>${esc(who.get(x.caseworker_id) ?? x.caseworker_id)}</td></tr>`).join('\n')}</tbody></table>`
    : '<p>Keine Termine.</p>'
}
<${h2}>Schreiben</${h2}>
${
  v.documents.length
    ? `<ul>${v.documents.map((d) => `<li><a href="${BASE}/neukunden/${esc(a.id)}/dokumente/${esc(d.id)}">${esc(d.title)}</a> (${d.media_type === 'application/pdf' ? 'PDF' : esc(d.media_type)}, ${deDateTime(d.created_at)}${d.person_id ? `, ${esc(personName(d.person_id))}` : ''})</li>`).join('')}</ul>`
    : '<p>Keine Schreiben.</p>'
}
<${h2}>Benachrichtigungen</${h2}>
${
  v.notifications.length
    ? `<table><caption>Benachrichtigungen</caption><thead><tr><th scope="col">Betreff</th><th scope="col">Weg</th><th scope="col">an</th><th scope="col">Stand</th><th scope="col">erstellt</th></tr></thead><tbody>
${v.notifications.map((n) => `<tr><th scope="row">${esc(n.subject)}</th><td>${esc({ inbox: 'Posteingang', email: 'E-Mail', d3: 'd.3' }[n.channel] ?? n.channel)}</td><td>${esc(n.recipient)}</td><td>${esc({ pending: 'wartet', delivered: 'zugestellt', failed: 'fehlgeschlagen' }[n.status] ?? n.status)}</td><td>${deDateTime(n.created_at)}</td></tr>`).join('\n')}</tbody></table>`
    : '<p>Keine Benachrichtigungen.</p>'
}
<${h2}>Verlauf</${h2}>
${v.notes.length ? `<ol>${v.notes.map((n) => `<li><span class="muted">${deDateTime(n.created_at)}</span> ${esc(n.text)}</li>`).join('')}</ol>` : '<p>Noch kein Verlauf.</p>'}`;
  }

  return router;
}
