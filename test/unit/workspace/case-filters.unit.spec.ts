/**
 * The Neukunden list's filters on a real in-memory store: deadline state as the MDS report counts it, kind and
 * period, team and caseworker, and where the case stands in the engine (a fake of the engine's answer), paged.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';

import type { Store } from '../../../src/store/index.js';
import { FakeCasePositions, FakeStaffEngine, seedCase, type SeededCase, workspaceApp } from './fixture.js';

jest.setTimeout(120_000);

let app: Express;
let store: Store;
let staff: FakeStaffEngine;
let positions: FakeCasePositions;
const seeded = new Map<string, SeededCase>();

beforeAll(async () => {
  ({ app, store, staff, positions } = await workspaceApp());
  staff.accounts.set('tl', { password: 'richtig', groups: ['TL', 'jobcenter-cottbus'] });
  // Today is 2026-11-23 (NOW); due soon runs to the third working day, 2026-11-26.
  const cases: [string, Parameters<typeof seedCase>[1]['deadline'], string?][] = [
    ['Adler', { due: '2026-11-20', status: 'open', team: 'u25', caseworker: 'av-u25-01' }],
    ['Berg', { due: '2026-11-18', status: 'breached', team: 'ue25-a-f', caseworker: 'av-ue25-01' }],
    ['Cramer', { due: '2026-11-25', status: 'open', team: 'ue25-a-f', caseworker: 'av-ue25-02' }],
    ['Dietz', { due: '2026-11-27', status: 'not-applicable', team: 'u25' }],
    ['Engel', { due: '2026-11-16', status: 'met', team: 'ue25-g-k', caseworker: 'av-ue25-10' }],
    ['Fuchs', undefined, 'av-ue25-09'],
    ['Graf', { due: '2026-11-19', status: 'breached', team: 'u25', kind: 'decision' }],
  ];
  for (const [name, deadline, caseHolder] of cases)
    seeded.set(name, await seedCase(store, { jobcenter: 'cottbus', head: ['Test', name], deadline, caseHolder }));
  // Graf's decision deadline was breached but a slot is booked for it now: breached, yet on nobody's to-do list.
  const graf = await store.db
    .selectFrom('deadlines')
    .select(['application_id', 'person_id'])
    .where('application_id', '=', seeded.get('Graf')!.id)
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('appointments')
    .values({
      jobcenter: 'cottbus',
      caseworker_id: 'lg-1',
      starts_at: new Date('2026-11-24T09:00:00+01:00'),
      ends_at: new Date('2026-11-24T09:30:00+01:00'),
      kind: 'decision',
      application_id: graf.application_id,
      person_id: graf.person_id,
      booked_by: 'test',
    })
    .execute();
  await seedCase(store, { jobcenter: 'wuppertal', head: ['Test', 'Wupper'] });
  positions.at.set(seeded.get('Adler')!.processInstanceId, ['UserTask_IdCheck']);
  positions.at.set(seeded.get('Cramer')!.processInstanceId, ['UserTask_IdCheck']);
  positions.at.set(seeded.get('Berg')!.processInstanceId, ['UserTask_FirstConsultation', 'UserTask_Acknowledge']);
});
afterAll(async () => {
  await store.close();
});

async function loggedIn() {
  const agent = request.agent(app);
  await agent.post('/arbeitsplatz/anmelden').type('form').send({ benutzer: 'tl', passwort: 'richtig' }).expect(303);
  return agent;
}

/** The family names of the list's rows, sorted. */
async function names(query: Record<string, string>, expectedStatus = 200): Promise<string[]> {
  const res = await (await loggedIn()).get('/arbeitsplatz/neukunden').query(query);
  expect(res.status).toBe(expectedStatus);
  return [...res.text.matchAll(/<td>([A-ZÄÖÜ][a-zäöüß]+), Test<\/td>/g)].map((m) => m[1]!).sort();
}

