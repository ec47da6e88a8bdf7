/**
 * What the contract suites need of the store implementations: a store of its own per suite (PGlite, and
 * PostgreSQL too when TEST_DATABASE_URL is set), the context a factory gets, and the rows an agency system on our
 * store refers to (applications, persons).
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll } from '@jest/globals';

import type { AdapterContext } from '../../../src/adapters/index.js';
import { createCalendar } from '../../../src/calendar/index.js';
import { JobcenterSettings } from '../../../src/config/jobcenter.js';
import type { Store } from '../../../src/store/index.js';
import { type BackendKind, openTestStore } from '../store/backends.js';

export { BACKENDS } from '../store/backends.js';

export const JOBCENTER = 'testburg';

export interface PersonRow {
  givenName: string;
  familyName: string;
  birthDate: string;
}

/** A store for one suite, with the context of jobcenter testburg (Brandenburg) and the given extra settings. */
export async function storeUnderTest(
  kind: BackendKind,
  opts: { now: Date; settings?: Record<string, unknown> },
): Promise<{ store: Store; ctx: AdapterContext }> {
  const store = await openTestStore(kind);
  const settings = JobcenterSettings.parse({
    id: JOBCENTER,
    name: 'Jobcenter Testburg',
    state: 'BB',
    processId: 'neukunde-testburg',
    ...opts.settings,
  });
  const calendar = createCalendar({ state: settings.state, extraClosingDays: settings.extraClosingDays });
  return { store, ctx: { settings, calendar, store, now: () => opts.now } };
}

/**
 * Opens a store before the tests of the enclosing describe block (before the contract's own beforeAll) and closes
 * it after; `get()` inside a test or a contract's factory returns it with its context.
 */
export function useStoreUnderTest(
  kind: BackendKind,
  opts: { now: Date; settings?: Record<string, unknown> },
): () => { store: Store; ctx: AdapterContext } {
  let opened: { store: Store; ctx: AdapterContext } | undefined;
  beforeAll(async () => {
    opened = await storeUnderTest(kind, opts);
  }, 30_000);
  afterAll(async () => {
    await opened?.store.close();
  });
  return () => {
    if (!opened) throw new Error('The store is opened in beforeAll; use it inside a test or a factory');
    return opened;
  };
}

/** An application with its people (the first the head), as the API records it. */
export async function insertApplication(
  store: Store,
  people: PersonRow[] = [{ givenName: 'Erika', familyName: 'Muster', birthDate: '1990-01-01' }],
): Promise<{ applicationId: string; personIds: string[] }> {
  const applicationId = randomUUID();
  await store.db
    .insertInto('applications')
    .values({
      id: applicationId,
      jobcenter: JOBCENTER,
      channel: 'EZ',
      application_date: '2026-11-23',
      status: 'in-progress',
      new_customer: true,
      not_new_reason: null,
      process_instance_key: null,
      idempotency_key: null,
      created_by: 'contract-test',
    })
    .execute();
  const personIds: string[] = [];
  for (const [i, p] of people.entries()) {
    const id = randomUUID();
    personIds.push(id);
    await store.db
      .insertInto('persons')
      .values({
        id,
        jobcenter: JOBCENTER,
        application_id: applicationId,
        role: i === 0 ? 'head' : 'member',
        given_name: p.givenName,
        family_name: p.familyName,
        birth_date: p.birthDate,
        erwerbsfaehig: true,
        new_customer: true,
        not_new_reason: null,
        kd_number: null,
      })
      .execute();
  }
  return { applicationId, personIds };
}

/** Somebody nobody else in the suite is: a new family name each time. */
export function somebody(birthDate = '1985-05-05'): PersonRow {
  return { givenName: 'Kim', familyName: `Muster-${randomUUID().slice(0, 8)}`, birthDate };
}
