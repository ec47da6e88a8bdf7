/**
 * The dashboard's lists of cases due soon and overdue show the soonest due DUE_LIST_LIMIT deadlines and say how
 * many there are in all, with a link to all of them in the workspace's list; a list within the limit is shown whole.
 * Real in-memory store; the workspace login opens both pages.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import { DUE_LIST_LIMIT } from '../../../src/dashboard/page.js';
import type { Store } from '../../../src/store/index.js';
import { FakeStaffEngine, seedCase, workspaceApp } from '../workspace/fixture.js';

jest.setTimeout(120_000);

let app: Express;
let store: Store;
let staff: FakeStaffEngine;

// NOW in the fixture is Monday 2026-11-23: due soon is 23 to 26 November.
const SOON = DUE_LIST_LIMIT + 3;
const soonDue = Array.from({ length: SOON }, (_, i) => ['2026-11-25', '2026-11-23', '2026-11-24'][i % 3]!);
const OVERDUE = 2;
const de = (iso: string) => iso.split('-').reverse().join('.');

beforeAll(async () => {
  ({ app, store, staff } = await workspaceApp());
  staff.accounts.set('tl', { password: 'richtig', groups: ['TL', 'jobcenter-cottbus'] });
  for (const [i, due] of soonDue.entries())
    await seedCase(store, { jobcenter: 'cottbus', head: ['Test', `Bald${i}`], deadline: { due, status: 'open' } });
  for (let i = 0; i < OVERDUE; i++)
    await seedCase(store, {
      jobcenter: 'cottbus',
      head: ['Test', `Spaet${i}`],
      deadline: { due: '2026-11-19', status: 'breached' },
    });
});
afterAll(async () => {
  await store.close();
});

const section = (html: string, heading: string) => {
  const at = html.indexOf(heading);
  expect(at).toBeGreaterThan(-1);
  return html.slice(at, html.indexOf('</table>', at));
};
const dueDates = (html: string) => [...html.matchAll(/<tr><td>(\d\d\.\d\d\.\d{4})<\/td>/g)].map((m) => m[1]);

/** The workspace login of a team lead of Cottbus; the dashboard takes it too. */
async function asTeamLead() {
  const agent = request.agent(app);
  await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: 'tl', passwort: 'richtig' }).expect(303);
  return agent;
}

describe('the dashboard lists of cases due', () => {
  it('shows the soonest due of a long list, how many there are, and links to all of them', async () => {
    const agent = await asTeamLead();
    const page = (await agent.get('/dashboard/cottbus').expect(200)).text;

    const soon = section(page, 'Heute und in den nächsten 3 Arbeitstagen fällig');
    expect(soon).toContain(`fällig (${SOON})`);
    // The soonest due first: some of the 25 November are left off, none of the days before.
    expect(dueDates(soon)).toEqual([...soonDue].sort().slice(0, DUE_LIST_LIMIT).map(de));
    const more = /<p class="more">Die (\d+) am frühesten fälligen von (\d+); <a href="([^"]+)">/.exec(soon)!;
    expect(more.slice(1, 3)).toEqual([String(DUE_LIST_LIMIT), String(SOON)]);
    expect(more[3]).toBe('/arbeitsplatz/neukunden?frist=soon');

    const list = await agent.get(more[3]!).expect(200);
    expect(list.text).toContain(`${SOON} Vorgänge gefunden`);

    const overdue = section(page, 'Überfällig');
    expect(overdue).toContain(`Überfällig (${OVERDUE})`);
    expect(dueDates(overdue)).toEqual(Array(OVERDUE).fill('19.11.2026'));
    expect(overdue).not.toContain('class="more"');
  });

  it('names no link to the list on a page as of another day, whose due soon the list would not count', async () => {
    const agent = await asTeamLead();
    // As of Sunday 22 November, due soon runs to Wednesday 25: every one of the SOON open deadlines.
    const page = (await agent.get('/dashboard/cottbus?asOf=2026-11-22').expect(200)).text;
    const soon = section(page, 'Heute und in den nächsten 3 Arbeitstagen fällig');
    expect(soon).toContain(`fällig (${SOON})`);
    expect(soon).toContain(`<p class="more">Die ${DUE_LIST_LIMIT} am frühesten fälligen von ${SOON}.</p>`);
    expect(dueDates(soon)).toHaveLength(DUE_LIST_LIMIT);
  });
});
