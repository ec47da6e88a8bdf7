/**
 * Issue 6 §2 on the real engine, at a size that runs in seconds: 36 Cottbus applications sent at once through
 * the API, half of them twice with the same Idempotency-Key. Exactly 36 are recorded and started (one instance
 * each, business key = application id), each gets its ID check and reaches its first booking, no slot is booked
 * twice although twelve households share each caseworker, and no request answers with a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';

import { berlinDate } from '../../src/calendar/index.js';
import {
  completeIdCheck,
  firstBookings,
  instancesByBusinessKey,
  LOAD_SURNAMES,
  type Post,
  recordedApplications,
  sendAllAtOnce,
  type Sent,
  slotsBookedTwice,
} from '../support/cottbus-load.js';
import { deleteInstances } from '../support/engine.js';
import { AUTH } from '../support/tokens.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(180_000);

const APPLICATIONS = 36;
const run = `load-${Date.now()}`;

describe(`${APPLICATIONS} applications at once on the real engine`, () => {
  let system: System;
  let answers: Sent[] = [];
  let ids: string[] = [];
  let post: Post;

  beforeAll(async () => {
    system = await startSystem();
    post = async (route, body, headers = {}) => {
      const res = await request(system.app)
        .post(route)
        .set(AUTH.ADMIN)
        .set(headers)
        .send(body as object);
      return { status: res.status, body: res.body };
    };
    answers = await sendAllAtOnce(post, run, APPLICATIONS, berlinDate(new Date()));
    ids = [...new Set(answers.map((a) => a.id).filter((id): id is string => !!id))];
  });
  afterAll(async () => {
    await deleteInstances(
      system?.client,
      new Set(answers.map((x) => x.processInstanceId).filter((k): k is string => !!k)),
    );
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
    const rows = await recordedApplications(system.store.db, run);
    expect(rows).toHaveLength(APPLICATIONS);
    // Started on the real engine and confirmed: nothing left for the start sweep.
    expect(rows.filter((r) => !r.start_confirmed || r.process_instance_key === null)).toEqual([]);
    // One instance per application, found by its business key, and it is the one the store names.
    const instances = await instancesByBusinessKey(system.client, 'neukunde-cottbus');
    for (const r of rows) expect(instances.get(r.id)).toEqual([r.process_instance_key]);
  });

  it('brings every one to its first booking, with no slot booked twice', async () => {
    for (const id of ids) await completeIdCheck(post, id, 120_000);
    const booked = await firstBookings(system.store.db, ids, 150_000);
    expect(booked).toHaveLength(APPLICATIONS);
    expect(booked.filter((b) => b.booked_by !== 'system')).toEqual([]);
    expect(new Set(booked.map((b) => b.caseworker_id)).size).toBe(LOAD_SURNAMES.length);
    expect(slotsBookedTwice(booked)).toEqual([]);
    const keys = [...new Set(answers.map((a) => a.processInstanceId!))];
    const incidents = (await Promise.all(keys.map((k) => system.client.incidents({ processInstanceId: k })))).flat();
    expect(incidents).toEqual([]);
  });
});
