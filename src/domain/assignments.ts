/** Who holds a Wuppertal case: the branch, its virtual worker, the day's F-IFK, the responsible IFK. */
import type { Kysely } from 'kysely';

import type { Branch, JobcenterSettings } from '../config/jobcenter.js';
import type { Database } from '../store/index.js';
import { IncidentError } from './process-errors.js';

export function branchOf(settings: JobcenterSettings, branchId: string): Branch {
  const branch = settings.branches.find((b) => b.id === branchId);
  if (!branch) throw new IncidentError(`No branch "${branchId}" in the settings of ${settings.id}`);
  return branch;
}

/** The F-IFK on duty on a date (ISO weekday from the rota); at weekends the Monday's. */
export function fIfkOn(branch: Branch, date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekday = day === 0 || day === 6 ? 1 : day;
  const entry = branch.fIfkRota.find((r) => r.weekday === weekday) ?? branch.fIfkRota[0]!;
  return entry.caseworkerId;
}

/** Puts a person's case on a caseworker, once per reason; the log keeps every move. */
export async function assignCase(
  db: Kysely<Database>,
  a: { jobcenter: string; applicationId: string; personId: string; caseworkerId: string; reason: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('case_assignments')
      .values({
        jobcenter: a.jobcenter,
        application_id: a.applicationId,
        person_id: a.personId,
        caseworker_id: a.caseworkerId,
        reason: a.reason,
        dedup_key: `${a.applicationId}:${a.personId}:${a.reason}`,
      })
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted)
      await tx.updateTable('persons').set({ caseworker_id: a.caseworkerId }).where('id', '=', a.personId).execute();
  });
}

export async function assignedTo(
  db: Kysely<Database>,
  applicationId: string,
  personId: string,
  reason: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('case_assignments')
    .select('caseworker_id')
    .where('dedup_key', '=', `${applicationId}:${personId}:${reason}`)
    .executeTakeFirst();
  return row?.caseworker_id;
}
