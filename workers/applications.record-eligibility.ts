/** Records the "Neukunde" decision per person and for the application (the head's); neukunde-cottbus ends here when it is no. */
import { z } from 'zod';

import { recordNeukundeDecision } from '../src/domain/applications.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

const NeukundeResult = z.object({
  personId: z.string().uuid(),
  neukunde: z.boolean().nullable(),
  reason: z.string().nullable(),
});
type NeukundeResult = z.infer<typeof NeukundeResult>;

/**
 * The decision's answers as the diagram collects them: one `personId:neukunde:reason;` per person, appended by
 * each instance of the multi-instance business rule task (a map cannot be a process variable). An empty field
 * is null: no rule matched. A person answered twice (the decision run again from Cockpit) keeps the last answer.
 */
export const NeukundeResults = z
  .string()
  .transform((text) =>
    text
      .split(';')
      .filter((entry) => entry.trim() !== '')
      .map((entry) => {
        const [personId, neukunde, reason] = entry.split(':');
        return {
          personId,
          neukunde: neukunde === 'true' ? true : neukunde === 'false' ? false : null,
          reason: reason || null,
        };
      }),
  )
  .pipe(z.array(NeukundeResult));

export default defineWorker({
  topic: 'applications.record-eligibility',
  description: "Stores each person's Neukunde result and the application's, and tells the diagram the head's.",
  input: z.object({
    applicationId: z.string().uuid(),
    headPersonId: z.string().uuid(),
    neukundeResults: NeukundeResults,
  }),
  output: z.object({ newCustomer: z.boolean(), notNewReason: z.string().nullable() }),
  errors: [],
  async handler({ applicationId, headPersonId, neukundeResults: answers }, { deps }) {
    const neukundeResults = [...new Map(answers.map((r: NeukundeResult) => [r.personId, r] as const)).values()];
    const head = neukundeResults.find((r) => r.personId === headPersonId);
    if (!head) throw new Error(`No decision for the head of household of ${applicationId}`);
    const newCustomer = head.neukunde === true;
    const notNewReason = newCustomer ? null : (head.reason ?? 'UNBEKANNT');
    await recordNeukundeDecision(deps.store.db, applicationId, neukundeResults, { newCustomer, notNewReason });
    return { newCustomer, notNewReason };
  },
});
