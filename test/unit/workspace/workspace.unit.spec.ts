/** The staff workspace over HTTP: login with the engine account, tasks with names from the store, claims, cases, one jobcenter only. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import type { Store } from '../../../src/store/index.js';
import { SESSION_COOKIE } from '../../../src/workspace/session.js';
import { FakeStaffEngine, formFile, seedCase, type SeededCase, workspaceApp } from './fixture.js';

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

describe('completing a task with its form', () => {
  const idCheckTask = (id: string, c: SeededCase, groups: string[]) => {
    staff.tasks.push({
      id,
      name: 'ID-Prüfung',
      taskDefinitionKey: 'UserTask_IdCheck',
      processInstanceId: c.processInstanceId,
      assignee: null,
      created: '2026-11-16T09:00:00.000+0100',
      due: '2026-11-24T23:59:00.000+0100',
      candidateGroups: groups,
    });
    staff.forms.set(id, formFile('cottbus-id-check'));
    staff.variables.set(id, { relocation: true, applicationId: c.id });
  };
  beforeAll(() => {
    idCheckTask('t-form', mueller, ['EZ']);
    idCheckTask('t-form-ifk', mueller, ['IFK']);
    idCheckTask('t-form-wuppertal', wuppertal, ['EZ']);
  });
  const valid = { identityVerified: true, jurisdictionEvidence: 'lease', responsible: true };
  const post = async (agent: Awaited<ReturnType<typeof loggedIn>>, taskId: string, values: unknown) => {
    const csrf = csrfOf((await agent.get('/arbeitsplatz/aufgaben')).text);
    return agent
      .post(`/arbeitsplatz/aufgaben/${taskId}/abschliessen`)
      .type('form')
      .send({ _csrf: csrf, werte: typeof values === 'string' ? values : JSON.stringify(values) });
  };

  it('renders the form from JSON blocks and external scripts only, with the task variables the form reads', async () => {
    const agent = await loggedIn();
    const res = await agent.get('/arbeitsplatz/aufgaben/t-form');
    expect(res.status).toBe(200);
    const schema = /<script type="application\/json" id="formular-schema">([^<]*)<\/script>/.exec(res.text)?.[1];
    expect(JSON.parse(schema!)).toMatchObject({ id: 'cottbus-id-check' });
    const data = /<script type="application\/json" id="formular-daten">([^<]*)<\/script>/.exec(res.text)?.[1];
    // Only what the form names: the flag its condition reads, not every variable of the task.
    expect(JSON.parse(data!)).toEqual({ relocation: true });
    const scripts = [...res.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBe(4);
    for (const attrs of scripts) expect(attrs).toMatch(/type="application\/json"|src="\/arbeitsplatz\/assets\//);
    expect(res.text).toContain('action="/arbeitsplatz/aufgaben/t-form/abschliessen"');
  });

  it('serves the form renderer, its styles and the page script', async () => {
    const client = await request(app).get('/arbeitsplatz/assets/task-form.js');
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toMatch(/^text\/javascript/);
    expect(client.text).toContain('formular-schema');
    const css = await request(app).get('/arbeitsplatz/assets/form-js.css');
    expect(css.status).toBe(200);
    expect(css.text).toContain('.fjs-container');
    const viewer = await request(app).get('/arbeitsplatz/assets/form-js.js');
    expect(viewer.status).toBe(200);
    expect(viewer.text).toContain('FormJs');
  });

  it('refuses a submission that breaks the form, naming the field in German, and writes nothing', async () => {
    const agent = await loggedIn();
    const res = await post(agent, 't-form', { ...valid, identityVerified: false });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(
      /role="alert"[^>]*>[\s\S]*„Identität anhand des Ausweisdokuments geprüft“ muss angehakt sein/,
    );
    // The values come back into the form, so nothing typed is lost.
    expect(res.text).toContain('"jurisdictionEvidence":"lease"');
    expect(staff.completed).toEqual([]);
    expect(staff.tasks.find((t) => t.id === 't-form')!.assignee).toBeNull();
    // Reloading the refused page's address opens the task again.
    const reload = await agent.get('/arbeitsplatz/aufgaben/t-form/abschliessen');
    expect(reload.status).toBe(303);
    expect(reload.headers.location).toBe('/arbeitsplatz/aufgaben/t-form');
  });

  it('refuses an unknown key, a hidden-field rule broken and broken JSON', async () => {
    const agent = await loggedIn();
    const unknown = await post(agent, 't-form', { ...valid, applicationId: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Das Feld „applicationId“ gehört nicht zu diesem Formular.');
    const missing = await post(agent, 't-form', { identityVerified: true });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('„Zuständigkeit geprüft anhand“ ist ein Pflichtfeld.');
    expect((await post(agent, 't-form', '{not json')).status).toBe(422);
    expect(staff.completed).toEqual([]);
  });

  it('refuses a completion without the form token', async () => {
    const agent = await loggedIn();
    const res = await agent
      .post('/arbeitsplatz/aufgaben/t-form/abschliessen')
      .type('form')
      .send({ werte: JSON.stringify(valid) });
    expect(res.status).toBe(403);
    expect(staff.completed).toEqual([]);
  });

  it('does not complete a task of another group or another jobcenter (404)', async () => {
    const agent = await loggedIn();
    expect((await post(agent, 't-form-ifk', valid)).status).toBe(404);
    expect((await post(agent, 't-form-wuppertal', valid)).status).toBe(404);
    await agent.get('/arbeitsplatz/aufgaben/t-form-ifk').expect(404);
    expect(staff.completed).toEqual([]);
  });

  it('claims, completes with the form variables only, writes the audit line and says so', async () => {
    const agent = await loggedIn();
    const res = await post(agent, 't-form', valid);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/arbeitsplatz/aufgaben?hinweis=erledigt');
    expect(staff.completed).toEqual([
      {
        taskId: 't-form',
        assignee: 'ez',
        variables: {
          identityVerified: true,
          jurisdictionEvidence: 'lease',
          responsible: true,
          registrationFormsCompleted: false,
          digitalHintsGiven: false,
          currentMattersHintGiven: false,
          invitationByPhone: false,
        },
      },
    ]);
    const audit = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'workspace.task.complete')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'user:ez', application_id: mueller.id });
    const list = await agent.get(res.headers.location!);
    expect(list.text).toContain('Aufgabe erledigt.');
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
        post_status: 'to-print',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const agent = await loggedIn();
    const page = await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`);
    expect(page.text).toContain(`/arbeitsplatz/neukunden/${mueller.id}/dokumente/${id}`);
    // The post room's work shows in the case: still to post, then the day it went out.
    expect(page.text).toContain('zu drucken und zu versenden');
    await store.db
      .updateTable('documents')
      .set({ post_status: 'sent', posted_at: new Date('2026-11-24T09:30:00Z'), posted_by: 'user:post' })
      .where('id', '=', id)
      .execute();
    expect((await agent.get(`/arbeitsplatz/neukunden/${mueller.id}`)).text).toContain('versandt am 24.11.2026, 10:30');
    const pdf = await agent.get(`/arbeitsplatz/neukunden/${mueller.id}/dokumente/${id}`).buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('Einladung Erstberatung.pdf');
    await agent.get(`/arbeitsplatz/neukunden/${wuppertal.id}/dokumente/${id}`).expect(404);
  });
});
