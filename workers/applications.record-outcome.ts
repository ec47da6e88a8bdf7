/** Records the benefits team's answer: approvable in principle (with the LMG protocol reference) or rejected. quer-wuppertal. */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { extensionProperty } from '../src/domain/cases.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'applications.record-outcome',
  description:
    "Sets the application's status from the LG decision (extension property outcome) and notes it in the file.",
  input: z.object({
    applicationId: z.string().uuid(),
    approvedOn: IsoDate.nullish(),
    rejectedOn: IsoDate.nullish(),
    calculationProtocolRef: z.string().max(100).nullish(),
  }),
  output: z.object({}),
  errors: [],
  async handler({ applicationId, approvedOn, rejectedOn, calculationProtocolRef }, { externalTask, deps }) {
    const outcome = extensionProperty(externalTask.properties, 'outcome');
    if (outcome !== 'rejected' && outcome !== 'approved-in-principle')
      throw new IncidentError(`unknown outcome "${outcome}"`);
    const on = outcome === 'rejected' ? rejectedOn : approvedOn;
    if (!on)
      throw new IncidentError(`outcome ${outcome} needs ${outcome === 'rejected' ? 'rejectedOn' : 'approvedOn'}`);
    const { jobcenter } = await deps.store.db
      .selectFrom('applications')
      .select('jobcenter')
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    await deps.store.db
      .updateTable('applications')
      .set({ status: outcome === 'rejected' ? 'rejected' : 'approved-in-principle' })
      .where('id', '=', applicationId)
      .execute();
    const text =
      outcome === 'rejected'
        ? `Antrag durch die LG abgelehnt am ${on}.`
        : `Antrag dem Grunde nach bewilligungsfähig am ${on}${calculationProtocolRef ? `; Berechnungsprotokoll LMG ${calculationProtocolRef}` : ''}.`;
    await deps.store.db
      .insertInto('history_notes')
      .values({
        jobcenter,
        application_id: applicationId,
        person_id: null,
        text,
        dedup_key: `${applicationId}:lg-${outcome}`,
      })
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .execute();
    return {};
  },
});
