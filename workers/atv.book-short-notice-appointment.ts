/**
 * A request for active support before the decision (e.g. travel costs, § 44 SGB III): books a short-notice
 * appointment with the IFK within 3 working days, one per request. quer-wuppertal.
 */
import { z } from 'zod';

import { berlinDate } from '../src/calendar/index.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';
import { Appointment } from './atv.book-first-consultation.js';

const SHORT_NOTICE_WORKING_DAYS = 3;

export default defineWorker({
  topic: 'atv.book-short-notice-appointment',
  description: 'Books a short-notice appointment with the IFK to clear a request for active support.',
  input: z.object({
    applicationId: z.string().uuid(),
    fundingRequest: z.object({ personId: z.string().uuid() }).passthrough(),
    fIfkId: z.string().min(1),
  }),
  output: z.object({ shortNoticeAppointment: Appointment }),
  errors: [],
  async handler({ applicationId, fundingRequest, fIfkId }, { externalTask, deps }) {
    const { settings, calendar } = await loadCase(deps, applicationId);
    const booking = await deps.adapters.of(settings.id).atv.bookFirstFreeSlot({
      applicationId,
      personId: fundingRequest.personId,
      // Each request is its own event-subprocess instance, so each gets its own appointment.
      kind: `short-notice:${externalTask.activityInstanceId}`,
      caseworkerId: fIfkId,
      dueDate: calendar.addWorkingDays(berlinDate(deps.now()), SHORT_NOTICE_WORKING_DAYS),
      bookedBy: 'system',
    });
    if (!booking)
      throw new IncidentError(
        `No free slot of ${fIfkId} in the next ${SHORT_NOTICE_WORKING_DAYS} working days; book by hand`,
      );
    return { shortNoticeAppointment: booking };
  },
});
