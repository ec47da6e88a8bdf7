/**
 * Books the first free released slot of a caseworker up to the due date. The list of slots is only a plan:
 * the database's unique (caseworker, start) key decides, so 20 bookings at once never share a slot.
 */
import type { Kysely } from 'kysely';

import { berlinDate, type WorkingDayCalendar } from '../calendar/index.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import type { Database } from '../store/index.js';
import { isUniqueViolation } from '../store/index.js';
import { releasedSlots } from './atv-slots.js';

export interface Booking {
  id: string;
  caseworkerId: string;
  startsAt: string;
  endsAt: string;
}

export interface BookingRequest {
  jobcenter: string;
  applicationId: string;
  personId: string;
  kind: string;
  caseworkerId: string;
  dueDate: string;
  bookedBy: string;
}

function toBooking(row: { id: string; caseworker_id: string; starts_at: Date; ends_at: Date }): Booking {
  return {
    id: row.id,
    caseworkerId: row.caseworker_id,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
  };
}

export async function existingBooking(
  db: Kysely<Database>,
  r: { applicationId: string; personId: string; kind: string },
): Promise<Booking | undefined> {
  const row = await db
    .selectFrom('appointments')
    .select(['id', 'caseworker_id', 'starts_at', 'ends_at'])
    .where('application_id', '=', r.applicationId)
    .where('person_id', '=', r.personId)
    .where('kind', '=', r.kind)
    .executeTakeFirst();
  return row ? toBooking(row) : undefined;
}

/** Inserts one appointment; the database refuses a taken slot (appointments_one_per_slot) or a second one for the same purpose. */
export async function insertAppointment(
  db: Kysely<Database>,
  r: Omit<BookingRequest, 'dueDate'> & { startsAt: Date; endsAt: Date },
): Promise<Booking> {
  const row = await db
    .insertInto('appointments')
    .values({
      jobcenter: r.jobcenter,
      caseworker_id: r.caseworkerId,
      starts_at: r.startsAt,
      ends_at: r.endsAt,
      kind: r.kind,
      application_id: r.applicationId,
      person_id: r.personId,
      booked_by: r.bookedBy,
    })
    .returning(['id', 'caseworker_id', 'starts_at', 'ends_at'])
    .executeTakeFirstOrThrow();
  return toBooking(row);
}

/** Returns the booking, or undefined when no released slot is free before the due date. */
export async function bookFirstFreeSlot(
  db: Kysely<Database>,
  settings: JobcenterSettings,
  calendar: WorkingDayCalendar,
  now: Date,
  r: BookingRequest,
): Promise<Booking | undefined> {
  const earlier = await existingBooking(db, r);
  if (earlier) return earlier;
  if (!settings.atv) throw new Error(`Jobcenter ${settings.id} has no ATV settings`);
  const absences = await db
    .selectFrom('absences')
    .select(['starts_at', 'ends_at'])
    .where('caseworker_id', '=', r.caseworkerId)
    .where('ends_at', '>', now)
    .execute();
  const taken = new Set(
    (
      await db
        .selectFrom('appointments')
        .select('starts_at')
        .where('caseworker_id', '=', r.caseworkerId)
        .where('starts_at', '>', now)
        .execute()
    ).map((a) => a.starts_at.getTime()),
  );
  const slots = releasedSlots({
    calendar,
    windows: settings.atv.releasedWindows,
    slotMinutes: settings.atv.slotMinutes,
    fromDate: berlinDate(now),
    toDate: r.dueDate,
    now,
    absences: absences.map((a) => ({ startsAt: a.starts_at, endsAt: a.ends_at })),
  }).filter((s) => !taken.has(s.startsAt.getTime()));
  for (const slot of slots) {
    try {
      return await insertAppointment(db, { ...r, startsAt: slot.startsAt, endsAt: slot.endsAt });
    } catch (e) {
      if (isUniqueViolation(e, 'appointments_one_per_slot')) continue;
      // A concurrent attempt for the same person and purpose won: return what it booked.
      if (isUniqueViolation(e, 'appointments_one_per_purpose')) return existingBooking(db, r);
      throw e;
    }
  }
  return undefined;
}
