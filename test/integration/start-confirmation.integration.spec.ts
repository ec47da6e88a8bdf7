/**
 * On the real engine: an application the API recorded but never confirmed (it stopped after the start) is
 * claimed by its process's first job, and the start sweep then confirms it; one whose process never started is
 * withdrawn. The unit tests show the same with the engine's part played by the test.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { addDays } from 'date-fns';
import winston from 'winston';

import { recordUnconfirmed } from '../../src/api/applications/recording.js';
import { ApplicationBody } from '../../src/api/applications/schema.js';
import { applicationRecord, startVariables } from '../../src/api/applications/service.js';
import { sweepUnconfirmedStarts } from '../../src/api/applications/start-sweep.js';
import { aMember, anApplication, today } from '../support/application.js';
import { deleteInstances, noIncidents, openTasks } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(120_000);

const silent = winston.createLogger({ silent: true });

async function leaveUnconfirmed(system: System, familyName: string) {
  const body = ApplicationBody.parse(anApplication({ applicationDate: today(), members: [aMember({ familyName })] }));
  const id = randomUUID();
  const variables = startVariables(id, body, addDays(new Date(), 1).toISOString());
  await recordUnconfirmed(
    system.store.db,
    applicationRecord(body, id, [randomUUID()], [{ neukunde: true, reason: 'ERSTANTRAG' }], {
      requestHash: 'integration',
      actor: 'integration',
      flags: variables.flags,
    }),
  );
  return { id, variables };
}

describe('an application left unconfirmed, on the real engine', () => {
  let system: System;
  const instanceIds: string[] = [];
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await deleteInstances(system?.client, instanceIds);
    await system?.close();
  });

  it('is claimed by the first job of its process and confirmed by the sweep; one never started is withdrawn', async () => {
    const started = await leaveUnconfirmed(system, 'Gestartet');
    const neverStarted = await leaveUnconfirmed(system, 'Liegengeblieben');
    // Act: what the API did before it stopped: the start with the application id as business key, nothing after it.
    const instance = await system.client.startProcess('neukunde-cottbus', started.id, started.variables);
    instanceIds.push(instance.id);

    // Assert: the first job wrote the instance's id into the unconfirmed record.
    const claimedBy = await eventually('the first job claims the application', async () => {
      await noIncidents(system.client, instance.id);
      const row = await system.store.db
        .selectFrom('applications')
        .select(['process_instance_key', 'start_confirmed'])
        .where('id', '=', started.id)
        .executeTakeFirstOrThrow();
      return row.process_instance_key === null ? undefined : row;
    });
    expect(claimedBy).toEqual({ process_instance_key: instance.id, start_confirmed: false });
    expect((await system.client.processInstances({ businessKey: started.id })).map((p) => p.id)).toEqual([instance.id]);
    expect(await system.client.processInstances({ businessKey: neverStarted.id })).toEqual([]);

    // Act: the sweep, once the grace time has passed.
    const result = await sweepUnconfirmedStarts(system.store.db, new Date(Date.now() + 3_600_000), silent);

    // Assert: the claimed one confirmed with its audit entry, the other withdrawn with its people.
    expect(result.confirmed).toEqual([started.id]);
    expect(result.withdrawn).toEqual([neverStarted.id]);
    const confirmed = await system.store.db
      .selectFrom('applications')
      .select(['process_instance_key', 'start_confirmed'])
      .where('id', '=', started.id)
      .executeTakeFirstOrThrow();
    expect(confirmed).toEqual({ process_instance_key: instance.id, start_confirmed: true });
    const audit = await system.store.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('application_id', '=', started.id)
      .execute();
    expect(audit).toEqual([
      { action: 'application.created', details: expect.objectContaining({ confirmedBy: 'start-sweep' }) },
    ]);
    expect(
      await system.store.db
        .selectFrom('applications')
        .select('id')
        .where('id', '=', neverStarted.id)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await system.store.db.selectFrom('persons').select('id').where('application_id', '=', neverStarted.id).execute(),
    ).toEqual([]);
    // The started instance goes on as any other: it waits for the ID check.
    await openTasks(system.client, instance.id, 'UserTask_IdCheck');
  });
});
