/**
 * An application is recorded, its process started, and the record confirmed, without holding the store while
 * the engine answers; a refused start is withdrawn; a start the API never confirmed is finished or withdrawn by
 * the sweep. On both stores; the engine port is a fake whose start call the test holds and releases.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';

import { fileLetter } from '../../../src/adapters/eakte/store-eakte.js';
import { buildApp } from '../../../src/api/app.js';
import { withDeprecatedInstanceKey } from '../../../src/api/applications/deprecated-alias.js';
import { recordUnconfirmed } from '../../../src/api/applications/recording.js';
import { sweepUnconfirmedStarts } from '../../../src/api/applications/start-sweep.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import { tokenTable } from '../../../src/config/tokens.js';
import { claimApplication, loadCase } from '../../../src/domain/cases.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import { EngineUnavailableError } from '../../../src/engine/rest-client.js';
import type { Store } from '../../../src/store/index.js';
import { neukundeByTheRules } from '../../fakes/neukunde-rules.js';
import { aMember, anApplication } from '../../support/application.js';
import { applicationRows } from '../../support/rows.js';
import { bearer } from '../../support/tokens.js';
import { BACKENDS, useTestStore } from '../store/backends.js';

const EZ_TOKEN = 'start-ez-token-0123456789';
const EZ = bearer(EZ_TOKEN);
const tokens = tokenTable({ [EZ_TOKEN]: { roles: ['EZ'], jobcenter: 'cottbus' } });
const silent = winston.createLogger({ silent: true });
const NOW = new Date('2026-11-23T10:00:00+01:00');

/** An engine whose start call does what the test says: answer, wait for a gate, fail. */
class HeldEngine implements EngineGateway {
  started = 0;
  onStart: (variables: Record<string, unknown>) => Promise<void> = async () => {};
  async isReady() {
    return true;
  }
  async startProcess(_id: string, variables: Record<string, unknown>) {
    await this.onStart(variables);
    return String(2251799813685000 + ++this.started);
  }
  async completeUserTask() {
    return 'completed' as const;
  }
  async isWaitingAt() {
    return true;
  }
  async evaluateDecision(_id: string, v: Record<string, unknown>) {
    return neukundeByTheRules(v);
  }
  async correlateMessage() {
    return 'completed' as const;
  }
}

/**
 * Holds the engine's first start call until `release()`; `entered` resolves once it has begun. With `refuse`,
 * the held call then fails as an absent engine would. Later calls answer at once.
 */
function holdFirstStart(
  engine: HeldEngine,
  opts: { refuse?: boolean } = {},
): { entered: Promise<void>; release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
  let calls = 0;
  engine.onStart = async () => {
    if (++calls > 1) return;
    entered();
    await released;
    if (opts.refuse) throw new EngineUnavailableError('engine away');
  };
  return { entered: enteredPromise, release };
}

/** Erika Muster, as the record a stopped API left behind names her. */
const application = () => anApplication({ members: [aMember({ familyName: 'Muster' })] });

/** Records an application as the API does before the start, and goes no further: what a stopped API leaves. */
async function leftUnconfirmed(store: Store, idempotencyKey: string): Promise<string> {
  const id = randomUUID();
  await recordUnconfirmed(store.db, {
    id,
    jobcenter: 'cottbus',
    channel: 'EZ',
    applicationDate: '2026-11-20',
    reason: 'Arbeitslosigkeit',
    newCustomer: true,
    notNewReason: null,
    flags: {},
    idempotencyKey,
    requestHash: 'not-this-request',
    actor: 'EZ@cottbus#00000000',
    persons: [
      {
        id: randomUUID(),
        role: 'head',
        givenName: 'Erika',
        familyName: 'Muster',
        birthDate: '1985-07-14',
        erwerbsfaehig: true,
        newCustomer: true,
        notNewReason: null,
      },
    ],
  });
  return id;
}

const counts = (store: Store) => applicationRows(store.db);

