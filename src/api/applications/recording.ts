/**
 * The three writes around starting an application's process, so the store is never held while the engine
 * answers (PGlite has one session; a transaction open across the engine call stalls every other request and external task):
 *
 *   record   — one statement: the Idempotency-Key claimed, the application and its people, unconfirmed;
 *   confirm  — after the engine's answer: the instance key, the audit entry, the answer kept for the key;
 *   withdraw — when the engine refused: the unconfirmed rows removed again, so a refused request leaves nothing.
 *
 * A crash between record and confirm leaves an unconfirmed row; start-sweep.ts finishes or withdraws it.
 */
import { type Kysely, type QueryCreator, sql, type Transaction } from 'kysely';

import type { Database } from '../../store/index.js';
import { type WithDeprecatedInstanceKey, withDeprecatedInstanceKey } from './deprecated-alias.js';

export type CreatedBody = WithDeprecatedInstanceKey<{
  id: string;
  processInstanceId: string | null;
  newCustomer: boolean;
  reason?: string;
}>;

export interface Created {
  status: number;
  body: CreatedBody;
}

export interface PersonRow {
  id: string;
  role: 'head' | 'member';
  givenName: string;
  familyName: string;
  birthDate: string;
  erwerbsfaehig: boolean;
  newCustomer: boolean;
  notNewReason: string | null;
}

export interface AddressRow {
  salutation: 'Frau' | 'Herr' | null;
  careOf: string | null;
  street: string;
  postcode: string;
  city: string;
  mailing: { careOf: string | null; street: string; postcode: string; city: string } | null;
}

export interface NewApplication {
  id: string;
  jobcenter: string;
  channel: string;
  applicationDate: string;
  reason: string;
  newCustomer: boolean;
  notNewReason: string | null;
  flags: unknown;
  idempotencyKey?: string;
  requestHash: string;
  actor: string;
  persons: PersonRow[];
  /** The household's postal address; personal data, so in the store only. */
  address?: AddressRow | null;
}

/** One statement (data-modifying CTEs), so a twin's key claim fails before anything of it is written. */
export async function recordUnconfirmed(db: Kysely<Database>, a: NewApplication): Promise<void> {
  const key = a.idempotencyKey;
  const addr = a.address ?? null;
  const withClaim: QueryCreator<Database> = key
    ? (db.with('claim', (q) =>
        q
          .insertInto('api_idempotency')
          .values({ jobcenter: a.jobcenter, key, request_hash: a.requestHash, status_code: null, response: null })
          .returning('key'),
      ) as unknown as QueryCreator<Database>)
    : db;
  await withClaim
    .with('recorded', (q) =>
      q
        .insertInto('applications')
        .values({
          id: a.id,
          jobcenter: a.jobcenter,
          channel: a.channel,
          application_date: a.applicationDate,
          status: a.newCustomer ? 'in-progress' : 'not-new-customer',
          new_customer: a.newCustomer,
          not_new_reason: a.notNewReason,
          reason: a.reason,
          process_instance_key: null,
          start_confirmed: false,
          idempotency_key: key ?? null,
          flags: JSON.stringify(a.flags),
          created_by: a.actor,
        })
        .returning('id'),
    )
    .with('addressed', (q) =>
      q
        .insertInto('application_addresses')
        .columns([
          'application_id',
          'jobcenter',
          'salutation',
          'care_of',
          'street',
          'postcode',
          'city',
          'mailing_care_of',
          'mailing_street',
          'mailing_postcode',
          'mailing_city',
        ])
        .expression((eb) =>
          eb
            .selectFrom('recorded')
            .select([
              'recorded.id',
              sql<string>`${a.jobcenter}::text`.as('jobcenter'),
              sql<string | null>`${addr?.salutation ?? null}::text`.as('salutation'),
              sql<string | null>`${addr?.careOf ?? null}::text`.as('care_of'),
              sql<string>`${addr?.street ?? null}::text`.as('street'),
              sql<string>`${addr?.postcode ?? null}::text`.as('postcode'),
              sql<string>`${addr?.city ?? null}::text`.as('city'),
              sql<string | null>`${addr?.mailing?.careOf ?? null}::text`.as('mailing_care_of'),
              sql<string | null>`${addr?.mailing?.street ?? null}::text`.as('mailing_street'),
              sql<string | null>`${addr?.mailing?.postcode ?? null}::text`.as('mailing_postcode'),
              sql<string | null>`${addr?.mailing?.city ?? null}::text`.as('mailing_city'),
            ])
            // No address given: the select yields no row, and nothing is inserted.
            .where(sql<boolean>`${addr ? true : false}::boolean`),
        )
        .returning('application_id'),
    )
    .insertInto('persons')
    .values(
      a.persons.map((p) => ({
        id: p.id,
        jobcenter: a.jobcenter,
        application_id: a.id,
        role: p.role,
        given_name: p.givenName,
        family_name: p.familyName,
        birth_date: p.birthDate,
        erwerbsfaehig: p.erwerbsfaehig,
        new_customer: p.newCustomer,
        not_new_reason: p.notNewReason,
        kd_number: null,
      })),
    )
    .execute();
}

