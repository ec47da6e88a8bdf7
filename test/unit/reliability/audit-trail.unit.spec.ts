/**
 * The audit trail as the API writes it: who (the token's audit name), what (the action) and which case, one row
 * per accepted request, in order, none for a refused one; the rows the API wrote stay as written; and an
 * application date, once recorded, changes neither by a direct UPDATE nor by posting the application again
 * under the same Idempotency-Key. The bare trigger refusals on hand-made rows are in
 * test/unit/store/fixed-application-date-and-append-only-audit.unit.spec.ts; here they meet the API's rows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import { sql } from 'kysely';
import request from 'supertest';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { tokenTable } from '../../../src/config/tokens.js';
import type { CompleteResult, EngineGateway } from '../../../src/engine/gateway.js';
import { EngineUnavailableError } from '../../../src/engine/rest-client.js';
import { isRefusedByTrigger, type Store } from '../../../src/store/index.js';
import { anApplication } from '../../support/application.js';
import { bearer } from '../../support/tokens.js';
import { BACKENDS, openTestStore } from '../store/backends.js';

/** The engine port, faked: it starts instances, completes tasks and takes messages while `waiting`. */
class FakeEngine implements EngineGateway {
  down = false;
  waiting = true;
  started = 0;
  async isReady() {
    return true;
  }
  async startProcess() {
    if (this.down) throw new EngineUnavailableError('engine away');
    this.started += 1;
    return String(2251799813690000 + this.started);
  }
  async completeUserTask(): Promise<CompleteResult> {
    return this.waiting ? 'completed' : 'not-waiting';
  }
  async isWaitingAt() {
    return this.waiting;
  }
  async evaluateDecision() {
    return { neukunde: true, reason: 'ERSTANTRAG' };
  }
  async correlateMessage() {
    return 'completed' as const;
  }
}

const EZ_TOKEN = 'audit-ez-cottbus-0f1e2d3c';
const LG_TOKEN = 'audit-lg-all-4b5a69788796';
const tokens = tokenTable({ [EZ_TOKEN]: { roles: ['EZ'], jobcenter: 'cottbus' }, [LG_TOKEN]: ['LG'] });
const EZ = bearer(EZ_TOKEN);
const LG = bearer(LG_TOKEN);
const EZ_ACTOR = tokens.get(EZ_TOKEN)!.actor;
const LG_ACTOR = tokens.get(LG_TOKEN)!.actor;

async function refusal(write: Promise<unknown>): Promise<Error> {
  return write.then(
    () => {
      throw new Error('the database accepted the write');
    },
    (e: unknown) => e as Error,
  );
}

