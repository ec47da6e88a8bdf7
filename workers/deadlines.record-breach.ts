/**
 * Marks a deadline breached when its timer fires (the extension property `kind` says which); the process keeps
 * waiting. `breachedCount` says how many were still open, and the diagram escalates only when it is above 0.
 * With `scope=case` the timer spans the whole case (neukunde-cottbus's MDS clock from the application day,
 * quer-wuppertal's member consultations) and every deadline of the kind still open is breached. Both processes.
 */
import { z } from 'zod';

import { extensionProperty } from '../src/domain/cases.js';
import { breachDeadline, breachOpenDeadlines } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

const Kind = z.enum(['first-consultation', 'decision', 'quer', 'quer-member']);

export default defineWorker({
  topic: 'deadlines.record-breach',
  description:
    'Sets an open deadline (with scope=case: every open deadline of the kind) to breached when its timer fires.',
  input: z.object({ applicationId: z.string().uuid(), personId: z.string().uuid().nullish() }),
  output: z.object({ breachedCount: z.number().int().nonnegative() }),
  errors: [],
  async handler({ applicationId, personId }, { externalTask, deps }) {
    const kind = Kind.parse(extensionProperty(externalTask.properties, 'kind'));
    if (externalTask.properties.scope === 'case') {
      return { breachedCount: await breachOpenDeadlines(deps.store.db, { applicationId, kind }, deps.now()) };
    }
    const key = { applicationId, personId: kind === 'decision' ? undefined : (personId ?? undefined), kind };
    return { breachedCount: await breachDeadline(deps.store.db, key, deps.now()) };
  },
});
