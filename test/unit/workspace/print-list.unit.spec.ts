/**
 * The post room's Postausgang over HTTP: the letters of its jobcenter still to post with case number, addressee,
 * title and PDF; "gedruckt und versandt" takes one off the list once, with the form's token, and is audited;
 * other groups are refused and another jobcenter's letter is not there.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import type { Store } from '../../../src/store/index.js';
import { seedCase, type SeededCase, workspaceApp } from './fixture.js';

jest.setTimeout(60_000);

let app: Express;
let store: Store;
let mueller: SeededCase;
let wuppertal: SeededCase;
const letters: Record<string, string> = {};

/** A filed letter: its id. `post` says whether it waits for the post room, was sent, or was never for the post. */
async function file(c: SeededCase, jobcenter: string, title: string, post: 'to-print' | 'sent' | null, at: string) {
  const id = randomUUID();
  await store.db
    .insertInto('documents')
    .values({
      id,
      jobcenter,
      application_id: c.id,
      person_id: null,
      kind: 'einladung-rfb',
      title,
      media_type: 'application/pdf',
      content: Buffer.from('%PDF-1.7 test'),
      dedup_key: `${c.id}:${title}`,
      created_at: new Date(at),
      post_status: post,
      posted_at: post === 'sent' ? new Date(at) : null,
      posted_by: post === 'sent' ? 'user:post' : null,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  let staff;
  ({ app, store, staff } = await workspaceApp());
  staff.accounts.set('post', { password: 'richtig', groups: ['POST', 'jobcenter-cottbus'] });
  staff.accounts.set('tl', { password: 'richtig', groups: ['TL', 'jobcenter-cottbus'] });
  staff.accounts.set('ez', { password: 'richtig', groups: ['EZ', 'jobcenter-cottbus'] });
  mueller = await seedCase(store, { jobcenter: 'cottbus', head: ['Anna', 'Müller'] });
  await store.db
    .insertInto('application_addresses')
    .values({
      application_id: mueller.id,
      jobcenter: 'cottbus',
      salutation: 'Frau',
      street: 'Lindenstraße 12',
      postcode: '03046',
      city: 'Cottbus',
    })
    .execute();
  wuppertal = await seedCase(store, { jobcenter: 'wuppertal', head: ['Dora', 'Weber'] });
  letters.invitation = await file(mueller, 'cottbus', 'Einladung zum Erstgespräch', 'to-print', '2026-11-20T08:00:00Z');
  letters.dispatch = await file(mueller, 'cottbus', 'Ihre Antragsunterlagen', 'to-print', '2026-11-19T08:00:00Z');
  letters.sent = await file(mueller, 'cottbus', 'Schon versandt', 'sent', '2026-11-18T08:00:00Z');
  letters.handedOver = await file(mueller, 'cottbus', 'Checkliste', null, '2026-11-18T08:00:00Z');
  letters.other = await file(wuppertal, 'wuppertal', 'Wuppertaler Einladung', 'to-print', '2026-11-18T08:00:00Z');
});
afterAll(async () => {
  await store.close();
});

async function loggedIn(user: string) {
  const agent = request.agent(app);
  const res = await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: user, passwort: 'richtig' });
  expect(res.status).toBe(303);
  return agent;
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const rowOf = (html: string, documentId: string) =>
  new RegExp(`<tr data-document="${documentId}">([\\s\\S]*?)</tr>`).exec(html)?.[1];

