/** Breach and reminder instants are local midnight in Europe/Berlin with the right offset, across DST switches, year ends and leap days. */
import { describe, expect, it } from '@jest/globals';
import { addDays, differenceInCalendarDays, lightFormat, parseISO } from 'date-fns';
import fc from 'fast-check';

import { berlinDate, createCalendar, GERMAN_STATES, type GermanState } from '../../../src/calendar/index.js';

const cottbus = createCalendar({ state: 'BB' });
const wuppertal = createCalendar({ state: 'NW' });

// Intl reads the zone database independently of @date-fns/tz, so it can catch a wrong offset.
const berlinClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const wallClock = (instant: string) => {
  const parts = Object.fromEntries(berlinClock.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
};
const plusDays = (date: string, n: number) => lightFormat(addDays(parseISO(date), n), 'yyyy-MM-dd');
const nextDay = (date: string) => plusDays(date, 1);
const dateBetween = (from: string, to: string) =>
  fc.integer({ min: 0, max: differenceInCalendarDays(parseISO(to), parseISO(from)) }).map((n) => plusDays(from, n));
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T00:00:00\+0[12]:00$/;

describe('breachInstant', () => {
  // Summer time 2026: Sun 29.3 to Sun 25.10; 2027: Sun 28.3 to Sun 31.10. Clocks change at 02:00/03:00,
  // so midnight of the switch day itself still has the old offset.
  it.each([
    ['2026-03-27', '2026-03-28T00:00:00+01:00', '2026-03-27T23:00:00.000Z'],
    ['2026-03-28', '2026-03-29T00:00:00+01:00', '2026-03-28T23:00:00.000Z'], // last Saturday of March
    ['2026-03-29', '2026-03-30T00:00:00+02:00', '2026-03-29T22:00:00.000Z'],
    ['2026-10-23', '2026-10-24T00:00:00+02:00', '2026-10-23T22:00:00.000Z'],
    ['2026-10-24', '2026-10-25T00:00:00+02:00', '2026-10-24T22:00:00.000Z'], // last Saturday of October
    ['2026-10-25', '2026-10-26T00:00:00+01:00', '2026-10-25T23:00:00.000Z'],
    ['2027-03-27', '2027-03-28T00:00:00+01:00', '2027-03-27T23:00:00.000Z'], // last Saturday of March
    ['2027-03-28', '2027-03-29T00:00:00+02:00', '2027-03-28T22:00:00.000Z'],
    ['2027-10-30', '2027-10-31T00:00:00+02:00', '2027-10-30T22:00:00.000Z'], // last Saturday of October
    ['2027-10-31', '2027-11-01T00:00:00+01:00', '2027-10-31T23:00:00.000Z'],
    ['2026-12-31', '2027-01-01T00:00:00+01:00', '2026-12-31T23:00:00.000Z'], // year end
    ['2029-12-31', '2030-01-01T00:00:00+01:00', '2029-12-31T23:00:00.000Z'],
    ['2028-02-28', '2028-02-29T00:00:00+01:00', '2028-02-28T23:00:00.000Z'], // leap day
    ['2028-02-29', '2028-03-01T00:00:00+01:00', '2028-02-29T23:00:00.000Z'],
    ['2027-02-28', '2027-03-01T00:00:00+01:00', '2027-02-28T23:00:00.000Z'], // no leap day
    ['2100-02-28', '2100-03-01T00:00:00+01:00', '2100-02-28T23:00:00.000Z'], // a century is no leap year
    ['2026-07-15', '2026-07-16T00:00:00+02:00', '2026-07-15T22:00:00.000Z'],
  ])('due %s breaches at %s', (due, breach, utc) => {
    const instant = cottbus.breachInstant(due);
    expect(instant).toBe(breach);
    expect(new Date(instant).toISOString()).toBe(utc);
    expect(wallClock(instant)).toBe(`${breach.slice(0, 10)} 00:00:00`);
  });

  it('does not depend on the state or on working days: a holiday or a Sunday as due date breaches the next midnight', () => {
    expect(cottbus.breachInstant('2026-12-25')).toBe('2026-12-26T00:00:00+01:00');
    expect(wuppertal.breachInstant('2026-03-29')).toBe(cottbus.breachInstant('2026-03-29'));
  });

  it('is always the first instant of the next Berlin day, for any date', () => {
    fc.assert(
      fc.property(dateBetween('2000-01-01', '2099-12-30'), (due) => {
        const instant = cottbus.breachInstant(due);
        expect(instant).toMatch(ISO_WITH_OFFSET);
        expect(wallClock(instant)).toBe(`${nextDay(due)} 00:00:00`);
        // One millisecond earlier it is still the due date in Berlin.
        expect(berlinDate(new Date(new Date(instant).getTime() - 1))).toBe(due);
      }),
      { numRuns: 500 },
    );
  });
});

describe('reminderInstant', () => {
  it.each<[GermanState, string, number, string]>([
    // Wed 13.1.2027, 3 working days before: 12 (1), 11 (2), Fri 8 (3).
    ['BB', '2027-01-13', 3, '2027-01-08T00:00:00+01:00'],
    // Tue 31.3.2026: Mon 30.3 is already summer time, Fri 27.3 still winter time.
    ['BB', '2026-03-31', 1, '2026-03-30T00:00:00+02:00'],
    ['BB', '2026-03-31', 2, '2026-03-27T00:00:00+01:00'],
    // Tue 30.3.2027: Mon 29.3 Ostermontag, Sun 28, Sat 27, Fri 26.3 Karfreitag, so Thu 25.3, still winter time.
    ['NW', '2027-03-30', 1, '2027-03-25T00:00:00+01:00'],
    // Mon 4.1.2027: Fri 1.1 Neujahr, so Thu 31.12 (1) and Wed 30.12 (2) of the year before.
    ['BB', '2027-01-04', 2, '2026-12-30T00:00:00+01:00'],
    // Mon 2.11.2026: in BB Fri 30.10 (1); 31.10 Reformationstag is a Saturday anyway. Summer time ended 25.10.
    ['BB', '2026-11-02', 1, '2026-10-30T00:00:00+01:00'],
  ])('%s: due %s, %i working days before, reminds at %s', (state, due, k, reminder) => {
    const instant = createCalendar({ state }).reminderInstant(due, k);
    expect(instant).toBe(reminder);
    expect(wallClock(instant)).toBe(`${reminder.slice(0, 10)} 00:00:00`);
  });

  it('is Berlin midnight of the working day K working days before the due date, and before the breach', () => {
    fc.assert(
      fc.property(
        dateBetween('2025-01-01', '2030-12-31'),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(...GERMAN_STATES),
        (due, k, state) => {
          const cal = createCalendar({ state });
          const instant = cal.reminderInstant(due, k);
          const reminderDay = berlinDate(new Date(instant));
          expect(instant).toMatch(ISO_WITH_OFFSET);
          expect(wallClock(instant)).toBe(`${reminderDay} 00:00:00`);
          expect(cal.isWorkingDay(reminderDay)).toBe(true);
          expect(cal.workingDaysBetween(reminderDay, due)).toBe(cal.isWorkingDay(due) ? k : k - 1);
          expect(reminderDay).toBe(cal.subtractWorkingDays(due, k));
          expect(Date.parse(instant)).toBeLessThan(Date.parse(cal.breachInstant(due)));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('berlinDate', () => {
  it.each([
    ['2026-01-15T22:59:59.999Z', '2026-01-15'], // 23:59:59.999 CET
    ['2026-01-15T23:00:00.000Z', '2026-01-16'], // 00:00 CET
    ['2026-06-30T21:59:59.999Z', '2026-06-30'], // 23:59:59.999 CEST
    ['2026-06-30T22:00:00.000Z', '2026-07-01'], // 00:00 CEST
    ['2026-03-28T23:00:00.000Z', '2026-03-29'], // midnight of the spring switch day
    ['2026-03-29T01:30:00.000Z', '2026-03-29'], // 03:30 CEST, just after the switch
    ['2026-10-24T22:00:00.000Z', '2026-10-25'], // midnight of the autumn switch day
    ['2026-10-25T01:30:00.000Z', '2026-10-25'], // the second 02:30 of that night
    ['2026-12-31T22:59:59.999Z', '2026-12-31'],
    ['2026-12-31T23:00:00.000Z', '2027-01-01'],
    ['2028-02-28T23:00:00.000Z', '2028-02-29'],
  ])('%s is on %s in Berlin', (instant, date) => {
    expect(berlinDate(new Date(instant))).toBe(date);
  });

  it('agrees with Intl for any instant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        (instant) => {
          expect(berlinDate(instant)).toBe(wallClock(instant.toISOString()).slice(0, 10));
        },
      ),
      { numRuns: 500 },
    );
  });
});
