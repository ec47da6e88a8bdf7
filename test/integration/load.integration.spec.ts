/**
 * Issue 6 §2 on the real engine, at a size that runs in seconds: 36 Cottbus applications sent at once through
 * the API, half of them twice with the same Idempotency-Key. Exactly 36 are recorded and started (one instance
 * each, business key = application id), each gets its ID check and reaches its first booking, no slot is booked
 * twice although twelve households share each caseworker, and no request answers with a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { berlinDate } from '../../src/calendar/index.js';
import { EngineRequestError } from '../../src/engine/rest-client.js';
import { ADMIN, eventually, startSystem, type System } from './system.js';

jest.setTimeout(180_000);

const APPLICATIONS = 36;
/** Three surnames, three main caseworkers (Ü25 N–O, P, T–V): the bookings compete for the same slots. */
const SURNAMES = ['Neumeier', 'Petzold', 'Tester'];
const berlinToday = () => berlinDate(new Date());
const run = `load-${Date.now()}`;

describe(`${APPLICATIONS} applications at once on the real engine`, () => {
  let system: System;
  let answers: { i: number; status: number; id?: string; processInstanceKey?: string }[] = [];
  let ids: string[] = [];

  beforeAll(async () => {
    system = await startSystem();
    const post = async (i: number) => {
      const res = await request(system.app)
        .post('/api/v1/applications')
        .set(ADMIN)
        .set('Idempotency-Key', `${run}-${i}`)
        .send({
          jobcenter: 'cottbus',
          channel: 'EZ',
          reason: 'Last',
          applicationDate: berlinToday(),
          habitualResidenceInGermany: true,
          flags: {},
          household: { members: [{ givenName: `Last${i}`, familyName: SURNAMES[i % SURNAMES.length], birthDate: '1980-01-01', role: 'head', erwerbsfaehig: true }] },
        });
      return { i, status: res.status, id: res.body.id as string | undefined, processInstanceKey: res.body.processInstanceKey as string | undefined };
    };
    answers = await Promise.all(Array.from({ length: APPLICATIONS }, (_, i) => (i % 2 === 0 ? [post(i), post(i)] : [post(i)])).flat());
    ids = [...new Set(answers.map((a) => a.id).filter((id): id is string => !!id))];
  });
  afterAll(async () => {
    for (const a of new Set(answers.map((x) => x.processInstanceKey).filter((k): k is string => !!k))) {
      await system?.client.deleteProcessInstance(a).catch((e: unknown) => {
        if (!(e instanceof EngineRequestError && e.status === 404)) throw e;
      });
    }
    await system?.close();
  });

  it(`answers all ${APPLICATIONS * 1.5} requests with 201, a twin with its first request's answer, and records and starts exactly ${APPLICATIONS}`, async () => {
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(ids).toHaveLength(APPLICATIONS);
    for (let i = 0; i < APPLICATIONS; i += 2) {
      const twins = answers.filter((a) => a.i === i);
      expect(twins).toHaveLength(2);
      expect(twins[1]).toEqual({ ...twins[0] });
    }
    const rows = await system.store.db.selectFrom('applications').select(['id', 'start_confirmed', 'process_instance_key']).where('idempotency_key', 'like', `${run}-%`).execute();
    expect(rows).toHaveLength(APPLICATIONS);
    // Started on the real engine and confirmed: nothing left for the start sweep.
    expect(rows.filter((r) => !r.start_confirmed || r.process_instance_key === null)).toEqual([]);
    // One instance per application, found by its business key, and it is the one the store names.
    const instances = await system.client.processInstances({ processDefinitionKey: 'neukunde-cottbus', maxResults: '10000' });
    for (const r of rows) expect(instances.filter((p) => p.businessKey === r.id).map((p) => p.id)).toEqual([r.process_instance_key]);
  });

  it('brings every one to its first booking, with no slot booked twice', async () => {
    for (const id of ids) {
      await eventually(`the ID check of ${id}`, async () => {
        const r = await request(system.app).post(`/api/v1/applications/${id}/events/id-check-completed`).set(ADMIN).send({ identityVerified: true, responsible: true });
        if (r.status === 409) return undefined;
        if (r.status !== 202) throw new Error(`id-check-completed answered ${r.status}: ${JSON.stringify(r.body)}`);
        return r;
      }, 120_000);
    }
    const booked = await eventually(
      'a booking for every application',
      async () => {
        const rows = await system.store.db.selectFrom('appointments').select(['application_id', 'caseworker_id', 'starts_at', 'booked_by']).where('application_id', 'in', ids).where('kind', '=', 'first-consultation').execute();
        return new Set(rows.map((b) => b.application_id)).size === ids.length ? rows : undefined;
      },
      150_000,
    );
    expect(booked).toHaveLength(APPLICATIONS);
    expect(booked.filter((b) => b.booked_by !== 'system')).toEqual([]);
    expect(new Set(booked.map((b) => b.caseworker_id)).size).toBe(SURNAMES.length);
    expect(new Set(booked.map((s) => `${s.caseworker_id}@${s.starts_at.toISOString()}`)).size).toBe(booked.length);
    const keys = [...new Set(answers.map((a) => a.processInstanceKey!))];
    const incidents = (await Promise.all(keys.map((k) => system.client.incidents({ processInstanceId: k })))).flat();
    expect(incidents).toEqual([]);
  });
});
