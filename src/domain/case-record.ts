/**
 * Everything the store holds of one case, read in one round of parallel queries: the application, its people
 * (with the customers' caseworkers), BG number, deadlines, appointments, letters, notifications, history notes and,
 * when asked, the postal address. The API and the staff workspace each shape it for their readers.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../store/index.js';

export async function readCaseRecord(db: Kysely<Database>, id: string, opts: { withAddress?: boolean } = {}) {
  const app = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!app) return undefined;
  const [persons, household, deadlines, appointments, documents, notifications, notes, address] = await Promise.all([
    db
      .selectFrom('persons')
      .leftJoin('customers', 'customers.kd_number', 'persons.kd_number')
      .select([
        'persons.id',
        'persons.role',
        'persons.given_name',
        'persons.family_name',
        'persons.birth_date',
        'persons.erwerbsfaehig',
        'persons.new_customer',
        'persons.kd_number',
        'persons.caseworker_id as case_holder',
        'customers.caseworker_id',
      ])
      .where('persons.application_id', '=', id)
      .orderBy('persons.role')
      .orderBy('persons.created_at')
      .execute(),
    db.selectFrom('application_households').select('bg_number').where('application_id', '=', id).executeTakeFirst(),
    db.selectFrom('deadlines').selectAll().where('application_id', '=', id).orderBy('due_date').execute(),
    db.selectFrom('appointments').selectAll().where('application_id', '=', id).orderBy('starts_at').execute(),
    db
      .selectFrom('documents')
      .select(['id', 'kind', 'title', 'person_id', 'media_type', 'created_at', 'post_status', 'posted_at'])
      .where('application_id', '=', id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('notifications')
      .select(['id', 'channel', 'recipient', 'subject', 'status', 'created_at', 'delivered_at'])
      .where('application_id', '=', id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('history_notes')
      .select(['id', 'text', 'person_id', 'created_at'])
      .where('application_id', '=', id)
      .orderBy('created_at')
      .execute(),
    opts.withAddress
      ? db.selectFrom('application_addresses').selectAll().where('application_id', '=', id).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    app,
    persons,
    bgNumber: household?.bg_number ?? null,
    deadlines,
    appointments,
    documents,
    notifications,
    notes,
    address,
  };
}

export type CaseRecord = NonNullable<Awaited<ReturnType<typeof readCaseRecord>>>;
