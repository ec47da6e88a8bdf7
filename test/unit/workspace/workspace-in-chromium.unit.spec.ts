/**
 * The staff workspace in a real headless Chromium: each page passes axe-core's WCAG 2.1 AA rules (BITV 2.0), the
 * login works with the keyboard alone, Tab reaches a task's claim button and Enter claims it. A real in-memory
 * store and a fake of the engine's identity and tasks; screenshots go to test/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

import type { Store } from '../../../src/store/index.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../../tools/browser/chromium.js';
import { axeFindings } from '../../support/axe.js';
import { FakeCasePositions, FakeStaffEngine, formFile, seedCase, type SeededCase, workspaceApp } from './fixture.js';

jest.setTimeout(300_000);

let store: Store;
let staff: FakeStaffEngine;
let positions: FakeCasePositions;
let server: Server;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let mueller: SeededCase;

async function shot(p: Page, name: string) {
  mkdirSync('test/artifacts', { recursive: true });
  await p.screenshot({ path: `test/artifacts/workspace-${name}.png`, fullPage: true });
}

beforeAll(async () => {
  const executablePath = ensureChromium();
  const built = await workspaceApp();
  ({ store, staff } = built);
  positions = built.positions;
  staff.accounts.set('ez', { password: 'demo', groups: ['EZ', 'jobcenter-cottbus'] });
  mueller = await seedCase(store, {
    jobcenter: 'cottbus',
    head: ['Anna', 'Müller'],
    member: ['Ben', 'Müller'],
    deadline: { due: '2026-11-20', status: 'open' },
    bg: '12345BG0000001',
    kd: '123A456789',
  });
  const schulz = await seedCase(store, {
    jobcenter: 'cottbus',
    head: ['Carl', 'Schulz'],
    channel: 'ONLINE',
    deadline: { due: '2026-11-25', status: 'open' },
  });
  await seedCase(store, {
    jobcenter: 'cottbus',
    head: ['Emil', 'Özdemir'],
    channel: 'POST',
    deadline: { due: '2026-11-10', status: 'met' },
  });
  positions.at.set(mueller.processInstanceId, ['UserTask_IdCheck']);
  positions.at.set(schulz.processInstanceId, ['UserTask_ForwardToEz']);
  for (const [id, c, due] of [
    ['t-mueller', mueller, '2026-11-24'],
    ['t-schulz', schulz, '2026-11-30'],
  ] as const)
    staff.tasks.push({
      id,
      name: 'ID-Prüfung',
      taskDefinitionKey: 'Task_IdCheck',
      processInstanceId: c.processInstanceId,
      assignee: null,
      created: '2026-11-16T09:00:00.000+0100',
      due: `${due}T23:59:00.000+0100`,
      candidateGroups: ['EZ'],
    });
  staff.tasks.push({
    id: 't-form',
    name: 'ID-Prüfung',
    taskDefinitionKey: 'UserTask_IdCheck',
    processInstanceId: mueller.processInstanceId,
    assignee: null,
    created: '2026-11-16T09:00:00.000+0100',
    due: '2026-11-25T23:59:00.000+0100',
    candidateGroups: ['EZ'],
  });
  staff.forms.set('t-form', formFile('cottbus-id-check'));
  staff.variables.set('t-form', { relocation: false });
  server = await new Promise<Server>((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  // The app's CSP (helmet) allows no inline script; axe is injected by the test only.
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await store?.close();
});

describe('workspace in Chromium', () => {
  it('logs in by keyboard alone; the login page has no axe findings', async () => {
    await page.goto(`${base}/arbeitsplatz/aufgaben`);
    expect(new URL(page.url()).pathname).toBe('/arbeitsplatz/anmelden');
    expect(await axeFindings(page)).toEqual([]);
    await shot(page, 'login');
    // The skip link comes first, then the form.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Zum Inhalt springen');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ez');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/arbeitsplatz\/aufgaben$/);
  });

  it('shows my tasks with names, without axe findings; Tab reaches the claim button and Enter claims', async () => {
    await expect(page.locator('h1').innerText()).resolves.toBe('Meine Aufgaben');
    await expect(page.locator('tr[data-task="t-mueller"]').innerText()).resolves.toContain('Müller, Anna');
    expect(await axeFindings(page)).toEqual([]);
    await shot(page, 'tasks');

    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(
        () =>
          document.activeElement?.matches('tr[data-task="t-mueller"] button.claim') === true &&
          getComputedStyle(document.activeElement).outlineStyle !== 'none',
      );
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/hinweis=uebernommen/);
    expect(staff.tasks.find((t) => t.id === 't-mueller')!.assignee).toBe('ez');
    await expect(page.locator('[role=status]').first().innerText()).resolves.toContain('Ihnen jetzt zugewiesen');
    expect(await axeFindings(page)).toEqual([]);
  });

  it('lists, searches and filters the Neukunden without axe findings', async () => {
    await page.goto(`${base}/arbeitsplatz/neukunden`);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe('3 Vorgänge gefunden.');
    expect(await axeFindings(page)).toEqual([]);
    await shot(page, 'neukunden');
    await page.fill('#suche', 'müller');
    await page.selectOption('#frist', 'overdue');
    await page.press('#suche', 'Enter');
    await page.waitForURL(/suche=/);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe('1 Vorgang gefunden.');
    expect(await axeFindings(page)).toEqual([]);
  });

  it("filters by Stand, team and caseworker without axe findings, and shows each case's Stand", async () => {
    await page.goto(`${base}/arbeitsplatz/neukunden`);
    await page.selectOption('#stand', { label: 'ID-Prüfung' });
    await page.selectOption('#team', 'u25');
    await page.selectOption('#fachkraft', 'av-u25-01');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(/stand=UserTask_IdCheck/);
    await expect(page.locator('[role=status]').innerText()).resolves.toBe('1 Vorgang gefunden.');
    const row = page.locator('tbody tr').first();
    await expect(row.innerText()).resolves.toContain('Müller, Anna');
    await expect(row.innerText()).resolves.toContain('ID-Prüfung');
    await expect(page.locator('#fachkraft').inputValue()).resolves.toBe('av-u25-01');
    expect(await axeFindings(page)).toEqual([]);
    await shot(page, 'neukunden-filter');
  });

  it('shows one case without axe findings', async () => {
    await page.goto(`${base}/arbeitsplatz/neukunden/${mueller.id}`);
    await expect(page.locator('h1').innerText()).resolves.toContain(mueller.caseNumber);
    expect(await axeFindings(page)).toEqual([]);
    await shot(page, 'vorgang');
  });

  it('takes an address by keyboard, and a refused one comes back named without axe findings', async () => {
    await page.goto(`${base}/arbeitsplatz/neukunden/${mueller.id}`);
    await page.focus('#strasse');
    await page.keyboard.type('Lindenstraße 12');
    await page.keyboard.press('Tab');
    await page.keyboard.type('0304');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Cottbus');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/neukunden/${mueller.id}/anschrift$`));
    await expect(page.locator('[role=alert]').innerText()).resolves.toContain(
      'Postleitzahl muss aus 5 Ziffern bestehen',
    );
    expect(await axeFindings(page)).toEqual([]);
    await page.fill('#plz', '03046');
    await page.press('#plz', 'Enter');
    await page.waitForURL(/hinweis=anschrift/);
    await expect(page.locator('main').innerText()).resolves.toContain('Lindenstraße 12');
    expect(await axeFindings(page)).toEqual([]);
  });

  it('opens a task beside its case without axe findings', async () => {
    await page.goto(`${base}/arbeitsplatz/aufgaben`);
    await page.click('tr[data-task="t-schulz"] th a');
    await page.waitForURL(/\/arbeitsplatz\/aufgaben\/t-schulz$/);
    await expect(page.locator('h1').innerText()).resolves.toBe('ID-Prüfung');
    expect(await axeFindings(page)).toEqual([]);
    await shot(page, 'aufgabe');
  });

  it('renders the task form without axe findings; it is filled in and completed by keyboard alone', async () => {
    // Arrange: the task page with its form, rendered by form-js in the browser.
    await page.goto(`${base}/arbeitsplatz/aufgaben/t-form`);
    const identity = page.getByLabel('Identität anhand des Ausweisdokuments geprüft');
    await identity.waitFor();
    // Without a relocation the jurisdiction's evidence is hidden, as the form's FEEL condition says.
    await expect(page.getByLabel('Zuständigkeit geprüft anhand', { exact: false }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Jobcenter Cottbus ist örtlich zuständig').isChecked()).resolves.toBe(true);
    expect(await axeFindings(page)).toEqual([]);
    await shot(page, 'aufgabe-formular');

    // A submission the server refuses (sent past the browser's check) comes back as the same page with the reason.
    await page.evaluate(() => {
      const post = document.getElementById('aufgabe-abschliessen') as HTMLFormElement;
      (post.elements.namedItem('werte') as HTMLInputElement).value = JSON.stringify({ identityVerified: false });
      post.submit();
    });
    await page.waitForURL(/\/abschliessen$/);
    await expect(page.locator('#formular-fehler[role=alert]').innerText()).resolves.toContain(
      '„Identität anhand des Ausweisdokuments geprüft“ muss angehakt sein.',
    );
    await page.getByLabel('Identität anhand des Ausweisdokuments geprüft').waitFor();
    expect(await axeFindings(page)).toEqual([]);
    expect(staff.completed).toEqual([]);

    // The rest under the app's real CSP (the page above lets the test inject axe): form-js must run without inline script.
    const strict = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await strict.addCookies(await context.cookies());
    const p = await strict.newPage();
    const refused: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') refused.push(m.text());
    });
    p.on('pageerror', (e) => refused.push(e.message));
    await p.goto(`${base}/arbeitsplatz/aufgaben/t-form`);
    await p.getByLabel('Identität anhand des Ausweisdokuments geprüft').waitFor();

    // Act 1: submit at once by keyboard; the required checkbox stops it in the browser, nothing is sent.
    const tabTo = async (test: () => boolean) => {
      for (let i = 0; i < 60; i++) {
        await p.keyboard.press('Tab');
        if (await p.evaluate(test)) return true;
      }
      return false;
    };
    const onSubmit = () => document.activeElement?.matches('#aufgabe-abschliessen button[type=submit]') === true;
    await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await tabTo(onSubmit)).toBe(true);
    await p.keyboard.press('Enter');
    await expect(p.locator('#formular-meldung').innerText()).resolves.toContain('Bitte prüfen Sie');
    expect(staff.completed).toEqual([]);

    // Act 2: from the top, Tab to the checkbox, Space ticks it, Tab on to the button, Enter sends.
    await p.locator('#aufgabe').click();
    expect(
      await tabTo(
        () =>
          document.activeElement instanceof HTMLInputElement &&
          document.activeElement.type === 'checkbox' &&
          document.activeElement.id.endsWith('identityVerified'),
      ),
    ).toBe(true);
    await p.keyboard.press('Space');
    await expect(p.getByLabel('Identität anhand des Ausweisdokuments geprüft').isChecked()).resolves.toBe(true);
    expect(await tabTo(onSubmit)).toBe(true);
    await p.keyboard.press('Enter');
    await p.waitForURL(/hinweis=erledigt/);

    // Assert: the task was claimed for ez and completed with the form's values, typed.
    expect(staff.completed).toEqual([
      {
        taskId: 't-form',
        assignee: 'ez',
        variables: {
          identityVerified: true,
          responsible: true,
          registrationFormsCompleted: false,
          digitalHintsGiven: false,
          currentMattersHintGiven: false,
          invitationByPhone: false,
        },
      },
    ]);
    await expect(p.locator('[role=status]').first().innerText()).resolves.toBe('Aufgabe erledigt.');
    expect(refused).toEqual([]);
    await strict.close();
  });

  it('links the MDS dashboard and the workspace to each other with one login', async () => {
    await page.click('nav a:has-text("MDS-Übersicht")');
    await page.waitForURL(/\/dashboard\/cottbus/);
    await expect(page.locator('h1').innerText()).resolves.toContain('MDS-Übersicht');
    await page.click('a:has-text("Arbeitsplatz Neukunden")');
    await page.waitForURL(/\/arbeitsplatz\/aufgaben/);
  });
});
