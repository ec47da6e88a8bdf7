/**
 * The Cottbus intake (seed 000) on the real engine, through the API as the front desk, placement staff and the
 * benefits team would drive it; Tasklist-only steps are completed through the engine's REST API as Tasklist does.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { berlinDate, createCalendar } from '../../src/calendar/index.js';
import { ADMIN, eventually, startSystem, type System } from './system.js';

jest.setTimeout(240_000);

const berlinToday = () => berlinDate(new Date());
const bb = createCalendar({ state: 'BB' });

const household = (suffix: string) => ({
  members: [
    { givenName: `Erika${suffix}`, familyName: `Mustermann${suffix}`, birthDate: '1985-07-14', role: 'head', erwerbsfaehig: true },
    { givenName: `Paul${suffix}`, familyName: `Mustermann${suffix}`, birthDate: '2008-03-01', role: 'member', erwerbsfaehig: true },
    { givenName: `Mia${suffix}`, familyName: `Mustermann${suffix}`, birthDate: '2016-06-01', role: 'member', erwerbsfaehig: false },
  ],
});

describe('Cottbus new-customer intake on the real engine', () => {
  let system: System;
  const started: { id: string; key: string; names: string[] }[] = [];

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  async function apply(body: Record<string, unknown>, suffix: string) {
    const res = await request(system.app).post('/api/v1/applications').set(ADMIN).send({ jobcenter: 'cottbus', channel: 'EZ', reason: 'Arbeitslosigkeit', habitualResidenceInGermany: true, household: household(suffix), flags: {}, applicationDate: berlinToday(), ...body });
    expect(res.status).toBe(201);
    started.push({ id: res.body.id, key: res.body.processInstanceKey, names: [`Erika${suffix}`, `Mustermann${suffix}`, `Paul${suffix}`, '1985-07-14', '2008-03-01'] });
    return res.body as { id: string; processInstanceKey: string; newCustomer: boolean; reason?: string };
  }

  const event = (id: string, name: string, body: Record<string, unknown>) =>
    eventually(`the process to accept ${name}`, async () => {
      const r = await request(system.app).post(`/api/v1/applications/${id}/events/${name}`).set(ADMIN).send(body);
      return r.status === 202 ? r : undefined;
    });

  const read = async (id: string) => (await request(system.app).get(`/api/v1/applications/${id}`).set(ADMIN)).body;

  async function completeTasks(processInstanceKey: string, elementId: string, variables: Record<string, unknown>, count: number) {
    const tasks = await eventually(`${count} open ${elementId}`, async () => {
      const page = await system.client.searchUserTasks({ processInstanceKey, elementId, state: 'CREATED' });
      return page.items.length >= count ? page.items : undefined;
    });
    for (const t of tasks) await system.client.completeUserTask(String(t.userTaskKey), variables);
  }

  const finished = (key: string) =>
    eventually('the instance to complete', async () => {
      const page = await system.client.searchProcessInstances({ processInstanceKey: key });
      return page.items[0]?.state === 'COMPLETED' ? page.items[0] : undefined;
    }, 120_000);

  it('runs an EZ application from the ID check through bookings, consultations and the decision to the end', async () => {
    const app = await apply({}, 'A');
    expect(app.newCustomer).toBe(true);
    await event(app.id, 'id-check-completed', { identityVerified: true, responsible: true });

    const booked = await eventually('both eLb to be booked', async () => {
      const a = await read(app.id);
      return a.appointments.length === 2 ? a : undefined;
    });
    const due = bb.addWorkingDays(berlinToday(), 15);
    expect(booked.bgNumber).toMatch(/^COTBG\d{7}$/);
    expect(booked.members.filter((m: { kdNumber: string | null }) => m.kdNumber)).toHaveLength(2);
    expect(booked.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'first-consultation', dueDate: due, status: 'open' })]));
    for (const a of booked.appointments) {
      const local = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit' }).format(new Date(a.startsAt));
      expect(local).toMatch(/^(Mo|Di|Do|Fr)\.?, 09/);
      expect(a.startsAt.slice(0, 10) <= due).toBe(true);
    }

    await completeTasks(app.processInstanceKey, 'UserTask_Acknowledge', { acknowledged: true }, 2);
    for (const m of booked.members.filter((x: { kdNumber: string | null }) => x.kdNumber)) {
      await event(app.id, 'first-consultation-held', { personId: m.personId, heldOn: berlinToday(), profiling: true, kooperationsplan: true });
    }
    await event(app.id, 'arbeitspaket-received', { personId: booked.members[0].personId, receivedOn: berlinToday() });
    await event(app.id, 'documents-complete', { completeOn: berlinToday() });
    await event(app.id, 'decision-issued', { decidedOn: berlinToday() });

    await finished(app.processInstanceKey);
    const done = await read(app.id);
    expect(done.deadlines.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`).sort()).toEqual(['decision:met', 'first-consultation:met', 'first-consultation:met']);
    expect(done.documents.filter((d: { kind: string }) => d.kind === 'einladung-rfb')).toHaveLength(2);
  });

  it('marks the MDS breached at once for an application whose due date has gone by, and tells TL EZ and TL M&I', async () => {
    const applicationDate = bb.subtractWorkingDays(berlinToday(), 20);
    const app = await apply({ applicationDate }, 'B');
    await event(app.id, 'id-check-completed', { identityVerified: true, responsible: true });
    // No slot can lie before a past due date: the team books as deputy.
    const slot = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await completeTasks(app.processInstanceKey, 'UserTask_DeputyBooking', { slotStartsAt: slot, deputyCaseworkerId: 'av-deputy-1' }, 1);
    const breached = await eventually('the breach to be recorded', async () => {
      const a = await read(app.id);
      return a.deadlines.some((d: { status: string }) => d.status === 'breached') ? a : undefined;
    });
    expect(breached.deadlines.find((d: { status: string }) => d.status === 'breached').dueDate).toBe(bb.addWorkingDays(applicationDate, 15));
    const inbox = await request(system.app).get('/api/v1/inbox?recipient=tl-mi').set(ADMIN);
    expect(inbox.body.items.some((n: { subject: string }) => n.subject.startsWith('MDS verfehlt'))).toBe(true);
  });

  it('records an application that is not a new customer and ends its process', async () => {
    const recent = bb.subtractWorkingDays(berlinToday(), 30);
    const app = await apply({ previousNeedEndedOn: recent }, 'C');
    expect(app).toMatchObject({ newCustomer: false, reason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG' });
    await finished(app.processInstanceKey);
    expect((await read(app.id)).status).toBe('not-new-customer');
  });

  it('ends with a forwarding note when the jobcenter is not responsible after a relocation', async () => {
    const app = await apply({ flags: { relocation: true } }, 'D');
    await event(app.id, 'id-check-completed', { identityVerified: true, responsible: false });
    await finished(app.processInstanceKey);
    const done = await read(app.id);
    expect(done.status).toBe('forwarded');
    expect(done.documents.map((d: { kind: string }) => d.kind)).toContain('abgabe-nicht-zustaendig');
  });

  it('leaves no name and no birth date in any variable of these instances', async () => {
    for (const s of started) {
      const vars = await system.client.searchVariables({ processInstanceKey: s.key });
      const text = vars.items.map((v) => `${v.name}=${v.value}`).join('\n');
      expect(vars.items.length).toBeGreaterThan(0);
      for (const personal of s.names) expect(text).not.toContain(personal);
    }
  });
});
