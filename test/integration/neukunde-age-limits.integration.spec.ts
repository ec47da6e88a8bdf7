/**
 * The age rules of the "Neukunde" decision on the real engine, from the birth date the API receives to the answer
 * the engine's DMN gives (seed 000, section 2): the 15th birthday counts, and the § 7a SGB II limit ends with the
 * month in which the limit age is completed, which for someone born on the 1st is the month before the birthday
 * month and for someone born on the 29th to 31st, whose limit month lacks that day, that month's last day
 * (§ 188 Abs. 3 BGB). Only the derived flags reach the engine; the birth dates stay in the store.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';

import { aMember, anApplication } from '../support/application.js';
import { deleteInstances } from '../support/engine.js';
import { AUTH } from '../support/tokens.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(120_000);

interface Person {
  birthDate: string;
  role: 'head' | 'member';
}

describe("Neukunde age rules from birth date to the engine's decision", () => {
  let system: System;
  const instances: string[] = [];

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await deleteInstances(system?.client, instances);
    await system?.close();
  });

  /** Posts a Cottbus application and returns each person's recorded answer, in the order sent. */
  async function decide(
    applicationDate: string,
    people: Person[],
  ): Promise<{ newCustomer: boolean | null; reason: string | null }[]> {
    const res = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(
        anApplication({
          applicationDate,
          members: people.map((p, i) =>
            aMember({
              givenName: `Alter${i}`,
              familyName: `Grenzfall${p.birthDate.replaceAll('-', '')}`,
              birthDate: p.birthDate,
              role: p.role,
            }),
          ),
        }),
      );
    expect(res.status).toBe(201);
    instances.push(res.body.processInstanceId as string);
    const persons = await system.store.db
      .selectFrom('persons')
      .select(['birth_date', 'role', 'new_customer', 'not_new_reason'])
      .where('application_id', '=', res.body.id as string)
      .execute();
    return people.map((p) => {
      const row = persons.find((r) => r.birth_date === p.birthDate && r.role === p.role)!;
      return { newCustomer: row.new_customer, reason: row.not_new_reason };
    });
  }

  const head = (birthDate: string): Person => ({ birthDate, role: 'head' });
  const member = (birthDate: string): Person => ({ birthDate, role: 'member' });
  const below = { newCustomer: true, reason: null };
  const beyond = { newCustomer: false, reason: 'ALTERSGRENZE_7A' };

  it('counts the 15th birthday itself: a member who turns 15 on the application date is decided on, one who turns 15 a day later is under 15', async () => {
    const answers = await decide('2026-11-16', [head('1980-01-10'), member('2011-11-16'), member('2011-11-17')]);
    expect(answers).toEqual([below, below, { newCustomer: false, reason: 'UNTER_15' }]);
  });

  it('for someone born on the 1st (1 Aug 1960, limit 66 years 4 months), ends the § 7a limit at the end of November, the month before the birthday month', async () => {
    expect(await decide('2026-11-30', [head('1960-08-01')])).toEqual([below]);
    expect(await decide('2026-12-01', [head('1960-08-01')])).toEqual([beyond]);
    // Born a day later, the age is completed on 1 December, so all of December is still below the limit.
    expect(await decide('2026-12-01', [head('1960-08-02')])).toEqual([below]);
  });

  it.each(['1959-12-31', '1959-12-30'])(
    'for someone born on %s (limit 66 years 2 months), ends the § 7a limit on 28 Feb 2026, as February has no 30th or 31st (§ 188 Abs. 3 BGB)',
    async (birthDate) => {
      expect(await decide('2026-02-27', [head(birthDate)])).toEqual([below]);
      expect(await decide('2026-02-28', [head(birthDate)])).toEqual([below]);
      // Rolling "30/31 February" over into March would keep these people below the limit until 31 March.
      expect(await decide('2026-03-02', [head(birthDate)])).toEqual([beyond]);
    },
  );
});
