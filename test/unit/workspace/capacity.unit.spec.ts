/**
 * The capacity forecast in the workspace and its warning, on a real in-memory store with Cottbus's settings: a team
 * with more consultations due this week than free slots shows the shortfall to its team lead, the warning goes out
 * once, and a window released in ATV closes the gap.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import { releaseWindow } from '../../../src/adapters/atv/store-atv.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { capacityForecast, warnOfShortfalls } from '../../../src/reports/capacity.js';
import type { Store } from '../../../src/store/index.js';
import { FakeStaffEngine, NOW, seedCase, seedOpenDeadlines, workspaceApp } from './fixture.js';

jest.setTimeout(60_000);

let app: Express;
let store: Store;
let staff: FakeStaffEngine;
const { jobcenters } = loadJobcenters('processes');
const cottbus = jobcenters.get('cottbus')!;
const calendar = calendarsFor(jobcenters).of('cottbus')!;

beforeAll(async () => {
  ({ app, store, staff } = await workspaceApp());
  staff.accounts.set('tl', { password: 'richtig', groups: ['TL', 'jobcenter-cottbus'] });
  staff.accounts.set('ez', { password: 'richtig', groups: ['EZ', 'jobcenter-cottbus'] });
  // Monday 23 November, 10:00: today's window is over; Tuesday, Thursday and Friday hold 9 slots for each of the
  // 8 U25 caseworkers, 72 in all, against 80 consultations due on Friday.
  await seedOpenDeadlines(store, {
    jobcenter: 'cottbus',
    team: 'u25',
    caseworkerId: 'av-u25-01',
    due: '2026-11-27',
    count: 80,
  });
});
afterAll(async () => {
  await store.close();
});

async function loggedIn(user: string) {
  const agent = request.agent(app);
  expect(
    (await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: user, passwort: 'richtig' })).status,
  ).toBe(303);
  return agent;
}

describe('capacity forecast for team leads', () => {
  it('shows the team lead the week, the missing slots and the release hours, as chart text and table', async () => {
    const res = await (await loggedIn('tl')).get('/arbeitsplatz/kapazitaet');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Engpass: KW 48 fehlen 8 Termine (etwa 3 Freigabestunden)');
    const row = /<tr><th scope="row">KW 48[^<]*<\/th><td>Team U25<\/td>(.*?)<\/tr>/.exec(res.text)![1]!;
    expect(row.match(/>(\d+)/g)!.map((x) => Number(x.slice(1)))).toEqual([0, 80, 0, 72, 8, 3]);
    expect(res.text).toContain('href="/arbeitsplatz/kapazitaet"');
  });

  it('gives the same numbers as CSV', async () => {
    const res = await (await loggedIn('tl')).get('/arbeitsplatz/kapazitaet.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const line = res.text.split('\n').find((l) => l.startsWith('u25,Team U25,KW 48'))!;
    expect(line).toBe('u25,Team U25,KW 48,2026-11-23,2026-11-29,80,0,0,0,72,8,3');
  });

  it('counts a case before its ID check with the team the assignment rule will give it', async () => {
    // No customer record yet, so no team on the deadline: Müller, born 1988, falls to Ü25 L–R.
    const c = await seedCase(store, { jobcenter: 'cottbus', head: ['Mia', 'Müller'] });
    const head = await store.db
      .selectFrom('persons')
      .select('id')
      .where('application_id', '=', c.id)
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('deadlines')
      .values({
        jobcenter: 'cottbus',
        application_id: c.id,
        person_id: head.id,
        kind: 'first-consultation',
        due_date: '2026-12-04',
        breach_at: new Date('2026-12-04T23:00:00Z'),
        met_on: null,
        breached_at: null,
        team: null,
        caseworker_id: null,
      })
      .execute();
    const f = await capacityForecast(store.db, cottbus, calendar, NOW);
    expect(f.rows.find((r) => r.team === 'ue25-l-r' && r.label === 'KW 49')).toMatchObject({ dueOpen: 1, missed: 0 });
    expect(f.withoutTeam).toBe(0);
  });

  it('is for team leads only', async () => {
    const ez = await loggedIn('ez');
    expect((await ez.get('/arbeitsplatz/kapazitaet')).status).toBe(403);
    expect((await ez.get('/arbeitsplatz/aufgaben')).text).not.toContain('/arbeitsplatz/kapazitaet');
  });

  it('warns the team lead once per shortfall, and a released window closes the gap', async () => {
    const before = await capacityForecast(store.db, cottbus, calendar, NOW);
    expect(await warnOfShortfalls(store.db, cottbus, before, calendar)).toEqual([
      'capacity-shortfall:cottbus:u25:2026-11-23',
    ]);
    await warnOfShortfalls(store.db, cottbus, await capacityForecast(store.db, cottbus, calendar, NOW), calendar);
    const sent = await store.db
      .selectFrom('notifications')
      .select(['channel', 'recipient', 'subject'])
      .where('dedup_key', 'like', 'capacity-shortfall:%')
      .orderBy('channel', 'desc')
      .execute();
    expect(sent).toEqual([
      {
        channel: 'inbox',
        recipient: 'tl-u25',
        subject: 'Kapazitätswarnung Team U25, KW 48: 8 Erstberatungen ohne freien Termin',
      },
      {
        channel: 'email',
        recipient: 'dirk.richter@jobcenter-cottbus.example',
        subject: 'Kapazitätswarnung Team U25, KW 48: 8 Erstberatungen ohne freien Termin',
      },
    ]);

    // Three more hours on Wednesday: 9 slots for the 8 missing consultations.
    await releaseWindow(store.db, {
      jobcenter: 'cottbus',
      caseworkerId: 'av-u25-01',
      weekday: 3,
      from: '13:00',
      to: '16:00',
      validFrom: '2026-11-23',
    });
    const after = await capacityForecast(store.db, cottbus, calendar, NOW);
    expect(after.rows.find((r) => r.team === 'u25' && r.label === 'KW 48')).toMatchObject({ freeSlots: 81, missed: 0 });
    expect(await warnOfShortfalls(store.db, cottbus, after, calendar)).toEqual([]);
  });
});
