/** The applications resource over HTTP with a real in-memory store and a fake engine port (unit level). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { withDeprecatedInstanceKey } from '../../../src/api/applications/deprecated-alias.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import type { CompleteResult, EngineGateway } from '../../../src/engine/gateway.js';
import { EngineUnavailableError } from '../../../src/engine/rest-client.js';
import type { Store } from '../../../src/store/index.js';
import { neukundeByTheRules } from '../../fakes/neukunde-rules.js';
import { aMember, anApplication } from '../../support/application.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { applicationRows } from '../../support/rows.js';
import { AUTH, testTokens } from '../../support/tokens.js';

class FakeEngine implements EngineGateway {
  down = false;
  waiting = true;
  started: Record<string, unknown>[] = [];
  completed: { activityId: string; variables: Record<string, unknown>; match?: Record<string, string> }[] = [];
  messages: { name: string; processInstanceId: string; variables: Record<string, unknown> }[] = [];
  decisions: Record<string, unknown>[] = [];
  async isReady() {
    return true;
  }
  async startProcess(_id: string, variables: Record<string, unknown>) {
    if (this.down) throw new EngineUnavailableError('engine away');
    this.started.push(variables);
    return String(2251799813685000 + this.started.length);
  }
  async completeUserTask(
    _k: string,
    activityId: string,
    variables: Record<string, unknown>,
    match?: Record<string, string>,
  ): Promise<CompleteResult> {
    if (!this.waiting) return 'not-waiting';
    this.completed.push({ activityId, variables, match });
    return 'completed';
  }
  async isWaitingAt() {
    return this.waiting;
  }
  /** Mirrors the DMN's order of rules, enough for the HTTP layer; the DMN itself runs in the engine. */
  async evaluateDecision(_id: string, v: Record<string, unknown>) {
    this.decisions.push(v);
    return neukundeByTheRules(v);
  }
  async correlateMessage(processInstanceId: string, name: string, variables: Record<string, unknown>) {
    if (!this.waiting) return 'not-waiting' as const;
    this.messages.push({ name, processInstanceId, variables });
    return 'completed' as const;
  }
}

const tokens = testTokens('EZ', 'LG', 'IFK', 'TL');

/** Erika with her son Max (a child, not able to work), and an ALG I claim running out. */
const valid = () =>
  anApplication({
    members: [aMember(), aMember({ givenName: 'Max', birthDate: '2015-01-01', role: 'member', erwerbsfaehig: false })],
    flags: { alg1Claim: { endsOn: '2027-02-28' } },
  });

let store: Store;
let engine: FakeEngine;
let app: Express;

const counts = () => applicationRows(store.db);

