/**
 * The MDS dashboard on real cases: Cottbus applications sent through the API run on the real engine with the
 * workers. One is consulted in time (met), one waits for its consultation (open), one is backdated so that its
 * first consultation is already past its deadline when the team books it as deputy (breached: the breach timer,
 * due in the past, fires after its due date is checked), and one backdated case has no appointment yet (breached
 * while it waits for the deputy booking, and overdue: nothing is booked for it).
 * The front desk logs in to /dashboard/cottbus in Chromium; every figure on the page must equal the report API's
 * for the same period, and the overdue case's Cockpit and Tasklist links must open that instance and its open
 * task. Screenshots go to test/artifacts/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';

import { createCalendar } from '../../src/calendar/index.js';
import { loadConfig } from '../../src/config/load.js';
import { EngineRequestError, EngineRestClient } from '../../src/engine/rest-client.js';
import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../tools/browser/chromium.js';
import { aMember, anApplication, today } from '../support/application.js';
import { deleteInstances, noIncidents, openTasks } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { AUTH, TOKENS } from '../support/tokens.js';
import { logInToWebapp } from '../support/webapp-login.js';
import { integrationEnv } from './engine-env.js';
import { reportEvent, startSystem, type System } from './system.js';

jest.setTimeout(600_000);

const ARTIFACTS = 'test/artifacts';
/** How long this spec waits for a case to take a step: three minutes. */
const PATIENCE = { timeoutMs: 180_000 };
const bb = createCalendar({ state: 'BB' });
const cottbus = loadConfig(integrationEnv).jobcenters.get('cottbus')!;
const pct = (r: number | null) => (r === null ? '–' : `${Math.round(r * 100)} %`);

interface Case {
  id: string;
  processInstanceId: string;
  applicationDate: string;
}

