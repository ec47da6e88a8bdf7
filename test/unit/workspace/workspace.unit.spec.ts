/** The staff workspace over HTTP: login with the engine account, tasks with names from the store, claims, cases, one jobcenter only. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import type { Store } from '../../../src/store/index.js';
import { SESSION_COOKIE } from '../../../src/workspace/session.js';
import { FakeStaffEngine, seedCase, type SeededCase, workspaceApp } from './fixture.js';

jest.setTimeout(60_000);

let app: Express;
let store: Store;
let staff: FakeStaffEngine;
let mueller: SeededCase;
let schulz: SeededCase;
let wuppertal: SeededCase;

beforeAll(async () => {
  ({ app, store, staff } = await workspaceApp());
  staff.accounts.set('ez', { password: 'richtig', groups: ['EZ', 'jobcenter-cottbus'] });
  staff.accounts.set('ifk', { password: 'richtig', groups: ['IFK', 'team-u25'] });
  staff.accounts.set('niemand', { password: 'richtig', groups: ['EZ'] });
  staff.accounts.set('regio', { password: 'richtig', groups: ['TL', 'jobcenter-cottbus', 'jobcenter-wuppertal'] });
  mueller = await seedCase(store, {
    jobcenter: 'cottbus',
    head: ['Anna', 'Müller'],
    member: ['Ben', 'Müller'],
    deadline: { due: '2026-11-20', status: 'open' },
    bg: '12345BG0000001',
    kd: '123A456789',
  });
  schulz = await seedCase(store, {
    jobcenter: 'cottbus',
    head: ['Carl', 'Schulz'],
    channel: 'ONLINE',
    deadline: { due: '2026-12-10', status: 'open' },
  });
  wuppertal = await seedCase(store, { jobcenter: 'wuppertal', head: ['Dora', 'Weber'] });
  const task = (id: string, c: SeededCase, groups: string[], due: string) => ({
    id,
    name: 'ID-Prüfung',
    taskDefinitionKey: 'Task_IdCheck',
    processInstanceId: c.processInstanceId,
    assignee: null,
    created: '2026-11-16T09:00:00.000+0100',
    due: `${due}T23:59:00.000+0100`,
    candidateGroups: groups,
  });
  staff.tasks.push(
    task('t-schulz', schulz, ['EZ'], '2026-11-30'),
    task('t-mueller', mueller, ['EZ'], '2026-11-24'),
    task('t-wuppertal', wuppertal, ['EZ'], '2026-11-20'),
    task('t-ifk', mueller, ['IFK'], '2026-11-25'),
  );
});
afterAll(async () => {
  await store.close();
});

async function loggedIn(user = 'ez') {
  const agent = request.agent(app);
  const res = await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: user, passwort: 'richtig' });
  expect(res.status).toBe(303);
  return agent;
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe('login', () => {
  it('sends a browser without a session to the login form', async () => {
    const res = await request(app).get('/arbeitsplatz/neukunden?suche=x');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/arbeitsplatz/anmelden?next=%2Farbeitsplatz%2Fneukunden%3Fsuche%3Dx');
  });

  it('refuses a wrong password with the form again', async () => {
    const res = await request(app)
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'ez', passwort: 'falsch' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Benutzerkennung oder Passwort ist falsch.');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('keeps the session in a signed HttpOnly SameSite=Strict cookie and goes to the tasks', async () => {
    const res = await request(app)
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'ez', passwort: 'richtig' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/arbeitsplatz/aufgaben');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/;/);
    expect(cookie).not.toContain('richtig');
  });

  it('refuses an account no group binds to a jobcenter when several are configured', async () => {
    const res = await request(app)
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'niemand', passwort: 'richtig' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('keinem Jobcenter zugeordnet');
  });

  it('takes a changed cookie for none', async () => {
    const res = await request(app)
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'ez', passwort: 'richtig' });
    const value = /=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;
    const [payload, sig] = value.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), j: null }),
    ).toString('base64url');
    const page = await request(app).get('/arbeitsplatz/aufgaben').set('Cookie', `${SESSION_COOKIE}=${forged}.${sig}`);
    expect(page.status).toBe(303);
  });

  it('opens the MDS dashboard of my jobcenter with the same login, and not another jobcenter', async () => {
    const agent = await loggedIn();
    const index = await agent.get('/dashboard').set('Accept', 'text/html');
    expect(index.status).toBe(303);
    expect(index.headers.location).toBe('/dashboard/cottbus');
    const page = await agent.get('/dashboard/cottbus').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/arbeitsplatz/aufgaben"');
    await agent.get('/dashboard/wuppertal').set('Accept', 'text/html').expect(403);
    // The API itself still takes only bearer tokens.
    await agent.get('/api/v1/reports/mds?jobcenter=cottbus').expect(401);
  });

  it('logs out', async () => {
    const agent = await loggedIn();
    const page = await agent.get('/arbeitsplatz/aufgaben');
    await agent.post('/arbeitsplatz/abmelden').type('form').send({}).expect(403);
    const out = await agent
      .post('/arbeitsplatz/abmelden')
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
  });
});

describe('tasks', () => {
  it('lists the tasks of my groups in my jobcenter with the name and Vorgangsnummer, soonest due first', async () => {
    const agent = await loggedIn();
    const res = await agent.get('/arbeitsplatz/aufgaben');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Müller, Anna');
    expect(res.text).toContain(mueller.caseNumber);
    expect(res.text).toContain('Schulz, Carl');
    expect(res.text.indexOf('Müller, Anna')).toBeLessThan(res.text.indexOf('Schulz, Carl'));
    expect(res.text).not.toContain('Weber');
    expect(res.text).not.toContain('t-ifk');
    expect(res.text).toContain('20.11.2026'); // the MDS deadline from the store
  });

  it('claims only with the form token, then gives the task back', async () => {
    const agent = await loggedIn();
    const page = await agent.get('/arbeitsplatz/aufgaben');
    const refused = await agent.post('/arbeitsplatz/aufgaben/t-mueller/uebernehmen').type('form').send({});
    expect(refused.status).toBe(403);
    expect(staff.tasks.find((t) => t.id === 't-mueller')!.assignee).toBeNull();

    const claimed = await agent
      .post('/arbeitsplatz/aufgaben/t-mueller/uebernehmen')
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(claimed.status).toBe(303);
    expect(staff.tasks.find((t) => t.id === 't-mueller')!.assignee).toBe('ez');
    const after = await agent.get(claimed.headers.location!);
    expect(after.text).toContain('Die Aufgabe ist Ihnen jetzt zugewiesen.');
    expect(after.text).toContain('Zurückgeben');

    await agent
      .post('/arbeitsplatz/aufgaben/t-mueller/zurueckgeben')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(staff.tasks.find((t) => t.id === 't-mueller')!.assignee).toBeNull();
  });

  it('opens a task beside its case, with the way to its form in Tasklist, and not one of another jobcenter', async () => {
    const agent = await loggedIn();
    const res = await agent.get('/arbeitsplatz/aufgaben/t-schulz');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Schulz, Carl');
    expect(res.text).toContain(schulz.caseNumber);
    expect(res.text).toContain('tasklist/default/#/?task=t-schulz');
    await agent.get('/arbeitsplatz/aufgaben/t-wuppertal').expect(404);
    await agent.get('/arbeitsplatz/aufgaben/t-ifk').expect(404);
  });

  it('does not claim a task of another group or another jobcenter (404)', async () => {
    const agent = await loggedIn();
    const csrf = csrfOf((await agent.get('/arbeitsplatz/aufgaben')).text);
    await agent.post('/arbeitsplatz/aufgaben/t-ifk/uebernehmen').type('form').send({ _csrf: csrf }).expect(404);
    await agent.post('/arbeitsplatz/aufgaben/t-wuppertal/uebernehmen').type('form').send({ _csrf: csrf }).expect(404);
    expect(staff.tasks.find((t) => t.id === 't-wuppertal')!.assignee).toBeNull();
  });
});

describe('Neukunden', () => {
  it('gives every case a Vorgangsnummer per jobcenter and year', () => {
    expect(mueller.caseNumber).toMatch(/^CO-2026-\d{5}$/);
    expect(wuppertal.caseNumber).toMatch(/^WU-2026-\d{5}$/);
    expect(Number(schulz.caseNumber.slice(-5))).toBe(Number(mueller.caseNumber.slice(-5)) + 1);
  });

  it('finds a case by name, Vorgangsnummer, BG and KD number, only in my jobcenter', async () => {
    const agent = await loggedIn();
    for (const search of ['müller', mueller.caseNumber, '12345BG0000001', '123A456789', 'Anna Müller']) {
      const res = await agent.get('/arbeitsplatz/neukunden').query({ suche: search });
      expect(res.status).toBe(200);
      expect(res.text).toContain('Müller, Anna');
      expect(res.text).not.toContain('Schulz, Carl');
    }
    const all = await agent.get('/arbeitsplatz/neukunden');
    expect(all.text).toContain('2 Vorgänge gefunden');
    expect(all.text).not.toContain('Weber');
  });

  it('filters by deadline status and channel', async () => {
    const agent = await loggedIn();
    const overdue = await agent.get('/arbeitsplatz/neukunden?frist=overdue');
    expect(overdue.text).toContain('Müller, Anna');
    expect(overdue.text).not.toContain('Schulz, Carl');
    const online = await agent.get('/arbeitsplatz/neukunden?kanal=ONLINE');
    expect(online.text).toContain('Schulz, Carl');
    expect(online.text).not.toContain('Müller, Anna');
    const met = await agent.get('/arbeitsplatz/neukunden?frist=met');
    expect(met.text).toContain('0 Vorgänge gefunden');
  });

  it('refuses control characters in the search', async () => {
    const agent = await loggedIn();
    const res = await agent.get('/arbeitsplatz/neukunden?suche=a%00b');
    expect(res.status).toBe(400);
  });

  it('shows one case with household, ages and deadlines, writes the audit trail, and 404s another jobcenter', async () => {
    const agent = await loggedIn();
    const res = await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Müller, Ben');
    expect(res.text).toContain('11 Jahre');
    expect(res.text).toContain('12345BG0000001');
    expect(res.text).toContain('überfällig');
    expect(res.text).toMatch(/cockpit\/default\/#\/process-instance\/[^/]+\/runtime/);
    const audit = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('application_id', '=', mueller.id)
      .where('action', '=', 'workspace.case.view')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('user:ez');
    await agent.get(`/arbeitsplatz/neukunden/${wuppertal.id}`).expect(404);
    await agent.get('/arbeitsplatz/neukunden/not-a-uuid').expect(404);
  });

  it('lets a regional lead of two jobcenters see the cases of both, and lists both', async () => {
    const agent = await loggedIn('regio');
    await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`).expect(200);
    await agent.get(`/arbeitsplatz/neukunden/${wuppertal.id}`).expect(200);
    const list = await agent.get('/arbeitsplatz/neukunden').expect(200);
    expect(list.text).toContain('Müller, Anna');
    expect(list.text).toContain('Weber, Dora');
    expect(list.text).toContain('Jobcenter Cottbus');
  });

  it('downloads a letter of the case as PDF', async () => {
    const { id } = await store.db
      .insertInto('documents')
      .values({
        jobcenter: 'cottbus',
        application_id: mueller.id,
        person_id: null,
        kind: 'invitation',
        title: 'Einladung Erstberatung',
        media_type: 'application/pdf',
        content: Buffer.from('%PDF-1.4 test'),
        dedup_key: `doc-${mueller.id}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const agent = await loggedIn();
    const page = await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`);
    expect(page.text).toContain(`/arbeitsplatz/neukunden/${mueller.id}/dokumente/${id}`);
    const pdf = await agent.get(`/arbeitsplatz/neukunden/${mueller.id}/dokumente/${id}`).buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('Einladung Erstberatung.pdf');
    await agent.get(`/arbeitsplatz/neukunden/${wuppertal.id}/dokumente/${id}`).expect(404);
  });
});
