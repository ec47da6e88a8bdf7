/**
 * The post room's Postausgang under /arbeitsplatz/postausgang: the letters of the user's jobcenter that were filed
 * to be posted (the service centre's dispatch of the forms, invitations, forwarding notes) and are not yet sent,
 * oldest first, each with its PDF and a "gedruckt und versandt" button that takes it off the list and records who
 * sent it when. For the post room (group POST) and team leads (TL); another jobcenter's letter is no letter (404).
 */
import { type Response, Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import { berlinDate } from '../calendar/index.js';
import type { Database } from '../store/index.js';
import { auditView } from './cases.js';
import {
  BASE,
  csrfField,
  deDate,
  deDateTime,
  esc,
  forbiddenPage,
  layout,
  mayUsePostRoom,
  pager,
  type PageUser,
  POST_ROOM,
} from './layout.js';
import { pageUser, requireStaff, sessionOf, type WorkspaceAuth } from './login.js';
import { mayJobcenter, type Session } from './session.js';

export interface PrintListDeps {
  db: Kysely<Database>;
  auth: WorkspaceAuth;
}

const PAGE_SIZE = 50;

export interface PrintListRow {
  id: string;
  applicationId: string;
  caseNumber: string;
  title: string;
  createdAt: Date;
  /** As the window names the addressee: salutation (the head's, when known), given and family name. */
  addressee: string;
}

/**
 * One page of the letters still to post, oldest first, of these jobcenters; null: all (local trial logins). The addressee's
 * name is read from the store now, never kept with the letter.
 */
export async function lettersToPost(
  db: Kysely<Database>,
  q: { jobcenters: readonly string[] | null; page: number; pageSize: number },
): Promise<{ total: number; rows: PrintListRow[] }> {
  let base = db.selectFrom('documents as d').where('d.post_status', '=', 'to-print');
  if (q.jobcenters) base = base.where('d.jobcenter', 'in', q.jobcenters);
  const [docs, count] = await Promise.all([
    base
      .innerJoin('applications as a', 'a.id', 'd.application_id')
      .select(['d.id', 'd.application_id', 'd.person_id', 'd.title', 'd.created_at', 'a.case_number'])
      .orderBy('d.created_at')
      .orderBy('d.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const applicationIds = [...new Set(docs.map((d) => d.application_id))];
  const [persons, addresses] = applicationIds.length
    ? await Promise.all([
        db
          .selectFrom('persons')
          .select(['id', 'application_id', 'role', 'given_name', 'family_name'])
          .where('application_id', 'in', applicationIds)
          .execute(),
        db
          .selectFrom('application_addresses')
          .select(['application_id', 'salutation'])
          .where('application_id', 'in', applicationIds)
          .execute(),
      ])
    : [[], []];
  const rows = docs.map((d) => {
    // A letter without a person goes to the head of the household, as the letter's own window says.
    const p = persons.find((x) =>
      d.person_id ? x.id === d.person_id : x.application_id === d.application_id && x.role === 'head',
    );
    const salutation =
      p?.role === 'head' ? addresses.find((x) => x.application_id === d.application_id)?.salutation : null;
    return {
      id: d.id,
      applicationId: d.application_id,
      caseNumber: d.case_number,
      title: d.title,
      createdAt: d.created_at,
      addressee: p ? [salutation, p.given_name, p.family_name].filter(Boolean).join(' ') : '–',
    };
  });
  return { total: Number(count.n), rows };
}

/**
 * Marks a letter printed and sent, once: the update takes only a letter still to print of that jobcenter, so a
 * second click (or a colleague's) changes nothing. The letter's case, or undefined when there was none to mark.
 */
export async function markSent(
  db: Kysely<Database>,
  p: { documentId: string; jobcenters: readonly string[] | null; actor: string; at: Date },
): Promise<{ applicationId: string; jobcenter: string } | undefined> {
  let update = db
    .updateTable('documents')
    .set({ post_status: 'sent', posted_at: p.at, posted_by: p.actor })
    .where('id', '=', p.documentId)
    .where('post_status', '=', 'to-print');
  if (p.jobcenters) update = update.where('jobcenter', 'in', p.jobcenters);
  const row = await update.returning(['application_id', 'jobcenter']).executeTakeFirst();
  return row ? { applicationId: row.application_id, jobcenter: row.jobcenter } : undefined;
}

const Page = z.coerce.number().int().min(1).max(10_000).catch(1);
const Uuid = z.string().uuid();

const HINTS: Record<string, string> = {
  versandt: 'Das Schreiben ist als gedruckt und versandt vermerkt.',
  erledigt: 'Dieses Schreiben war bereits als versandt vermerkt.',
};

const actorOf = (s: Session) => `user:${s.u}`;

function refused(res: Response, user: PageUser) {
  res
    .status(403)
    .type('html')
    .send(forbiddenPage(user, 'Der Postausgang ist der Poststelle und den Teamleitungen vorbehalten.'));
}

export function printListRouter(deps: PrintListDeps): Router {
  const router = Router();
  const { auth, db } = deps;
  const guard = requireStaff(auth);

  router.get(POST_ROOM, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    if (!mayUsePostRoom(s.g)) return refused(res, user);
    const page = Page.parse(req.query.seite ?? 1);
    const { total, rows } = await lettersToPost(db, { jobcenters: s.j, page, pageSize: PAGE_SIZE });
    if (rows.length)
      await auditView(db, {
        jobcenter: s.j?.length === 1 ? s.j[0]! : '*',
        actor: actorOf(s),
        action: 'workspace.post.view',
        applicationId: null,
        details: { documents: rows.map((r) => r.id) },
      });
    const hint = typeof req.query.hinweis === 'string' ? HINTS[req.query.hinweis] : undefined;
    const row = (r: PrintListRow) => `<tr data-document="${esc(r.id)}">
<td>${deDate(berlinDate(r.createdAt))}</td>
<td><a href="${BASE}/neukunden/${esc(r.applicationId)}">${esc(r.caseNumber)}</a></td>
<td>${esc(r.addressee)}</td>
<th scope="row">${esc(r.title)}</th>
<td><a href="${BASE}/neukunden/${esc(r.applicationId)}/dokumente/${esc(r.id)}" aria-label="${esc(`PDF: ${r.title} für ${r.caseNumber}`)}">PDF</a></td>
<td><form method="post" action="${POST_ROOM}/${esc(r.id)}/versandt" class="inline">${csrfField(user.csrf)}<button type="submit" aria-label="${esc(`${r.title} für ${r.caseNumber} gedruckt und versandt`)}">gedruckt und versandt</button></form></td></tr>`;
    res.type('html').send(
      layout({
        title: 'Postausgang',
        user,
        current: 'post',
        main: `<h1>Postausgang</h1>
${hint ? `<p role="status">${esc(hint)}</p>` : ''}
<p>Schreiben, die per Post an die Kundinnen und Kunden gehen: bitte drucken, kuvertieren und versenden, dann als versandt vermerken. Die ältesten stehen oben.</p>
<p>${total} ${total === 1 ? 'Schreiben wartet' : 'Schreiben warten'} auf den Versand.</p>
${
  rows.length
    ? `<table><caption>Zu versendende Schreiben, Seite ${page}</caption><thead><tr><th scope="col">Erstellt am</th><th scope="col">Vorgangsnummer</th><th scope="col">Empfänger</th><th scope="col">Schreiben</th><th scope="col">Druckvorlage</th><th scope="col">Aktion</th></tr></thead>
<tbody>${rows.map(row).join('\n')}</tbody></table>`
    : '<p>Der Postausgang ist leer.</p>'
}
${pager(POST_ROOM, {}, page, Math.ceil(total / PAGE_SIZE))}
<p class="muted">Stand: ${deDateTime(auth.now())}</p>`,
      }),
    );
  });

  router.post(`${POST_ROOM}/:documentId/versandt`, ...guard, async (req, res) => {
    const s = sessionOf(res);
    const user = pageUser(res, auth);
    if (!mayUsePostRoom(s.g)) return refused(res, user);
    const id = Uuid.safeParse(req.params.documentId);
    const doc = id.success
      ? await db
          .selectFrom('documents')
          .select(['id', 'jobcenter', 'application_id', 'post_status'])
          .where('id', '=', id.data)
          .executeTakeFirst()
      : undefined;
    if (!doc || !doc.post_status || !mayJobcenter(s, doc.jobcenter))
      return res
        .status(404)
        .type('html')
        .send(
          layout({
            title: 'Nicht gefunden',
            user,
            current: 'none',
            main: '<h1>Nicht gefunden</h1><p>Dieses Schreiben gibt es im Postausgang nicht oder Sie dürfen es nicht sehen.</p>',
          }),
        );
    const marked = await markSent(db, { documentId: doc.id, jobcenters: s.j, actor: actorOf(s), at: auth.now() });
    if (marked)
      await auditView(db, {
        jobcenter: marked.jobcenter,
        actor: actorOf(s),
        action: 'workspace.post.sent',
        applicationId: marked.applicationId,
        details: { documentId: doc.id },
      });
    res.redirect(303, `${POST_ROOM}?hinweis=${marked ? 'versandt' : 'erledigt'}`);
  });

  return router;
}
