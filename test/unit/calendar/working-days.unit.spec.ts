/** Counting working days: examples worked out by hand, and properties over random dates checked against a naive day-by-day count. */
import { describe, expect, it } from '@jest/globals';
import { addDays, differenceInCalendarDays, lightFormat, parseISO } from 'date-fns';
import fc from 'fast-check';

import {
  createCalendar,
  GERMAN_STATES,
  type GermanState,
  type WorkingDayCalendar,
} from '../../../src/calendar/index.js';

const cottbus = createCalendar({ state: 'BB' });
const wuppertal = createCalendar({ state: 'NW' });
const byState = new Map<GermanState, WorkingDayCalendar>(
  GERMAN_STATES.map((state) => [state, createCalendar({ state })]),
);
const calendarOf = (state: GermanState) => byState.get(state)!;

// The test's own date arithmetic is date-fns on Dates, deliberately unlike the day numbers of the code.
const isoDay = (d: Date) => lightFormat(d, 'yyyy-MM-dd');
const plusDays = (date: string, n: number) => isoDay(addDays(parseISO(date), n));
const dateBetween = (from: string, to: string) =>
  fc.integer({ min: 0, max: differenceInCalendarDays(parseISO(to), parseISO(from)) }).map((n) => plusDays(from, n));
const stateArb = fc.constantFrom(...GERMAN_STATES);
const lastDayBefore = (month: string) => plusDays(`${month}-01`, -1);

