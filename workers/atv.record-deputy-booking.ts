/**
 * Records the appointment a team member booked as deputy after the NO_SLOT ticket; the slot stays unique. Both processes.
 * The booking comes as the deputy-booking form left it (slotStartsAt, deputyCaseworkerId) or as one deputyBooking value.
 */
import { z } from 'zod';

import { SlotTakenError } from '../src/adapters/index.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';
import { Appointment } from './atv.book-first-consultation.js';

/** A start as the deputy-booking form accepts it: seconds optional, the offset required (2026-12-01T09:00+01:00). */
const FormInstant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/,
    'must be a date and time with offset, e.g. 2026-12-01T09:00+01:00',
  )
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a real date and time');

export default defineWorker({
  topic: 'atv.record-deputy-booking',
  description: 'Stores the deputy booking from the team task as the appointment of the person.',
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    personId: z.string().uuid(),
    deputyBooking: z
      .object({ startsAt: z.string().datetime({ offset: true }), caseworkerId: z.string().min(1) })
      .nullish(),
    slotStartsAt: FormInstant.nullish(),
    deputyCaseworkerId: z.string().min(1).nullish(),
  }),
  output: z.object({ appointment: Appointment, appointmentCaseworkerId: z.string(), appointmentStartsAt: z.string() }),
  errors: [],
  async handler(
    { applicationId, jobcenter, personId, deputyBooking: given, slotStartsAt, deputyCaseworkerId },
    { externalTask, deps },
  ) {
    const kind = externalTask.properties.kind ?? 'first-consultation';
    const booked = (appointment: z.infer<typeof Appointment>) => ({
      appointment,
      appointmentCaseworkerId: appointment.caseworkerId,
      appointmentStartsAt: appointment.startsAt,
    });
    const { atv } = deps.adapters.of(jobcenter);
    const earlier = await atv.bookingFor({ applicationId, personId, kind });
    if (earlier) return booked(earlier);
    const deputyBooking =
      given ??
      (slotStartsAt && deputyCaseworkerId ? { startsAt: slotStartsAt, caseworkerId: deputyCaseworkerId } : undefined);
    if (!deputyBooking)
      throw new IncidentError(
        'No deputy booking: the task left neither deputyBooking nor slotStartsAt and deputyCaseworkerId',
      );
    try {
      const appointment = await atv.bookSlot({
        applicationId,
        personId,
        kind,
        caseworkerId: deputyBooking.caseworkerId,
        startsAt: new Date(deputyBooking.startsAt),
        bookedBy: 'deputy',
      });
      return booked(appointment);
    } catch (e) {
      if (e instanceof SlotTakenError) {
        throw new IncidentError(
          `The slot ${deputyBooking.startsAt} of ${deputyBooking.caseworkerId} is already booked; book another slot`,
        );
      }
      throw e;
    }
  },
});