describe.each(BACKENDS)('the audit trail on %s', (kind) => {
  let store: Store;
  let engine: FakeEngine;
  let app: Express;

  const auditOf = (applicationId: string) =>
    store.db
      .selectFrom('audit_log')
      .select(['id', 'jobcenter', 'actor', 'action', 'application_id', 'details', 'at'])
      .where('application_id', '=', applicationId)
      .orderBy('id')
      .execute();
  const count = async (table: 'applications' | 'audit_log' | 'persons') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const dateOf = async (id: string) =>
    (
      await store.db
        .selectFrom('applications')
        .select('application_date')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).application_date;

  beforeAll(async () => {
    store = await openTestStore(kind);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(() => {
    const { jobcenters } = loadJobcenters('processes');
    engine = new FakeEngine();
    app = buildApp({
      engine,
      store,
      calendars: calendarsFor(jobcenters),
      jobcenters,
      tokens,
      log: winston.createLogger({ silent: true }),
      now: () => new Date('2026-11-23T10:00:00+01:00'),
    });
  });

  it('records who did what to which case, in the order it happened', async () => {
    // Act: the front desk records the application and its ID check, the benefits team reports the documents.
    const created = await request(app).post('/api/v1/applications').set(EZ).send(anApplication());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(
      (
        await request(app)
          .post(`/api/v1/applications/${id}/events/id-check-completed`)
          .set(EZ)
          .send({ identityVerified: true, responsible: true })
      ).status,
    ).toBe(202);
    expect(
      (
        await request(app)
          .post(`/api/v1/applications/${id}/events/documents-complete`)
          .set(LG)
          .send({ completeOn: '2026-11-23' })
      ).status,
    ).toBe(202);

    // Assert: one row per request, each naming the token's roles, scope and hash, the action and the case.
    const rows = await auditOf(id);
    expect(
      rows.map((r) => ({ jobcenter: r.jobcenter, actor: r.actor, action: r.action, application_id: r.application_id })),
    ).toEqual([
      { jobcenter: 'cottbus', actor: EZ_ACTOR, action: 'application.created', application_id: id },
      { jobcenter: 'cottbus', actor: EZ_ACTOR, action: 'event.id-check-completed', application_id: id },
      { jobcenter: 'cottbus', actor: LG_ACTOR, action: 'event.documents-complete', application_id: id },
    ]);
    expect(EZ_ACTOR).toMatch(/^EZ@cottbus#[0-9a-f]{8}$/);
    expect(LG_ACTOR).toMatch(/^LG#[0-9a-f]{8}$/);
    expect(rows[0]!.details).toEqual({ channel: 'EZ' });
    // Ordered in time as well as by id, and without the token or personal data.
    const times = rows.map((r) => r.at.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${EZ_TOKEN}|${LG_TOKEN}|Erika|Mustermann|1985-07-14`));
  });

  it('writes no audit row for a request it refuses, nor a second one for a replayed create', async () => {
    const created = await request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `audit-replay-${kind}`)
      .send(anApplication());
    const id = created.body.id as string;
    const before = await count('audit_log');

    // Act: the wrong role, a process that is not waiting (the row was written, then rolled back), a bad body,
    // an engine that is away, and the same create again.
    const statuses = [
      (
        await request(app)
          .post(`/api/v1/applications/${id}/events/decision-issued`)
          .set(EZ)
          .send({ decidedOn: '2026-11-23' })
      ).status,
      await (async () => {
        engine.waiting = false;
        const res = await request(app)
          .post(`/api/v1/applications/${id}/events/decision-issued`)
          .set(LG)
          .send({ decidedOn: '2026-11-23' });
        engine.waiting = true;
        return res.status;
      })(),
      (
        await request(app)
          .post(`/api/v1/applications/${id}/events/documents-complete`)
          .set(LG)
          .send({ completeOn: 'yesterday' })
      ).status,
      await (async () => {
        engine.down = true;
        const res = await request(app)
          .post('/api/v1/applications')
          .set(EZ)
          .send(anApplication({ applicationDate: '2026-11-19' }));
        engine.down = false;
        return res.status;
      })(),
      (
        await request(app)
          .post('/api/v1/applications')
          .set(EZ)
          .set('Idempotency-Key', `audit-replay-${kind}`)
          .send(anApplication())
      ).status,
    ];

    // Assert
    expect(statuses).toEqual([403, 409, 400, 503, 201]);
    expect(await count('audit_log')).toBe(before);
    expect((await auditOf(id)).map((r) => r.action)).toEqual(['application.created']);
  });

  it("refuses to rewrite, delete or empty the API's audit rows, by query builder and by SQL, and keeps them", async () => {
    const created = await request(app).post('/api/v1/applications').set(EZ).send(anApplication());
    const id = created.body.id as string;
    await request(app)
      .post(`/api/v1/applications/${id}/events/id-check-completed`)
      .set(EZ)
      .send({ identityVerified: true, responsible: true });
    const written = await auditOf(id);
    expect(written).toHaveLength(2);

    const attempts = [
      [
        'UPDATE',
        () => store.db.updateTable('audit_log').set({ actor: LG_ACTOR }).where('application_id', '=', id).execute(),
      ],
      [
        'UPDATE',
        () => store.db.updateTable('audit_log').set({ details: '{}' }).where('id', '=', written[0]!.id).execute(),
      ],
      ['DELETE', () => store.db.deleteFrom('audit_log').where('application_id', '=', id).execute()],
      ['TRUNCATE', () => sql`TRUNCATE audit_log, history_notes`.execute(store.db)],
    ] as const;
    for (const [op, attempt] of attempts) {
      const e = await refusal(attempt());
      expect(isRefusedByTrigger(e)).toBe(true);
      expect(e.message).toBe(`the audit log is append-only: ${op} is not allowed`);
    }
    // A refusal inside a transaction takes the transaction's other writes with it.
    const inTransaction = await refusal(
      store.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('history_notes')
          .values({
            jobcenter: 'cottbus',
            application_id: id,
            person_id: null,
            text: 'Bereinigung',
            dedup_key: `audit-cleanup-${id}`,
          })
          .execute();
        await tx.deleteFrom('audit_log').where('application_id', '=', id).execute();
      }),
    );
    expect(inTransaction.message).toBe('the audit log is append-only: DELETE is not allowed');
    expect(
      await store.db.selectFrom('history_notes').select('id').where('dedup_key', '=', `audit-cleanup-${id}`).execute(),
    ).toEqual([]);
    expect(await auditOf(id)).toEqual(written);
  });

  it('refuses a direct UPDATE of the application date, also together with another column, and allows the same date', async () => {
    const created = await request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .send(anApplication({ applicationDate: '2026-11-18' }));
    const id = created.body.id as string;

    const alone = await refusal(
      sql`UPDATE applications SET application_date = '2026-11-17' WHERE id = ${id}`.execute(store.db),
    );
    expect(isRefusedByTrigger(alone)).toBe(true);
    expect(alone.message).toBe('the application date cannot be changed (applications)');
    // The status change in the same statement does not slip through either.
    const together = await refusal(
      sql`UPDATE applications SET status = 'closed', application_date = '2026-11-19' WHERE id = ${id}`.execute(
        store.db,
      ),
    );
    expect(together.message).toBe('the application date cannot be changed (applications)');
    // Writing the date it already has is no change; tools that write whole rows keep working.
    await sql`UPDATE applications SET application_date = '2026-11-18', status = 'in-progress' WHERE id = ${id}`.execute(
      store.db,
    );

    const row = await store.db
      .selectFrom('applications')
      .select(['application_date', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ application_date: '2026-11-18', status: 'in-progress' });
  });

  it('refuses another date under the same Idempotency-Key with 422 and keeps the first date', async () => {
    const key = `audit-date-${kind}`;
    const first = await request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', key)
      .send(anApplication({ applicationDate: '2026-11-20' }));
    expect(first.status).toBe(201);
    const before = {
      applications: await count('applications'),
      persons: await count('persons'),
      audit: await count('audit_log'),
      started: engine.started,
    };

    // Act
    const other = await request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', key)
      .send(anApplication({ applicationDate: '2026-11-16' }));
    const same = await request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', key)
      .send(anApplication({ applicationDate: '2026-11-20' }));

    // Assert: refused, naming the header; the original answer for the original body; nothing written or started.
    expect(other.status).toBe(422);
    expect(other.body.issues).toEqual([{ path: 'headers.idempotency-key', message: 'reused with another body' }]);
    expect(same.status).toBe(201);
    expect(same.body).toEqual(first.body);
    expect(await dateOf(first.body.id)).toBe('2026-11-20');
    expect({
      applications: await count('applications'),
      persons: await count('persons'),
      audit: await count('audit_log'),
      started: engine.started,
    }).toEqual(before);
  });

  it('lets one of two concurrent posts with one key and different dates win, and never mixes them', async () => {
    const key = `audit-race-${kind}`;
    const before = await count('applications');

    // Act
    const [a, b] = await Promise.all([
      request(app)
        .post('/api/v1/applications')
        .set(EZ)
        .set('Idempotency-Key', key)
        .send(anApplication({ applicationDate: '2026-11-20' })),
      request(app)
        .post('/api/v1/applications')
        .set(EZ)
        .set('Idempotency-Key', key)
        .send(anApplication({ applicationDate: '2026-11-13' })),
    ]);

    // Assert: exactly one application, with the winner's date; the loser is told why (422, or 409 while in flight).
    const winner = [a, b].find((r) => r.status === 201);
    const loser = [a, b].find((r) => r !== winner);
    expect(winner).toBeDefined();
    expect([409, 422]).toContain(loser!.status);
    expect(await count('applications')).toBe(before + 1);
    const winnerDate = winner === a ? '2026-11-20' : '2026-11-13';
    expect(await dateOf(winner!.body.id)).toBe(winnerDate);
    expect((await auditOf(winner!.body.id)).map((r) => r.action)).toEqual(['application.created']);
    expect(engine.started).toBe(1);
  });
});
