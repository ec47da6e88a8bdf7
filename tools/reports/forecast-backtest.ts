/**
 * `npm run forecast:backtest`: how far the capacity forecast's intake estimate is off. No jobcenter's real history is
 * here, so it simulates one in an embedded store: 16 weeks of Cottbus intake as seed 000 sizes it (about 25 new eLb
 * a working day, 20 % U25, Mondays busier and Fridays quieter), Poisson-distributed per team and day. It then runs
 * the forecast as it would have run 6 weeks ago, for 6 weeks, and compares the new cases it expected per team and week with those
 * the store holds for that period. Prints figures; asserts nothing.
 */
import { randomUUID } from 'node:crypto';

import { calendarsFor } from '../../src/calendar/calendars.js';
import { berlinDate } from '../../src/calendar/index.js';
import { loadJobcenters } from '../../src/config/load.js';
import { capacityForecast } from '../../src/reports/capacity.js';
import { mondayOf } from '../../src/reports/capacity-forecast.js';
import { openStore } from '../../src/store/index.js';

const { jobcenters } = loadJobcenters('processes');
const settings = jobcenters.get('cottbus')!;
const calendar = calendarsFor(jobcenters).of('cottbus')!;
const store = await openStore({});

// A seeded generator, so a run can be repeated (mulberry32).
let seed = Number(process.env.BACKTEST_SEED ?? 20261206);
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const poisson = (mean: number) => {
  let k = 0;
  for (let p = random(), limit = Math.exp(-mean); p > limit; p *= random()) k++;
  return k;
};
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const weekdayFactor = [0, 1.3, 1.0, 1.0, 1.0, 0.7, 0];
const share = new Map(settings.teams.map((t) => [t.id, t.ageBand === 'U25' ? 0.2 : 0.8 / (settings.teams.length - 1)]));

const end = berlinDate(new Date());
const asOf = mondayOf(addDays(end, -42));
const first = addDays(asOf, -7 * 12);
const n = settings.deadlines.firstConsultationWorkingDays ?? 15;
let cases = 0;
for (let d = first; d < end; d = addDays(d, 1)) {
  if (!calendar.isWorkingDay(d)) continue;
  const factor = weekdayFactor[new Date(`${d}T00:00:00Z`).getUTCDay()]!;
  for (const [team, part] of share) {
    const count = poisson(25 * part * factor);
    if (!count) continue;
    const id = randomUUID();
    await store.db
      .insertInto('applications')
      .values({
        id,
        jobcenter: 'cottbus',
        channel: 'EZ',
        application_date: d,
        status: 'in-progress',
        new_customer: true,
        not_new_reason: null,
        process_instance_key: null,
        idempotency_key: null,
        flags: '{}',
        created_by: 'backtest',
      })
      .execute();
    const due = calendar.addWorkingDays(d, n);
    await store.db
      .insertInto('deadlines')
      .values(
        Array.from({ length: count }, () => ({
          jobcenter: 'cottbus',
          application_id: id,
          person_id: randomUUID(),
          kind: 'first-consultation' as const,
          due_date: due,
          breach_at: new Date(`${due}T23:00:00Z`),
          // Consultations before the forecast day are held by then: only the intake is compared here.
          status: due < asOf ? ('met' as const) : ('open' as const),
          met_on: due < asOf ? due : null,
          breached_at: null,
          team,
          caseworker_id: null,
        })),
      )
      .execute();
    cases += count;
  }
}

const forecast = await capacityForecast(store.db, settings, calendar, new Date(`${asOf}T05:00:00Z`), 6);
const actual = await store.db
  .selectFrom('deadlines')
  .innerJoin('applications', 'applications.id', 'deadlines.application_id')
  .select(['deadlines.team', 'deadlines.due_date'])
  .where('applications.application_date', '>', asOf)
  .execute();
process.stdout.write(
  `Backtest of the intake estimate: ${cases} simulated new eLb from ${first} to ${end}; forecast as of ${asOf} (8 weeks of history), new cases falling due per team and week\n\n`,
);
process.stdout.write('| team | week | expected (± sd) | happened | off by |\n| --- | --- | --- | --- | --- |\n');
let absError = 0;
let expectedSum = 0;
let actualSum = 0;
let within = 0;
let rows = 0;
for (const r of forecast.rows) {
  const happened = actual.filter((a) => a.team === r.team && a.due_date >= r.from && a.due_date <= r.to).length;
  // Weeks in which no new case can fall due yet (the deadline lies beyond them) say nothing about the estimate.
  if (r.dueExpected > 0 || happened > 0) {
    absError += Math.abs(r.dueExpected - happened);
    expectedSum += r.dueExpected;
    actualSum += happened;
    rows++;
    if (Math.abs(r.dueExpected - happened) <= Math.max(r.dueExpectedSpread, 1)) within++;
  }
  process.stdout.write(
    `| ${r.teamName} | ${r.label} | ${r.dueExpected} (± ${r.dueExpectedSpread}) | ${happened} | ${r.dueExpected - happened >= 0 ? '+' : ''}${r.dueExpected - happened} |\n`,
  );
}
process.stdout.write(
  `\nOver the ${rows} team-weeks in which new cases fall due: mean absolute error ${(absError / Math.max(1, rows)).toFixed(1)} cases (${((absError / Math.max(1, actualSum)) * 100).toFixed(0)} % of what happened); all together expected ${expectedSum}, happened ${actualSum} (${(((expectedSum - actualSum) / Math.max(1, actualSum)) * 100).toFixed(1)} %); ${within} of ${rows} within one standard deviation.\n`,
);
await store.close();