describe('the Postausgang', () => {
  it("lists its jobcenter's letters still to post, oldest first, with case number, addressee, title and PDF", async () => {
    const agent = await loggedIn('post');
    const res = await agent.get('/arbeitsplatz/postausgang');
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 Schreiben warten auf den Versand.');
    const row = rowOf(res.text, letters.dispatch!)!;
    expect(row).toContain('19.11.2026');
    expect(row).toContain(mueller.caseNumber);
    expect(row).toContain('Frau Anna Müller');
    expect(row).toContain('Ihre Antragsunterlagen');
    expect(row).toContain(`/arbeitsplatz/neukunden/${mueller.id}/dokumente/${letters.dispatch}`);
    expect(res.text.indexOf(letters.dispatch!)).toBeLessThan(res.text.indexOf(letters.invitation!));
    for (const absent of [letters.sent, letters.handedOver, letters.other]) expect(res.text).not.toContain(absent);
    expect(res.text).toMatch(/<a href="\/arbeitsplatz\/postausgang" aria-current="page">Postausgang<\/a>/);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'workspace.post.view')
      .execute();
    expect(audit).toEqual([{ actor: 'user:post', details: { documents: [letters.dispatch, letters.invitation] } }]);
  });

  it('is open to team leads, and neither listed nor open for the front desk', async () => {
    const tl = await loggedIn('tl');
    expect((await tl.get('/arbeitsplatz/postausgang')).status).toBe(200);
    const ez = await loggedIn('ez');
    const page = await ez.get('/arbeitsplatz/neukunden');
    expect(page.text).not.toContain('Postausgang');
    const res = await ez.get('/arbeitsplatz/postausgang');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(mueller.caseNumber);
    const post = await ez
      .post(`/arbeitsplatz/postausgang/${letters.invitation}/versandt`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(post.status).toBe(403);
    const doc = await store.db
      .selectFrom('documents')
      .select('post_status')
      .where('id', '=', letters.invitation!)
      .executeTakeFirstOrThrow();
    expect(doc.post_status).toBe('to-print');
  });

  it('refuses "gedruckt und versandt" without the form token', async () => {
    const agent = await loggedIn('post');
    const res = await agent.post(`/arbeitsplatz/postausgang/${letters.invitation}/versandt`).type('form').send({});
    expect(res.status).toBe(403);
  });

  it('marks a letter printed and sent once, by whom and when, audited, and takes it off the list', async () => {
    const agent = await loggedIn('post');
    const csrf = csrfOf((await agent.get('/arbeitsplatz/postausgang')).text);
    const res = await agent
      .post(`/arbeitsplatz/postausgang/${letters.invitation}/versandt`)
      .type('form')
      .send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/arbeitsplatz/postausgang?hinweis=versandt');
    const doc = await store.db
      .selectFrom('documents')
      .select(['post_status', 'posted_by', 'posted_at'])
      .where('id', '=', letters.invitation!)
      .executeTakeFirstOrThrow();
    expect(doc).toEqual({ post_status: 'sent', posted_by: 'user:post', posted_at: new Date('2026-11-23T09:00:00Z') });
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['application_id', 'details'])
      .where('action', '=', 'workspace.post.sent')
      .execute();
    expect(audit).toEqual([{ application_id: mueller.id, details: { documentId: letters.invitation } }]);
    const list = await agent.get('/arbeitsplatz/postausgang?hinweis=versandt');
    expect(list.text).toContain('als gedruckt und versandt vermerkt');
    expect(list.text).not.toContain(letters.invitation);
    expect(list.text).toContain('1 Schreiben wartet auf den Versand.');

    // A second click (or a colleague's) changes nothing and says so.
    const again = await agent
      .post(`/arbeitsplatz/postausgang/${letters.invitation}/versandt`)
      .type('form')
      .send({ _csrf: csrf });
    expect(again.headers.location).toBe('/arbeitsplatz/postausgang?hinweis=erledigt');
    expect(
      await store.db.selectFrom('audit_log').select('id').where('action', '=', 'workspace.post.sent').execute(),
    ).toHaveLength(1);
  });

  it("answers another jobcenter's letter, and one never meant for the post, with 404 and leaves it", async () => {
    const agent = await loggedIn('post');
    const csrf = csrfOf((await agent.get('/arbeitsplatz/postausgang')).text);
    for (const id of [letters.other, letters.handedOver, 'not-a-uuid']) {
      const res = await agent.post(`/arbeitsplatz/postausgang/${id}/versandt`).type('form').send({ _csrf: csrf });
      expect(res.status).toBe(404);
    }
    const other = await store.db
      .selectFrom('documents')
      .select('post_status')
      .where('id', '=', letters.other!)
      .executeTakeFirstOrThrow();
    expect(other.post_status).toBe('to-print');
  });
});