beforeAll(async () => {
  store = await openMemoryStore();
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine
afterAll(async () => {
  await store.close();
});
beforeEach(() => {
  const { jobcenters } = loadJobcenters('processes');
  engine = new FakeEngine();
  app = buildApp({
    engine,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens,
    log: winston.createLogger({ silent: true }),
    now: () => new Date('2026-11-23T10:00:00+01:00'),
  });
});

describe('POST /api/v1/applications', () => {
  it('records the application, starts the process with ids, dates and flags only, and answers 201', async () => {
    const res = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(valid());
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      withDeprecatedInstanceKey({
        id: expect.any(String) as unknown as string,
        processInstanceId: res.body.processInstanceId as string,
        newCustomer: true,
      }),
    );
    expect(res.body.processInstanceId).toEqual(expect.any(String));
    const vars = engine.started.at(-1)!;
    expect(vars).toMatchObject({
      applicationId: res.body.id,
      jobcenter: 'cottbus',
      channel: 'EZ',
      applicationDate: '2026-11-20',
      firstApplication: true,
      flags: { aufstocker: true },
    });
    expect(JSON.stringify(vars)).not.toMatch(/Erika|Mustermann|1985-07-14|2015-01-01/);
    expect(vars.intakeDueAt).toBe('2026-11-25T00:00:00+01:00');
  });

  it('records an application that is not a new customer, with the reason, and still starts its process', async () => {
    const res = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .send({ ...valid(), previousNeedEndedOn: '2026-09-01' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ newCustomer: false, reason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG' });
    expect(engine.decisions.at(-1)).toMatchObject({ gapDays: 80, firstApplication: false });
  });

  it.each([
    ['an impossible date', (b: any) => ({ ...b, applicationDate: '2026-02-30' }), 'body.applicationDate'],
    ['a future application date', (b: any) => ({ ...b, applicationDate: '2026-11-24' }), 'body.applicationDate'],
    ['an unknown jobcenter', (b: any) => ({ ...b, jobcenter: 'atlantis' }), 'body.jobcenter'],
    ['an unknown channel', (b: any) => ({ ...b, channel: 'FAX' }), 'body.channel'],
    ['no members', (b: any) => ({ ...b, household: { members: [] } }), 'body.household.members'],
    [
      'two heads',
      (b: any) => ({ ...b, household: { members: b.household.members.map((m: any) => ({ ...m, role: 'head' })) } }),
      'body.household.members',
    ],
    [
      'a birth after the application',
      (b: any) => ({ ...b, household: { members: [{ ...b.household.members[0], birthDate: '2026-11-21' }] } }),
      'body.household.members.0.birthDate',
    ],
    ['an unknown field', (b: any) => ({ ...b, nationality: 'DE' }), 'body'],
  ])('refuses %s with 400 naming %s and writes nothing', async (_what, change, field) => {
    const before = await counts();
    const res = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(change(valid()));
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(await counts()).toEqual(before);
    expect(engine.started).toHaveLength(0);
  });

  it('refuses broken JSON with 400 and writes nothing', async () => {
    const before = await counts();
    const res = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .set('content-type', 'application/json')
      .send('{"jobcenter": "cottbus",');
    expect(res.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('leaves nothing behind when the engine is away, and says so with 503', async () => {
    engine.down = true;
    const before = await counts();
    const res = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .set('Idempotency-Key', 'engine-down-1')
      .send(valid());
    expect(res.status).toBe(503);
    expect(await counts()).toEqual(before);
  });

  it('honours the Idempotency-Key, also for two identical requests at once', async () => {
    const before = await counts();
    const [a, b] = await Promise.all([
      request(app).post('/api/v1/applications').set(AUTH.EZ).set('Idempotency-Key', 'key-parallel-1').send(valid()),
      request(app).post('/api/v1/applications').set(AUTH.EZ).set('Idempotency-Key', 'key-parallel-1').send(valid()),
    ]);
    const c = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .set('Idempotency-Key', 'key-parallel-1')
      .send(valid());
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    expect((await counts()).applications).toBe(before.applications + 1);
    expect(engine.started).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused for another request with 422', async () => {
    await request(app).post('/api/v1/applications').set(AUTH.EZ).set('Idempotency-Key', 'key-reused-1').send(valid());
    const res = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .set('Idempotency-Key', 'key-reused-1')
      .send({ ...valid(), reason: 'anders' });
    expect(res.status).toBe(422);
    expect(res.body.issues[0].path).toBe('headers.idempotency-key');
  });

  it('lets only the intake roles record applications', async () => {
    expect((await request(app).post('/api/v1/applications').set(AUTH.IFK).send(valid())).status).toBe(403);
    expect((await request(app).post('/api/v1/applications').send(valid())).status).toBe(401);
  });
});

describe('GET /api/v1/applications', () => {
  it('lists by jobcenter and status, and shows one application without names', async () => {
    const created = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(valid());
    const list = await request(app).get('/api/v1/applications?jobcenter=cottbus&status=in-progress').set(AUTH.TL);
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    expect(list.body.items.every((i: { status: string }) => i.status === 'in-progress')).toBe(true);
    const one = await request(app).get(`/api/v1/applications/${created.body.id}`).set(AUTH.TL);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: created.body.id,
      jobcenter: 'cottbus',
      channel: 'EZ',
      applicationDate: '2026-11-20',
      status: 'in-progress',
      newCustomer: true,
      bgNumber: null,
      deadlines: [],
      appointments: [],
    });
    expect(one.body.members).toHaveLength(2);
    expect(JSON.stringify(one.body)).not.toMatch(/Erika|Mustermann|1985-07-14/);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect(
      (await request(app).get('/api/v1/applications/00000000-0000-4000-8000-000000000000').set(AUTH.TL)).status,
    ).toBe(404);
    const bad = await request(app).get('/api/v1/applications/not-a-uuid').set(AUTH.TL);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('params.id');
  });
});

describe('POST /api/v1/applications/:id/events/:event', () => {
  it('completes the waiting user task or publishes the message, and answers 202', async () => {
    const created = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(valid());
    const id = created.body.id;
    expect(
      (
        await request(app)
          .post(`/api/v1/applications/${id}/events/id-check-completed`)
          .set(AUTH.EZ)
          .send({ identityVerified: true, responsible: true })
      ).status,
    ).toBe(202);
    expect(engine.completed.at(-1)).toMatchObject({
      activityId: 'UserTask_IdCheck',
      variables: { identityVerified: true, responsible: true },
    });
    expect(
      (
        await request(app)
          .post(`/api/v1/applications/${id}/events/documents-complete`)
          .set(AUTH.LG)
          .send({ completeOn: '2026-11-23' })
      ).status,
    ).toBe(202);
    expect(engine.messages.at(-1)).toEqual({
      name: 'documents-complete',
      processInstanceId: created.body.processInstanceId,
      variables: { documentsCompleteOn: '2026-11-23' },
    });
    const person = (await request(app).get(`/api/v1/applications/${id}`).set(AUTH.TL)).body.members[0].personId;
    const held = await request(app)
      .post(`/api/v1/applications/${id}/events/first-consultation-held`)
      .set(AUTH.IFK)
      .send({ personId: person, heldOn: '2026-11-30', profiling: true, kooperationsplan: true });
    expect(held.status).toBe(202);
    expect(engine.completed.at(-1)).toMatchObject({
      activityId: 'UserTask_FirstConsultation',
      match: { personId: person },
    });
  });

  it('passes the consultation mode and the form checklist on, and refuses a checklist key the form does not have', async () => {
    const created = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(valid());
    const id = created.body.id;
    const person = (await request(app).get(`/api/v1/applications/${id}`).set(AUTH.TL)).body.members[0].personId;
    const base = { personId: person, heldOn: '2026-11-30', profiling: true, kooperationsplan: true };
    const phone = await request(app)
      .post(`/api/v1/applications/${id}/events/first-consultation-held`)
      .set(AUTH.IFK)
      .send({ ...base, consultationMode: 'phone', checklist: { u25Offer: true } });
    expect(phone.status).toBe(202);
    expect(engine.completed.at(-1)).toMatchObject({ variables: { consultationMode: 'phone', u25Offer: true } });
    // A key of the instance's own variables must not ride in on the checklist.
    const sneaky = await request(app)
      .post(`/api/v1/applications/${id}/events/first-consultation-held`)
      .set(AUTH.IFK)
      .send({ ...base, checklist: { newCustomer: false } });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.issues.map((i: { path: string }) => i.path)).toContain('body.checklist');
  });

  it('takes a withdrawal from the front desk wherever the case stands, and keeps the status when nothing waits', async () => {
    const created = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(valid());
    const id = created.body.id;
    engine.waiting = false;
    const refused = await request(app)
      .post(`/api/v1/applications/${id}/events/withdrawn`)
      .set(AUTH.EZ)
      .send({ withdrawnOn: '2026-11-24' });
    expect(refused.status).toBe(409);
    expect((await request(app).get(`/api/v1/applications/${id}`).set(AUTH.TL)).body.status).not.toBe('withdrawn');
    engine.waiting = true;
    const res = await request(app)
      .post(`/api/v1/applications/${id}/events/withdrawn`)
      .set(AUTH.EZ)
      .send({ withdrawnOn: '2026-11-24' });
    expect(res.status).toBe(202);
    expect(engine.messages.at(-1)).toEqual({
      name: 'application-withdrawn',
      processInstanceId: created.body.processInstanceId,
      variables: { withdrawnOn: '2026-11-24' },
    });
    expect((await request(app).get(`/api/v1/applications/${id}`).set(AUTH.TL)).body.status).toBe('withdrawn');
  });

  it('answers 409 when the process is not waiting for the event', async () => {
    const created = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(valid());
    engine.waiting = false;
    const res = await request(app)
      .post(`/api/v1/applications/${created.body.id}/events/decision-issued`)
      .set(AUTH.LG)
      .send({ decidedOn: '2026-11-23' });
    expect(res.status).toBe(409);
  });

  it('refuses a consultation without Kooperationsplan, an unknown person, an unknown event, and the wrong role', async () => {
    const created = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(valid());
    const id = created.body.id;
    const noKp = await request(app)
      .post(`/api/v1/applications/${id}/events/first-consultation-held`)
      .set(AUTH.IFK)
      .send({ personId: id, heldOn: '2026-11-30', profiling: true, kooperationsplan: false });
    expect(noKp.status).toBe(400);
    expect(noKp.body.issues.map((i: { path: string }) => i.path)).toContain('body.kooperationsplan');
    const stranger = await request(app)
      .post(`/api/v1/applications/${id}/events/first-consultation-held`)
      .set(AUTH.IFK)
      .send({
        personId: '00000000-0000-4000-8000-000000000000',
        heldOn: '2026-11-30',
        profiling: true,
        kooperationsplan: true,
      });
    expect(stranger.status).toBe(400);
    expect((await request(app).post(`/api/v1/applications/${id}/events/party`).set(AUTH.EZ).send({})).status).toBe(400);
    expect(
      (
        await request(app)
          .post(`/api/v1/applications/${id}/events/decision-issued`)
          .set(AUTH.EZ)
          .send({ decidedOn: '2026-11-23' })
      ).status,
    ).toBe(403);
  });
});

describe('GET /api/v1/inbox', () => {
  it('lists the inbox of a recipient', async () => {
    await store.db
      .insertInto('notifications')
      .values({
        jobcenter: 'cottbus',
        dedup_key: 'inbox-test-1',
        channel: 'd3',
        recipient: 'ifk-7',
        cc: '[]',
        subject: 'd.3: Neuer Fall',
        body: 'x',
        links: '[]',
        attachments: '[{"kind":"lmg-berechnungsprotokoll","ref":"LMG-1"}]',
        application_id: null,
      })
      .execute();
    const res = await request(app).get('/api/v1/inbox?recipient=ifk-7').set(AUTH.IFK);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        kind: 'd3',
        subject: 'd.3: Neuer Fall',
        attachments: [{ kind: 'lmg-berechnungsprotokoll', ref: 'LMG-1' }],
      }),
    ]);
    expect((await request(app).get('/api/v1/inbox').set(AUTH.IFK)).status).toBe(400);
  });
});

