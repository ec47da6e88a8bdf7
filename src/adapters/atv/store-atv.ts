/**
 * ATV on our store: appointments in `appointments`, absences in `absences`, the released windows from the
 * jobcenter's settings. Booking takes the first free released slot up to the due date; the list of slots is only a
 * plan: the database's unique (caseworker, start) key decides, so 20 bookings at once never share a slot.
 */
import type { Kysely } from 'kysely';

import { berlinDate, type WorkingDayCalendar } from '../../calendar/index.js';
import type { JobcenterSettings } from '../../config/jobcenter.js';
import type { Database } from '../../store/index.js';
import { isUniqueViolation } from '../../store/index.js';
import type { AdapterContext } from '../index.js';
import { type Appointment, type AppointmentPurpose, type Atv, type SlotRequest, SlotTakenError } from './atv.js';
import { releasedSlots, type ReleasedWindow } from './released-slots.js';

export interface BookingRequest extends SlotRequest {
  jobcenter: string;
  dueDate: string;
}

/** The slot length when the jobcenter's settings have no ATV section. */
const DEFAULT_SLOT_MINUTES = 30;

function toAppointment(row: { id: string; caseworker_id: string; starts_at: Date; ends_at: Date }): Appointment {
  return {
    id: row.id,
    caseworkerId: row.caseworker_id,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
  };
}

export async function existingBooking(db: Kysely<Database>, r: AppointmentPurpose): Promise<Appointment | undefined> {
  const row = await db
    .selectFrom('appointments')
    .select(['id', 'caseworker_id', 'starts_at', 'ends_at'])
    .where('application_id', '=', r.applicationId)
    .where('person_id', '=', r.personId)
    .where('kind', '=', r.kind)
    .executeTakeFirst();
  return row ? toAppointment(row) : undefined;
}

/** Inserts one appointment; the database refuses a taken slot (appointments_one_per_slot) or a second one for the same purpose. */
export async function insertAppointment(
  db: Kysely<Database>,
  r: Omit<BookingRequest, 'dueDate'> & { startsAt: Date; endsAt: Date },
): Promise<Appointment> {
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
  return toAppointment(row);
}

/** The jobcenter's standard windows and those the caseworkers released on top, by caseworker. */
export async function releasedWindowsOf(
  db: Kysely<Database>,
  settings: JobcenterSettings,
  caseworkerIds: readonly string[],
): Promise<Map<string, ReleasedWindow[]>> {
  const standard = settings.atv?.releasedWindows ?? [];
  const extra = caseworkerIds.length
    ? await db
        .selectFrom('released_windows')
        .select(['caseworker_id', 'weekday', 'from_time', 'to_time', 'valid_from', 'valid_to'])
        .where('jobcenter', '=', settings.id)
        .where('caseworker_id', 'in', caseworkerIds)
        .execute()
    : [];
  return new Map(
    caseworkerIds.map((id) => [
      id,
      [
        ...standard,
        ...extra
          .filter((w) => w.caseworker_id === id)
          .map((w) => ({
            weekday: w.weekday,
            from: w.from_time,
            to: w.to_time,
            validFrom: w.valid_from,
            validTo: w.valid_to,
          })),
      ],
    ]),
  );
}

/** A window a caseworker releases on top of the standard ones (ATV), from a day on; idempotent per window. */
export async function releaseWindow(
  db: Kysely<Database>,
  w: { jobcenter: string; caseworkerId: string; weekday: number; from: string; to: string; validFrom: string },
): Promise<void> {
  const same = await db
    .selectFrom('released_windows')
    .select('id')
    .where('jobcenter', '=', w.jobcenter)
    .where('caseworker_id', '=', w.caseworkerId)
    .where('weekday', '=', w.weekday)
    .where('from_time', '=', w.from)
    .where('to_time', '=', w.to)
    .where('valid_from', '=', w.validFrom)
    .executeTakeFirst();
  if (same) return;
  await db
    .insertInto('released_windows')
    .values({
      jobcenter: w.jobcenter,
      caseworker_id: w.caseworkerId,
      weekday: w.weekday,
      from_time: w.from,
      to_time: w.to,
      valid_from: w.validFrom,
    })
    .execute();
}

/** Returns the booking, or undefined when no released slot is free before the due date. */
export async function bookFirstFreeSlot(
  db: Kysely<Database>,
  settings: JobcenterSettings,
  calendar: WorkingDayCalendar,
  now: Date,
  r: BookingRequest,
): Promise<Appointment | undefined> {
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
  const windows = (await releasedWindowsOf(db, settings, [r.caseworkerId])).get(r.caseworkerId) ?? [];
  const slots = releasedSlots({
    calendar,
    windows,
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

export class StoreAtv implements Atv {
  constructor(private readonly ctx: AdapterContext) {}

  bookingFor(purpose: AppointmentPurpose) {
    return existingBooking(this.ctx.store.db, purpose);
  }

  bookFirstFreeSlot(request: SlotRequest & { dueDate: string }) {
    const { settings, calendar, store, now } = this.ctx;
    return bookFirstFreeSlot(store.db, settings, calendar, now(), { ...request, jobcenter: settings.id });
  }

  async bookSlot({ startsAt, ...request }: SlotRequest & { startsAt: Date }) {
    const slotMinutes = this.ctx.settings.atv?.slotMinutes ?? DEFAULT_SLOT_MINUTES;
    try {
      return await insertAppointment(this.ctx.store.db, {
        ...request,
        jobcenter: this.ctx.settings.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + slotMinutes * 60_000),
      });
    } catch (e) {
      if (isUniqueViolation(e, 'appointments_one_per_slot'))
        throw new SlotTakenError(request.caseworkerId, startsAt.toISOString());
      throw e;
    }
  }
}
