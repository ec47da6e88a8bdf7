/**
 * The first-consultation slots a caseworker has released in ATV (e.g. Mon, Tue, Thu, Fri 09:00-10:00
 * Europe/Berlin), in time order, without absences, the past, or days after the due date. Booking takes the
 * first slot the database accepts; the unique constraint, not this list, keeps a slot from being taken twice.
 */
import { TZDate } from '@date-fns/tz';

import type { WorkingDayCalendar } from '../../calendar/index.js';

export interface ReleasedWindow {
  /** ISO weekday: 1 Monday ... 7 Sunday. */
  weekday: number;
  from: string;
  to: string;
  /** A window released from or until a day (local dates, inclusive); the standard windows have neither. */
  validFrom?: string;
  validTo?: string | null;
}

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

const ZONE = 'Europe/Berlin';

function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function berlinInstant(date: string, minuteOfDay: number): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, mo - 1, d, Math.floor(minuteOfDay / 60), minuteOfDay % 60, 0, ZONE).getTime());
}

function nextDay(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

export function releasedSlots(opts: {
  calendar: WorkingDayCalendar;
  windows: readonly ReleasedWindow[];
  slotMinutes: number;
  /** First local date to look at (inclusive). */
  fromDate: string;
  /** Last local date a slot may fall on: the deadline's due date (inclusive). */
  toDate: string;
  now: Date;
  absences: readonly Interval[];
}): Slot[] {
  const slots: Slot[] = [];
  for (let date = opts.fromDate; date <= opts.toDate; date = nextDay(date)) {
    if (!opts.calendar.isWorkingDay(date)) continue;
    const weekday = isoWeekday(date);
    const open = opts.windows.filter(
      (x) => x.weekday === weekday && (!x.validFrom || x.validFrom <= date) && (!x.validTo || date <= x.validTo),
    );
    for (const w of open) {
      for (let m = minutes(w.from); m + opts.slotMinutes <= minutes(w.to); m += opts.slotMinutes) {
        const startsAt = berlinInstant(date, m);
        const endsAt = new Date(startsAt.getTime() + opts.slotMinutes * 60_000);
        if (startsAt <= opts.now) continue;
        if (opts.absences.some((a) => a.startsAt < endsAt && startsAt < a.endsAt)) continue;
        slots.push({ startsAt, endsAt });
      }
    }
  }
  return slots;
}