describe('Neukunden filters', () => {
  it.each([
    ['open', ['Adler', 'Cramer']],
    ['soon', ['Cramer']],
    // Overdue as the MDS report counts it: past due, nothing held or booked, whether still open or already breached.
    ['overdue', ['Adler', 'Berg']],
    ['met', ['Engel']],
    ['breached', ['Berg', 'Graf']],
    ['not-applicable', ['Dietz']],
  ])('filters deadline state %s', async (frist, expected) => {
    expect(await names({ frist })).toEqual(expected);
  });

  it('filters by the kind of deadline and its due period', async () => {
    expect(await names({ art: 'decision' })).toEqual(['Graf']);
    expect(await names({ von: '2026-11-19', bis: '2026-11-25' })).toEqual(['Adler', 'Cramer', 'Graf']);
    expect(await names({ frist: 'breached', bis: '2026-11-18' })).toEqual(['Berg']);
  });

  it("filters by team: the team's deadlines, or a person held by one of its caseworkers", async () => {
    expect(await names({ team: 'ue25-a-f' })).toEqual(['Berg', 'Cramer']);
    expect(await names({ team: 'ue25-g-k' })).toEqual(['Engel', 'Fuchs']);
  });

  it("takes the team of the deadline itself when a deadline state is chosen, as the dashboard's team rows do", async () => {
    expect(await names({ frist: 'breached', team: 'u25' })).toEqual(['Graf']);
    expect(await names({ frist: 'breached', team: 'ue25-a-f' })).toEqual(['Berg']);
  });

  it('filters by caseworker', async () => {
    expect(await names({ fachkraft: 'av-ue25-02' })).toEqual(['Cramer']);
    expect(await names({ fachkraft: 'av-ue25-09' })).toEqual(['Fuchs']);
  });

  it('ignores a team or caseworker of no jobcenter it sees, and a mistyped deadline state', async () => {
    const all = await names({});
    expect(all).toHaveLength(7);
    expect(await names({ team: 'bi-barmen' })).toEqual(all);
    expect(await names({ fachkraft: 'nobody' })).toEqual(all);
    expect(await names({ frist: 'kaputt' })).toEqual(all);
  });

  it('filters by where the case stands in the engine, asking only for its own process', async () => {
    positions.asked.length = 0;
    expect(await names({ stand: 'UserTask_IdCheck' })).toEqual(['Adler', 'Cramer']);
    expect(positions.asked).toEqual([{ activityIds: ['UserTask_IdCheck'], keys: ['neukunde-cottbus'] }]);
    expect(await names({ stand: 'UserTask_IdCheck', frist: 'soon' })).toEqual(['Cramer']);
    expect(await names({ stand: 'ReceiveTask_DecisionIssued' })).toEqual([]);
  });

  it("offers the German names of the places a case can wait at and shows each case's in the list", async () => {
    const res = await (await loggedIn()).get('/arbeitsplatz/neukunden').query({ team: 'ue25-a-f' });
    expect(res.text).toContain('<option value="UserTask_IdCheck">ID-Prüfung</option>');
    expect(res.text).toContain('<option value="ReceiveTask_DecisionIssued">Bescheid erteilt</option>');
    // Wuppertal's places are not Cottbus's to choose.
    expect(res.text).not.toContain('Qualifiziertes Erstgespräch');
    const rowOf = (name: string) => new RegExp(`<td>${name}, Test</td>[\\s\\S]*?</tr>`).exec(res.text)![0];
    expect(rowOf('Cramer')).toContain('<td>ID-Prüfung</td>');
    expect(rowOf('Berg')).toContain('<td>Erstberatung mit Profiling, Aufgabe zur Kenntnis: neuer Kunde</td>');
  });

  it('keeps every filter in the pager links', async () => {
    for (let i = 0; i < 26; i++) {
      const c = await seedCase(store, {
        jobcenter: 'cottbus',
        head: ['Test', 'Viele'],
        deadline: { due: '2026-12-10', status: 'open', team: 'ue25-s-z' },
      });
      positions.at.set(c.processInstanceId, ['UserTask_Arbeitspaket']);
    }
    const agent = await loggedIn();
    const first = await agent
      .get('/arbeitsplatz/neukunden')
      .query({ stand: 'UserTask_Arbeitspaket', team: 'ue25-s-z', frist: 'open' });
    expect(first.text).toContain('26 Vorgänge gefunden');
    const next = /href="([^"]+)" rel="next"/.exec(first.text)![1]!.replace(/&#38;/g, '&');
    expect(next).toContain('stand=UserTask_Arbeitspaket');
    expect(next).toContain('team=ue25-s-z');
    const second = await agent.get(next);
    expect([...second.text.matchAll(/<td>Viele, Test<\/td>/g)]).toHaveLength(1);
  });

  it('says so when the engine does not answer: the list still shows, the search by place answers 503', async () => {
    positions.away = true;
    try {
      const agent = await loggedIn();
      const list = await agent.get('/arbeitsplatz/neukunden').query({ frist: 'soon' });
      expect(list.status).toBe(200);
      expect(list.text).toContain('Cramer, Test');
      expect(list.text).toContain('nicht abrufbar');
      const byPlace = await agent.get('/arbeitsplatz/neukunden').query({ stand: 'UserTask_IdCheck' });
      expect(byPlace.status).toBe(503);
      expect(byPlace.text).toContain('role="alert"');
    } finally {
      positions.away = false;
    }
  });
});
