/** The application as the API shows it: numbers, caseworkers, deadlines, appointments, documents, history. No names. */
import type { Kysely } from 'kysely';

import type { JobcenterSettings } from '../../config/jobcenter.js';
import type { Database } from '../../store/index.js';
import { withDeprecatedInstanceKey } from './deprecated-alias.js';

export async function readApplication(
  db: Kysely<Database>,
  settings: ReadonlyMap<string, JobcenterSettings>,
  id: string,
) {
  const app = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!app) return undefined;
  const [persons, household, deadlines, appointments, documents, notes] = await Promise.all([
    db
      .selectFrom('persons')
      .leftJoin('customers', 'customers.kd_number', 'persons.kd_number')
      .select([
        'persons.id',
        'persons.role',
        'persons.kd_number',
        'persons.new_customer',
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
      .select(['id', 'kind', 'title', 'person_id', 'media_type', 'created_at'])
      .where('application_id', '=', id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('history_notes')
      .select(['id', 'text', 'person_id', 'created_at'])
      .where('application_id', '=', id)
      .orderBy('created_at')
      .execute(),
  ]);
  const staff = settings.get(app.jobcenter)?.caseworkers ?? [];
  const caseworker = (caseworkerId: string | null) => {
    if (!caseworkerId) return null;
    const c = staff.find((s) => s.id === caseworkerId);
    return { id: caseworkerId, name: c?.name ?? caseworkerId, virtual: c?.virtual ?? false };
  };
  return withDeprecatedInstanceKey({
    id: app.id,
    jobcenter: app.jobcenter,
    channel: app.channel,
    applicationDate: app.application_date,
    status: app.status,
    newCustomer: app.new_customer,
    ...(app.not_new_reason ? { notNewReason: app.not_new_reason } : {}),
    processInstanceId: app.process_instance_key,
    bgNumber: household?.bg_number ?? null,
    members: persons.map((p) => ({
      personId: p.id,
      role: p.role,
      kdNumber: p.kd_number,
      newCustomer: p.new_customer,
      caseworker: caseworker(p.case_holder ?? p.caseworker_id),
    })),
    deadlines: deadlines.map((d) => ({
      kind: d.kind,
      personId: d.person_id || null,
      dueDate: d.due_date,
      status: d.status,
      metOn: d.met_on,
    })),
    appointments: appointments.map((a) => ({
      kind: a.kind,
      personId: a.person_id,
      caseworkerId: a.caseworker_id,
      startsAt: a.starts_at.toISOString(),
      endsAt: a.ends_at.toISOString(),
      bookedBy: a.booked_by,
    })),
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      title: d.title,
      personId: d.person_id,
      mediaType: d.media_type,
      createdAt: d.created_at.toISOString(),
    })),
    history: notes.map((n) => ({ id: n.id, text: n.text, personId: n.person_id, at: n.created_at.toISOString() })),
  });
}
