/**
 * What every ATV adapter must do, in ATV's terms, written once and run against each implementation:
 * `atvContract('store', makeStoreAtv)`. A jobcenter's own connector runs the same (docs/adapters.md).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Appointment, type Atv, SlotTakenError } from '../../../src/adapters/index.js';

/**
 * The calendar the suite assumes: caseworkers release Mon, Tue, Thu and Fri 09:00-10:00 (Europe/Berlin) in
 * 30-minute slots, in Brandenburg, and it is Monday 23 November 2026, 09:00 in Berlin: the 09:00 slot has begun.
 */
export const ATV_SETUP = {
  now: new Date('2026-11-23T09:00:00+01:00'),
  state: 'BB',
  slotMinutes: 30,
  releasedWindows: [1, 2, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '10:00' })),
} as const;

export interface AtvUnderTest {
  atv: Atv;
  /** A caseworker with the released windows of ATV_SETUP, no appointments and no absences. */
  newCaseworker(): Promise<string>;
  /** A new application with `persons` people, as the system needs them to book for them; the head first. */
  newCase(persons: number): Promise<{ applicationId: string; personIds: string[] }>;
  /** Enters an absence of the caseworker. */
  addAbsence(caseworkerId: string, startsAt: Date, endsAt: Date): Promise<void>;
  close(): Promise<void>;
}

export type MakeAtv = (setup: typeof ATV_SETUP) => Promise<AtvUnderTest>;

