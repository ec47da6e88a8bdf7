/**
 * A jobcenter added by its settings alone: Jobcenter Erfurt (Thuringia) exists only as the folder
 * test/fixtures/jobcenters/erfurt (jobcenter.json and letters/), loaded through JOBCENTER_DIRS besides the shipped
 * ones, and runs the Cottbus model on the real engine from the application through the API to its booked and held
 * first consultations, with Thuringia's holidays and its own caseworkers and release windows.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';

import { berlinDate, createCalendar } from '../../src/calendar/index.js';
import { loadConfig } from '../../src/config/load.js';
import { anApplication, today } from '../support/application.js';
import { deleteInstances, noIncidents, openTasks, timerAt, variablesOf } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { AUTH } from '../support/tokens.js';
import { FIXTURE_JOBCENTERS, integrationEnv } from './engine-env.js';
import { reportEvent, startSystem, type System } from './system.js';

jest.setTimeout(180_000);

const config = loadConfig(integrationEnv);
const erfurt = config.jobcenters.get('erfurt')!;
/** The calendar the test expects: Thuringia's statutory holidays and the fixture's local one, built here independently. */
const th = createCalendar({ state: 'TH', localHolidays: erfurt.localHolidays });
const instant = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : NaN);
const berlinWeekdayHourMinute = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

