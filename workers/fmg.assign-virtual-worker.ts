/**
 * The day's F-IFK of the branch puts the head of household's case shell on the branch's virtual worker
 * "QuEr.<GST>, VM", where it waits until the benefits team approves the application in principle. quer-wuppertal.
 */
import { z } from 'zod';

import { berlinDate } from '../src/calendar/index.js';
import { branchOf, fIfkOn } from '../src/domain/assignments.js';
import { applicationOf, settingsOf } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'fmg.assign-virtual-worker',
  description: "Puts the head of household's case shell on the branch's virtual worker, done by the day's F-IFK.",
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    branch: z.string().min(1),
    headPersonId: z.string().uuid(),
  }),
  output: z.object({ virtualWorkerId: z.string(), fIfkId: z.string() }),
  errors: [],
  async handler({ applicationId, jobcenter, branch: branchId, headPersonId }, { deps }) {
    const { settings } = settingsOf(deps, jobcenter);
    const branch = branchOf(settings, branchId);
    const application = await applicationOf(deps.store.db, applicationId);
    // The rota of the day the case arrived, so a retry next morning names the same F-IFK.
    const fIfkId = fIfkOn(branch, berlinDate(application.created_at));
    await deps.adapters.of(jobcenter).fmg.assignVirtualWorker({
      applicationId,
      personId: headPersonId,
      virtualWorkerId: branch.virtualWorker.id,
    });
    return { virtualWorkerId: branch.virtualWorker.id, fIfkId };
  },
});