describe('worked examples', () => {
  it('Cottbus: 15 working days after Monday 21 December 2026 is Wednesday 13 January 2027', () => {
    // Not counted: Mon 21.12 (the event day), Fri 25.12 and Sat 26.12 (holidays), Fri 1.1 (holiday), weekends.
    // 22 Tue=1, 23 Wed=2, 24 Thu=3 (Heiligabend is a working day), 28 Mon=4, 29=5, 30=6, 31 Thu=7 (Silvester too),
    // Jan: 4 Mon=8, 5=9, 6=10 (Heilige Drei Könige is no holiday in BB), 7=11, 8 Fri=12, 11 Mon=13, 12=14, 13 Wed=15.
    expect(cottbus.addWorkingDays('2026-12-21', 15)).toBe('2027-01-13');
    expect(cottbus.workingDaysBetween('2026-12-21', '2027-01-13')).toBe(15);
    expect(cottbus.subtractWorkingDays('2027-01-13', 15)).toBe('2026-12-21');
  });

  it('a jobcenter closing day on 24 December shifts that result by one working day', () => {
    const closed = createCalendar({ state: 'BB', extraClosingDays: ['2026-12-24'] });
    expect(closed.isWorkingDay('2026-12-24')).toBe(false);
    expect(closed.addWorkingDays('2026-12-21', 15)).toBe('2027-01-14');
    // The closing day belongs to the jobcenter, not to the state.
    expect(closed.holidaysOf(2026).map((h) => h.date)).not.toContain('2026-12-24');
    expect(cottbus.isWorkingDay('2026-12-24')).toBe(true);
  });

  it('Wuppertal: the 10th working day of January 2027 is Friday the 15th', () => {
    // Fri 1.1 is Neujahr; 4-8 Jan are working days 1-5, 11-15 Jan are 6-10.
    expect(wuppertal.nthWorkingDayOfMonth('2027-01', 10)).toBe('2027-01-15');
    // In Bavaria Wednesday 6.1 (Heilige Drei Könige) is a holiday too, so the 10th working day is Monday the 18th.
    expect(calendarOf('BY').nthWorkingDayOfMonth('2027-01', 10)).toBe('2027-01-18');
  });

  it('across Easter 2027 Karfreitag and Ostermontag are skipped', () => {
    // From Thu 25.3: Fri 26.3 Karfreitag, weekend, Mon 29.3 Ostermontag; Tue 30.3 is the 1st, Fri 2.4 the 4th.
    expect(cottbus.addWorkingDays('2027-03-25', 1)).toBe('2027-03-30');
    expect(wuppertal.addWorkingDays('2027-03-25', 4)).toBe('2027-04-02');
    expect(cottbus.subtractWorkingDays('2027-03-30', 1)).toBe('2027-03-25');
  });

  it('across Reformationstag: skipped in Brandenburg, counted in North Rhine-Westphalia', () => {
    // Thu 30.10.2025 + 1: Fri 31.10 is Reformationstag in BB only; NW's Allerheiligen falls on Saturday 1.11.
    expect(cottbus.addWorkingDays('2025-10-30', 1)).toBe('2025-11-03');
    expect(wuppertal.addWorkingDays('2025-10-30', 1)).toBe('2025-10-31');
    expect(cottbus.workingDaysBetween('2025-10-29', '2025-11-03')).toBe(2);
    expect(wuppertal.workingDaysBetween('2025-10-29', '2025-11-03')).toBe(3);
  });

  it('starts on a non-working day just like on a working day: the next working day is the first', () => {
    // Sat 26.12.2026 (also a holiday): Monday 28.12 is the first working day after it.
    expect(cottbus.addWorkingDays('2026-12-26', 1)).toBe('2026-12-28');
    expect(cottbus.subtractWorkingDays('2026-12-26', 1)).toBe('2026-12-24');
  });

  it('zero working days is the day itself, even when that is a holiday', () => {
    expect(cottbus.addWorkingDays('2026-12-25', 0)).toBe('2026-12-25');
    expect(cottbus.subtractWorkingDays('2026-12-25', 0)).toBe('2026-12-25');
  });

  it('counts nothing when `to` is not after `from`', () => {
    expect(cottbus.workingDaysBetween('2026-11-23', '2026-11-23')).toBe(0);
    expect(cottbus.workingDaysBetween('2026-11-24', '2026-11-23')).toBe(0);
  });

  it('counts a whole year: 2026 in Brandenburg has 261 weekdays minus 7 holidays on weekdays', () => {
    // 2026 starts on a Thursday: 52 weeks plus Thursday 31.12 = 261 weekdays. On weekdays fall Neujahr,
    // Karfreitag, Ostermontag, 1.5, Himmelfahrt, Pfingstmontag and 25.12; 3.10, 31.10 and 26.12 are Saturdays.
    expect(cottbus.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(261 - 7);
  });
});

describe('properties', () => {
  it('the n-th working day after a date (n >= 1) is a working day, strictly later, and n working days away', () => {
    fc.assert(
      fc.property(
        dateBetween('2025-01-01', '2030-10-31'),
        fc.integer({ min: 1, max: 60 }),
        stateArb,
        (from, n, state) => {
          const cal = calendarOf(state);
          const due = cal.addWorkingDays(from, n);
          expect(cal.isWorkingDay(due)).toBe(true);
          expect(due > from).toBe(true);
          expect(cal.workingDaysBetween(from, due)).toBe(n);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is strictly monotonic in n', () => {
    fc.assert(
      fc.property(
        dateBetween('2025-01-01', '2030-10-31'),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        stateArb,
        (from, a, b, state) => {
          const cal = calendarOf(state);
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          if (lo === hi) expect(cal.addWorkingDays(from, lo)).toBe(cal.addWorkingDays(from, hi));
          else expect(cal.addWorkingDays(from, lo) < cal.addWorkingDays(from, hi)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('subtracting n working days undoes adding them, from a working day', () => {
    fc.assert(
      fc.property(
        dateBetween('2025-01-01', '2030-10-31'),
        fc.integer({ min: 0, max: 60 }),
        stateArb,
        (from, n, state) => {
          const cal = calendarOf(state);
          fc.pre(cal.isWorkingDay(from));
          expect(cal.subtractWorkingDays(cal.addWorkingDays(from, n), n)).toBe(from);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the n-th working day of a month lies in that month with exactly n working days up to it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2025, max: 2030 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        stateArb,
        (year, monthNumber, k, state) => {
          const cal = calendarOf(state);
          const month = `${year}-${String(monthNumber).padStart(2, '0')}`;
          const nextMonth =
            monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
          const inMonth = cal.workingDaysBetween(lastDayBefore(month), lastDayBefore(nextMonth));
          const n = 1 + (k % inMonth);
          const day = cal.nthWorkingDayOfMonth(month, n);
          expect(day.slice(0, 7)).toBe(month);
          expect(cal.isWorkingDay(day)).toBe(true);
          expect(cal.workingDaysBetween(lastDayBefore(month), day)).toBe(n);
          expect(() => cal.nthWorkingDayOfMonth(month, inMonth + 1)).toThrow(/nthWorkingDay/);
        },
      ),
      { numRuns: 400 },
    );
  });

  describe('agrees with a naive day-by-day count', () => {
    // The reference walks one Date at a time and only borrows the holiday list, so it checks the year tables,
    // the binary search and the day-number arithmetic of the code, also over several years and closing days.
    const reference = (state: GermanState, closing: readonly string[]) => {
      const cal = calendarOf(state);
      const holidays = new Map<number, Set<string>>();
      const isHoliday = (date: string) => {
        const year = Number(date.slice(0, 4));
        if (!holidays.has(year)) holidays.set(year, new Set(cal.holidaysOf(year).map((h) => h.date)));
        return holidays.get(year)!.has(date);
      };
      const isWorkingDay = (date: string) => {
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        return weekday !== 0 && weekday !== 6 && !isHoliday(date) && !closing.includes(date);
      };
      const walk = (from: string, n: number, step: 1 | -1) => {
        let day = parseISO(from);
        for (let left = n; left > 0;) if (isWorkingDay(isoDay((day = addDays(day, step))))) left--;
        return isoDay(day);
      };
      return {
        isWorkingDay,
        add: (from: string, n: number) => walk(from, n, 1),
        subtract: (from: string, n: number) => walk(from, n, -1),
        between: (from: string, to: string) => {
          let count = 0;
          const last = parseISO(to);
          for (let day = addDays(parseISO(from), 1); day <= last; day = addDays(day, 1))
            if (isWorkingDay(isoDay(day))) count++;
          return count;
        },
      };
    };
    const closingDaysArb = fc.array(dateBetween('2000-01-01', '2100-12-31'), { maxLength: 30 });

    it('for addWorkingDays and subtractWorkingDays', () => {
      fc.assert(
        fc.property(
          dateBetween('2000-01-01', '2095-12-31'),
          fc.integer({ min: 0, max: 800 }),
          stateArb,
          closingDaysArb,
          (from, n, state, closing) => {
            const cal = createCalendar({ state, extraClosingDays: closing });
            const ref = reference(state, closing);
            expect(cal.addWorkingDays(from, n)).toBe(ref.add(from, n));
            expect(cal.subtractWorkingDays(from, n)).toBe(ref.subtract(from, n));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('for workingDaysBetween and isWorkingDay', () => {
      fc.assert(
        fc.property(
          dateBetween('2000-01-01', '2095-12-31'),
          fc.integer({ min: -30, max: 1200 }),
          stateArb,
          closingDaysArb,
          (from, span, state, closing) => {
            const cal = createCalendar({ state, extraClosingDays: closing });
            const ref = reference(state, closing);
            const to = plusDays(from, span);
            expect(cal.workingDaysBetween(from, to)).toBe(ref.between(from, to));
            for (const date of [from, to, ...closing])
              expect([date, cal.isWorkingDay(date)]).toEqual([date, ref.isWorkingDay(date)]);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