describe.each(BACKENDS)('starting an application (%s)', (kind) => {
  const store = useTestStore(kind);
  const { jobcenters } = loadJobcenters('processes');
  const appWith = (engine: EngineGateway): Express =>
    buildApp({ engine, store, calendars: calendarsFor(jobcenters), jobcenters, tokens, log: silent, now: () => NOW });

  it('does not hold the store while the engine answers the start', async () => {
    const engine = new HeldEngine();
    const held = holdFirstStart(engine);
    const post = request(appWith(engine))
      .post('/api/v1/applications')
      .set(EZ)
      .send(application())
      .then((r) => r);
    await held.entered;
    // The PGlite driver lends its one session to one holder at a time: with the session held across the
    // engine call, this read would wait for the gate, which only opens after it.
    const read = store.db.selectFrom('applications').select('id').where('start_confirmed', '=', false).execute();
    const patience = new AbortController();
    const outcome = await Promise.race([
      read.then((rows) => rows.length),
      sleep(3_000, 'store held', { signal: patience.signal }),
    ]);
    patience.abort();
    held.release();
    expect(outcome).toBe(1);
    const res = await post;
    expect(res.status).toBe(201);
    const row = await store.db
      .selectFrom('applications')
      .select(['process_instance_key', 'start_confirmed'])
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ process_instance_key: res.body.processInstanceId, start_confirmed: true });
    const audit = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('application_id', '=', res.body.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['application.created']);
  });

  it('withdraws the record when the engine refuses the start, key claim included', async () => {
    const engine = new HeldEngine();
    engine.onStart = async () => {
      throw new EngineUnavailableError('engine away');
    };
    const before = await counts(store);
    const res = await request(appWith(engine))
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `refused-${kind}`)
      .send(application());
    expect(res.status).toBe(503);
    expect(await counts(store)).toEqual(before);
    // The key is free again: the client's retry, once the engine is back, records the application.
    engine.onStart = async () => {};
    const retry = await request(appWith(engine))
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `refused-${kind}`)
      .send(application());
    expect(retry.status).toBe(201);
  });

  it('gives a twin that arrives during the start the first answer, and starts once', async () => {
    const engine = new HeldEngine();
    const held = holdFirstStart(engine);
    const app = appWith(engine);
    const first = request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `twin-${kind}`)
      .send(application())
      .then((r) => r);
    await held.entered;
    const twin = request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `twin-${kind}`)
      .send(application())
      .then((r) => r);
    setTimeout(() => held.release(), 200);
    const [a, b] = await Promise.all([first, twin]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(engine.started).toBe(1);
  });

  it('lets a twin start afresh when the first request was refused and withdrawn', async () => {
    const engine = new HeldEngine();
    const held = holdFirstStart(engine, { refuse: true });
    const app = appWith(engine);
    const before = await counts(store);
    const first = request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `twin-refused-${kind}`)
      .send(application())
      .then((r) => r);
    await held.entered;
    const twin = request(app)
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `twin-refused-${kind}`)
      .send(application())
      .then((r) => r);
    setTimeout(() => held.release(), 200);
    const [a, b] = await Promise.all([first, twin]);
    expect([a.status, b.status]).toEqual([503, 201]);
    expect((await counts(store)).applications).toBe(before.applications + 1);
    expect(engine.started).toBe(1);
  });

  it('keeps a record whose process claimed it although the start answer was lost, and the sweep confirms it', async () => {
    const engine = new HeldEngine();
    let claimedBy = '';
    engine.onStart = async (variables) => {
      // The engine started the instance and its first job ran, but the answer never reached the API.
      claimedBy = '2251799813699999';
      await claimApplication(store.db, variables.applicationId as string, claimedBy);
      throw new EngineUnavailableError('answer lost');
    };
    const res = await request(appWith(engine))
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `lost-${kind}`)
      .send(application());
    expect(res.status).toBe(503);
    const row = await store.db
      .selectFrom('applications')
      .select(['id', 'process_instance_key', 'start_confirmed'])
      .where('idempotency_key', '=', `lost-${kind}`)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ process_instance_key: claimedBy, start_confirmed: false });

    // Young rows are left alone; an hour later the sweep confirms it, as the API would have.
    expect(await sweepUnconfirmedStarts(store.db, new Date(), silent)).toEqual({ confirmed: [], withdrawn: [] });
    const later = new Date(Date.now() + 3_600_000);
    expect(await sweepUnconfirmedStarts(store.db, later, silent)).toEqual({ confirmed: [row.id], withdrawn: [] });
    expect(await sweepUnconfirmedStarts(store.db, later, silent)).toEqual({ confirmed: [], withdrawn: [] });
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('application_id', '=', row.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'application.created',
        actor: expect.stringMatching(/^EZ@cottbus#/),
        details: { channel: 'EZ', confirmedBy: 'start-sweep' },
      },
    ]);

    // The client's retry with its key now gets the answer it missed.
    engine.onStart = async () => {};
    const retry = await request(appWith(engine))
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `lost-${kind}`)
      .send(application());
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(
      withDeprecatedInstanceKey({ id: row.id, processInstanceId: claimedBy, newCustomer: true }),
    );
    expect(engine.started).toBe(0);
  });

  it('withdraws, in the sweep, a record no process claimed; a process arriving later finds nothing and fails', async () => {
    // What an API stopped between recording and starting leaves behind.
    const id = await leftUnconfirmed(store, `crash-${kind}`);
    const before = await counts(store);
    expect(await sweepUnconfirmedStarts(store.db, new Date(), silent)).toEqual({ confirmed: [], withdrawn: [] });
    const later = new Date(Date.now() + 3_600_000);
    expect(await sweepUnconfirmedStarts(store.db, later, silent)).toEqual({ confirmed: [], withdrawn: [id] });
    expect(await counts(store)).toEqual({
      ...before,
      applications: before.applications - 1,
      persons: before.persons - 1,
      keys: before.keys - 1,
    });

    // A process that did start after all claims nothing and stops at its first external task (an incident in Cockpit).
    await claimApplication(store.db, id, '2251799813688888');
    const deps = { store, calendars: calendarsFor(jobcenters), jobcenters, now: () => NOW };
    await expect(loadCase(deps, id)).rejects.toThrow(`Application ${id} is not in the store`);
    // And the client's retry with its key records the application afresh (the old claim, with its other hash, is gone).
    const retry = await request(appWith(new HeldEngine()))
      .post('/api/v1/applications')
      .set(EZ)
      .set('Idempotency-Key', `crash-${kind}`)
      .send(application());
    expect(retry.status).toBe(201);
    expect(retry.body.id).not.toBe(id);
  });

  it('settles the other records when one cannot be withdrawn, and says which', async () => {
    const stuck = await leftUnconfirmed(store, `stuck-${kind}`);
    const free = await leftUnconfirmed(store, `free-${kind}`);
    // A letter filed for it (as if by a task before the claim) keeps the store from deleting the application.
    await fileLetter(store.db, {
      jobcenter: 'cottbus',
      applicationId: stuck,
      kind: 'test',
      title: 'Test',
      paragraphs: ['x'],
      dedupKey: `${stuck}:test`,
    });
    const lines: { message: string; applicationId?: string }[] = [];
    const log = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
    log.on('data', (info: { message: string; applicationId?: string }) => lines.push(info));
    const result = await sweepUnconfirmedStarts(store.db, new Date(Date.now() + 3_600_000), log);
    expect(result.withdrawn).toContain(free);
    expect(result.withdrawn).not.toContain(stuck);
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'start sweep could not settle an application', applicationId: stuck }),
    );
    expect(await store.db.selectFrom('applications').select('id').where('id', '=', stuck).executeTakeFirst()).toEqual({
      id: stuck,
    });
  });
});
