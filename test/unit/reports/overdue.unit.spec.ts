/** Overdue is the team's to-do list: past due, not held, nothing booked, whether the breach is recorded yet or not. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { isOverdue, mdsReport } from '../../../src/reports/mds.js';
import type { Store } from '../../../src/store/index.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { seedCase } from '../workspace/fixture.js';

const AS_OF = '2026-11-23';
const late = { due: '2026-11-20', held: false, booked: false };

describe('a deadline is overdue', () => {
  it('when it is past due, not held and nothing is booked, open or already breached', () => {
    expect(isOverdue({ ...late, status: 'open' }, AS_OF)).toBe(true);
    expect(isOverdue({ ...late, status: 'breached' }, AS_OF)).toBe(true);
  });

  it('not when an appointment is booked for it (a deputy booking), nor when it was held late', () => {
    expect(isOverdue({ ...late, status: 'breached', booked: true }, AS_OF)).toBe(false);
    expect(isOverdue({ ...late, status: 'breached', held: true }, AS_OF)).toBe(false);
  });

  it('not when it is due today or later, met, or not applicable', () => {
    expect(isOverdue({ ...late, status: 'open', due: AS_OF }, AS_OF)).toBe(false);
    expect(isOverdue({ ...late, status: 'met', held: true }, AS_OF)).toBe(false);
    expect(isOverdue({ ...late, status: 'not-applicable' }, AS_OF)).toBe(false);
  });
});

describe('the report counts overdue as isOverdue says', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMemoryStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('for every status, due date, held and booked, on the database (one caseworker per deadline)', async () => {
    const statuses = ['open', 'breached', 'met', 'not-applicable'] as const;
    const cells = statuses.flatMap((status) =>
      ['2026-11-20', AS_OF, '2026-11-24'].flatMap((due) =>
        [false, true].flatMap((held) => [false, true].map((booked) => ({ status, due, held, booked }))),
      ),
    );
    for (const [i, cell] of cells.entries()) {
      const seeded = await seedCase(store, {
        jobcenter: 'cottbus',
        head: ['Test', `Zelle${i}`],
        deadline: { due: cell.due, status: cell.status, caseworker: `cell-${i}` },
      });
      await store.db
        .updateTable('deadlines')
        .set({ met_on: cell.held ? cell.due : null })
        .where('application_id', '=', seeded.id)
        .execute();
      if (cell.booked) {
        const d = await store.db
          .selectFrom('deadlines')
          .select(['person_id', 'kind'])
          .where('application_id', '=', seeded.id)
          .executeTakeFirstOrThrow();
        await store.db
          .insertInto('appointments')
          .values({
            jobcenter: 'cottbus',
            // A slot of its own for each booking: one caseworker holds one appointment at a time.
            caseworker_id: `cell-${i}`,
            starts_at: new Date('2026-11-25T08:00:00Z'),
            ends_at: new Date('2026-11-25T09:00:00Z'),
            kind: d.kind,
            application_id: seeded.id,
            person_id: d.person_id,
            booked_by: 'test',
          })
          .execute();
      }
    }
    const { jobcenters } = loadJobcenters('processes');
    const report = await mdsReport(store.db, calendarsFor(jobcenters).of('cottbus')!, {
      jobcenter: 'cottbus',
      from: '2026-11-01',
      to: '2026-11-30',
      asOf: AS_OF,
    });
    const counted = new Map(report.byCaseworker.map((c) => [c.caseworkerId, c.overdue]));
    const expected = cells.map((cell, i) => [`cell-${i}`, isOverdue(cell, AS_OF) ? 1 : 0]);
    expect(cells.map((_, i) => [`cell-${i}`, counted.get(`cell-${i}`)])).toEqual(expected);
    expect(expected.filter(([, n]) => n === 1)).toHaveLength(2);
  });
});
