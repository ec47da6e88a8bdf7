/**
 * The Postausgang in a real headless Chromium: the list and the page after "gedruckt und versandt" pass axe-core's
 * WCAG 2.1 AA rules (BITV 2.0), and the button is reached with Tab and pressed with Enter. Screenshot in
 * test/artifacts/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';

import type { Store } from '../../../src/store/index.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../../tools/browser/chromium.js';
import { axeFindings } from '../../support/axe.js';
import { seedCase, workspaceApp } from './fixture.js';

jest.setTimeout(300_000);

let store: Store;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let letterId: string;

beforeAll(async () => {
  const executablePath = ensureChromium();
  const built = await workspaceApp();
  store = built.store;
  built.staff.accounts.set('post', { password: 'demo', groups: ['POST', 'jobcenter-cottbus'] });
  const c = await seedCase(store, { jobcenter: 'cottbus', head: ['Anna', 'Müller'], bg: '12345BG0000001' });
  letterId = randomUUID();
  await store.db
    .insertInto('documents')
    .values({
      id: letterId,
      jobcenter: 'cottbus',
      application_id: c.id,
      person_id: null,
      kind: 'sc-versand',
      title: 'Ihre Antragsunterlagen für Leistungen nach dem SGB II',
      media_type: 'application/pdf',
      content: Buffer.from('%PDF-1.7 test'),
      dedup_key: `${c.id}:sc-versand`,
      post_status: 'to-print',
    })
    .execute();
  server = await new Promise<Server>((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  await page.goto(`${base}/arbeitsplatz/postausgang`);
  await page.fill('#benutzer', 'post');
  await page.fill('#passwort', 'demo');
  await page.press('#passwort', 'Enter');
  await page.waitForURL(/\/arbeitsplatz\/postausgang$/);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await store?.close();
});

describe('the Postausgang in Chromium', () => {
  it('lists the letter to post without axe findings; Tab reaches its button and Enter marks it sent', async () => {
    await expect(page.locator('h1').innerText()).resolves.toBe('Postausgang');
    await expect(page.locator(`tr[data-document="${letterId}"]`).innerText()).resolves.toContain('Anna Müller');
    expect(await axeFindings(page)).toEqual([]);
    mkdirSync('test/artifacts', { recursive: true });
    await page.screenshot({ path: 'test/artifacts/workspace-postausgang.png', fullPage: true });

    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(
        (id) =>
          document.activeElement?.matches(`tr[data-document="${id}"] button`) === true &&
          getComputedStyle(document.activeElement).outlineStyle !== 'none',
        letterId,
      );
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/hinweis=versandt/);
    await expect(page.locator('[role=status]').innerText()).resolves.toContain('gedruckt und versandt vermerkt');
    await expect(page.locator('main').innerText()).resolves.toContain('Der Postausgang ist leer.');
    expect(await axeFindings(page)).toEqual([]);
    const doc = await store.db
      .selectFrom('documents')
      .select('post_status')
      .where('id', '=', letterId)
      .executeTakeFirstOrThrow();
    expect(doc.post_status).toBe('sent');
  });
});
