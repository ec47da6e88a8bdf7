/**
 * Closes the case's open deadlines as not applicable when it ends before the consultation (not responsible after
 * the ID check, application withdrawn): neither met nor breached, and left out of the met rate. neukunde-cottbus.
 */
import { z } from 'zod';

import { closeOpenDeadlines } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'deadlines.close-not-applicable',
  description:
    'Sets every open deadline of the application to not applicable when the case ends before the consultation.',
  input: z.object({ applicationId: z.string().uuid() }),
  output: z.object({ closedCount: z.number().int().nonnegative() }),
  errors: [],
  async handler({ applicationId }, { deps }) {
    return { closedCount: await closeOpenDeadlines(deps.store.db, applicationId) };
  },
});