/** Weekday (1 Monday ... 7 Sunday), date and time on the wall clocks of Berlin. */
function berlin(instant: string): { weekday: number; date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { weekday, date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** A slot of the released windows: on a released weekday, starting on a slot boundary, one slot long. */
function isReleasedSlot(a: Appointment): boolean {
  const { weekday, time } = berlin(a.startsAt);
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const length = (Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000;
  return ATV_SETUP.releasedWindows.some(
    (w) =>
      w.weekday === weekday &&
      minutes(time) >= minutes(w.from) &&
      minutes(time) + ATV_SETUP.slotMinutes <= minutes(w.to) &&
      (minutes(time) - minutes(w.from)) % ATV_SETUP.slotMinutes === 0 &&
      length === ATV_SETUP.slotMinutes,
  );
}

export function atvContract(name: string, make: MakeAtv): void {
  describe(`ATV adapter contract: ${name}`, () => {
    let sut: AtvUnderTest;
    beforeAll(async () => {
      sut = await make(ATV_SETUP);
    }, 30_000);
    afterAll(async () => {
      await sut?.close();
    });

    const request = (caseworkerId: string, c: { applicationId: string; personIds: string[] }, person = 0) => ({
      applicationId: c.applicationId,
      personId: c.personIds[person]!,
      kind: 'first-consultation',
      caseworkerId,
      bookedBy: 'system',
      dueDate: '2026-12-31',
    });

    it('books the first released slot after now, one slot long', async () => {
      const caseworkerId = await sut.newCaseworker();
      const booked = await sut.atv.bookFirstFreeSlot(request(caseworkerId, await sut.newCase(1)));
      // 09:00 has begun; 09:30 is the first slot to come.
      expect(booked).toEqual({
        id: expect.any(String),
        caseworkerId,
        startsAt: '2026-11-23T08:30:00.000Z',
        endsAt: '2026-11-23T09:00:00.000Z',
      });
    });

    it('returns the appointment already booked for the same purpose, however often and however concurrently asked', async () => {
      const caseworkerId = await sut.newCaseworker();
      const c = await sut.newCase(1);
      const [first, ...again] = await Promise.all(
        Array.from({ length: 5 }, () => sut.atv.bookFirstFreeSlot(request(caseworkerId, c))),
      );
      expect(first).toBeDefined();
      for (const a of again) expect(a).toEqual(first);
      expect(await sut.atv.bookFirstFreeSlot(request(caseworkerId, c))).toEqual(first);
      expect(
        await sut.atv.bookingFor({
          applicationId: c.applicationId,
          personId: c.personIds[0]!,
          kind: 'first-consultation',
        }),
      ).toEqual(first);
    });

    it('knows no appointment for a purpose nobody booked', async () => {
      const c = await sut.newCase(1);
      expect(
        await sut.atv.bookingFor({
          applicationId: c.applicationId,
          personId: c.personIds[0]!,
          kind: 'first-consultation',
        }),
      ).toBeUndefined();
    });

    it('books no slot twice: ten bookings at once get ten released slots, all different', async () => {
      const caseworkerId = await sut.newCaseworker();
      const c = await sut.newCase(10);
      const booked = await Promise.all(
        c.personIds.map((_, i) => sut.atv.bookFirstFreeSlot(request(caseworkerId, c, i))),
      );
      expect(booked.every((a) => a !== undefined)).toBe(true);
      const appointments = booked as Appointment[];
      expect(new Set(appointments.map((a) => a.startsAt)).size).toBe(10);
      for (const a of appointments) {
        expect(a.caseworkerId).toBe(caseworkerId);
        expect(isReleasedSlot(a)).toBe(true);
        expect(Date.parse(a.startsAt)).toBeGreaterThan(ATV_SETUP.now.getTime());
      }
    });

    it('books no slot inside an absence', async () => {
      const caseworkerId = await sut.newCaseworker();
      // Away Monday and Tuesday: the first slot is Thursday 09:00.
      await sut.addAbsence(caseworkerId, new Date('2026-11-23T00:00:00+01:00'), new Date('2026-11-25T00:00:00+01:00'));
      const booked = await sut.atv.bookFirstFreeSlot(request(caseworkerId, await sut.newCase(1)));
      expect(booked?.startsAt).toBe('2026-11-26T08:00:00.000Z');
    });

    it('books no slot after the due date, and none at all when every slot until then is taken', async () => {
      const caseworkerId = await sut.newCaseworker();
      const c = await sut.newCase(4);
      const dueTuesday = (i: number) => ({ ...request(caseworkerId, c, i), dueDate: '2026-11-24' });
      // Monday 09:30, Tuesday 09:00 and 09:30: three slots up to Tuesday.
      const booked: (Appointment | undefined)[] = [];
      for (let i = 0; i < 4; i++) booked.push(await sut.atv.bookFirstFreeSlot(dueTuesday(i)));
      expect(booked.slice(0, 3).map((a) => a && berlin(a.startsAt))).toEqual([
        { weekday: 1, date: '2026-11-23', time: '09:30' },
        { weekday: 2, date: '2026-11-24', time: '09:00' },
        { weekday: 2, date: '2026-11-24', time: '09:30' },
      ]);
      expect(booked[3]).toBeUndefined();
      expect(
        await sut.atv.bookingFor({
          applicationId: c.applicationId,
          personId: c.personIds[3]!,
          kind: 'first-consultation',
        }),
      ).toBeUndefined();
    });

    it("books a deputy's chosen slot at any time, one slot long, and refuses it once it is taken", async () => {
      const caseworkerId = await sut.newCaseworker();
      const c = await sut.newCase(2);
      // Wednesday afternoon: outside the released windows, which bind only the automatic booking.
      const startsAt = new Date('2026-11-25T14:00:00+01:00');
      const slot = (person: number) => ({
        applicationId: c.applicationId,
        personId: c.personIds[person]!,
        kind: 'first-consultation',
        caseworkerId,
        bookedBy: 'deputy',
        startsAt,
      });
      const booked = await sut.atv.bookSlot(slot(0));
      expect(booked).toEqual({
        id: expect.any(String),
        caseworkerId,
        startsAt: '2026-11-25T13:00:00.000Z',
        endsAt: '2026-11-25T13:30:00.000Z',
      });
      await expect(sut.atv.bookSlot(slot(1))).rejects.toBeInstanceOf(SlotTakenError);
      expect(
        await sut.atv.bookingFor({
          applicationId: c.applicationId,
          personId: c.personIds[0]!,
          kind: 'first-consultation',
        }),
      ).toEqual(booked);
      expect(
        await sut.atv.bookingFor({
          applicationId: c.applicationId,
          personId: c.personIds[1]!,
          kind: 'first-consultation',
        }),
      ).toBeUndefined();
    });

    it('passes over a slot a deputy booked', async () => {
      const caseworkerId = await sut.newCaseworker();
      const c = await sut.newCase(2);
      await sut.atv.bookSlot({
        applicationId: c.applicationId,
        personId: c.personIds[0]!,
        kind: 'first-consultation',
        caseworkerId,
        bookedBy: 'deputy',
        startsAt: new Date('2026-11-23T09:30:00+01:00'),
      });
      const booked = await sut.atv.bookFirstFreeSlot(request(caseworkerId, c, 1));
      expect(booked && berlin(booked.startsAt)).toEqual({ weekday: 2, date: '2026-11-24', time: '09:00' });
    });
  });
}
