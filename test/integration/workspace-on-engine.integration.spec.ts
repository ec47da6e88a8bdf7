/**
 * The staff workspace on the real engine: the provisioned local front-desk login `ez` logs in with its Tasklist
 * password (checked by Operaton's identity service, no password of ours), sees the ID check of a fresh Cottbus
 * application with the applicant's name from the store, claims it and gives it back, in the engine's own task;
 * in Chromium it opens the task, fills in the engine's deployed form by keyboard and completes it, and the
 * instance moves on. Another group's login neither sees nor opens it. Screenshots go to test/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { chromium, type Page } from 'playwright-core';
import request from 'supertest';

import { CASE_NUMBER_FILTER } from '../../src/engine/provision.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../tools/browser/chromium.js';
import { aMember, anApplication, today } from '../support/application.js';
import { openTasks, passed, variablesOf } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { AUTH } from '../support/tokens.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(180_000);

describe('workspace on the real engine', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  it('lets ez find the ID check by name in Chromium, complete its form by keyboard, and the instance moves on', async () => {
    // Arrange: a fresh application waiting in the ID check, and the app on a port for the browser.
    const familyName = `Formular${Date.now().toString(36)}`;
    const created = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ applicationDate: today(), members: [aMember({ givenName: 'Frieda', familyName })] }));
    expect(created.status).toBe(201);
    const instance = created.body.processInstanceId as string;
    const [task] = await openTasks(system.client, instance, 'UserTask_IdCheck');
    const server = await new Promise<Server>((resolve) => {
      const s = system.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    mkdirSync('test/artifacts', { recursive: true });
    try {
      const logIn = async (user: string) => {
        const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
        await page.goto(`${base}/arbeitsplatz/anmelden`);
        await page.getByLabel('Benutzerkennung').fill(user);
        await page.getByLabel('Passwort').fill(LOCAL_STAFF_PASSWORD);
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/arbeitsplatz\/aufgaben/);
        return page;
      };
      /** Pages through "Meine Aufgaben" for a row naming the applicant; undefined when no page has one. */
      const findRow = async (page: Page) => {
        for (let i = 0; i < 40; i++) {
          const row = page.locator('tbody tr', { hasText: familyName });
          if (await row.count()) return row;
          const next = page.locator('a[rel=next]');
          if (!(await next.count())) return undefined;
          await next.click();
          await page.waitForLoadState();
        }
        return undefined;
      };

      // Another group (the Servicecenter, SC) neither sees the ID check nor opens it by its address.
      const sc = await logIn('sc');
      expect(await findRow(sc)).toBeUndefined();
      const byUrl = await sc.goto(`${base}/arbeitsplatz/aufgaben/${task!.id}`);
      expect(byUrl!.status()).toBe(404);
      await sc.context().close();

      // Act: ez finds the task by the applicant's name and opens it.
      const page = await logIn('ez');
      const row = await findRow(page);
      expect(row).toBeDefined();
      await expect(row!.getAttribute('data-task')).resolves.toBe(task!.id);
      await row!.scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'test/artifacts/workspace-engine-aufgaben.png' });
      await row!.locator('th a').click();
      await page.waitForURL(new RegExp(`/arbeitsplatz/aufgaben/${task!.id}$`));
      // The household from the store beside the engine's deployed form.
      await expect(
        page.locator('table', { hasText: 'Mitglieder der Bedarfsgemeinschaft' }).innerText(),
      ).resolves.toContain(`${familyName}, Frieda`);
      const identity = page.getByLabel('Identität anhand des Ausweisdokuments geprüft');
      await identity.waitFor();
      await page.screenshot({ path: 'test/artifacts/workspace-engine-aufgabe.png', fullPage: true });

      // By keyboard: Tab to the required checkbox, Space, Tab to the button, Enter.
      const tabTo = async (test: () => boolean) => {
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press('Tab');
          if (await page.evaluate(test)) return true;
        }
        return false;
      };
      await page.locator('#aufgabe').click();
      expect(
        await tabTo(
          () =>
            document.activeElement instanceof HTMLInputElement &&
            document.activeElement.id.endsWith('identityVerified'),
        ),
      ).toBe(true);
      await page.keyboard.press('Space');
      await expect(identity.isChecked()).resolves.toBe(true);
      expect(
        await tabTo(() => document.activeElement?.matches('#aufgabe-abschliessen button[type=submit]') === true),
      ).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/hinweis=erledigt/);
      await expect(page.locator('[role=status]').first().innerText()).resolves.toBe('Aufgabe erledigt.');

      // Assert in the engine: the task is done, in ez's name, with the form's values; the instance went on.
      await passed(system.client, instance, 'UserTask_IdCheck');
      const [done] = await system.client.request<{ assignee: string; deleteReason: string }[]>(
        'GET',
        `/history/task?${new URLSearchParams({ processInstanceId: instance, taskDefinitionKey: 'UserTask_IdCheck' })}`,
      );
      expect(done).toMatchObject({ assignee: 'ez', deleteReason: 'completed' });
      await passed(system.client, instance, 'Gateway_Responsible');
      expect(await system.client.tasks({ processInstanceId: instance, taskDefinitionKey: 'UserTask_IdCheck' })).toEqual(
        [],
      );
      const vars = await eventually('the form variables', async () => {
        const v = await variablesOf(system.client, instance);
        return v.identityVerified === undefined ? undefined : v;
      });
      expect(vars).toMatchObject({ identityVerified: true, responsible: true, invitationByPhone: false });
      expect(vars.caseNumber).toMatch(/^CO-\d{4}-\d{5}$/);
      expect(JSON.stringify(vars)).not.toContain(familyName);
      await page.context().close();
    } finally {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('gives staff the Tasklist filter with the Vorgangsnummer, read with their own login', async () => {
    const ez = new EngineRestClient(system.endpoints.rest, { user: 'ez', password: LOCAL_STAFF_PASSWORD }, 10_000);
    const filters = await ez.request<{ id: string; properties: { variables?: unknown } }[]>(
      'GET',
      `/filter?${new URLSearchParams({ resourceType: 'Task', name: CASE_NUMBER_FILTER })}`,
    );
    expect(filters).toHaveLength(1);
    expect(filters[0]!.properties.variables).toEqual([{ name: 'caseNumber', label: 'Vorgangsnummer' }]);
    const count = await ez.request<{ count: number }>('GET', `/filter/${filters[0]!.id}/count`);
    expect(count.count).toBeGreaterThan(0);
  });

  it('lets ez log in with the engine account, see the ID check with the name, and claim it', async () => {
    // Arrange: a fresh application at the front desk, waiting in the ID check.
    const familyName = `Arbeitsplatz${Date.now().toString(36)}`;
    const created = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ applicationDate: today(), members: [aMember({ givenName: 'Wiebke', familyName })] }));
    expect(created.status).toBe(201);
    const instance = created.body.processInstanceId as string;
    const [task] = await openTasks(system.client, instance, 'UserTask_IdCheck');
    expect(task).toBeDefined();

    // Act: log in as ez and open the task list.
    const agent = request.agent(system.app);
    const login = await agent
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'ez', passwort: LOCAL_STAFF_PASSWORD });
    expect(login.status).toBe(303);
    const list = await agent.get('/arbeitsplatz/aufgaben');
    expect(list.status).toBe(200);

    // Assert: the row of this task names the applicant, from the store.
    const row = new RegExp(`<tr data-task="${task!.id}">[\\s\\S]*?</tr>`).exec(list.text)?.[0];
    expect(row).toBeDefined();
    expect(row).toContain(`${familyName}, Wiebke`);
    expect(row).toContain('ID-Prüfung');
    expect(row).toMatch(/CO-\d{4}-\d{5}/);

    // Claim: the engine's task is now ez's; then give it back.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)![1]!;
    const claimed = await agent
      .post(`/arbeitsplatz/aufgaben/${task!.id}/uebernehmen`)
      .type('form')
      .send({ _csrf: csrf });
    expect(claimed.status).toBe(303);
    const [afterClaim] = await system.client.tasks({
      processInstanceId: instance,
      taskDefinitionKey: 'UserTask_IdCheck',
    });
    expect(afterClaim!.assignee).toBe('ez');
    await agent.post(`/arbeitsplatz/aufgaben/${task!.id}/zurueckgeben`).type('form').send({ _csrf: csrf }).expect(303);
    const [afterUnclaim] = await system.client.tasks({
      processInstanceId: instance,
      taskDefinitionKey: 'UserTask_IdCheck',
    });
    expect(afterUnclaim!.assignee).toBeNull();

    // The Neukunden list finds the case by where it stands in the engine, and says so in German.
    const atIdCheck = await agent
      .get('/arbeitsplatz/neukunden')
      .query({ stand: 'UserTask_IdCheck', suche: familyName });
    expect(atIdCheck.status).toBe(200);
    expect(atIdCheck.text).toContain('1 Vorgang gefunden');
    const caseRow = new RegExp(`<td>${familyName}, Wiebke</td>[\\s\\S]*?</tr>`).exec(atIdCheck.text)![0];
    expect(caseRow).toContain('<td>ID-Prüfung</td>');
    const elsewhere = await agent
      .get('/arbeitsplatz/neukunden')
      .query({ stand: 'UserTask_Arbeitspaket', suche: familyName });
    expect(elsewhere.text).toContain('0 Vorgänge gefunden');

    // The case page shows the name; the engine holds none of it.
    const caseId = created.body.id as string;
    const casePage = await agent.get(`/arbeitsplatz/neukunden/${caseId}`);
    expect(casePage.status).toBe(200);
    expect(casePage.text).toContain(`${familyName}, Wiebke`);
    const variables = await system.client.variableInstances({ processInstanceIdIn: instance });
    expect(JSON.stringify(variables)).not.toContain(familyName);

    // Last, as a wrong password makes the engine hold back this user's next logins for a while (login throttling).
    const wrong = await request(system.app)
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'ez', passwort: 'not-the-password' });
    expect(wrong.status).toBe(401);
  });
});
