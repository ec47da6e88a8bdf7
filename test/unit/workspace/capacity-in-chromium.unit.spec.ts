/**
 * The Kapazitätsprognose in a real headless Chromium: the page with its chart, text equivalent and table passes
 * axe-core's WCAG 2.1 AA rules (BITV 2.0), and the CSV link is reached by keyboard. Screenshot in test/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';

import type { Store } from '../../../src/store/index.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../../tools/browser/chromium.js';
import { axeFindings } from '../../support/axe.js';
import { seedOpenDeadlines, workspaceApp } from './fixture.js';

jest.setTimeout(300_000);

let store: Store;
let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const executablePath = ensureChromium();
  const built = await workspaceApp();
  store = built.store;
  built.staff.accounts.set('tl', { password: 'demo', groups: ['TL', 'jobcenter-cottbus'] });
  // 80 consultations of team U25 due on Friday 27 November against 72 free slots: a shortfall to show.
  await seedOpenDeadlines(store, {
    jobcenter: 'cottbus',
    team: 'u25',
    caseworkerId: 'av-u25-01',
    due: '2026-11-27',
    count: 80,
  });
  server = await new Promise<Server>((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/arbeitsplatz/kapazitaet`);
  await page.fill('#benutzer', 'tl');
  await page.fill('#passwort', 'demo');
  await page.press('#passwort', 'Enter');
  await page.waitForURL(/\/arbeitsplatz\/kapazitaet$/);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await store?.close();
});

describe('the Kapazitätsprognose in Chromium', () => {
  it('shows the shortfall in words beside the chart, without axe findings, and the CSV by keyboard', async () => {
    await expect(page.locator('h1').innerText()).resolves.toBe('Kapazitätsprognose Erstberatung');
    await expect(page.locator('#team-u25-summary').innerText()).resolves.toContain('KW 48 fehlen 8 Termine');
    expect(await axeFindings(page)).toEqual([]);
    mkdirSync('test/artifacts', { recursive: true });
    await page.screenshot({ path: 'test/artifacts/workspace-kapazitaet.png', fullPage: true });
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(
        () => document.activeElement?.getAttribute('href') === '/arbeitsplatz/kapazitaet.csv',
      );
    }
    expect(reached).toBe(true);
  });
});
