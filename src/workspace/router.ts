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
import { IsoDate } from '../calendar/iso-date-schema.js';
import { cockpitLink } from '../dashboard/page.js';
import { saveHouseholdAddress } from '../domain/addresses.js';
import { readCaseRecord } from '../domain/case-record.js';
import type { CasePositions } from '../engine/positions.js';
import { EngineRequestError, EngineUnavailableError } from '../engine/rest-client.js';
import type { StaffEngine, StaffTask } from '../engine/staff.js';
import { type TaskPages, taskPagesOver } from '../engine/task-pages.js';
import { cleanText } from '../http/text-hygiene.js';
import { waitStatesUnder } from '../processes/wait-states.js';
import { dueSoonUntil } from '../reports/mds.js';
import type { Database } from '../store/index.js';
import { ADDRESS_FIELDS, type AddressForm, addressSection, parseAddressForm } from './address-form.js';
import {
  auditView,
  caseList,
  type CaseListRow,
  type CaseView,
  DEADLINE_FILTERS,
  DEADLINE_KINDS,
  readCase,
  type TaskCaseFacts,
  taskCaseFacts,
} from './cases.js';
import { ASSETS, formAssetsRouter } from './form-assets.js';
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
import { type FieldError, type FormSchema, type TaskFormValidator, validatorFor } from './task-form-rules.js';

export interface WorkspaceDeps {
  db: Kysely<Database>;
  staff: StaffEngine;
  calendars: Calendars;
  auth: WorkspaceAuth;
  cockpitUrl: string;
  tasklistUrl: string;
  /** Where cases stand in the engine; without it the list has no "Stand" filter or column. */
  positions?: CasePositions;
  /** The task list paged by the engine; without it, pages over `staff.openTasks` (the first 500). */
  taskPages?: TaskPages;
}

const PAGE_SIZE = 25;

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

