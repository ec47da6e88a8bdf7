/** Front desk: books the appointment to hand in the application with the benefits team (LG) of the branch. quer-wuppertal. */
import { z } from 'zod';

import { berlinDate } from '../src/calendar/index.js';
import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { branchOf } from '../src/domain/assignments.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';
import { Appointment } from './atv.book-first-consultation.js';

/** How far ahead the front desk looks for a submission slot. */
const SUBMISSION_WINDOW_WORKING_DAYS = 10;

export default defineWorker({
  topic: 'atv.book-submission-appointment',
  description: "Books the Neuantragsabgabe appointment with the branch's LG within the next working days.",
  input: z.object({ applicationId: z.string().uuid(), branch: z.string().min(1), applicationDate: IsoDate }),
  output: z.object({ submissionAppointment: Appointment }),
  errors: [],
  async handler({ applicationId, branch: branchId }, { deps }) {
    const { settings, calendar, persons } = await loadCase(deps, applicationId);
    const head = persons.find((p) => p.role === 'head')!;
    const lg = branchOf(settings, branchId).experts.lg;
    const booking = await deps.adapters.of(settings.id).atv.bookFirstFreeSlot({
      applicationId,
      personId: head.id,
      kind: 'lg-submission',
      caseworkerId: lg.id,
      dueDate: calendar.addWorkingDays(berlinDate(deps.now()), SUBMISSION_WINDOW_WORKING_DAYS),
      bookedBy: 'system',
    });
    if (!booking)
      throw new IncidentError(`No free LG slot of ${lg.id} in the next ${SUBMISSION_WINDOW_WORKING_DAYS} working days`);
    return { submissionAppointment: booking };
  },
});