describe('MDS dashboard on real Cottbus cases', () => {
  let system: System;
  let server: Server;
  let base: string;
  let browser: Browser;
  const cases: Record<'open' | 'met' | 'breached' | 'overdue', Case> & { postal?: Case } = {} as never;
  const period = { from: '', to: '', asOf: '' };

  beforeAll(async () => {
    system = await startSystem();
    server = await new Promise<Server>((resolve) => {
      const s = system.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    // The instances wait at consultations and deputy bookings: remove them, so no later spec's workers meet their timers.
    await deleteInstances(
      system?.client,
      Object.values(cases).map((c) => c.processInstanceId),
    );
    await system?.close();
  });

  async function apply(
    givenName: string,
    familyName: string,
    birthDate: string,
    applicationDate: string,
    channel: 'EZ' | 'POST' = 'EZ',
  ): Promise<Case> {
    const res = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ applicationDate, channel, members: [aMember({ givenName, familyName, birthDate })] }));
    expect(res.status).toBe(201);
    return { id: res.body.id, processInstanceId: res.body.processInstanceId, applicationDate };
  }

  const deadlineOf = (c: Case) =>
    system.store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('application_id', '=', c.id)
      .where('kind', '=', 'first-consultation')
      .executeTakeFirst();
  const deadlineIs = (c: Case, status: string) =>
    eventually(
      `the deadline ${status}`,
      async () => {
        await noIncidents(system.client, c.processInstanceId);
        const d = await deadlineOf(c);
        return d?.status === status ? d : undefined;
      },
      PATIENCE,
    );

  async function openCase(): Promise<Case> {
    const c = await apply('Karl', 'Lindner', '1980-05-05', today());
    await reportEvent(system, c, 'id-check-completed', { identityVerified: true, responsible: true }, PATIENCE);
    await openTasks(system.client, c.processInstanceId, 'UserTask_FirstConsultation');
    return c;
  }

  async function metCase(): Promise<Case> {
    const c = await apply('Anna', 'Richter', '1975-02-02', today());
    await reportEvent(system, c, 'id-check-completed', { identityVerified: true, responsible: true }, PATIENCE);
    await openTasks(system.client, c.processInstanceId, 'UserTask_FirstConsultation');
    const { person_id: personId } = (await deadlineOf(c))!;
    await reportEvent(
      system,
      c,
      'first-consultation-held',
      { personId, heldOn: today(), profiling: true, kooperationsplan: true },
      PATIENCE,
    );
    await deadlineIs(c, 'met');
    return c;
  }

  /** Backdated 20 working days: the MDS day is past, no slot is left, the team books a colleague as deputy. */
  async function breachedCase(): Promise<Case> {
    const c = await apply('Uwe', 'Schubert', '1970-09-09', bb.subtractWorkingDays(today(), 20));
    const due = bb.addWorkingDays(c.applicationDate, 15);
    expect(due < today()).toBe(true);
    await reportEvent(system, c, 'id-check-completed', { identityVerified: true, responsible: true }, PATIENCE);
    const [deputy] = await openTasks(system.client, c.processInstanceId, 'UserTask_DeputyBooking');
    const { team, caseworker_id: main } = (await deadlineOf(c))!;
    const colleague = cottbus.caseworkers.find((w) => w.team === team && w.id !== main && !w.virtual)!;
    const day = bb.addWorkingDays(today(), 2);
    await system.client.completeTask(deputy!.id, {
      slotStartsAt: `${day}T11:00${bb.breachInstant(day).slice(19)}`,
      deputyCaseworkerId: colleague.id,
    });
    await openTasks(system.client, c.processInstanceId, 'UserTask_FirstConsultation');
    // The breach timer's instant is the calendar's, already past; the engine's job executor may have fired it by now.
    expect(new Date((await deadlineOf(c))!.breach_at).getTime()).toBe(new Date(bb.breachInstant(due)).getTime());
    expect(new Date(bb.breachInstant(due)).getTime()).toBeLessThan(Date.now());
    for (const timer of await system.client.jobs({
      processInstanceId: c.processInstanceId,
      activityId: 'Timer_MdsBreach',
      timers: 'true',
    })) {
      expect(new Date(timer.dueDate!).getTime()).toBe(new Date(bb.breachInstant(due)).getTime());
      await system.client.executeJob(timer.id).catch((e: unknown) => {
        if (!(e instanceof EngineRequestError && e.status === 404)) throw e; // the job executor was quicker
      });
    }
    await deadlineIs(c, 'breached');
    return c;
  }

  /** Backdated 17 working days: its MDS day was two working days ago and nobody has booked it yet. */
  async function overdueCase(): Promise<Case> {
    const c = await apply('Heinz', 'Krüger', '1968-03-03', bb.subtractWorkingDays(today(), 17));
    await reportEvent(system, c, 'id-check-completed', { identityVerified: true, responsible: true }, PATIENCE);
    await openTasks(system.client, c.processInstanceId, 'UserTask_DeputyBooking');
    expect((await deadlineOf(c))!.due_date < today()).toBe(true);
    // The MDS clock runs from the application day: its breach instant is past, so the case-wide timer breaches it
    // while it waits for the deputy booking (the job executor may have been first).
    for (const timer of await system.client.jobs({
      processInstanceId: c.processInstanceId,
      activityId: 'Timer_MdsBreach',
      timers: 'true',
    })) {
      await system.client.executeJob(timer.id).catch((e: unknown) => {
        if (!(e instanceof EngineRequestError && e.status === 404)) throw e;
      });
    }
    await deadlineIs(c, 'breached');
    return c;
  }

  async function logInToDashboard(url: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(url);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.fill('#token', TOKENS.EZ);
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/dashboard/cottbus');
    return page;
  }

  /** Every figure row of the page as the report API would give it: group, key, and the columns as shown. */
  const figuresOnPage = (page: Page) =>
    page.locator('tr[data-group]').evaluateAll((rows) =>
      rows.map((r) => ({
        group: r.getAttribute('data-group'),
        id: r.getAttribute('data-id'),
        ...Object.fromEntries(
          ['due', 'met', 'breached', 'open', 'overdue', 'dueSoon', 'metRate'].map((k) => [
            k,
            r.querySelector(`td.${k}`)?.textContent?.trim(),
          ]),
        ),
      })),
    );

  type Row = {
    due: number;
    met: number;
    breached: number;
    open: number;
    overdue: number;
    dueSoon: number;
    metRate: number | null;
  };
  const figuresOfReport = (r: {
    kinds: (Row & { kind: string })[];
    byTeam: (Row & { team: string | null })[];
    byCaseworker: (Row & { caseworkerId: string | null })[];
  }) => {
    const shown = (group: string, id: string | null, c: Row) => ({
      group,
      id: id ?? '',
      ...Object.fromEntries(
        (['due', 'met', 'breached', 'open', 'overdue', 'dueSoon'] as const).map((k) => [k, String(c[k])]),
      ),
      metRate: pct(c.metRate),
    });
    return [
      ...r.kinds.map((k) => shown('kind', k.kind, k)),
      ...r.byTeam.map((t) => shown('team', t.team, t)),
      ...r.byCaseworker.map((c) => shown('caseworker', c.caseworkerId, c)),
    ];
  };

  it('shows the same due, met, breached and overdue figures as the report API for real cases, one backdated past its deadline', async () => {
    // Arrange: four applications through the API, driven as far as staff got with them.
    [cases.open, cases.met, cases.breached, cases.overdue] = await Promise.all([
      openCase(),
      metCase(),
      breachedCase(),
      overdueCase(),
    ]);
    // The period reaches back to the backdated cases' MDS days.
    Object.assign(period, {
      from: bb.subtractWorkingDays(today(), 25),
      to: bb.addWorkingDays(today(), 20),
      asOf: today(),
    });
    const query = new URLSearchParams(period).toString();

    // Act: the report API, and the page a front-desk lead opens in the browser after logging in.
    const api = await request(system.app).get(`/api/v1/reports/mds?jobcenter=cottbus&${query}`).set(AUTH.EZ);
    expect(api.status).toBe(200);
    const page = await logInToDashboard(`${base}/dashboard/cottbus?${query}`);

    // Assert: the report counts these four cases as they stand, and the page shows exactly its figures.
    expect(api.body.kinds).toEqual([
      expect.objectContaining({
        kind: 'first-consultation',
        // The unbooked case breached at its breach instant while it waited for a deputy booking: breached, and
        // overdue because nothing is booked for it; the deputy-booked one is breached but off the to-do list.
        due: 4,
        met: 1,
        breached: 2,
        open: 1,
        overdue: 1,
        metRate: 0.333,
      }),
    ]);
    const shown = await figuresOnPage(page);
    expect(shown.length).toBeGreaterThanOrEqual(3);
    expect(shown).toEqual(figuresOfReport(api.body));
    // The overdue list is the report's overdue case, with the links to its instance; the breached one is not overdue.
    const totalOverdue = api.body.kinds.reduce((n: number, k: Row) => n + k.overdue, 0);
    await expect(page.locator('h2', { hasText: 'Überfällig' }).innerText()).resolves.toBe(
      `Überfällig (${totalOverdue})`,
    );
    const overdueLinks = page.locator('h2:has-text("Überfällig") + table a.cockpit');
    expect(await overdueLinks.count()).toBe(1);
    expect(await overdueLinks.first().getAttribute('href')).toContain(cases.overdue.processInstanceId);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-on-engine.png`, fullPage: true });
    await page.context().close();
  });

  it("opens the overdue case's instance in Cockpit from its dashboard link", async () => {
    // Arrange: the link as the page has it.
    const dashboard = await logInToDashboard(`${base}/dashboard/cottbus?${new URLSearchParams(period)}`);
    const href = (await dashboard.locator('h2:has-text("Überfällig") + table a.cockpit').first().getAttribute('href'))!;
    await dashboard.context().close();
    expect(href).toBe(`${system.endpoints.cockpit}#/process-instance/${cases.overdue.processInstanceId}/runtime`);

    // Act: follow it, logging in to Cockpit as the local team lead (read-only).
    const page = await (
      await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
    ).newPage();
    await logInToWebapp(page, href, 'tl');

    // Assert: the instance's runtime view: its id and business key (the application id), its diagram with the deputy booking.
    await page.getByText(cases.overdue.processInstanceId, { exact: true }).first().waitFor({ timeout: 120_000 });
    await page.locator('[data-element-id="UserTask_DeputyBooking"]').first().waitFor({ timeout: 120_000 });
    expect(page.url()).toContain(`#/process-instance/${cases.overdue.processInstanceId}/runtime`);
    await expect(page.getByText(cases.overdue.id, { exact: true }).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/cockpit-from-dashboard.png` });
    await page.context().close();
  });

  it("lists exactly the overdue case's open tasks in Tasklist from its dashboard link", async () => {
    // Arrange: the link as the page has it, and what the engine says a placement officer (all teams) may see of that instance.
    const dashboard = await logInToDashboard(`${base}/dashboard/cottbus?${new URLSearchParams(period)}`);
    const href = (await dashboard
      .locator('h2:has-text("Überfällig") + table a.tasklist')
      .first()
      .getAttribute('href'))!;
    await dashboard.context().close();
    expect(href.startsWith(system.endpoints.tasklist)).toBe(true);
    const bi = new EngineRestClient(system.endpoints.rest, { user: 'bi', password: LOCAL_STAFF_PASSWORD });
    const expected = await bi.tasks({ processInstanceId: cases.overdue.processInstanceId });
    expect(expected.map((t) => t.taskDefinitionKey)).toEqual(['UserTask_DeputyBooking']);
    // bi sees other cases' tasks too (the open and the breached case's consultations), which the link must leave out.
    const others = (await bi.tasks({ processDefinitionKey: 'neukunde-cottbus' })).filter(
      (t) => t.processInstanceId !== cases.overdue.processInstanceId,
    );
    expect(others.length).toBeGreaterThan(0);

    // Act: follow it and log in to Tasklist; the link survives the login.
    const page = await (
      await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
    ).newPage();
    await logInToWebapp(page, href, 'bi');

    // Assert: the search names the instance, and the list holds exactly its open tasks.
    await page.getByText(cases.overdue.processInstanceId).first().waitFor({ timeout: 120_000 });
    const listed = () =>
      page
        .locator('li.task a[href*="task="]')
        .evaluateAll((as) => as.map((a) => /task=([^&]+)/.exec(a.getAttribute('href') ?? '')?.[1]));
    const ids = await eventually('Tasklist to list the tasks', async () => {
      const now = await listed();
      return now.length > 0 ? now : undefined;
    });
    expect([...new Set(ids)].sort()).toEqual(expected.map((t) => t.id).sort());
    await expect(page.locator('li.task h4').first().innerText()).resolves.toContain('Termin in Vertretung buchen');
    await page.screenshot({ path: `${ARTIFACTS}/tasklist-from-dashboard.png` });
    await page.context().close();
  });

  it("takes a team lead from the dashboard's verfehlt figure to a breached postal case and opens it", async () => {
    // Arrange: a letter that arrived 20 working days ago and still waits at the post room's forwarding: its MDS
    // deadline breached there (the case-wide timer, due in the past, is checked and fired).
    const postal = await apply('Greta', 'Postel', '1983-08-08', bb.subtractWorkingDays(today(), 20), 'POST');
    cases.postal = postal;
    await openTasks(system.client, postal.processInstanceId, 'UserTask_ForwardToEz');
    for (const timer of await system.client.jobs({
      processInstanceId: postal.processInstanceId,
      activityId: 'Timer_MdsBreach',
      timers: 'true',
    })) {
      expect(new Date(timer.dueDate!).getTime()).toBe(
        new Date(bb.breachInstant((await deadlineOf(postal))!.due_date)).getTime(),
      );
      await system.client.executeJob(timer.id).catch((e: unknown) => {
        if (!(e instanceof EngineRequestError && e.status === 404)) throw e;
      });
    }
    await deadlineIs(postal, 'breached');

    // Act: the local team lead logs in to the workspace with the engine account, opens the dashboard, and follows
    // the first-consultation row's "verfehlt" figure.
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${base}/arbeitsplatz/anmelden`);
    await page.fill('#benutzer', 'tl');
    await page.fill('#passwort', LOCAL_STAFF_PASSWORD);
    await page.press('#passwort', 'Enter');
    await page.waitForURL(/\/arbeitsplatz\//);
    await page.goto(`${base}/dashboard/cottbus?${new URLSearchParams(period)}`);
    const figure = page.locator('tr[data-group="kind"][data-id="first-consultation"] td.breached a');
    await expect(figure.innerText()).resolves.toBe('3');
    await figure.click();
    await page.waitForURL(/\/arbeitsplatz\/neukunden\?/);
    expect(new URL(page.url()).searchParams.get('frist')).toBe('breached');

    // Assert: the list holds the postal case, its page says where it stands and that its deadline was missed.
    const row = page.locator('tr', { hasText: 'Postel, Greta' });
    await expect(row.innerText()).resolves.toContain('Post');
    await page.screenshot({ path: `${ARTIFACTS}/workspace-verfehlt-liste.png`, fullPage: true });
    await row.locator('a').first().click();
    await page.waitForURL(new RegExp(`/arbeitsplatz/neukunden/${postal.id}$`));
    await expect(page.locator('h1').innerText()).resolves.toContain('Postel, Greta');
    await expect(page.locator('main').innerText()).resolves.toContain('verfehlt');
    await page.screenshot({ path: `${ARTIFACTS}/workspace-verfehlter-postfall.png`, fullPage: true });
    await page.context().close();
  });
});
