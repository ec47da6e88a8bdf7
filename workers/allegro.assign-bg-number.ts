/** Reuses the household's BG number in ALLEGRO or draws a new one, with the head of household as Vorstand. neukunde-cottbus. */
import { z } from 'zod';

import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'allegro.assign-bg-number',
  description: 'Links the application to the BG of its head of household, creating the BG number when there is none.',
  input: z.object({ applicationId: z.string().uuid(), headPersonId: z.string().uuid() }),
  output: z.object({ bgNumber: z.string() }),
  errors: [],
  async handler({ applicationId, headPersonId }, { deps }) {
    const { application, persons } = await loadCase(deps, applicationId);
    const { allegro } = deps.adapters.of(application.jobcenter);
    const linked = await allegro.bgNumberOf(applicationId);
    if (linked) return { bgNumber: linked };
    const head = persons.find((p) => p.id === headPersonId);
    if (!head?.kd_number) throw new Error(`The head of household of ${applicationId} has no customer record yet`);
    return { bgNumber: await allegro.assignBgNumber({ applicationId, headKdNumber: head.kd_number }) };
  },
});
