/** Records the day a deadline was met (consultation held, decision issued); the extension property `kind` says which. Both processes. */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { extensionProperty } from '../src/domain/cases.js';
import { dueDateOf, settleDeadline } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

const Kind = z.enum(['first-consultation', 'decision', 'quer', 'quer-member']);

export default defineWorker({
  topic: 'deadlines.record-met',
  description: 'Sets a deadline to met on the day the consultation was held or the decision issued.',
  input: z.object({
    applicationId: z.string().uuid(),
    personId: z.string().uuid().nullish(),
    firstConsultation: z.object({ heldOn: IsoDate }).passthrough().nullish(),
    /** The consultation's day as its form left it; read when there is no firstConsultation. */
    heldOn: IsoDate.nullish(),
    decisionIssuedOn: IsoDate.nullish(),
  }),
  output: z.object({}),
  errors: [],
  async handler({ applicationId, personId, firstConsultation, heldOn, decisionIssuedOn }, { externalTask, deps }) {
    const kind = Kind.parse(extensionProperty(externalTask.properties, 'kind'));
    const metOn = kind === 'decision' ? decisionIssuedOn : (firstConsultation?.heldOn ?? heldOn);
    if (!metOn)
      throw new Error(`deadlines.record-met (${kind}) needs ${kind === 'decision' ? 'decisionIssuedOn' : 'heldOn'}`);
    const key = { applicationId, personId: kind === 'decision' ? undefined : (personId ?? undefined), kind };
    const dueDate = await dueDateOf(deps.store.db, key);
    if (!dueDate) throw new Error(`No ${kind} deadline recorded for ${applicationId}`);
    // Met means on or before the due date; a later meeting leaves the deadline breached (the timer may not have fired yet).
    if (metOn <= dueDate) {
      await settleDeadline(deps.store.db, key, { status: 'met', metOn });
    } else {
      await settleDeadline(deps.store.db, key, { status: 'breached', at: deps.now() });
      await settleDeadline(deps.store.db, key, { status: 'met', metOn });
    }
    return {};
  },
});
