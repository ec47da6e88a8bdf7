/**
 * The application as the API shows it: numbers, caseworkers, deadlines, appointments, documents, history. No names;
 * the household's postal address only for the roles that write to it (ADDRESS_ROLES).
 */
import type { Kysely } from 'kysely';

import type { JobcenterSettings } from '../../config/jobcenter.js';
import type { Role } from '../../config/roles.js';
import { readCaseRecord } from '../../domain/case-record.js';
import type { Database } from '../../store/index.js';
import { withDeprecatedInstanceKey } from './deprecated-alias.js';

/** The roles that send letters or invite, and so may read the household's address; the team lead's reports need none. */
export const ADDRESS_ROLES: readonly Role[] = ['EZ', 'SC', 'POST', 'LG', 'BI', 'IFK'];

export async function readApplication(
  db: Kysely<Database>,
  settings: ReadonlyMap<string, JobcenterSettings>,
  id: string,
  opts: { withAddress?: boolean } = {},
) {
  const record = await readCaseRecord(db, id, opts);
  if (!record) return undefined;
  const { app, persons, bgNumber, deadlines, appointments, documents, notes, address } = record;
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
    bgNumber,
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
    ...(opts.withAddress
      ? {
          address: address
            ? {
                ...(address.salutation ? { salutation: address.salutation } : {}),
                ...(address.care_of ? { careOf: address.care_of } : {}),
                street: address.street,
                postcode: address.postcode,
                city: address.city,
                ...(address.mailing_street
                  ? {
                      mailingAddress: {
                        ...(address.mailing_care_of ? { careOf: address.mailing_care_of } : {}),
                        street: address.mailing_street,
                        postcode: address.mailing_postcode,
                        city: address.mailing_city,
                      },
                    }
                  : {}),
              }
            : null,
        }
      : {}),
    history: notes.map((n) => ({ id: n.id, text: n.text, personId: n.person_id, at: n.created_at.toISOString() })),
  });
}
