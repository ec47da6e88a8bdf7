/** Records the "Neukunde" decision per person and for the application (the head's); neukunde-cottbus ends here when it is no. */
import { z } from 'zod';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  type: 'applications.record-eligibility',
  description: "Stores each person's Neukunde result and the application's, and tells the diagram the head's.",
  input: z.object({
    applicationId: z.string().uuid(),
    headPersonId: z.string().uuid(),
    neukundeResults: z.array(z.object({ personId: z.string().uuid(), neukunde: z.boolean().nullable(), reason: z.string().nullable() })),
  }),
  output: z.object({ newCustomer: z.boolean(), notNewReason: z.string().nullable() }),
  errors: [],
  async handler({ applicationId, headPersonId, neukundeResults }, { deps }) {
    const head = neukundeResults.find((r) => r.personId === headPersonId);
    if (!head) throw new Error(`No decision for the head of household of ${applicationId}`);
    const newCustomer = head.neukunde === true;
    const notNewReason = newCustomer ? null : (head.reason ?? 'UNBEKANNT');
    await deps.store.db.transaction().execute(async (tx) => {
      for (const r of neukundeResults) {
        await tx
          .updateTable('persons')
          .set({ new_customer: r.neukunde === true, not_new_reason: r.neukunde === true ? null : r.reason })
          .where('id', '=', r.personId)
          .where('application_id', '=', applicationId)
          .execute();
      }
      await tx
        .updateTable('applications')
        .set({ new_customer: newCustomer, not_new_reason: notNewReason, status: newCustomer ? 'in-progress' : 'not-new-customer' })
        .where('id', '=', applicationId)
        .execute();
    });
    return { newCustomer, notNewReason };
  },
});
