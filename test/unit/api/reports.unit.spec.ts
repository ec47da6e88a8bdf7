/** The MDS report over real deadline rows: counts per kind, team and caseworker, CSV, and who may read it. */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { AUTH, testTokens } from '../../support/tokens.js';

const engine = {} as EngineGateway;
let store: Store;
let app: Express;

async function deadline(
  kind: string,
  due: string,
  status: 'open' | 'met' | 'breached' | 'not-applicable',
  team: string,
  caseworker: string,
) {
  const applicationId = randomUUID();
  await store.db
    .insertInto('applications')
    .values({
      id: applicationId,
      jobcenter: 'cottbus',
      channel: 'EZ',
      application_date: '2026-11-02',
      status: 'in-progress',
      new_customer: true,
      not_new_reason: null,
      reason: 'x',
      process_instance_key: '2251799813685999',
      idempotency_key: null,
      flags: '{}',
      created_by: 'test',
    })
    .execute();
  await store.db
    .insertInto('deadlines')
    .values({
      jobcenter: 'cottbus',
      application_id: applicationId,
      person_id: randomUUID(),
      kind: kind as 'decision',
      due_date: due,
      breach_at: new Date(`${due}T23:00:00Z`),
      status,
      // A breached deadline here was held late (as a deputy booking ends): breached, but on nobody's to-do list.
      met_on: status === 'met' ? due : status === 'breached' ? '2026-11-21' : null,
      breached_at: null,
      team,
      caseworker_id: caseworker,
    })
    .execute();
}

beforeAll(async () => {
  store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  const tokens = testTokens('TL', 'IFK');
  app = buildApp({
    engine,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens,
    log: winston.createLogger({ silent: true }),
    now: () => new Date('2026-11-23T10:00:00+01:00'),
  });
  // As of Mon 23 Nov: one met, one breached (held late), one overdue (open, due 20 Nov), one due soon (26 Nov), one open later.
  await deadline('first-consultation', '2026-11-16', 'met', 'u25', 'av-1');
  await deadline('first-consultation', '2026-11-18', 'breached', 'u25', 'av-1');
  await deadline('first-consultation', '2026-11-20', 'open', 'ue25', 'av-2');
  await deadline('first-consultation', '2026-11-26', 'open', 'ue25', 'av-2');
  // A case that ended before its consultation (not responsible, withdrawn): neither due nor in the met rate.
  await deadline('first-consultation', '2026-11-19', 'not-applicable', 'u25', 'av-1');
  await deadline('decision', '2026-12-10', 'open', 'LG', 'lg-1');
  await deadline('decision', '2027-02-01', 'met', 'LG', 'lg-1'); // outside the period
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine

afterAll(async () => {
  await store.close();
});

describe('GET /api/v1/reports/mds', () => {
  it('counts due, met, breached, open, overdue and due soon per kind, team and caseworker', async () => {
    const res = await request(app)
      .get('/api/v1/reports/mds?jobcenter=cottbus&from=2026-11-01&to=2026-12-31')
      .set(AUTH.TL);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jobcenter: 'cottbus', from: '2026-11-01', to: '2026-12-31', asOf: '2026-11-23' });
    expect(res.body.kinds).toEqual([
      {
        kind: 'decision',
        due: 1,
        met: 0,
        breached: 0,
        open: 1,
        overdue: 0,
        dueSoon: 0,
        notApplicable: 0,
        metRate: null,
      },
      {
        kind: 'first-consultation',
        due: 4,
        met: 1,
        breached: 1,
        open: 2,
        overdue: 1,
        dueSoon: 1,
        notApplicable: 1,
        metRate: 0.5,
      },
    ]);
    expect(res.body.byTeam.find((t: { team: string }) => t.team === 'ue25')).toMatchObject({
      due: 2,
      overdue: 1,
      dueSoon: 1,
    });
    expect(res.body.byCaseworker.find((c: { caseworkerId: string }) => c.caseworkerId === 'av-1')).toMatchObject({
      due: 2,
      met: 1,
      breached: 1,
      notApplicable: 1,
      metRate: 0.5,
    });
  });

  it('gives the same numbers as CSV for a spreadsheet', async () => {
    const res = await request(app)
      .get('/api/v1/reports/mds?jobcenter=cottbus&from=2026-11-01&to=2026-12-31')
      .set(AUTH.TL)
      .set('Accept', 'text/csv');
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('group;key;due;met;breached;open;overdue;dueSoon;notApplicable;metRate');
    expect(lines).toContain('kind;first-consultation;4;1;1;2;1;1;1;0.5');
  });

  it('is for team leads and the front desk only, and names bad parameters', async () => {
    expect(
      (await request(app).get('/api/v1/reports/mds?jobcenter=cottbus&from=2026-11-01&to=2026-12-31').set(AUTH.IFK))
        .status,
    ).toBe(403);
    const bad = await request(app)
      .get('/api/v1/reports/mds?jobcenter=cottbus&from=2026-12-31&to=2026-11-01')
      .set(AUTH.TL);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('query.to');
  });
});

describe('GET /dashboard/:jobcenter', () => {
  /** Reads the numbers of one table row of the page by its cell classes. */
  function rowNumbers(html: string, label: string): Record<string, string> {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const row = new RegExp(`<tr [^>]*data-key="${escaped}">(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
    // A figure may be a link to its cases: the number is the cell's text.
    return Object.fromEntries(
      [...row.matchAll(/<td class="(\w+)">(.*?)<\/td>/g)].map((m) => [m[1]!, m[2]!.replace(/<[^>]*>/g, '')]),
    );
  }

  it('shows the same numbers as the report API, the due and overdue cases, and links to the case in Cockpit', async () => {
    const period = 'from=2026-11-01&to=2026-12-31&asOf=2026-11-23';
    const page = await request(app).get(`/dashboard/cottbus?${period}`).set(AUTH.TL);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const report = (await request(app).get(`/api/v1/reports/mds?jobcenter=cottbus&${period}`).set(AUTH.TL)).body;
    const fc = report.kinds.find((k: { kind: string }) => k.kind === 'first-consultation');
    expect(rowNumbers(page.text, 'Erstberatung (15 Arbeitstage)')).toEqual({
      due: String(fc.due),
      met: String(fc.met),
      breached: String(fc.breached),
      open: String(fc.open),
      overdue: String(fc.overdue),
      dueSoon: String(fc.dueSoon),
      notApplicable: String(fc.notApplicable),
      metRate: '50 %',
    });
    expect(page.text).toContain('Überfällig (1)');
    expect(page.text).toContain('Heute und in den nächsten 3 Arbeitstagen fällig (1)');
    // The bars repeat the table above them, so screen readers skip them.
    expect(page.text).toMatch(/<svg aria-hidden="true" focusable="false"/);
    expect(page.text).toContain(
      'href="http://127.0.0.1:8080/operaton/app/cockpit/default/#/process-instance/2251799813685999/runtime"',
    );
    expect((await request(app).get(`/dashboard/cottbus?${period}`).set(AUTH.IFK)).status).toBe(403);
    expect((await request(app).get('/dashboard/atlantis').set(AUTH.TL)).status).toBe(404);
  });
});
