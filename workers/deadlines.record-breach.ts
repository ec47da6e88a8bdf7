/** Marks a deadline breached when its timer fires (the extension property `kind` says which); the process keeps waiting. Both processes. */
import { z } from 'zod';

import { extensionProperty } from '../src/domain/cases.js';
import { settleDeadline } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

const Kind = z.enum(['first-consultation', 'decision', 'quer', 'quer-member']);

export default defineWorker({
  topic: 'deadlines.record-breach',
  description: 'Sets an open deadline to breached at the moment its breach timer fires.',
  input: z.object({ applicationId: z.string().uuid(), personId: z.string().uuid().nullish() }),
  output: z.object({}),
  errors: [],
  async handler({ applicationId, personId }, { externalTask, deps }) {
    const kind = Kind.parse(extensionProperty(externalTask.properties, 'kind'));
    await settleDeadline(
      deps.store.db,
      { applicationId, personId: kind === 'decision' ? undefined : (personId ?? undefined), kind },
      { status: 'breached', at: deps.now() },
    );
    return {};
  },
});
