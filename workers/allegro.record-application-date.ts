/** Records the application date in ALLEGRO's case periods (Fallzeiträume); the store refuses any later change. neukunde-cottbus. */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'allegro.record-application-date',
  description: 'Writes the application date into the case periods once; a different date later is refused.',
  input: z.object({ applicationId: z.string().uuid(), bgNumber: z.string().min(1), applicationDate: IsoDate }),
  output: z.object({}),
  errors: [],
  async handler({ applicationId, bgNumber, applicationDate }, { deps }) {
    const application = await deps.store.db
      .selectFrom('applications')
      .select(['jobcenter', 'application_date'])
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    if (application.application_date !== applicationDate) {
      throw new Error(
        `The process carries application date ${applicationDate}, the store ${application.application_date}; the date cannot change`,
      );
    }
    await deps.store.db
      .insertInto('case_periods')
      .values({
        application_id: applicationId,
        jobcenter: application.jobcenter,
        bg_number: bgNumber,
        application_date: applicationDate,
      })
      .onConflict((oc) => oc.column('application_id').doNothing())
      .execute();
    return {};
  },
});
