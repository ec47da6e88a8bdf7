/** Minimal valid rows for store tests, so each test states only the values it is about. */
import { randomUUID } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../../../src/store/index.js';

export async function insertApplication(
  db: Kysely<Database>,
  values: { applicationDate?: string; jobcenter?: string; idempotencyKey?: string | null } = {},
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('applications')
    .values({
      id,
      jobcenter: values.jobcenter ?? 'cottbus',
      channel: 'EZ',
      application_date: values.applicationDate ?? '2026-11-02',
      status: 'received',
      new_customer: true,
      not_new_reason: null,
      process_instance_key: null,
      idempotency_key: values.idempotencyKey ?? null,
      created_by: 'test',
    })
    .execute();
  return id;
}

export async function insertPerson(
  db: Kysely<Database>,
  applicationId: string,
  values: { birthDate?: string } = {},
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('persons')
    .values({
      id,
      jobcenter: 'cottbus',
      application_id: applicationId,
      role: 'head',
      given_name: 'Erika',
      family_name: 'Mustermann',
      birth_date: values.birthDate ?? '1990-01-01',
      erwerbsfaehig: true,
      new_customer: true,
      not_new_reason: null,
      kd_number: null,
    })
    .execute();
  return id;
}

/** Settles every promise and sorts the outcomes, for races where some attempts are meant to fail. */
export async function outcomes<T>(attempts: Promise<T>[]): Promise<{ values: T[]; errors: unknown[] }> {
  const settled = await Promise.all(
    attempts.map((p) =>
      p.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ),
  );
  return {
    values: settled.flatMap((s) => (s.ok ? [s.value] : [])),
    errors: settled.flatMap((s) => (s.ok ? [] : [s.error])),
  };
}
