/**
 * Tokens bound to a jobcenter: a Cottbus caseworker sees and changes only Cottbus cases. Naming another jobcenter
 * is refused (403, the field named); another jobcenter's case answers 404 as if it did not exist; nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { fileLetter } from '../../../src/adapters/eakte/store-eakte.js';
import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { tokenTable } from '../../../src/config/tokens.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { Store } from '../../../src/store/index.js';
import { anApplication } from '../../support/application.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { applicationRows } from '../../support/rows.js';
import { bearer } from '../../support/tokens.js';

jest.setTimeout(60_000);

let started = 0;
const engine: EngineGateway = {
  isReady: async () => true,
  startProcess: async () => String(2251799813685000 + ++started),
  completeUserTask: async () => 'completed',
  isWaitingAt: async () => true,
  evaluateDecision: async () => ({ neukunde: true, reason: 'ERSTANTRAG' }),
  correlateMessage: async () => 'completed' as const,
};

const SCOPED_TOKENS = {
  'ez-cottbus-0123456789ab': { roles: ['EZ', 'LG'], jobcenter: 'cottbus' },
  'ez-wuppertal-0123456789': { roles: ['EZ'], jobcenter: 'wuppertal' },
  'tl-cottbus-0123456789ab': { roles: ['TL'], jobcenter: 'cottbus' },
  'tl-all-0123456789abcdef': { roles: ['TL'] },
} as const;
const as = (t: keyof typeof SCOPED_TOKENS) => bearer(t);

let store: Store;
let app: Express;
let cottbusCase: string;
let wuppertalCase: string;

const rows = () => applicationRows(store.db);

beforeAll(async () => {
  store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  app = buildApp({
    engine,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens: tokenTable(SCOPED_TOKENS),
    log: winston.createLogger({ silent: true }),
    now: () => new Date('2026-11-23T10:00:00+01:00'),
  });
  const c = await request(app)
    .post('/api/v1/applications')
    .set(as('ez-cottbus-0123456789ab'))
    .send(anApplication({ jobcenter: 'cottbus' }));
  const w = await request(app)
    .post('/api/v1/applications')
    .set(as('ez-wuppertal-0123456789'))
    .send(anApplication({ jobcenter: 'wuppertal' }));
  expect([c.status, w.status]).toEqual([201, 201]);
  cottbusCase = c.body.id;
  wuppertalCase = w.body.id;
});

afterAll(async () => {
  await store.close();
});

describe('a token bound to Cottbus', () => {
  it('may not record a Wuppertal application: 403 names body.jobcenter, nothing written', async () => {
    const before = await rows();
    const res = await request(app)
      .post('/api/v1/applications')
      .set(as('ez-cottbus-0123456789ab'))
      .set('Idempotency-Key', 'scope-1')
      .send(anApplication({ jobcenter: 'wuppertal' }));
    expect(res.status).toBe(403);
    expect(res.body.issues).toEqual([{ path: 'body.jobcenter', message: 'may not act on jobcenter "wuppertal"' }]);
    expect(await rows()).toEqual(before);
  });

  it('lists only Cottbus cases, and is refused when it asks for Wuppertal by name', async () => {
    const list = await request(app).get('/api/v1/applications').set(as('ez-cottbus-0123456789ab'));
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([cottbusCase]);
    expect(list.body.total).toBe(1);
    const other = await request(app).get('/api/v1/applications?jobcenter=wuppertal').set(as('ez-cottbus-0123456789ab'));
    expect(other.status).toBe(403);
    expect(other.body.issues[0].path).toBe('query.jobcenter');
  });

  it('reads its own case and gets 404 for a Wuppertal case, as for an unknown id', async () => {
    expect(
      (await request(app).get(`/api/v1/applications/${cottbusCase}`).set(as('ez-cottbus-0123456789ab'))).status,
    ).toBe(200);
    const res = await request(app).get(`/api/v1/applications/${wuppertalCase}`).set(as('ez-cottbus-0123456789ab'));
    expect(res.status).toBe(404);
    expect(res.body.title ?? res.body.message ?? JSON.stringify(res.body)).toMatch(/No such application/);
  });

  it('cannot report an event on a Wuppertal case: 404 and no audit row', async () => {
    const before = await rows();
    const res = await request(app)
      .post(`/api/v1/applications/${wuppertalCase}/events/approved-in-principle`)
      .set(as('ez-cottbus-0123456789ab'))
      .send({ approvedOn: '2026-11-23' });
    expect(res.status).toBe(404);
    expect(await rows()).toEqual(before);
    // The same event from Wuppertal's own front desk gets past the scope (here: it is an LG event, so 403 for EZ).
    expect(
      (
        await request(app)
          .post(`/api/v1/applications/${wuppertalCase}/events/approved-in-principle`)
          .set(as('ez-wuppertal-0123456789'))
          .send({ approvedOn: '2026-11-23' })
      ).status,
    ).toBe(403);
  });

  it("reads the Cottbus MDS report and dashboard, and is refused Wuppertal's", async () => {
    const period = 'from=2026-11-01&to=2026-11-30&asOf=2026-11-23';
    expect(
      (await request(app).get(`/api/v1/reports/mds?jobcenter=cottbus&${period}`).set(as('tl-cottbus-0123456789ab')))
        .status,
    ).toBe(200);
    expect((await request(app).get(`/dashboard/cottbus?${period}`).set(as('tl-cottbus-0123456789ab'))).status).toBe(
      200,
    );
    const report = await request(app)
      .get(`/api/v1/reports/mds?jobcenter=wuppertal&${period}`)
      .set(as('tl-cottbus-0123456789ab'));
    expect(report.status).toBe(403);
    expect(report.body.issues[0].path).toBe('query.jobcenter');
    expect((await request(app).get(`/dashboard/wuppertal?${period}`).set(as('tl-cottbus-0123456789ab'))).status).toBe(
      403,
    );
  });

  it('sees only Cottbus messages in an inbox both jobcenters write to', async () => {
    for (const [jobcenter, applicationId] of [
      ['cottbus', cottbusCase],
      ['wuppertal', wuppertalCase],
    ] as const) {
      await store.db
        .insertInto('notifications')
        .values({
          jobcenter,
          application_id: applicationId,
          channel: 'inbox',
          recipient: 'shared-group',
          subject: `Nachricht ${jobcenter}`,
          body: 'x',
          dedup_key: `scope-${jobcenter}`,
        } as never)
        .execute();
    }
    const mine = await request(app).get('/api/v1/inbox?recipient=shared-group').set(as('ez-cottbus-0123456789ab'));
    expect(mine.body.items.map((m: { subject: string }) => m.subject)).toEqual(['Nachricht cottbus']);
    const all = await request(app).get('/api/v1/inbox?recipient=shared-group').set(as('tl-all-0123456789abcdef'));
    expect(all.body.items.map((m: { subject: string }) => m.subject).sort()).toEqual([
      'Nachricht cottbus',
      'Nachricht wuppertal',
    ]);
  });
});

describe("a Cottbus token and the cases' letters", () => {
  it('downloads a Cottbus letter as PDF, audited, and gets 404 for a Wuppertal letter, by either case id', async () => {
    const letter = (applicationId: string, jobcenter: string) =>
      fileLetter(store.db, {
        jobcenter,
        applicationId,
        kind: 'einladung-rfb',
        title: 'Einladung zum Erstgespräch',
        paragraphs: ['Guten Tag,'],
        dedupKey: `${applicationId}:scope-letter`,
      });
    const own = await letter(cottbusCase, 'cottbus');
    const other = await letter(wuppertalCase, 'wuppertal');
    const res = await request(app)
      .get(`/api/v1/applications/${cottbusCase}/documents/${own}`)
      .set(as('ez-cottbus-0123456789ab'))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['application_id', 'details'])
      .where('action', '=', 'document.download')
      .execute();
    expect(audit).toEqual([{ application_id: cottbusCase, details: { documentId: own } }]);
    for (const caseId of [wuppertalCase, cottbusCase]) {
      const refused = await request(app)
        .get(`/api/v1/applications/${caseId}/documents/${other}`)
        .set(as('ez-cottbus-0123456789ab'));
      expect(refused.status).toBe(404);
    }
  });
});

describe('a token bound to no jobcenter', () => {
  it('lists both jobcenters and reads either report', async () => {
    const list = await request(app).get('/api/v1/applications').set(as('tl-all-0123456789abcdef'));
    expect(list.body.items.map((a: { id: string }) => a.id).sort()).toEqual([cottbusCase, wuppertalCase].sort());
    expect(
      (
        await request(app)
          .get('/api/v1/reports/mds?jobcenter=wuppertal&from=2026-11-01&to=2026-11-30')
          .set(as('tl-all-0123456789abcdef'))
      ).status,
    ).toBe(200);
  });
});

describe('the audit trail', () => {
  it('names the acting token by roles, jobcenter and a hash, never by the token itself', async () => {
    const rowsOf = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'application_id'])
      .where('application_id', '=', cottbusCase)
      .execute();
    expect(rowsOf.length).toBeGreaterThan(0);
    for (const r of rowsOf) {
      expect(r.actor).toMatch(/^EZ\+LG@cottbus#[0-9a-f]{8}$/);
      expect(r.actor).not.toContain('0123456789');
    }
  });
});
