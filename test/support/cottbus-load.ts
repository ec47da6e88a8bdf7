/**
 * Cottbus intakes under load on the real engine, as the load specs send and check them: many applications at
 * once through the API (some twice with the same Idempotency-Key), each ID check completed, and then what must
 * hold however the load went: one recorded application and one process instance per application, every one
 * at its first booking, no slot booked twice. The API is reached through `post`, so an in-process app
 * (supertest) and an API in its own process (fetch) both fit.
 */

import type { Kysely } from 'kysely';

import type { EngineRestClient } from '../../src/engine/rest-client.js';
import type { Database } from '../../src/store/index.js';
import { aMember, anApplication, type ApplicationInput } from './application.js';
import { eventually } from './eventually.js';

export interface Answer {
  status: number;
  body: any;
}
export type Post = (route: string, body: unknown, headers?: Record<string, string>) => Promise<Answer>;

/** Three surnames, three main caseworkers (Ü25 N–O, P, T–V): the bookings compete for the same slots. */
export const LOAD_SURNAMES = ['Neumeier', 'Petzold', 'Tester'];
/**
 * Eight caseworkers (Ü25 A, E, I–J, Lb–Lz, N–O, P, T–V, X–Z) for loads beyond about a hundred: each releases
 * about 36 slots before the first-consultation deadline, so three would run out and book nobody after that.
 */
export const WIDE_LOAD_SURNAMES = ['Albers', 'Engel', 'Irmer', 'Ludwig', 'Neumeier', 'Petzold', 'Tester', 'Zander'];

/** Application number `i` of a run: one adult at the front desk; its surname decides the caseworker. */
export function loadApplication(
  i: number,
  applicationDate: string,
  surnames: readonly string[] = LOAD_SURNAMES,
): ApplicationInput {
  return anApplication({
    reason: 'Last',
    applicationDate,
    members: [aMember({ givenName: `Last${i}`, familyName: surnames[i % surnames.length], birthDate: '1980-01-01' })],
  });
}

export interface Sent {
  i: number;
  status: number;
  id?: string;
  processInstanceId?: string;
}

/** Sends application `i` with the run's Idempotency-Key for it. */
export async function sendApplication(
  post: Post,
  run: string,
  i: number,
  applicationDate: string,
  surnames?: readonly string[],
): Promise<Sent> {
  const res = await post('/api/v1/applications', loadApplication(i, applicationDate, surnames), {
    'Idempotency-Key': `${run}-${i}`,
  });
  return {
    i,
    status: res.status,
    id: res.body?.id as string | undefined,
    processInstanceId: res.body?.processInstanceId as string | undefined,
  };
}

/** `count` applications all at once; every even one twice at the same moment, with the same key. */
export function sendAllAtOnce(
  post: Post,
  run: string,
  count: number,
  applicationDate: string,
  surnames?: readonly string[],
): Promise<Sent[]> {
  const send = (i: number) => sendApplication(post, run, i, applicationDate, surnames);
  return Promise.all(Array.from({ length: count }, (_, i) => (i % 2 === 0 ? [send(i), send(i)] : [send(i)])).flat());
}

/**
 * The front desk confirms the identity check. 409 means the instance has not reached the check yet (its first
 * tasks are still running), so ask again; `retryable` lets a caller also ride out e.g. a 503 while a node is lost.
 */
export function completeIdCheck(
  post: Post,
  id: string,
  timeoutMs: number,
  retryable: (status: number) => boolean = () => false,
  /** After a lost answer the check may have been completed after all: then 409 means "done", not "not yet". */
  completedMeanwhile: () => Promise<boolean> = async () => false,
): Promise<Answer> {
  let unanswered = false;
  return eventually(
    `the ID check of ${id}`,
    async () => {
      const r = await post(`/api/v1/applications/${id}/events/id-check-completed`, {
        identityVerified: true,
        responsible: true,
      });
      if (r.status === 409 && unanswered && (await completedMeanwhile())) return r;
      if (retryable(r.status)) unanswered = true;
      if (r.status === 409 || retryable(r.status)) return undefined;
      if (r.status !== 202) throw new Error(`id-check-completed answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r;
    },
    { timeoutMs, pauseMs: 250 },
  );
}

export interface Booking {
  application_id: string;
  caseworker_id: string;
  starts_at: Date;
  booked_by: string;
}

/** Waits until every application has its first consultation booked; returns those bookings. */
export function firstBookings(db: Kysely<Database>, ids: readonly string[], timeoutMs: number): Promise<Booking[]> {
  return eventually(
    `a booking for each of ${ids.length} applications`,
    async () => {
      const rows = await db
        .selectFrom('appointments')
        .select(['application_id', 'caseworker_id', 'starts_at', 'booked_by'])
        .where('application_id', 'in', ids)
        .where('kind', '=', 'first-consultation')
        .execute();
      return new Set(rows.map((b) => b.application_id)).size === ids.length ? rows : undefined;
    },
    { timeoutMs, pauseMs: 500 },
  );
}

/** Bookings that share their caseworker and start with another: must be none. */
export function slotsBookedTwice(booked: readonly Booking[]): string[] {
  const seen = new Map<string, number>();
  for (const b of booked) {
    const slot = `${b.caseworker_id}@${b.starts_at.toISOString()}`;
    seen.set(slot, (seen.get(slot) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([slot]) => slot);
}

/** The store's record of each application of the run, and whether its start was confirmed. */
export function recordedApplications(db: Kysely<Database>, run: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'start_confirmed', 'process_instance_key'])
    .where('idempotency_key', 'like', `${run}-%`)
    .execute();
}

/**
 * Every instance of the process the engine ever had (running or ended), grouped by business key: one
 * application id must name exactly one instance.
 */
export async function instancesByBusinessKey(
  client: EngineRestClient,
  processDefinitionKey: string,
): Promise<Map<string, string[]>> {
  const instances = await client.historicProcessInstances({ processDefinitionKey, maxResults: '100000' });
  const byKey = new Map<string, string[]>();
  for (const p of instances) if (p.businessKey) byKey.set(p.businessKey, [...(byKey.get(p.businessKey) ?? []), p.id]);
  return byKey;
}
