/**
 * The capacity check on the real engine: the capacity-check process's timer (Monday to Friday, 06:00) is checked by
 * its due date, then executed; its worker forecasts against this spec's store. A team whose caseworkers are away but
 * one, with a batch of applications due in a few working days, produces exactly one warning naming the team, the
 * week and the shortfall; a window released in ATV clears it, and the next check sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';

import { releasedSlots } from '../../src/adapters/atv/released-slots.js';
import { releaseWindow } from '../../src/adapters/atv/store-atv.js';
import { berlinDate } from '../../src/calendar/index.js';
import { mondayOf } from '../../src/reports/capacity-forecast.js';
import { aMember, anApplication, today } from '../support/application.js';
import { deleteInstances } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { AUTH } from '../support/tokens.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(300_000);

describe('capacity check on the real engine', () => {
  let system: System;
  const started: string[] = [];
  const cottbus = () => system.deps.jobcenters.get('cottbus')!;
  const calendar = () => system.deps.calendars.of('cottbus')!;
  const u25 = () => cottbus().caseworkers.filter((c) => c.team === 'u25' && !c.virtual);

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await deleteInstances(system?.client, started);
    await system?.close();
  });

  /** Runs the check as the engine would at 06:00: the timer job, after its due date is checked. */
  async function runCheck(): Promise<void> {
    const [job] = await system.client.jobs({ processDefinitionKey: 'capacity-check', timers: 'true' });
    expect(job).toBeDefined();
    const due = new Date(job!.dueDate!);
    expect(due.getTime()).toBeGreaterThan(Date.now());
    expect([1, 2, 3, 4, 5]).toContain(new Date(`${berlinDate(due)}T12:00:00Z`).getUTCDay());
    const before = new Set(
      (await system.client.historicProcessInstances({ processDefinitionKey: 'capacity-check' })).map((p) => p.id),
    );
    await system.client.executeJob(job!.id);
    await eventually('the capacity check to end', async () => {
      const runs = await system.client.historicProcessInstances({
        processDefinitionKey: 'capacity-check',
        finished: 'true',
      });
      return runs.find((p) => !before.has(p.id));
    });
  }

  const warnings = () =>
    system.store.db
      .selectFrom('notifications')
      .select(['dedup_key', 'channel', 'recipient', 'subject', 'body'])
      .where('dedup_key', 'like', 'capacity-shortfall:%')
      .orderBy('channel', 'desc')
      .execute();

  it('warns the team lead once of a coming shortfall, and a released window clears it', async () => {
    const cal = calendar();
    // Applications handed in 12 working days ago: their first consultations fall due in 3 working days.
    const applicationDate = cal.subtractWorkingDays(today(), 12);
    const due = cal.addWorkingDays(applicationDate, 15);
    const [kept, ...away] = u25();
    const until = new Date(Date.now() + 30 * 86_400_000);
    await system.store.db
      .insertInto('absences')
      .values(
        away.map((c) => ({
          jobcenter: 'cottbus',
          caseworker_id: c.id,
          starts_at: new Date(),
          ends_at: until,
          reason: 'Urlaub',
        })),
      )
      .execute();
    const free = releasedSlots({
      calendar: cal,
      windows: cottbus().atv!.releasedWindows,
      slotMinutes: cottbus().atv!.slotMinutes,
      fromDate: today(),
      toDate: due,
      now: new Date(),
      absences: [],
    }).length;
    const batch = free + 4;
    for (let i = 0; i < batch; i++) {
      const res = await request(system.app)
        .post('/api/v1/applications')
        .set(AUTH.ADMIN)
        .send(
          anApplication({
            applicationDate,
            members: [aMember({ givenName: 'Jana', familyName: `Kapazität${i}`, birthDate: '2004-03-01' })],
          }),
        );
      expect(res.status).toBe(201);
      started.push((res.body as { processInstanceId: string }).processInstanceId);
    }
    await eventually('every first-consultation deadline in the store', async () => {
      const n = await system.store.db
        .selectFrom('deadlines')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'first-consultation')
        .executeTakeFirstOrThrow();
      return Number(n.n) === batch ? true : undefined;
    });

    await runCheck();
    const sent = await warnings();
    const week = mondayOf(due);
    expect(sent.map((w) => [w.channel, w.recipient, w.dedup_key])).toEqual([
      ['inbox', 'tl-u25', `capacity-shortfall:cottbus:u25:${week}:inbox:tl-u25`],
      [
        'email',
        'dirk.richter@jobcenter-cottbus.example',
        `capacity-shortfall:cottbus:u25:${week}:email:dirk.richter@jobcenter-cottbus.example`,
      ],
    ]);
    expect(sent[0]!.subject).toMatch(
      new RegExp(`^Kapazitätswarnung Team U25, KW \\d+: 4 Erstberatungen ohne freien Termin$`),
    );
    expect(sent[0]!.body).toContain(`${batch} offene`);

    const api = await request(system.app).get('/api/v1/reports/capacity-forecast?jobcenter=cottbus').set(AUTH.ADMIN);
    expect(api.status).toBe(200);
    const row = (api.body as { rows: { team: string; from: string; missed: number }[] }).rows.find(
      (r) => r.team === 'u25' && r.from === week,
    );
    expect(row?.missed).toBe(4);

    // The remaining caseworker releases two more hours every working day: the shortfall is gone.
    for (const weekday of [1, 2, 3, 4, 5])
      await releaseWindow(system.store.db, {
        jobcenter: 'cottbus',
        caseworkerId: kept!.id,
        weekday,
        from: '13:00',
        to: '15:00',
        validFrom: today(),
      });
    const cleared = await request(system.app)
      .get('/api/v1/reports/capacity-forecast?jobcenter=cottbus')
      .set(AUTH.ADMIN);
    expect(
      (cleared.body as { rows: { team: string; missed: number }[] }).rows.filter(
        (r) => r.team === 'u25' && r.missed > 0,
      ),
    ).toEqual([]);
    await runCheck();
    expect(await warnings()).toHaveLength(2);
  });
});
