/**
 * The Wuppertal QuEr (seed 002) on the real engine: the case shell on the virtual worker, the LG decision,
 * d.3-style notices, the move to the IFK, the QuEr booked and its deadline met; and a rejection.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { berlinDate, createCalendar } from '../../src/calendar/index.js';
import { ADMIN, eventually, startSystem, type System } from './system.js';

jest.setTimeout(240_000);

const today = () => berlinDate(new Date());
const nw = createCalendar({ state: 'NW' });

describe('Wuppertal QuEr on the real engine', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  async function apply(suffix: string) {
    const res = await request(system.app)
      .post('/api/v1/applications')
      .set(ADMIN)
      .send({
        jobcenter: 'wuppertal',
        branch: 'gst-barmen',
        channel: 'EZ',
        applicationDate: today(),
        reason: 'Arbeitslosigkeit',
        habitualResidenceInGermany: true,
        household: {
          members: [
            { givenName: `Tom${suffix}`, familyName: `Becker${suffix}`, birthDate: '1980-02-02', role: 'head', erwerbsfaehig: true },
            { givenName: `Lea${suffix}`, familyName: `Becker${suffix}`, birthDate: '2009-05-05', role: 'member', erwerbsfaehig: true },
            { givenName: `Ben${suffix}`, familyName: `Becker${suffix}`, birthDate: '2016-05-05', role: 'member', erwerbsfaehig: false },
          ],
        },
        flags: {},
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; processInstanceKey: string };
  }
  const read = async (id: string) => (await request(system.app).get(`/api/v1/applications/${id}`).set(ADMIN)).body;
  const event = (id: string, name: string, body: object) =>
    eventually(`the process to accept ${name}`, async () => {
      const r = await request(system.app).post(`/api/v1/applications/${id}/events/${name}`).set(ADMIN).send(body);
      return r.status === 202 ? r : undefined;
    });

  it('keeps the case on the virtual worker until approval, then moves it to the IFK and books the QuEr in time', async () => {
    const app = await apply('W');
    const onVm = await eventually('the case shell on the virtual worker', async () => {
      const a = await read(app.id);
      return a.members[0].caseworker?.virtual ? a : undefined;
    });
    expect(onVm.members[0].caseworker).toMatchObject({ id: 'quer-barmen-vm', virtual: true });

    await event(app.id, 'approved-in-principle', { approvedOn: today(), calculationProtocolRef: 'LMG-IT-1' });
    const booked = await eventually('the QuEr booking with the IFK', async () => {
      const a = await read(app.id);
      return a.appointments.some((x: { kind: string }) => x.kind === 'quer') ? a : undefined;
    });
    expect(booked.members[0].caseworker).toMatchObject({ virtual: false });
    expect(booked.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'quer', dueDate: nw.addWorkingDays(today(), 10), status: 'open' })]));
    // Children under 15 get no deadline; the 16-year-old gets the member deadline.
    expect(booked.deadlines.filter((d: { kind: string }) => d.kind === 'quer-member')).toHaveLength(1);
    const bi = await request(system.app).get('/api/v1/inbox?recipient=experte-bi').set(ADMIN);
    expect(bi.body.items.some((n: { attachments: { ref: string }[] }) => n.attachments.some((a) => a.ref === 'LMG-IT-1'))).toBe(true);

    const head = booked.members[0].personId;
    await event(app.id, 'quer-held', {
      personId: head,
      heldOn: today(),
      fmgDatenAktualisiert: true,
      potenzialanalyse: true,
      integrationsprognose: 'BIS_6_MONATE',
      handlungsstrategie: true,
      sofortangebot: true,
      kooperationsplan: true,
      berufsabschluss: true,
      steuerungsempfehlung: 'VERBLEIB',
      beratungsvermerk: { grundAntragstellung: 'Arbeitslosigkeit', groesseBg: 3, drittstaatsangehoerig: false, ergebnisPotenzialanalyse: 'gut', zielberuf: 'Logistik', gespraechszusammenfassung: 'ok', weiteresVorgehen: 'Bewerbungen' },
    });
    const met = await eventually('the QuEr deadline to be met', async () => {
      const a = await read(app.id);
      return a.deadlines.some((d: { kind: string; status: string }) => d.kind === 'quer' && d.status === 'met') ? a : undefined;
    });
    expect(met.deadlines.find((d: { kind: string }) => d.kind === 'quer').metOn).toBe(today());
  });

  it('ends the case when the LG rejects the application', async () => {
    const app = await apply('R');
    await event(app.id, 'rejected', { rejectedOn: today() });
    await eventually('the instance to complete', async () => {
      const page = await system.client.searchProcessInstances({ processInstanceKey: app.processInstanceKey });
      return page.items[0]?.state === 'COMPLETED' ? page.items[0] : undefined;
    });
    expect((await read(app.id)).status).toBe('rejected');
  });
});
