/** Writes the application's own record: the Neukunde decision, its status, the KD numbers of its people. */
import type { Kysely } from 'kysely';

import type { Database } from '../store/index.js';

/** One person's answer of the Neukunde decision; null: no rule matched. */
export interface NeukundeAnswer {
  personId: string;
  neukunde: boolean | null;
  reason: string | null;
}

/**
 * Records each person's answer and the application's (the head's), all or none; an application that is no
 * Neukunde gets the status that ends the intake.
 */
export async function recordNeukundeDecision(
  db: Kysely<Database>,
  applicationId: string,
  answers: readonly NeukundeAnswer[],
  application: { newCustomer: boolean; notNewReason: string | null },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const r of answers) {
      await tx
        .updateTable('persons')
        .set({ new_customer: r.neukunde === true, not_new_reason: r.neukunde === true ? null : r.reason })
        .where('id', '=', r.personId)
        .where('application_id', '=', applicationId)
        .execute();
    }
    await tx
      .updateTable('applications')
      .set({
        new_customer: application.newCustomer,
        not_new_reason: application.notNewReason,
        status: application.newCustomer ? 'in-progress' : 'not-new-customer',
      })
      .where('id', '=', applicationId)
      .execute();
  });
}

export type ApplicationStatus = 'forwarded' | 'rejected' | 'approved-in-principle';

export async function setApplicationStatus(
  db: Kysely<Database>,
  applicationId: string,
  status: ApplicationStatus,
): Promise<void> {
  await db.updateTable('applications').set({ status }).where('id', '=', applicationId).execute();
}

/**
 * Notes the KD numbers VerBIS gave the application's people on them, for the later steps and letters. A number
 * noted already (the store's VerBIS does it in its own transaction) is left as it is: no write.
 */
export async function recordKdNumbers(
  db: Kysely<Database>,
  applicationId: string,
  kdNumbers: Readonly<Record<string, string>>,
): Promise<void> {
  for (const [personId, kdNumber] of Object.entries(kdNumbers)) {
    await db
      .updateTable('persons')
      .set({ kd_number: kdNumber })
      .where('id', '=', personId)
      .where('application_id', '=', applicationId)
      .where((eb) => eb.or([eb('kd_number', 'is', null), eb('kd_number', '!=', kdNumber)]))
      .execute();
  }
}
