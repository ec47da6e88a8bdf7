/**
 * A figure on the MDS dashboard links to the cases behind it: the workspace's Neukunden list filtered by the same
 * deadline state, kind, team or caseworker and period, so following "verfehlt" of a team lists exactly its breached
 * cases. Real in-memory store; the workspace login opens both pages.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import type { Store } from '../../../src/store/index.js';
import { FakeStaffEngine, seedCase, workspaceApp } from '../workspace/fixture.js';

jest.setTimeout(120_000);

let app: Express;
let store: Store;
let staff: FakeStaffEngine;

// NOW in the fixture is 2026-11-23, so asOf today: the overdue and due soon figures link too.
const PERIOD = 'from=2026-11-01&to=2026-11-30&asOf=2026-11-23';

beforeAll(async () => {
  ({ app, store, staff } = await workspaceApp());
  staff.accounts.set('tl', { password: 'richtig', groups: ['TL', 'jobcenter-cottbus'] });
  const seed = (name: string, deadline: Parameters<typeof seedCase>[1]['deadline']) =>
    seedCase(store, { jobcenter: 'cottbus', head: ['Test', name], deadline });
  await seed('Amsel', { due: '2026-11-18', status: 'breached', team: 'u25', caseworker: 'av-u25-01' });
  await seed('Bussard', { due: '2026-11-19', status: 'breached', team: 'u25', caseworker: 'av-u25-02' });
  await seed('Citrin', { due: '2026-11-17', status: 'breached', team: 'ue25-a-f', caseworker: 'av-ue25-01' });
  await seed('Dohle', { due: '2026-11-12', status: 'met', team: 'u25', caseworker: 'av-u25-01' });
  await seed('Elster', { due: '2026-11-25', status: 'open', team: 'u25', caseworker: 'av-u25-01' });
  await seed('Fink', { due: '2026-11-26', status: 'not-applicable', team: 'ue25-a-f', caseworker: 'av-ue25-01' });
  // Outside the period: never behind a figure of November.
  await seed('Geier', { due: '2026-10-20', status: 'breached', team: 'u25', caseworker: 'av-u25-01' });
});
afterAll(async () => {
  await store.close();
});

const unescape = (href: string) => href.replace(/&#38;/g, '&');

describe('dashboard figures', () => {
  it("links a team's breached figure to exactly its breached cases of the period", async () => {
    const agent = request.agent(app);
    await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: 'tl', passwort: 'richtig' }).expect(303);
    const dashboard = await agent.get(`/dashboard/cottbus?${PERIOD}`).expect(200);
    const row = /<tr data-group="team" data-id="u25"[\s\S]*?<\/tr>/.exec(dashboard.text)![0];
    const breached = /<td class="breached"><a href="([^"]+)"[^>]*>(\d+)<\/a><\/td>/.exec(row)!;
    expect(breached[2]).toBe('2');
    const href = unescape(breached[1]!);
    expect(href).toBe('/arbeitsplatz/neukunden?frist=breached&team=u25&von=2026-11-01&bis=2026-11-30');

    const list = await agent.get(href).expect(200);
    expect(list.text).toContain('2 Vorgänge gefunden');
    expect(list.text).toContain('Amsel, Test');
    expect(list.text).toContain('Bussard, Test');
    expect(list.text).not.toContain('Citrin');
    expect(list.text).not.toContain('Geier');
  });

  it('gives every linked figure as many cases as it counts (one deadline per case here)', async () => {
    const agent = request.agent(app);
    await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: 'tl', passwort: 'richtig' }).expect(303);
    const dashboard = await agent.get(`/dashboard/cottbus?${PERIOD}`).expect(200);
    const links = [...dashboard.text.matchAll(/<td class="(\w+)"><a href="([^"]+)"[^>]*>(\d+)<\/a><\/td>/g)];
    const columns = new Set(links.map((l) => l[1]));
    expect([...columns].sort()).toEqual(['breached', 'dueSoon', 'met', 'notApplicable', 'open', 'overdue']);
    for (const [, column, href, n] of links) {
      const list = await agent.get(unescape(href!)).expect(200);
      expect({ column, href, found: /(\d+) Vorg/.exec(list.text)![1] }).toEqual({ column, href, found: n });
    }
  });

  it('links no figure the list cannot select, and no overdue figure of another day than today', async () => {
    const agent = request.agent(app);
    await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: 'tl', passwort: 'richtig' }).expect(303);
    const past = await agent.get('/dashboard/cottbus?from=2026-11-01&to=2026-11-30&asOf=2026-11-20').expect(200);
    expect(past.text).not.toMatch(/<td class="overdue"><a /);
    expect(past.text).toMatch(/<td class="breached"><a /);
    // Each case in the due lists opens in the workspace.
    expect(past.text).toMatch(/<a class="case" href="\/arbeitsplatz\/neukunden\/[0-9a-f-]{36}">Vorgang<\/a>/);
  });
});
