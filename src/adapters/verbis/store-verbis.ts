/**
 * VerBIS on our store: customer records in `customers` (KD numbers from kd_number_seq), the KD number noted on our
 * persons, tasks as inbox notifications to the front desk, history notes in `history_notes`.
 */
import { createHash } from 'node:crypto';

import { sql } from 'kysely';

import { enqueue } from '../../notify/outbox.js';
import { nextKdNumber } from '../../store/index.js';
import type { AdapterContext } from '../index.js';
import type { CustomerRecordsRequest, HistoryNote, Verbis } from './verbis.js';

/** The same person applying again is found by jobcenter, name and birth date, folded for spelling variants. */
export function identityKey(jobcenter: string, givenName: string, familyName: string, birthDate: string): string {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();
  return createHash('sha256')
    .update(`${jobcenter}|${fold(familyName)}|${fold(givenName)}|${birthDate}`)
    .digest('hex');
}

export class StoreVerbis implements Verbis {
  constructor(private readonly ctx: AdapterContext) {}

  async upsertCustomers({ applicationId, aufstocker, customers }: CustomerRecordsRequest) {
    const jobcenter = this.ctx.settings.id;
    const kdNumbers: Record<string, string> = {};
    await this.ctx.store.db.transaction().execute(async (tx) => {
      for (const c of customers) {
        // Insert or reactivate in one statement: a concurrent or retried job cannot create a second number.
        const row = await tx
          .insertInto('customers')
          .values({
            kd_number: nextKdNumber(),
            jobcenter,
            identity_key: identityKey(jobcenter, c.givenName, c.familyName, c.birthDate),
            legal_sphere: 'SGB II',
            aufstocker,
            care: aufstocker ? 'secondary' : 'main',
            caseworker_id: c.caseworker?.id ?? null,
            team: c.caseworker?.team ?? null,
            active: true,
            reactivated_at: null,
          })
          .onConflict((oc) =>
            oc.columns(['jobcenter', 'identity_key']).doUpdateSet((eb) => ({
              active: true,
              aufstocker: eb.ref('excluded.aufstocker'),
              care: eb.ref('excluded.care'),
              caseworker_id: eb.ref('excluded.caseworker_id'),
              team: eb.ref('excluded.team'),
              reactivated_at: sql<Date | null>`CASE WHEN customers.active THEN customers.reactivated_at ELSE now() END`,
            })),
          )
          .returning('kd_number')
          .executeTakeFirstOrThrow();
        // In the same transaction, so the case never names a KD number VerBIS does not have, nor misses one it has.
        await tx.updateTable('persons').set({ kd_number: row.kd_number }).where('id', '=', c.personId).execute();
        kdNumbers[c.personId] = row.kd_number;
      }
      if (aufstocker) {
        // "Haken bei Aufstocker setzen und eine Aufgabe legen": the task goes to the front desk's inbox, once, and in
        // the same transaction as the records, so a failed job leaves neither behind.
        for (const c of customers) {
          await enqueue(tx, {
            jobcenter,
            dedupKey: `${applicationId}:aufstocker-task:${c.personId}`,
            channel: 'inbox',
            recipient: 'group:EZ',
            subject: `Aufgabe: Aufstocker ${kdNumbers[c.personId]}`,
            body: `Kunde ${kdNumbers[c.personId]} bezieht Arbeitslosengeld (Aufstocker). Nebenbetreuung durch das Jobcenter; bei Rechtskreiswechsel nach Auslaufen des ALG die Hauptbetreuung umstellen.`,
            applicationId,
          });
        }
      }
    });
    return kdNumbers;
  }

  async writeHistoryNote(note: HistoryNote) {
    const { db } = this.ctx.store;
    const inserted = await db
      .insertInto('history_notes')
      .values({
        jobcenter: this.ctx.settings.id,
        application_id: note.applicationId,
        person_id: note.personId,
        text: note.text,
        dedup_key: note.dedupKey,
      })
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return inserted.id;
    const row = await db
      .selectFrom('history_notes')
      .select('id')
      .where('dedup_key', '=', note.dedupKey)
      .executeTakeFirstOrThrow();
    return row.id;
  }
}
