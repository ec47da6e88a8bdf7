/** Records the appointment a team member booked as deputy after the NO_SLOT ticket; the slot stays unique. Both processes. */
import { z } from 'zod';
import { existingBooking, insertAppointment } from '../src/domain/booking.js';
import { isUniqueViolation } from '../src/store/index.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';
import { Appointment } from './atv.book-first-consultation.js';

export default defineWorker({
  type: 'atv.record-deputy-booking',
  description: 'Stores the deputy booking from the team task as the appointment of the person.',
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    personId: z.string().uuid(),
    deputyBooking: z.object({ startsAt: z.string().datetime({ offset: true }), caseworkerId: z.string().min(1) }),
  }),
  output: z.object({ appointment: Appointment }),
  errors: [],
  async handler({ applicationId, jobcenter, personId, deputyBooking }, { job, deps }) {
    const kind = job.properties.kind ?? 'first-consultation';
    const earlier = await existingBooking(deps.store.db, { applicationId, personId, kind });
    if (earlier) return { appointment: earlier };
    const slotMinutes = deps.jobcenters.get(jobcenter)?.atv?.slotMinutes ?? 30;
    const startsAt = new Date(deputyBooking.startsAt);
    try {
      const appointment = await insertAppointment(deps.store.db, {
        jobcenter,
        applicationId,
        personId,
        kind,
        caseworkerId: deputyBooking.caseworkerId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + slotMinutes * 60_000),
        bookedBy: 'deputy',
      });
      return { appointment };
    } catch (e) {
      if (isUniqueViolation(e, 'appointments_one_per_slot')) {
        throw new IncidentError(`The slot ${deputyBooking.startsAt} of ${deputyBooking.caseworkerId} is already booked; book another slot`);
      }
      throw e;
    }
  },
});
