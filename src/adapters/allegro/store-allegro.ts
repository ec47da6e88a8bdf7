/**
 * ALLEGRO on our store: BGs in `households` (numbers from bg_number_seq, one per head), their link to the
 * application in `application_households`, case periods in `case_periods` (a trigger refuses any change of the date).
 */
import { nextBgNumber } from '../../store/index.js';
import type { AdapterContext } from '../index.js';
import type { Allegro } from './allegro.js';

export class StoreAllegro implements Allegro {
  constructor(private readonly ctx: AdapterContext) {}

  async bgNumberOf(applicationId: string) {
    const linked = await this.ctx.store.db
      .selectFrom('application_households')
      .select('bg_number')
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    return linked?.bg_number;
  }

  async assignBgNumber({ applicationId, headKdNumber }: { applicationId: string; headKdNumber: string }) {
    const jobcenter = this.ctx.settings.id;
    return this.ctx.store.db.transaction().execute(async (tx) => {
      // One BG per head: the unique (jobcenter, head) key makes a second household impossible, so reuse is the conflict path.
      const { bg_number: bgNumber } = await tx
        .insertInto('households')
        .values({ bg_number: nextBgNumber(jobcenter), jobcenter, head_kd_number: headKdNumber })
        .onConflict((oc) =>
          oc
            .columns(['jobcenter', 'head_kd_number'])
            .doUpdateSet((eb) => ({ head_kd_number: eb.ref('excluded.head_kd_number') })),
        )
        .returning('bg_number')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('application_households')
        .values({ application_id: applicationId, bg_number: bgNumber })
        .onConflict((oc) => oc.column('application_id').doNothing())
        .execute();
      return bgNumber;
    });
  }

  async recordApplicationDate(r: { applicationId: string; bgNumber: string; applicationDate: string }) {
    await this.ctx.store.db
      .insertInto('case_periods')
      .values({
        application_id: r.applicationId,
        jobcenter: this.ctx.settings.id,
        bg_number: r.bgNumber,
        application_date: r.applicationDate,
      })
      .onConflict((oc) => oc.column('application_id').doNothing())
      .execute();
  }
}
