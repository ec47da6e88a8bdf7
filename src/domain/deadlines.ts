/** Records deadlines once per application, person and kind, so a retried external task or a repeated timer changes nothing. */
import type { Kysely } from 'kysely';

import type { Database, DeadlineKind } from '../store/index.js';

export interface DeadlineRecord {
  jobcenter: string;
  applicationId: string;
  personId?: string;
  kind: DeadlineKind;
  dueDate: string;
  breachAt: string;
  team?: string | null;
  caseworkerId?: string | null;
}

export async function recordDeadline(db: Kysely<Database>, d: DeadlineRecord): Promise<void> {
  await db
    .insertInto('deadlines')
    .values({
      jobcenter: d.jobcenter,
      application_id: d.applicationId,
      person_id: d.personId ?? '',
      kind: d.kind,
      due_date: d.dueDate,
      breach_at: new Date(d.breachAt),
      met_on: null,
      breached_at: null,
      team: d.team ?? null,
      caseworker_id: d.caseworkerId ?? null,
    })
    // Recorded at the Neukunde decision, before the records exist; the team and caseworker follow once they do.
    .onConflict((oc) =>
      oc.columns(['application_id', 'person_id', 'kind']).doUpdateSet((eb) => ({
        team: eb.fn.coalesce('excluded.team', 'deadlines.team'),
        caseworker_id: eb.fn.coalesce('excluded.caseworker_id', 'deadlines.caseworker_id'),
      })),
    )
    .execute();
}

/**
 * At the breach instant of a case's MDS clock: every deadline of the kind still open is breached; returns how many,
 * so the diagram escalates only when one was (a consultation held before the instant has nothing to escalate).
 */
export async function breachOpenDeadlines(
  db: Kysely<Database>,
  key: { applicationId: string; kind: DeadlineKind },
  at: Date,
): Promise<number> {
  const rows = await db
    .updateTable('deadlines')
    .set({ status: 'breached', breached_at: at })
    .where('application_id', '=', key.applicationId)
    .where('kind', '=', key.kind)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.length;
}

/** One deadline open -> breached at its timer; returns 1 when it was still open, 0 when already met or breached. */
export async function breachDeadline(
  db: Kysely<Database>,
  key: { applicationId: string; personId?: string; kind: DeadlineKind },
  at: Date,
): Promise<number> {
  const rows = await db
    .updateTable('deadlines')
    .set({ status: 'breached', breached_at: at })
    .where('application_id', '=', key.applicationId)
    .where('person_id', '=', key.personId ?? '')
    .where('kind', '=', key.kind)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.length;
}

/** The case ended before its consultations (not responsible, withdrawn): its open deadlines no longer apply. */
export async function closeOpenDeadlines(db: Kysely<Database>, applicationId: string): Promise<number> {
  const rows = await db
    .updateTable('deadlines')
    .set({ status: 'not-applicable' })
    .where('application_id', '=', applicationId)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.length;
}

/** The due date of a recorded deadline; undefined when none is recorded. */
export async function dueDateOf(
  db: Kysely<Database>,
  key: { applicationId: string; personId?: string; kind: DeadlineKind },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('deadlines')
    .select('due_date')
    .where('application_id', '=', key.applicationId)
    .where('person_id', '=', key.personId ?? '')
    .where('kind', '=', key.kind)
    .executeTakeFirst();
  return row?.due_date;
}

/** Open -> met or breached; a met deadline stays met, and a breached one becomes met late only as "breached" with its meeting date. */
export async function settleDeadline(
  db: Kysely<Database>,
  key: { applicationId: string; personId?: string; kind: DeadlineKind },
  outcome: { status: 'met'; metOn: string } | { status: 'breached'; at: Date },
): Promise<void> {
  const where = db
    .updateTable('deadlines')
    .where('application_id', '=', key.applicationId)
    .where('person_id', '=', key.personId ?? '')
    .where('kind', '=', key.kind);
  if (outcome.status === 'breached') {
    await where.set({ status: 'breached', breached_at: outcome.at }).where('status', '=', 'open').execute();
  } else {
    // Held after the breach: the standard stays breached, but the date it was finally met is kept for the report.
    await where.set({ met_on: outcome.metOn }).where('met_on', 'is', null).execute();
    await db
      .updateTable('deadlines')
      .set({ status: 'met' })
      .where('application_id', '=', key.applicationId)
      .where('person_id', '=', key.personId ?? '')
      .where('kind', '=', key.kind)
      .where('status', '=', 'open')
      .execute();
  }
}

/** How many deadlines of a kind the application still has open. */
export async function countOpenDeadlines(
  db: Kysely<Database>,
  key: { applicationId: string; kind: DeadlineKind },
): Promise<number> {
  const row = await db
    .selectFrom('deadlines')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('application_id', '=', key.applicationId)
    .where('kind', '=', key.kind)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
