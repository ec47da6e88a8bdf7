/**
 * Issue 6 §2 on the real engine: 200 Cottbus applications sent at once through the API, half of them twice with
 * the same Idempotency-Key. Exactly 200 are recorded, each gets its ID check completed and reaches its first
 * booking, no slot is booked twice, and no request answers with a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { ADMIN, eventually, startSystem, type System } from './system.js';
import { berlinDate } from '../../src/calendar/index.js';

jest.setTimeout(900_000);

const berlinToday = () => berlinDate(new Date());
const run = `load-${Date.now()}`;

describe('200 applications at once on the real engine', () => {
  let system: System;
  let answers: { i: number; status: number; id?: string }[] = [];

  beforeAll(async () => {
    system = await startSystem();
    const post = async (i: number) => {
      const res = await request(system.app)
        .post('/api/v1/applications')
        .set(ADMIN)
        .set('Idempotency-Key', `${run}-${i}`)
        .send({ jobcenter: 'cottbus', channel: 'EZ', reason: 'Last', applicationDate: berlinToday(), habitualResidenceInGermany: true, flags: {}, household: { members: [{ givenName: `Last${i}`, familyName: 'Test', birthDate: '1980-01-01', role: 'head', erwerbsfaehig: true }] } });
      return { i, status: res.status, id: res.body.id as string | undefined };
    };
    answers = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? [post(i), post(i)] : [post(i)])).flat());
  });
  afterAll(async () => {
    await system?.close();
  });

  it('answers all 300 requests with 201 and records exactly 200 applications', async () => {
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    const ids = new Set(answers.map((a) => a.id));
    expect(ids.size).toBe(200);
    const rows = await system.store.db.selectFrom('applications').select(['id', 'start_confirmed', 'process_instance_key']).where('idempotency_key', 'like', `${run}-%`).execute();
    expect(rows).toHaveLength(200);
    // Started on the real engine and confirmed: nothing left for the start sweep.
    expect(rows.filter((r) => !r.start_confirmed || r.process_instance_key === null)).toEqual([]);
  });

  it('brings every one to its first booking, with no slot booked twice', async () => {
    const ids = [...new Set(answers.map((a) => a.id!))];
    for (const id of ids) {
      await eventually(`the ID check of ${id}`, async () => {
        const r = await request(system.app).post(`/api/v1/applications/${id}/events/id-check-completed`).set(ADMIN).send({ identityVerified: true, responsible: true });
        return r.status === 202 ? r : undefined;
      }, 300_000);
    }
    await eventually('a booking for every application', async () => {
      const booked = await system.store.db.selectFrom('appointments').select(['application_id']).where('application_id', 'in', ids).where('kind', '=', 'first-consultation').execute();
      return new Set(booked.map((b) => b.application_id)).size === ids.length ? booked : undefined;
    }, 600_000);
    const slots = await system.store.db.selectFrom('appointments').select(['caseworker_id', 'starts_at']).where('application_id', 'in', ids).execute();
    expect(new Set(slots.map((s) => `${s.caseworker_id}@${s.starts_at.toISOString()}`)).size).toBe(slots.length);
  });
});
