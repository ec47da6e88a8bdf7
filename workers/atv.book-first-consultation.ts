/**
 * Books the first consultation in ATV with the person's main caseworker, inside the released windows, outside
 * absences, not in the past and not after the due date; no slot is the BPMN error NO_SLOT_AVAILABLE, which the
 * diagram answers with a ticket and a deputy booking. The extension property `kind` names the consultation. Both processes.
 * The appointment goes to the process as JSON text for the workers, its caseworker and start also flat, for the
 * diagram's assignee and the forms.
 */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { BpmnError, defineWorker } from '../src/worker-runtime/define-worker.js';

export const Appointment = z.object({
  id: z.string().uuid(),
  caseworkerId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});

export default defineWorker({
  topic: 'atv.book-first-consultation',
  description: "Books a released ATV slot of the person's main caseworker before the due date.",
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    personId: z.string().uuid(),
    caseworkers: z.record(z.string(), z.string()),
    mdsDueDate: IsoDate,
  }),
  output: z.object({ appointment: Appointment, appointmentCaseworkerId: z.string(), appointmentStartsAt: z.string() }),
  errors: ['NO_SLOT_AVAILABLE'],
  async handler(input, { externalTask, deps, log }) {
    const { atv } = deps.adapters.of(input.jobcenter);
    const caseworkerId = input.caseworkers[input.personId];
    if (!caseworkerId) throw new BpmnError('NO_SLOT_AVAILABLE', 'The person has no main caseworker yet');
    const booking = await atv.bookFirstFreeSlot({
      applicationId: input.applicationId,
      personId: input.personId,
      kind: externalTask.properties.kind ?? 'first-consultation',
      caseworkerId,
      dueDate: input.mdsDueDate,
      bookedBy: 'system',
    });
    if (!booking)
      throw new BpmnError('NO_SLOT_AVAILABLE', `No released slot of ${caseworkerId} until ${input.mdsDueDate}`);
    log.info('consultation booked', { appointmentId: booking.id, caseworkerId, startsAt: booking.startsAt });
    return {
      appointment: booking,
      appointmentCaseworkerId: booking.caseworkerId,
      appointmentStartsAt: booking.startsAt,
    };
  },
});
