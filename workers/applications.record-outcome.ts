/** Records the benefits team's answer: approvable in principle (with the LMG protocol reference) or rejected. quer-wuppertal. */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { setApplicationStatus } from '../src/domain/applications.js';
import { applicationOf, extensionProperty } from '../src/domain/cases.js';
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
    const { jobcenter } = await applicationOf(deps.store.db, applicationId);
    await setApplicationStatus(
      deps.store.db,
      applicationId,
      outcome === 'rejected' ? 'rejected' : 'approved-in-principle',
    );
    const text =
      outcome === 'rejected'
        ? `Antrag durch die LG abgelehnt am ${on}.`
        : `Antrag dem Grunde nach bewilligungsfähig am ${on}${calculationProtocolRef ? `; Berechnungsprotokoll LMG ${calculationProtocolRef}` : ''}.`;
    await deps.adapters.of(jobcenter).verbis.writeHistoryNote({
      applicationId,
      personId: null,
      text,
      dedupKey: `${applicationId}:lg-${outcome}`,
    });
    return {};
  },
});