describe('Wuppertal', () => {
  const wuppertal = () => ({ ...valid(), jobcenter: 'wuppertal', branch: 'gst-barmen' });
  const quer = (personId: string) => ({
    personId,
    heldOn: '2026-11-23',
    fmgDatenAktualisiert: true,
    potenzialanalyse: true,
    integrationsprognose: 'BIS_12_MONATE',
    handlungsstrategie: true,
    sofortangebot: true,
    kooperationsplan: true,
    berufsabschluss: false,
    ausbildungGeprueft: true,
    steuerungsempfehlung: 'VERBLEIB',
    beratungsvermerk: {
      grundAntragstellung: 'Arbeitslosigkeit',
      groesseBg: 2,
      drittstaatsangehoerig: true,
      aufenthaltsstatus: 'Aufenthaltserlaubnis § 18a AufenthG',
      ergebnisPotenzialanalyse: 'gute Prognose, Qualifizierung',
      zielberuf: 'Lagerlogistik',
      gespraechszusammenfassung: 'Gespräch geführt',
      weiteresVorgehen: 'Bewerbungen',
    },
  });

  it('starts quer-wuppertal with the branch and the end of the ALG I claim as a Berlin instant', async () => {
    const res = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(wuppertal());
    expect(res.status).toBe(201);
    expect(engine.started.at(-1)).toMatchObject({
      jobcenter: 'wuppertal',
      branch: 'gst-barmen',
      flags: { aufstocker: true, alg1ClaimEndsAt: '2027-03-01T00:00:00+01:00' },
    });
    const bad = await request(app)
      .post('/api/v1/applications')
      .set(AUTH.EZ)
      .send({ ...wuppertal(), branch: 'gst-mond' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('body.branch');
  });

  it('passes the LG decision on as a message and refuses Cottbus events', async () => {
    const { body } = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(wuppertal());
    const approved = await request(app)
      .post(`/api/v1/applications/${body.id}/events/approved-in-principle`)
      .set(AUTH.LG)
      .send({ approvedOn: '2026-11-23', calculationProtocolRef: 'LMG-4711' });
    expect(approved.status).toBe(202);
    expect(engine.messages.at(-1)).toEqual({
      name: 'approved-in-principle',
      processInstanceId: body.processInstanceId,
      variables: { approvedOn: '2026-11-23', calculationProtocolRef: 'LMG-4711' },
    });
    expect(
      (
        await request(app)
          .post(`/api/v1/applications/${body.id}/events/decision-issued`)
          .set(AUTH.LG)
          .send({ decidedOn: '2026-11-23' })
      ).status,
    ).toBe(409);
  });

  it('keeps the Beratungsvermerk in the store and gives the process only confirmations', async () => {
    const { body } = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(wuppertal());
    const head = (await request(app).get(`/api/v1/applications/${body.id}`).set(AUTH.TL)).body.members[0].personId;
    const res = await request(app)
      .post(`/api/v1/applications/${body.id}/events/quer-held`)
      .set(AUTH.IFK)
      .send(quer(head));
    expect(res.status).toBe(202);
    const done = engine.completed.at(-1)!;
    expect(done).toMatchObject({
      activityId: 'UserTask_Quer',
      match: { personId: head },
      variables: { beratungsvermerkErfasst: true, steuerungsempfehlung: 'VERBLEIB' },
    });
    expect(JSON.stringify(done.variables)).not.toMatch(/Aufenthalt|Lagerlogistik|Gespräch/);
    const note = await store.db
      .selectFrom('consultation_notes')
      .selectAll()
      .where('application_id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(note).toMatchObject({ kind: 'quer', held_on: '2026-11-23' });
    expect((note.content as { zielberuf: string }).zielberuf).toBe('Lagerlogistik');
    expect(
      (await request(app).post(`/api/v1/applications/${body.id}/events/quer-held`).set(AUTH.IFK).send(quer(head)))
        .status,
    ).toBe(409);
  });

  it('refuses a QuEr note with missing required contents, naming them, and stores nothing', async () => {
    const { body } = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(wuppertal());
    const head = (await request(app).get(`/api/v1/applications/${body.id}`).set(AUTH.TL)).body.members[0].personId;
    const incomplete = quer(head);
    incomplete.beratungsvermerk = {
      ...incomplete.beratungsvermerk,
      zielberuf: '',
      aufenthaltsstatus: undefined as never,
    };
    const res = await request(app)
      .post(`/api/v1/applications/${body.id}/events/quer-held`)
      .set(AUTH.IFK)
      .send({ ...incomplete, ausbildungGeprueft: false });
    expect(res.status).toBe(400);
    const paths = res.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.beratungsvermerk.zielberuf',
        'body.beratungsvermerk.aufenthaltsstatus',
        'body.ausbildungGeprueft',
      ]),
    );
    expect(
      await store.db.selectFrom('consultation_notes').selectAll().where('application_id', '=', body.id).execute(),
    ).toEqual([]);
  });

  it('keeps the note of a funding request out of the process', async () => {
    const { body } = await request(app).post('/api/v1/applications').set(AUTH.EZ).send(wuppertal());
    const member = (await request(app).get(`/api/v1/applications/${body.id}`).set(AUTH.TL)).body.members[0].personId;
    const res = await request(app).post(`/api/v1/applications/${body.id}/events/funding-requested`).set(AUTH.EZ).send({
      personId: member,
      kind: 'Fahrkosten Vorstellungsgespräch (§ 44 SGB III)',
      note: 'Termin bei Firma X am Freitag',
    });
    expect(res.status).toBe(202);
    expect(engine.messages.at(-1)).toEqual({
      name: 'funding-requested',
      processInstanceId: body.processInstanceId,
      variables: { fundingRequest: { personId: member, kind: 'Fahrkosten Vorstellungsgespräch (§ 44 SGB III)' } },
    });
  });
});