export function createdBody(row: {
  id: string;
  process_instance_key: string | null;
  new_customer: boolean;
  not_new_reason: string | null;
}): CreatedBody {
  return withDeprecatedInstanceKey({
    id: row.id,
    processInstanceId: row.process_instance_key,
    newCustomer: row.new_customer,
    ...(row.new_customer ? {} : { reason: row.not_new_reason ?? 'UNBEKANNT' }),
  });
}

/**
 * Marks the start confirmed, writes the audit entry and keeps the answer for the Idempotency-Key, as one
 * statement (data-modifying CTEs): all or nothing without a transaction's extra round trips. `db` may be a
 * transaction (the sweep's).
 */
export async function confirmStart(
  db: Kysely<Database>,
  a: { id: string; jobcenter: string; channel: string; actor: string; idempotencyKey: string | null },
  created: Created,
  auditDetails: Record<string, unknown> = {},
): Promise<void> {
  const key = a.idempotencyKey;
  const withKept: QueryCreator<Database> = key
    ? (db.with('kept', (q) =>
        q
          .updateTable('api_idempotency')
          .set({ status_code: created.status, response: JSON.stringify(created.body) })
          .where('jobcenter', '=', a.jobcenter)
          .where('key', '=', key)
          .returning('key'),
      ) as unknown as QueryCreator<Database>)
    : db;
  await withKept
    .with('confirmed', (q) =>
      q
        .updateTable('applications')
        .set({ process_instance_key: created.body.processInstanceId, start_confirmed: true })
        .where('id', '=', a.id)
        .returning('id'),
    )
    .insertInto('audit_log')
    .columns(['jobcenter', 'actor', 'action', 'application_id', 'details'])
    .expression((eb) =>
      eb
        .selectFrom('confirmed')
        .select([
          sql<string>`${a.jobcenter}::text`.as('jobcenter'),
          sql<string>`${a.actor}::text`.as('actor'),
          sql<string>`'application.created'`.as('action'),
          'confirmed.id',
          sql<string>`${JSON.stringify({ channel: a.channel, ...auditDetails })}::jsonb`.as('details'),
        ]),
    )
    .execute();
}

/** Locks an unconfirmed application that a process has (or has not) claimed; undefined when there is none such. */
export function lockUnconfirmed(tx: Transaction<Database>, id: string, opts: { claimed: boolean }) {
  return tx
    .selectFrom('applications')
    .selectAll()
    .where('id', '=', id)
    .where('start_confirmed', '=', false)
    .where('process_instance_key', opts.claimed ? 'is not' : 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Removes an application whose process did not start, with its people and its key claim. Only while it is
 * unconfirmed and no process has claimed it (the worker of its first external task sets the instance key):
 * returns false otherwise.
 */
export async function withdrawUnstarted(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await lockUnconfirmed(tx, id, { claimed: false });
    if (!row) return false;
    await tx.deleteFrom('persons').where('application_id', '=', id).execute();
    await tx.deleteFrom('application_addresses').where('application_id', '=', id).execute();
    await tx.deleteFrom('applications').where('id', '=', id).execute();
    if (row.idempotency_key)
      await tx
        .deleteFrom('api_idempotency')
        .where('jobcenter', '=', row.jobcenter)
        .where('key', '=', row.idempotency_key)
        .execute();
    return true;
  });
}
