/**
 * Marks a deadline breached when its timer fires (the extension property `kind` says which); the process keeps
 * waiting. With `scope=case` the timer spans the whole case (neukunde-cottbus's MDS clock from the application day)
 * and every deadline of the kind still open is breached; `breachedCount` tells the diagram whether to escalate.
 * Both processes.
 */
import { z } from 'zod';

import { extensionProperty } from '../src/domain/cases.js';
import { breachOpenDeadlines, settleDeadline } from '../src/domain/deadlines.js';
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
    await settleDeadline(
      deps.store.db,
      { applicationId, personId: kind === 'decision' ? undefined : (personId ?? undefined), kind },
      { status: 'breached', at: deps.now() },
    );
    return { breachedCount: 1 };
  },
});
