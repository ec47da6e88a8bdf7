/**
 * FMG.job on our store: every move of a case in `case_assignments` (once per reason; the holder also on our
 * person), the Kundensteuerung and the statistics entries in `fmg_entries`.
 */
import type { AdapterContext } from '../index.js';
import type { Fmg, PersonCase, Routing, StatisticsEntry } from './fmg.js';

/** Why a case moved: the key that makes each move happen once. */
const VIRTUAL_WORKER = 'virtual-worker';
const IFK = 'ifk';
const routingReason = (routing: Routing) => `routing-${routing}`;

export class StoreFmg implements Fmg {
  constructor(private readonly ctx: AdapterContext) {}

  assignVirtualWorker({ virtualWorkerId, ...person }: PersonCase & { virtualWorkerId: string }) {
    return this.assignCase(person, virtualWorkerId, VIRTUAL_WORKER);
  }

  responsibleIfk(person: PersonCase) {
    return this.assignedTo(person, IFK);
  }

  reassignFromVirtualWorker({ ifkId, ...person }: PersonCase & { ifkId: string }) {
    return this.assignCase(person, ifkId, IFK);
  }

  async recordRouting({ routing, ...person }: PersonCase & { routing: Routing }) {
    await this.ctx.store.db
      .insertInto('fmg_entries')
      .values({
        application_id: person.applicationId,
        person_id: person.personId,
        jobcenter: this.ctx.settings.id,
        kind: 'kundensteuerung',
        value: routing,
        valid_from: null,
        recorded_by: 'system',
      })
      .onConflict((oc) => oc.columns(['application_id', 'person_id', 'kind']).doUpdateSet({ value: routing }))
      .execute();
  }

  assignSpecialTeam({ routing, caseworkerId, ...person }: PersonCase & { routing: Routing; caseworkerId: string }) {
    return this.assignCase(person, caseworkerId, routingReason(routing));
  }

  async setStatisticsEntries({
    recordedBy,
    entries,
    ...person
  }: PersonCase & { recordedBy: string; entries: StatisticsEntry[] }) {
    for (const entry of entries) {
      await this.ctx.store.db
        .insertInto('fmg_entries')
        .values({
          application_id: person.applicationId,
          person_id: person.personId,
          jobcenter: this.ctx.settings.id,
          kind: entry.kind,
          value: entry.value,
          valid_from: entry.validFrom,
          recorded_by: recordedBy,
        })
        .onConflict((oc) => oc.columns(['application_id', 'person_id', 'kind']).doNothing())
        .execute();
    }
  }

  /** Puts a person's case on a caseworker, once per reason; the log keeps every move. */
  private async assignCase({ applicationId, personId }: PersonCase, caseworkerId: string, reason: string) {
    await this.ctx.store.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('case_assignments')
        .values({
          jobcenter: this.ctx.settings.id,
          application_id: applicationId,
          person_id: personId,
          caseworker_id: caseworkerId,
          reason,
          dedup_key: `${applicationId}:${personId}:${reason}`,
        })
        .onConflict((oc) => oc.column('dedup_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted)
        await tx.updateTable('persons').set({ caseworker_id: caseworkerId }).where('id', '=', personId).execute();
    });
  }

  private async assignedTo({ applicationId, personId }: PersonCase, reason: string) {
    const row = await this.ctx.store.db
      .selectFrom('case_assignments')
      .select('caseworker_id')
      .where('dedup_key', '=', `${applicationId}:${personId}:${reason}`)
      .executeTakeFirst();
    return row?.caseworker_id;
  }
}
