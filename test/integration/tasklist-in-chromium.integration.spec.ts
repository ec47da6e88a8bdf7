/**
 * Operaton's Tasklist in a real browser (Debian's Chromium, driven by playwright-core) on a real case: a
 * front-desk user of group EZ logs in, sees the ID check of a fresh Cottbus application with its due date,
 * opens it, claims it, sees our Camunda Form rendered, completes it, and the instance moves on. A user of
 * another group does not see the task. Screenshots go to test/artifacts/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';

import { CASE_NUMBER_FILTER } from '../../src/engine/provision.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../tools/browser/chromium.js';
import { aMember, anApplication, today } from '../support/application.js';
import { openTasks } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { AUTH } from '../support/tokens.js';
import { logInToWebapp } from '../support/webapp-login.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(180_000);

const ARTIFACTS = 'test/artifacts';

describe('Tasklist in Chromium on a real Cottbus case', () => {
  let system: System;
  let browser: Browser;

  beforeAll(async () => {
    system = await startSystem();
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  /** A one-person Cottbus application at the front desk, through the API; returns its process instance id. */
  async function applyAtFrontDesk(givenName: string, familyName: string, birthDate: string): Promise<string> {
    const created = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ applicationDate: today(), members: [aMember({ givenName, familyName, birthDate })] }));
    expect(created.status).toBe(201);
    return created.body.processInstanceId as string;
  }

  async function logIn(user: string): Promise<Page> {
    const page = await (
      await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
    ).newPage();
    await logInToWebapp(page, system.endpoints.tasklist, user);
    await page.getByText('All tasks').first().waitFor({ timeout: 60_000 });
    return page;
  }

  it('shows the ID check to the front desk with its due date and our form, and moves the case on when completed', async () => {
    // Arrange: a fresh application at the front desk.
    const instance = await applyAtFrontDesk('Tasklist', 'Probandin', '1988-04-02');
    const [task] = await openTasks(system.client, instance, 'UserTask_IdCheck');

    // Act: the EZ user opens the task from Tasklist's list.
    const page = await logIn('ez');
    await page.goto(`${system.endpoints.tasklist}#/?task=${task!.id}`);
    const entry = page.getByText('ID-Prüfung').first();
    await entry.waitFor({ timeout: 60_000 });
    expect(await entry.isVisible()).toBe(true);
    // Assert: our Camunda Form, not a generic variable list, and the due date in the list.
    const identity = page.getByLabel('Identität anhand des Ausweisdokuments geprüft');
    await identity.waitFor({ timeout: 60_000 });
    // The list shows "Due in ..." with the exact instant as its tooltip (Tasklist displays UTC here).
    const due = page.locator('span.due-date').filter({ visible: true }).first();
    await due.waitFor({ timeout: 30_000 });
    expect((await due.innerText()).trim()).toMatch(/^Due /);
    const dueAt = new Date(task!.due!);
    const tooltip = await due.locator('[uib-tooltip]').getAttribute('uib-tooltip');
    expect(tooltip).toContain(
      `${dueAt.getUTCDate()} ${dueAt.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${dueAt.getUTCFullYear()}`,
    );

    // Act: claim it, as staff do before they work on a group task.
    await page.getByText('Claim', { exact: true }).filter({ visible: true }).first().click();
    await eventually('the task to be claimed by ez', async () =>
      (await system.client.tasks({ processInstanceId: instance, assignee: 'ez' })).length ? true : undefined,
    );
    await page.screenshot({ path: `${ARTIFACTS}/tasklist-id-check-ez.png` });

    // Act: fill in and complete as the front desk would.
    await identity.check();
    await page.getByLabel('Jobcenter Cottbus ist örtlich zuständig').check();
    await page.getByRole('button', { name: 'Complete' }).click();

    // Assert: the engine has the values and the instance left the ID check.
    const done = await eventually('the ID check to be completed', async () => {
      const [h] = await system.client.historicActivities({
        processInstanceId: instance,
        activityId: 'UserTask_IdCheck',
      });
      return h?.endTime ? h : undefined;
    });
    expect(done.canceled).toBe(false);
    const vars = await system.client.historicVariableInstances({
      processInstanceId: instance,
      variableName: 'identityVerified',
    });
    expect(vars.map((v) => v.value)).toContain(true);
    expect(await system.client.tasks({ processInstanceId: instance, taskDefinitionKey: 'UserTask_IdCheck' })).toEqual(
      [],
    );
    await page.screenshot({ path: `${ARTIFACTS}/tasklist-after-complete.png` });
  });

  it('lists the task with its Vorgangsnummer in the filter provisioning made for staff', async () => {
    // Arrange: a fresh case; the store numbered it, the process carries the number as caseNumber.
    const created = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ applicationDate: today(), members: [aMember({ familyName: 'Nummerntest' })] }));
    expect(created.status).toBe(201);
    const instance = created.body.processInstanceId as string;
    await openTasks(system.client, instance, 'UserTask_IdCheck');
    const { case_number: caseNumber } = await system.store.db
      .selectFrom('applications')
      .select('case_number')
      .where('id', '=', created.body.id as string)
      .executeTakeFirstOrThrow();

    // Act: ez picks the filter "Aufgaben mit Vorgangsnummer".
    const page = await logIn('ez');
    await page.getByText(CASE_NUMBER_FILTER).first().click();

    // Assert: the list shows the label and this case's number beside its task.
    const value = page.getByText(caseNumber, { exact: true }).first();
    await value.waitFor({ timeout: 60_000 });
    await expect(page.getByText('Vorgangsnummer').first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/tasklist-vorgangsnummer.png` });
    await system.client.deleteProcessInstance(instance);
  });

  it('does not show the front desk task to a user of another group', async () => {
    const instance = await applyAtFrontDesk('Andere', 'Gruppe', '1979-09-09');
    const [task] = await openTasks(system.client, instance, 'UserTask_IdCheck');

    // The engine itself refuses the task to the service centre's login...
    const sc = new EngineRestClient(system.endpoints.rest, { user: 'sc', password: LOCAL_STAFF_PASSWORD });
    expect(await sc.tasks({ processInstanceId: instance })).toEqual([]);
    // ...and so does Tasklist: the deep link opens no task form.
    const page = await logIn('sc');
    await page.goto(`${system.endpoints.tasklist}#/?task=${task!.id}`);
    await page.waitForTimeout(3000);
    expect(await page.getByLabel('Identität anhand des Ausweisdokuments geprüft').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/tasklist-other-group.png` });
    await system.client.deleteProcessInstance(instance);
  });
});
