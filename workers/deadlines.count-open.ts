/**
 * Counts the case's deadlines of a kind (extension property `kind`) that are still open, so a reminder on the
 * scope that spans the whole case goes out only while a consultation is still to be held. neukunde-cottbus.
 */
import { z } from 'zod';

import { extensionProperty } from '../src/domain/cases.js';
import { countOpenDeadlines } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

const Kind = z.enum(['first-consultation', 'decision', 'quer', 'quer-member']);

export default defineWorker({
  topic: 'deadlines.count-open',
  description:
    'Counts the open deadlines of a kind in the application, for reminders that fire wherever the case stands.',
  input: z.object({ applicationId: z.string().uuid() }),
  output: z.object({ openCount: z.number().int().nonnegative() }),
  errors: [],
  async handler({ applicationId }, { externalTask, deps }) {
    const kind = Kind.parse(extensionProperty(externalTask.properties, 'kind'));
    return { openCount: await countOpenDeadlines(deps.store.db, { applicationId, kind }) };
  },
});
