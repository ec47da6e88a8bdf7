/** Records the application date in ALLEGRO's case periods (Fallzeiträume); the store refuses any later change. neukunde-cottbus. */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { applicationOf } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'allegro.record-application-date',
  description: 'Writes the application date into the case periods once; a different date later is refused.',
  input: z.object({ applicationId: z.string().uuid(), bgNumber: z.string().min(1), applicationDate: IsoDate }),
  output: z.object({}),
  errors: [],
  async handler({ applicationId, bgNumber, applicationDate }, { deps }) {
    const application = await applicationOf(deps.store.db, applicationId);
    if (application.application_date !== applicationDate) {
      throw new Error(
        `The process carries application date ${applicationDate}, the store ${application.application_date}; the date cannot change`,
      );
    }
    await deps.adapters.of(application.jobcenter).allegro.recordApplicationDate({
      applicationId,
      bgNumber,
      applicationDate,
    });
    return {};
  },
});