/** A query or form, cleaned like every API input; undefined (400 page sent) when it holds control characters. */
function cleanInput(
  input: unknown,
  part: 'query' | 'form',
  res: Response,
  user: PageUser,
): Record<string, unknown> | undefined {
  const { value, issues } = cleanText(input ?? {}, undefined, part);
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

const cleanQuery = (req: Request, res: Response, user: PageUser) => cleanInput(req.query, 'query', res, user);

const Page = z.coerce.number().int().min(1).max(10_000).catch(1);

/** A filter value that is not one (a mistyped link) means "all", like an empty one. */
const Opt = <T extends z.ZodType>(t: T) => t.optional().catch(undefined);
const Id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

const CaseListParams = z.object({
  suche: z.string().max(100).optional(),
  frist: Opt(z.enum(DEADLINE_FILTERS)),
  art: Opt(z.enum(DEADLINE_KINDS)),
  von: Opt(IsoDate),
  bis: Opt(IsoDate),
  kanal: Opt(z.enum(['EZ', 'SC', 'POST', 'ONLINE'])),
  stand: Opt(Id),
  team: Opt(Id),
  fachkraft: Opt(Id),
  seite: Page.optional(),
});

const Uuid = z.string().uuid();

/** JSON inside <script type="application/json">: no "</script>" or "<!--" can end the block early. */
const jsonInHtml = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const isFormSchema = (v: unknown): v is FormSchema =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as FormSchema).id === 'string' &&
  Array.isArray((v as FormSchema).components);

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
    return cal ? dueSoonUntil(cal, today()) : today();
  };
  const deadlineClass = (due: string | null, jobcenter: string) =>
    !due ? '' : due < today() ? 'overdue' : due <= soonUntil(jobcenter) ? 'soon' : '';
  /** A due date with its state in words too, not by colour alone (WCAG 1.4.1). */
  const dueCell = (due: string | null, jobcenter: string) => {
    const c = deadlineClass(due, jobcenter);
    return `<td class="${c}">${deDate(due)}${c ? ` (${STATUS_LABELS[c]})` : ''}</td>`;
  };

  // Read once at start from each jobcenter's diagrams; the process it runs is the one its cases stand in.
  const waitStates = Promise.all(
    [...auth.jobcenters.values()].map(async (jc) =>
      (jc.folder ? await waitStatesUnder(jc.folder) : [])
        .filter((w) => w.processId === jc.processId)
        .map((w) => ({ ...w, jobcenter: jc.id })),
    ),
  ).then((all) => all.flat());
  // Awaited by every list; this keeps a broken diagram from being an unhandled rejection before the first one.
  void waitStates.catch(() => {});

  router.get(BASE, ...guard, (_req, res) => res.redirect(303, `${BASE}/aufgaben`));
  router.use(formAssetsRouter());

  // ---- Meine Aufgaben -------------------------------------------------------------------------------------
  const taskPages = deps.taskPages ?? taskPagesOver(deps.staff);
  /**
   * One page of my tasks beside their cases: the engine sorts, pages and counts, the store joins only the page. A
   * task whose case is not in the store, or is another jobcenter's, is left out of the page but not of the count.
   */
  async function visibleTasks(s: Session, page: number) {
    const processIds = s.j ? [...new Set(s.j.flatMap((id) => auth.jobcenters.get(id)?.processId ?? []))] : undefined;
    const { total, tasks } = await taskPages.page({
      userId: s.u,
      groups: s.g,
      processDefinitionKeys: processIds,
      tenantIds: s.j ?? undefined,
      first: (page - 1) * PAGE_SIZE,
      max: PAGE_SIZE,
    });
    const facts = await taskCaseFacts(
      db,
      tasks.map((t) => t.processInstanceId),
    );
    const shown = tasks
      .map((t) => ({ task: t, facts: facts.get(t.processInstanceId) }))
      .filter((r): r is { task: StaffTask; facts: TaskCaseFacts } => !!r.facts && mayCase(s, r.facts.jobcenter));
    return { total, shown };
  }

  router.get(`${BASE}/aufgaben`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const query = cleanQuery(req, res, user);
    if (!query) return;
    const page = Page.parse(query.seite ?? 1);
    const { total, shown } = await visibleTasks(s, page);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
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
<p>Offene Aufgaben Ihrer Gruppen und Ihnen zugewiesene, nach Fälligkeit sortiert (${total}).</p>
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
    erledigt: 'Aufgabe erledigt.',
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

  /** The audit line of something done to or seen of a task, in its case. */
  const auditTask = (
    s: Session,
    found: { task: { id: string }; facts: { id: string; jobcenter: string } },
    action: string,
    details: Record<string, unknown> = {},
  ) =>
    auditView(db, {
      jobcenter: found.facts.jobcenter,
      actor: actorOf(s),
      action,
      applicationId: found.facts.id,
      details: { taskId: found.task.id, ...details },
    });

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
    await auditTask(s, found, 'workspace.task.claim');
    res.redirect(303, back(req, 'uebernommen'));
  });

  router.post(`${BASE}/aufgaben/:taskId/zurueckgeben`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const found = await taskFor(s, String(req.params.taskId));
    if (!found || found.task.assignee !== s.u)
      return notFound(res, pageUser(res, auth), 'Diese Aufgabe ist Ihnen nicht zugewiesen.');
    await deps.staff.unclaim(found.task.id);
    await auditTask(s, found, 'workspace.task.unclaim');
    res.redirect(303, back(req, 'zurueckgegeben'));
  });

  /**
   * The task's own form, rendered by form-js from the engine's deployed form; the values go back through
   * /abschliessen. Initial data: the form's fields and the variables its conditions and texts name, read from the
   * engine, which holds ids, dates and flags only.
   */
  async function taskForm(taskId: string) {
    const schema = await deps.staff.taskForm(taskId);
    if (!isFormSchema(schema)) return undefined;
    let validator: TaskFormValidator;
    try {
      validator = validatorFor(schema);
    } catch {
      // A field type the server cannot check (file picker, dynamic list): Tasklist still completes such a form.
      return undefined;
    }
    const context = await deps.staff.taskVariables(taskId, [...validator.contextNames, ...validator.fieldKeys]);
    return { schema, validator, context };
  }

  async function sendTaskPage(
    res: Response,
    s: Session,
    found: NonNullable<Awaited<ReturnType<typeof taskFor>>>,
    outcome?: { errors: FieldError[]; values: Record<string, unknown> },
  ) {
    const user = pageUser(res, auth);
    const view = await readCase(db, found.facts.id);
    if (!view) return notFound(res, user, 'Diese Aufgabe gibt es nicht (mehr) oder Sie dürfen sie nicht sehen.');
    const { task } = found;
    const form = await taskForm(task.id);
    await auditTask(s, found, 'workspace.task.view');
    const mine = task.assignee === s.u;
    const claim = mine
      ? `<form method="post" action="${BASE}/aufgaben/${esc(task.id)}/zurueckgeben" class="inline">${csrfField(user.csrf)}<button type="submit" class="secondary">Zurückgeben</button></form>`
      : task.assignee
        ? ''
        : `<form method="post" action="${BASE}/aufgaben/${esc(task.id)}/uebernehmen" class="inline">${csrfField(user.csrf)}<button type="submit" class="claim">Übernehmen</button></form>`;
    const tasklist = esc(`${deps.tasklistUrl}#/?task=${encodeURIComponent(task.id)}`);
    const errors = outcome?.errors.length
      ? `<div role="alert" class="error" id="formular-fehler"><p>Die Aufgabe ist nicht abgeschlossen. Bitte prüfen Sie:</p><ul>${outcome.errors.map((e) => `<li>${esc(e.message)}</li>`).join('')}</ul></div>`
      : '';
    const formHtml = !form
      ? `<p>Zu dieser Aufgabe gibt es kein Formular hier. <a href="${tasklist}">In Tasklist öffnen</a></p>`
      : task.assignee && !mine
        ? `<p>Die Aufgabe bearbeitet ${esc(task.assignee)}; nur wer sie übernommen hat, schließt sie ab.</p>`
        : `${errors}
<script type="application/json" id="formular-schema">${jsonInHtml(form.schema)}</script>
<script type="application/json" id="formular-daten">${jsonInHtml({ ...form.context, ...(outcome?.values ?? {}) })}</script>
<div id="aufgabe-formular" class="task-form"></div>
<noscript><p>Das Formular braucht JavaScript. <a href="${tasklist}">In Tasklist ausfüllen</a></p></noscript>
<p id="formular-meldung" role="alert" class="error"></p>
<form method="post" action="${BASE}/aufgaben/${esc(task.id)}/abschliessen" id="aufgabe-abschliessen">${csrfField(user.csrf)}<input type="hidden" name="werte" value=""><button type="submit" disabled>Aufgabe abschließen</button></form>
<link rel="stylesheet" href="${ASSETS}/form-js.css">
<script src="${ASSETS}/form-js.js" defer></script>
<script src="${ASSETS}/task-form.js" defer></script>`;
    res
      .status(outcome ? 422 : 200)
      .type('html')
      .send(
        layout({
          title: `${outcome ? 'Fehler: ' : ''}${task.name ?? task.taskDefinitionKey} – ${view.app.case_number}`,
          user,
          current: 'tasks',
          main: `<section aria-labelledby="aufgabe"><h1 id="aufgabe">${esc(task.name ?? task.taskDefinitionKey)}</h1>
<dl class="facts">
<dt>Vorgangsnummer</dt><dd>${esc(view.app.case_number)}</dd>
<dt>Fällig</dt><dd>${deDate(task.due?.slice(0, 10))}</dd>
<dt>Bearbeitung</dt><dd>${mine ? 'Ihnen zugewiesen' : task.assignee ? esc(task.assignee) : 'offen'}</dd>
</dl>
${claim ? `<p>${claim}</p>` : ''}
</section>
<section aria-labelledby="formular-titel" class="task-form-section"><h2 id="formular-titel">Formular</h2>
${formHtml}
</section>
<section aria-label="Vorgang">${caseHtml(view, 2)}</section>`,
        }),
      );
  }

  /** A task opened: the task's facts and form beside its case. */
  router.get(`${BASE}/aufgaben/:taskId`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const found = await taskFor(s, String(req.params.taskId));
    if (!found)
      return notFound(res, pageUser(res, auth), 'Diese Aufgabe gibt es nicht (mehr) oder Sie dürfen sie nicht sehen.');
    await sendTaskPage(res, s, found);
  });

  // A refused form is answered at this address; reloading it there opens the task again.
  router.get(`${BASE}/aufgaben/:taskId/abschliessen`, ...guard, (req, res) => {
    res.redirect(303, `${BASE}/aufgaben/${encodeURIComponent(String(req.params.taskId))}`);
  });

  /**
   * Completes the task with its form's values, checked here again by the form's rules and, where the API has an
   * event for the task, by that event's schema. Claimed for the user first, so the engine's history names them.
   */
  router.post(`${BASE}/aufgaben/:taskId/abschliessen`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const found = await taskFor(s, String(req.params.taskId));
    if (!found) return notFound(res, user, 'Diese Aufgabe gibt es nicht (mehr) oder Sie dürfen sie nicht sehen.');
    const { task } = found;
    if (task.assignee && task.assignee !== s.u) return res.redirect(303, back(req, 'vergeben'));
    const form = await taskForm(task.id);
    if (!form) return notFound(res, user, 'Zu dieser Aufgabe gibt es kein Formular.');
    const raw = (req.body as Record<string, unknown> | undefined)?.werte;
    let submitted: unknown;
    try {
      submitted = typeof raw === 'string' ? JSON.parse(raw) : undefined;
    } catch {
      submitted = undefined;
    }
    const cleaned = cleanText(submitted, undefined, 'werte');
    const outcome = cleaned.issues.length
      ? ({
          ok: false,
          errors: cleaned.issues.map((i) => ({
            key: i.path,
            message: `${form.validator.labelOf(i.path.split('.')[1] ?? '')}: Die Eingabe enthält Steuerzeichen oder ungültige Zeichen.`,
          })),
          values: {},
        } as const)
      : form.validator.check(cleaned.value, form.context);
    if (!outcome.ok) return sendTaskPage(res, s, found, outcome);
    if (!task.assignee) {
      try {
        await deps.staff.claim(task.id, s.u);
      } catch (e) {
        if (e instanceof EngineRequestError) return res.redirect(303, back(req, 'vergeben'));
        throw e;
      }
    }
    await deps.staff.complete(task.id, outcome.variables);
    await auditTask(s, found, 'workspace.task.complete', {
      form: form.validator.formId,
      fields: Object.keys(outcome.variables),
    });
    res.redirect(303, back(req, 'erledigt'));
  });

  // ---- Neukunden ------------------------------------------------------------------------------------------
  /** The jobcenters this session sees: its own, or every one for a local account bound to none. */
  const visible = (s: Session) => [...auth.jobcenters.values()].filter((jc) => mayJobcenter(s, jc.id));

  router.get(`${BASE}/neukunden`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const query = cleanQuery(req, res, user);
    if (!query) return;
    const params = CaseListParams.safeParse(query);
    const p = params.success ? params.data : {};
    const page = p.seite ?? 1;
    const jobcenters = visible(s);
    const states = (await waitStates).filter((w) => jobcenters.some((jc) => jc.id === w.jobcenter));
    const teams = jobcenters.flatMap((jc) => jc.teams.map((t) => ({ ...t, jobcenter: jc.id })));
    const caseworkers = jobcenters.flatMap((jc) => jc.caseworkers.map((c) => ({ ...c, jobcenter: jc.id })));
    // Values from a link or an old bookmark that name nothing of this jobcenter are dropped, not an error.
    const team = teams.find((t) => t.id === p.team);
    const caseworker = caseworkers.find((c) => c.id === p.fachkraft);
    const stand = deps.positions ? states.filter((w) => w.activityId === p.stand) : [];
    let engineAway = false;
    let processInstanceIds: string[] | undefined;
    if (stand.length) {
      try {
        processInstanceIds = await deps.positions!.instancesAt(
          [...new Set(stand.map((w) => w.activityId))],
          [...new Set(stand.map((w) => w.processId))],
        );
      } catch (e) {
        if (!(e instanceof EngineUnavailableError || e instanceof EngineRequestError)) throw e;
        engineAway = true;
      }
    }
    const { total, rows } = engineAway
      ? { total: 0, rows: [] as CaseListRow[] }
      : await caseList(db, {
          jobcenter: s.j,
          search: p.suche,
          deadline: p.frist,
          kind: p.art,
          dueFrom: p.von,
          dueTo: p.bis,
          channel: p.kanal,
          team: team && {
            id: team.id,
            caseworkerIds: caseworkers
              .filter((c) => c.team === team.id && c.jobcenter === team.jobcenter)
              .map((c) => c.id),
          },
          caseworker: caseworker?.id,
          processInstanceIds,
          page,
          pageSize: PAGE_SIZE,
          today: today(),
          soonUntil: soonUntil(s.j?.[0] ?? null),
        });
    // "Stand" for the rows of this page only: a few small engine queries, bounded by the diagram, not by the list.
    let positions = new Map<string, string[]>();
    const pageInstances = rows.flatMap((r) => (r.process_instance_key ? [r.process_instance_key] : []));
    if (deps.positions && pageInstances.length && !engineAway) {
      try {
        positions = await deps.positions.positionsOf(pageInstances, [...new Set(states.map((w) => w.activityId))]);
      } catch (e) {
        if (!(e instanceof EngineUnavailableError || e instanceof EngineRequestError)) throw e;
        engineAway = true;
      }
    }
    if (rows.length)
      await auditView(db, {
        jobcenter: auditScope(s),
        actor: actorOf(s),
        action: 'workspace.cases.view',
        applicationId: null,
        details: { search: p.suche ? 'yes' : 'no', applications: rows.map((r) => r.id) },
      });
    const labelOf = (jobcenter: string, activityId: string) =>
      states.find((w) => w.jobcenter === jobcenter && w.activityId === activityId)?.label ?? activityId;
    const standCell = (r: CaseListRow) => {
      const at = (r.process_instance_key && positions.get(r.process_instance_key)) || [];
      if (at.length) return esc(at.map((a) => labelOf(r.jobcenter, a)).join(', '));
      if (r.status !== 'in-progress') return esc(CASE_STATUS_LABELS[r.status] ?? r.status);
      return engineAway ? 'nicht abrufbar' : '–';
    };
    const option = (value: string, label: string, selected: string | undefined) =>
      `<option value="${esc(value)}"${selected === value ? ' selected' : ''}>${esc(label)}</option>`;
    /** Options grouped per jobcenter when the session sees more than one, so equal names stay apart. */
    const grouped = <T extends { jobcenter: string }>(items: T[], render: (item: T) => string) =>
      jobcenters.length > 1
        ? jobcenters
            .map((jc) => {
              const own = items.filter((i) => i.jobcenter === jc.id);
              return own.length ? `<optgroup label="${esc(jc.name)}">${own.map(render).join('')}</optgroup>` : '';
            })
            .join('')
        : items.map(render).join('');
    const teamName = (id: string) => teams.find((t) => t.id === id)?.name ?? id;
    const row = (r: CaseListRow) => `<tr>
<th scope="row"><a href="${BASE}/neukunden/${esc(r.id)}">${esc(r.case_number)}</a></th>
<td>${esc([r.family_name, r.given_name].filter(Boolean).join(', ') || '–')}</td>
<td>${esc(r.bg_number ?? '–')}</td>
<td>${esc(r.kd_number ?? '–')}</td>
<td>${esc(CHANNEL_LABELS[r.channel] ?? r.channel)}</td>
<td>${deDate(r.application_date)}</td>
<td>${standCell(r)}</td>
${dueCell(r.next_due, r.jobcenter)}
<td>${Number(r.breached) > 0 ? `<span class="breached">${Number(r.breached)} verfehlt</span>` : '–'}</td></tr>`;
    const kept = {
      suche: p.suche,
      frist: p.frist,
      art: p.art,
      von: p.von,
      bis: p.bis,
      kanal: p.kanal,
      stand: stand.length ? p.stand : undefined,
      team: team?.id,
      fachkraft: caseworker?.id,
    };
    res
      .status(engineAway && stand.length ? 503 : 200)
      .type('html')
      .send(
        layout({
          title: 'Neukunden',
          user,
          current: 'cases',
          main: `<h1>Neukunden</h1>
<form method="get" action="${BASE}/neukunden" class="filters" role="search" aria-label="Neukunden suchen">
<p><label for="suche">Name, Vorgangs-, BG- oder KD-Nummer</label><input id="suche" name="suche" type="search" value="${esc(p.suche ?? '')}"></p>
${
  deps.positions
    ? `<p><label for="stand">Stand im Prozess</label><select id="stand" name="stand">${option('', 'alle', p.stand)}${grouped(
        // One entry per activity id: with several jobcenters the same id may sit in two diagrams.
        states.filter(
          (w, i) => states.findIndex((x) => x.jobcenter === w.jobcenter && x.activityId === w.activityId) === i,
        ),
        (w) => option(w.activityId, w.label, p.stand),
      )}</select></p>`
    : ''
}
<p><label for="frist">Frist</label><select id="frist" name="frist">${option('', 'alle', p.frist)}${DEADLINE_FILTERS.map((f) => option(f, STATUS_LABELS[f] ?? f, p.frist)).join('')}</select></p>
<p><label for="art">Art der Frist</label><select id="art" name="art">${option('', 'alle', p.art)}${DEADLINE_KINDS.map((k) => option(k, DEADLINE_LABELS[k] ?? k, p.art)).join('')}</select></p>
<p><label for="von">fällig ab</label><input id="von" name="von" type="date" value="${esc(p.von ?? '')}"></p>
<p><label for="bis">fällig bis</label><input id="bis" name="bis" type="date" value="${esc(p.bis ?? '')}"></p>
<p><label for="team">Team</label><select id="team" name="team">${option('', 'alle', team?.id)}${grouped(teams, (t) => option(t.id, t.name, team?.id))}</select></p>
<p><label for="fachkraft">Fachkraft</label><select id="fachkraft" name="fachkraft">${option('', 'alle', caseworker?.id)}${grouped(
            caseworkers.filter((c) => !c.virtual),
            (c) => option(c.id, `${c.name} (${teamName(c.team)})`, caseworker?.id),
          )}</select></p>
<p><label for="kanal">Kanal</label><select id="kanal" name="kanal">${option('', 'alle', p.kanal)}${Object.entries(
            CHANNEL_LABELS,
          )
            .map(([k, l]) => option(k, l, p.kanal))
            .join('')}</select></p>
<p><button type="submit">Suchen</button></p>
</form>
${engineAway ? `<p role="alert">Der Stand im Prozess ist gerade nicht abrufbar (die Prozess-Engine antwortet nicht)${stand.length ? '; die Suche nach Stand geht erst wieder, wenn sie antwortet' : ''}.</p>` : ''}
<p role="status">${total} ${total === 1 ? 'Vorgang' : 'Vorgänge'} gefunden.</p>
${
  rows.length
    ? `<table><caption>Neukunden, Seite ${page}</caption><thead><tr><th scope="col">Vorgangsnummer</th><th scope="col">Haushaltsvorstand</th><th scope="col">BG-Nummer</th><th scope="col">KD-Nummer</th><th scope="col">Kanal</th><th scope="col">Antragsdatum</th><th scope="col">Stand im Prozess</th><th scope="col">Nächste Frist</th><th scope="col">Verfehlt</th></tr></thead>
<tbody>${rows.map(row).join('\n')}</tbody></table>`
    : ''
}
${pager(`${BASE}/neukunden`, kept, page, Math.ceil(total / PAGE_SIZE))}`,
        }),
      );
  });

  // ---- Ein Vorgang ----------------------------------------------------------------------------------------
  router.get(`${BASE}/neukunden/:id`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const id = Uuid.safeParse(req.params.id);
    const view = id.success ? await readCaseRecord(db, id.data, { withAddress: true }) : undefined;
    if (!view || !mayCase(s, view.app.jobcenter)) return notFound(res, user);
    await auditView(db, {
      jobcenter: view.app.jobcenter,
      actor: actorOf(s),
      action: 'workspace.case.view',
      applicationId: view.app.id,
    });
    const saved = req.query.hinweis === 'anschrift' ? '<p role="status">Die Anschrift ist gespeichert.</p>' : '';
    res.type('html').send(casePage(view, user, { hint: saved }));
  });

  /** The case on its own page, with its address section (and a refused address form as it was sent). */
  function casePage(
    view: CaseView & { address?: Parameters<typeof addressSection>[0]['stored'] },
    user: PageUser,
    o: { hint?: string; form?: AddressForm; errors?: Parameters<typeof addressSection>[0]['errors'] } = {},
  ): string {
    const address = addressSection({
      heading: '<h2>Anschrift</h2>',
      action: `${BASE}/neukunden/${view.app.id}/anschrift`,
      csrf: user.csrf,
      stored: view.address,
      form: o.form,
      errors: o.errors,
    });
    return layout({
      title: `Vorgang ${view.app.case_number}${o.errors ? ': Anschrift nicht gespeichert' : ''}`,
      user,
      current: 'cases',
      main: (o.hint ?? '') + caseHtml(view, 1, address),
    });
  }

  /** The household's address entered or corrected; checked like the API's, written to the store only. */
  router.post(`${BASE}/neukunden/:id/anschrift`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    const id = Uuid.safeParse(req.params.id);
    const view = id.success ? await readCaseRecord(db, id.data, { withAddress: true }) : undefined;
    if (!view || !mayCase(s, view.app.jobcenter)) return notFound(res, user);
    // Control characters are refused as everywhere at the edge; the rest is the address rules' to judge.
    const body = cleanInput(req.body, 'form', res, user);
    if (!body) return;
    const form = Object.fromEntries(
      Object.keys(ADDRESS_FIELDS).map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]),
    ) as AddressForm;
    const parsed = parseAddressForm(form);
    if (parsed.errors) {
      res
        .status(422)
        .type('html')
        .send(casePage(view, user, { form, errors: parsed.errors }));
      return;
    }
    await saveHouseholdAddress(db, {
      applicationId: view.app.id,
      jobcenter: view.app.jobcenter,
      address: parsed.address,
    });
    await auditView(db, {
      jobcenter: view.app.jobcenter,
      actor: actorOf(s),
      action: 'workspace.address.save',
      applicationId: view.app.id,
    });
    res.redirect(303, `${BASE}/neukunden/${view.app.id}?hinweis=anschrift`);
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

  /** The case; `level` is its heading level (1 on its own page, 2 beside a task); `address` its address section, if shown. */
  function caseHtml(v: CaseView, level = 1, address = ''): string {
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
${address}
<${h2}>Schreiben</${h2}>
${
  v.documents.length
    ? `<ul>${v.documents.map((d) => `<li><a href="${BASE}/neukunden/${esc(a.id)}/dokumente/${esc(d.id)}">${esc(d.title)}</a> (${d.media_type === 'application/pdf' ? 'PDF' : esc(d.media_type)}, ${deDateTime(d.created_at)}${d.person_id ? `, ${esc(personName(d.person_id))}` : ''}${d.post_status === 'to-print' ? ', zu drucken und zu versenden' : d.post_status === 'sent' ? `, versandt am ${deDateTime(d.posted_at)}` : ''})</li>`).join('')}</ul>`
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
