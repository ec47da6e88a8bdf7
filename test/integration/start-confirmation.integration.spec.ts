/**
 * On the real engine: an application the API recorded but never confirmed (it stopped after the start) is
 * claimed by its process's first job, and the start sweep then confirms it; one whose process never started is
 * withdrawn. The unit tests show the same with the engine's part played by the test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import winston from 'winston';
import { recordUnconfirmed } from '../../src/api/applications/recording.js';
import { applicationRecord, startVariables } from '../../src/api/applications/service.js';
import { ApplicationBody } from '../../src/api/applications/schema.js';
import { sweepUnconfirmedStarts } from '../../src/api/applications/start-sweep.js';
import { eventually, startSystem, type System } from './system.js';
import { berlinDate } from '../../src/calendar/index.js';

jest.setTimeout(180_000);

const berlinToday = () => berlinDate(new Date());
const silent = winston.createLogger({ silent: true });

async function leaveUnconfirmed(system: System, familyName: string) {
  const body = ApplicationBody.parse({
    jobcenter: 'cottbus',
    channel: 'EZ',
    applicationDate: berlinToday(),
    reason: 'Arbeitslosigkeit',
    habitualResidenceInGermany: true,
    household: { members: [{ givenName: 'Erika', familyName, birthDate: '1985-07-14', role: 'head', erwerbsfaehig: true }] },
    flags: {},
  });
  const id = randomUUID();
  const variables = startVariables(id, body, new Date(Date.now() + 86_400_000).toISOString());
  await recordUnconfirmed(system.store.db, applicationRecord(body, id, [randomUUID()], [{ neukunde: true, reason: 'ERSTANTRAG' }], { requestHash: 'integration', actor: 'integration', flags: variables.flags }));
  return { id, variables };
}

describe('an application left unconfirmed, on the real engine', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  it('is claimed by the first job of its process and confirmed by the sweep; one never started is withdrawn', async () => {
    const started = await leaveUnconfirmed(system, 'Gestartet');
    const neverStarted = await leaveUnconfirmed(system, 'Liegengeblieben');
    // What the API did before it stopped: the start, and nothing after it.
    const { processInstanceKey } = await system.client.createProcessInstance('neukunde-cottbus', started.variables);
    await eventually('the first job claims the application', async () => {
      const row = await system.store.db.selectFrom('applications').select('process_instance_key').where('id', '=', started.id).executeTakeFirstOrThrow();
      return row.process_instance_key ?? undefined;
    });
    const key = (await system.store.db.selectFrom('applications').select('process_instance_key').where('id', '=', started.id).executeTakeFirstOrThrow()).process_instance_key;
    expect(key).toBe(String(processInstanceKey));

    const result = await sweepUnconfirmedStarts(system.store.db, new Date(Date.now() + 3_600_000), silent);
    expect(result.confirmed).toContain(started.id);
    expect(result.withdrawn).toContain(neverStarted.id);
    expect(await system.store.db.selectFrom('applications').select('id').where('id', '=', neverStarted.id).executeTakeFirst()).toBeUndefined();
  });
});