describe('a fourth jobcenter from a folder of settings on the real engine', () => {
  let system: System;
  let processInstanceId: string | undefined;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    if (processInstanceId) await deleteInstances(system?.client, [processInstanceId]);
    await system?.close();
  });

  it('is configured from the fixture folder besides the shipped jobcenters, in Thuringia, on the Cottbus model', () => {
    expect(erfurt).toMatchObject({
      state: 'TH',
      processId: config.jobcenters.get('cottbus')!.processId,
      folder: path.join(FIXTURE_JOBCENTERS, 'erfurt'),
    });
    expect([...config.jobcenters.keys()]).toEqual(
      expect.arrayContaining(['cottbus', 'wuppertal', 'leipzig', 'erfurt']),
    );
  });

  it("answers due dates through the API by Thuringia's holidays and its own local one", async () => {
    const due = async (jobcenter: string, from: string) => {
      const r = await request(system.app)
        .get('/api/v1/calendar/due-date')
        .query({ jobcenter, from, workingDays: 1 })
        .set(AUTH.ADMIN);
      expect(r.status).toBe(200);
      return (r.body as { dueDate: string; state: string }).dueDate;
    };
    // Friday 17 September 2027: Monday is Weltkindertag in Thuringia, not in Brandenburg.
    expect(await due('erfurt', '2027-09-17')).toBe('2027-09-21');
    expect(await due('cottbus', '2027-09-17')).toBe('2027-09-20');
    // Monday 12 June 2028: the 13th is the fixture's local holiday.
    expect(await due('erfurt', '2028-06-12')).toBe('2028-06-14');
    expect(await due('leipzig', '2028-06-12')).toBe('2028-06-13');
  });

  it("runs an application through the API to first consultations booked with Erfurt's caseworkers and held in time", async () => {
    const { client } = system;
    // Arrange: a head of household (Ü25, family name under M) and a son (U25), both able to work, today.
    const members = [
      { givenName: 'Ilka', familyName: 'MöllerErfurt', birthDate: '1981-02-11', role: 'head', erwerbsfaehig: true },
      { givenName: 'Till', familyName: 'MöllerErfurt', birthDate: '2007-05-30', role: 'member', erwerbsfaehig: true },
    ] as const;

    // Act: the front desk records the application through the API.
    const res = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ jobcenter: 'erfurt', applicationDate: today(), members: [...members] }));
    expect(res.status).toBe(201);
    const app = res.body as { id: string; processInstanceId: string; newCustomer: boolean };
    processInstanceId = app.processInstanceId;
    const pi = app.processInstanceId;
    expect(app.newCustomer).toBe(true);

    // Assert: the instance is the Cottbus model's, and the ID check is due by Erfurt's calendar.
    const [idCheck] = await openTasks(client, pi, 'UserTask_IdCheck');
    expect(instant(idCheck!.due)).toBe(instant(th.breachInstant(th.addWorkingDays(today(), 1))));
    const definition = await client.historicProcessInstances({ processInstanceId: pi });
    expect(definition[0]?.processDefinitionKey).toBe(erfurt.processId);

    // Act: the front desk reports the ID check.
    await reportEvent(system, app, 'id-check-completed', { identityVerified: true, responsible: true });

    // Assert: both eLb booked with their main caseworker of Erfurt, in Erfurt's released window (10:00-11:30).
    const booked = await eventually('both eLb booked and invited', async () => {
      await noIncidents(client, pi);
      const r = await request(system.app).get(`/api/v1/applications/${app.id}`).set(AUTH.ADMIN);
      expect(r.status).toBe(200);
      const a = r.body as {
        bgNumber: string;
        members: { personId: string; role: string; kdNumber: string | null; caseworker?: { id: string } }[];
        appointments: { personId: string; caseworkerId: string; kind: string; startsAt: string }[];
        documents: { kind: string }[];
        deadlines: { kind: string; personId: string; dueDate: string; status: string }[];
      };
      return a.appointments.length === 2 && a.documents.filter((d) => d.kind === 'einladung-rfb').length === 2
        ? a
        : undefined;
    });
    expect(booked.bgNumber).toMatch(/^ERFBG\d{7}$/);
    const head = booked.members.find((m) => m.role === 'head')!;
    const son = booked.members.find((m) => m.role === 'member')!;
    const caseworkerOf = (personId: string) => booked.appointments.find((a) => a.personId === personId)?.caseworkerId;
    // Ü25 M-Z and U25 in the fixture's teams; none of them is a caseworker of another jobcenter.
    expect(caseworkerOf(head.personId)).toBe('ef-av-ue25-02');
    expect(caseworkerOf(son.personId)).toBe('ef-av-u25-01');
    const erfurtCaseworkers = erfurt.caseworkers.map((c) => c.id);
    for (const a of booked.appointments) {
      expect(erfurtCaseworkers).toContain(a.caseworkerId);
      expect(a.kind).toBe('first-consultation');
      expect(berlinWeekdayHourMinute(a.startsAt)).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? (10:00|10:30|11:00)$/);
      expect(instant(a.startsAt)).toBeGreaterThan(Date.now());
    }

    // Assert: the MDS deadline is 15 working days by Thuringia's calendar, and so are the breach timer and the bookings.
    const due = th.addWorkingDays(today(), erfurt.deadlines.firstConsultationWorkingDays!);
    for (const a of booked.appointments) expect(berlinDate(new Date(a.startsAt)) <= due).toBe(true);
    expect(
      booked.deadlines
        .filter((d) => d.kind === 'first-consultation')
        .map((d) => `${d.dueDate}:${d.status}`)
        .sort(),
    ).toEqual([`${due}:open`, `${due}:open`]);
    expect(await variablesOf(client, pi)).toMatchObject({ mdsDueDate: due, mdsBreachAt: th.breachInstant(due) });
    const breach = await timerAt(client, pi, 'Timer_MdsBreach');
    expect(instant(breach.dueDate)).toBe(instant(th.breachInstant(due)));

    // Assert: the acknowledgements lie with the booked caseworkers; Act: they take note.
    const acks = await openTasks(client, pi, 'UserTask_Acknowledge', 2);
    expect(acks.map((t) => t.assignee).sort()).toEqual(['ef-av-u25-01', 'ef-av-ue25-02']);
    for (const ack of acks) await client.completeTask(ack.id, { acknowledged: true });

    // Assert: the consultations wait for the same caseworkers. Act: both are held today.
    const consultations = await openTasks(client, pi, 'UserTask_FirstConsultation', 2);
    expect(consultations.map((t) => t.assignee).sort()).toEqual(['ef-av-u25-01', 'ef-av-ue25-02']);
    for (const personId of [head.personId, son.personId])
      await reportEvent(system, app, 'first-consultation-held', {
        personId,
        heldOn: today(),
        profiling: true,
        kooperationsplan: true,
      });

    // Assert: both first-consultation deadlines met today, nothing broke.
    const met = await eventually('both first consultations met', async () => {
      await noIncidents(client, pi);
      const r = await request(system.app).get(`/api/v1/applications/${app.id}`).set(AUTH.ADMIN);
      const deadlines = (r.body as { deadlines: { kind: string; status: string; metOn: string }[] }).deadlines.filter(
        (d) => d.kind === 'first-consultation',
      );
      return deadlines.every((d) => d.status === 'met') ? deadlines : undefined;
    });
    expect(met.map((d) => d.metOn)).toEqual([today(), today()]);
    expect(await client.incidents({ processInstanceId: pi })).toEqual([]);
  });
});
