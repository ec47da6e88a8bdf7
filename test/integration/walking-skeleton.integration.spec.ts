/**
 * The walking skeleton (a test fixture) on the real Operaton engine: engine -> worker -> store, a user task
 * with its Camunda Form and due date completed through the engine gateway the API uses, and a timer at the
 * instant the calendar worker computed, asserted exactly and then fired by executing its job.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';

import { berlinDate, createCalendar } from '../../src/calendar/index.js';
import { RestEngineGateway } from '../../src/engine/gateway.js';
import { ended, noIncidents, openTasks, timerAt, variablesOf } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(120_000);

describe('walking skeleton on the real engine', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  it('runs through a worker, a user task and a computed timer to the end', async () => {
    const { store, client } = system;
    const engine = new RestEngineGateway(client);
    // Arrange: a visit dated ahead, so the timer cannot have fired before the test looks at it.
    const bb = createCalendar({ state: 'BB' });
    const visitedOn = bb.addWorkingDays(berlinDate(new Date()), 40);
    const dueDate = bb.addWorkingDays(visitedOn, 2);
    const businessKey = randomUUID();

    // Act: start as the API does, with a business key.
    const id = await engine.startProcess(
      'walking-skeleton',
      { jobcenter: 'cottbus', visitedOn, workingDays: 2 },
      businessKey,
    );

    // Assert: the worker wrote the visit into the store for this instance.
    const visit = await eventually('the worker to write the visit', async () =>
      store.db.selectFrom('skeleton_visits').selectAll().where('process_instance_key', '=', id).executeTakeFirst(),
    );
    expect(visit.visited_on).toBe(visitedOn);

    // Assert: the review task carries its form, its group and the computed due instant.
    const [task] = await openTasks(client, id, 'UserTask_Review');
    await noIncidents(client, id);
    const expectedDueAt = bb.breachInstant(dueDate);
    expect((task!.operatonFormRef ?? task!.camundaFormRef)?.key).toBe('skeleton-review');
    expect(new Date(task!.due!).getTime()).toBe(new Date(expectedDueAt).getTime());
    expect((await client.taskCandidates(task!.id)).map((c) => c.groupId)).toEqual(['EZ']);
    expect(await variablesOf(client, id)).toMatchObject({ dueDate, dueAt: expectedDueAt });

    // Act: complete it as the API does; a second completion finds nothing waiting.
    expect(await engine.completeUserTask(id, 'UserTask_Review', { reviewed: true })).toBe('completed');
    expect(await engine.completeUserTask(id, 'UserTask_Review', { reviewed: true })).toBe('not-waiting');

    // Assert: the timer waits for exactly the computed instant; executing its job ends the instance.
    const timer = await timerAt(client, id, 'Timer_Due');
    expect(new Date(timer.dueDate!).getTime()).toBe(new Date(expectedDueAt).getTime());
    await client.executeJob(timer.id);
    const done = await ended(client, id);
    expect(done.state).toBe('COMPLETED');
    expect(done.businessKey).toBe(businessKey);
  });
});
