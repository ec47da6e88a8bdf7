/**
 * The walking skeleton on the real engine: API -> engine -> worker -> store, a Camunda user task completed
 * through the API, a timer at a date the calendar worker computed, moved past with the engine clock.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { ADMIN, eventually, startSystem, type System } from './system.js';

jest.setTimeout(180_000);

describe('walking skeleton on the real engine', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.client.resetClock().catch(() => {});
    await system?.close();
  });

  it('runs from the API through a worker, a user task and a computed timer to the end', async () => {
    const { app, store, client } = system;
    const visitedOn = new Date().toISOString().slice(0, 10);
    const started = await request(app).post('/api/v1/skeleton/visits').set(ADMIN).send({ jobcenter: 'cottbus', visitedOn, workingDays: 2 });
    expect(started.status).toBe(201);
    const key = started.body.processInstanceKey as string;

    const visit = await eventually('the worker to write the visit', async () =>
      store.db.selectFrom('skeleton_visits').selectAll().where('process_instance_key', '=', key).executeTakeFirst(),
    );
    expect(visit.visited_on).toBe(visitedOn);

    const reviewed = await eventually('the review task', async () => {
      const r = await request(app).post(`/api/v1/skeleton/visits/${key}/review`).set(ADMIN).send({ reviewed: true });
      return r.status === 202 ? r : undefined;
    });
    expect(reviewed.status).toBe(202);

    const dueAt = await eventually('the computed due instant', async () => {
      const vars = await client.searchVariables({ processInstanceKey: key, name: 'dueAt' });
      return vars.items[0] ? (JSON.parse(vars.items[0].value) as string) : undefined;
    });
    await eventually('the timer to be waiting', async () => {
      const els = await client.searchElementInstances({ processInstanceKey: key, elementId: 'Timer_Due', state: 'ACTIVE' });
      return els.items[0];
    });
    await client.pinClock(new Date(dueAt).getTime() + 60_000);

    const done = await eventually('the instance to complete', async () => {
      const page = await client.searchProcessInstances({ processInstanceKey: key });
      return page.items[0]?.state === 'COMPLETED' ? page.items[0] : undefined;
    });
    expect(done.state).toBe('COMPLETED');
  });
});
