/** Walking skeleton: records the visit in the store (proves worker -> store); used by walking-skeleton. */
import { z } from 'zod';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  type: 'skeleton.record-visit',
  description: 'Records a walking-skeleton visit in the store, once per process instance.',
  input: z.object({ jobcenter: z.string().min(1), visitedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  output: z.object({ visitId: z.string().uuid() }),
  errors: [],
  async handler(input, { job, deps }) {
    // A retried job finds the row its first attempt wrote: the process instance key is unique.
    await deps.store.db
      .insertInto('skeleton_visits')
      .values({ jobcenter: input.jobcenter, process_instance_key: job.processInstanceId, visited_on: input.visitedOn })
      .onConflict((oc) => oc.column('process_instance_key').doNothing())
      .execute();
    const row = await deps.store.db
      .selectFrom('skeleton_visits')
      .select('id')
      .where('process_instance_key', '=', job.processInstanceId)
      .executeTakeFirstOrThrow();
    return { visitId: row.id };
  },
});
