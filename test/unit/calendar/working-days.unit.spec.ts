/** Counting rules of working days: worked examples, properties over random dates, time zone and year ends. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { berlinDate, CalendarInputError, createCalendar, isIsoDate } from '../../../src/calendar/index.js';

const bb = createCalendar({ state: 'BB' });
const nw = createCalendar({ state: 'NW' });

const dateArb = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2030-10-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('worked examples', () => {
  it('Cottbus: 15 working days from 21 Dec 2026 end on 13 Jan 2027', () => {
    // Not counted: 21 (event day), 25/26 Dec (holidays), 1 Jan (holiday), weekends. Counted: 22,23,24,28,29,30,31 Dec, 4-8, 11-13 Jan.
    expect(bb.addWorkingDays('2026-12-21', 15)).toBe('2027-01-13');
  });

  it('a closing day of the jobcenter shifts the result by one working day', () => {
    expect(createCalendar({ state: 'BB', extraClosingDays: ['2026-12-24'] }).addWorkingDays('2026-12-21', 15)).toBe('2027-01-14');
  });

  it('Wuppertal: the 10th working day of January 2027 is the 15th', () => {
    expect(nw.nthWorkingDayOfMonth('2027-01', 10)).toBe('2027-01-15');
  });

  it('across Easter 2027: Good Friday and Easter Monday are skipped', () => {
    // From Thu 25 Mar: 26 Fri holiday, 29 Mon holiday, so 30 Mar is the 1st, 2 Apr the 4th.
    expect(bb.addWorkingDays('2027-03-25', 1)).toBe('2027-03-30');
    expect(bb.addWorkingDays('2027-03-25', 4)).toBe('2027-04-02');
  });

  it('across Reformationstag in Brandenburg but not in North Rhine-Westphalia', () => {
    // Thu 30 Oct 2025 + 1: BB skips Fri 31 Oct; NW does not.
    expect(bb.addWorkingDays('2025-10-30', 1)).toBe('2025-11-03');
    expect(nw.addWorkingDays('2025-10-30', 1)).toBe('2025-10-31');
  });

  it('zero working days is the day itself; subtracting inverts adding', () => {
    expect(bb.addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
    expect(bb.subtractWorkingDays('2027-01-13', 15)).toBe('2026-12-21');
  });
});

describe('properties', () => {
  it('the n-th working day after a date is a working day, later, and exactly n working days away', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 40 }), fc.constantFrom(bb, nw), (from, n, cal) => {
        const due = cal.addWorkingDays(from, n);
        return cal.isWorkingDay(due) && due > from && cal.workingDaysBetween(from, due) === n;
      }),
      { numRuns: 500 },
    );
  });

  it('is monotonic in n', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (from, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return bb.addWorkingDays(from, lo) <= bb.addWorkingDays(from, hi);
      }),
      { numRuns: 300 },
    );
  });

  it('subtracting inverts adding from a working day', () => {
    fc.assert(
      fc.property(dateArb.filter((d) => nw.isWorkingDay(d)), fc.integer({ min: 0, max: 40 }), (from, n) => nw.subtractWorkingDays(nw.addWorkingDays(from, n), n) === from),
      { numRuns: 300 },
    );
  });

  it('the n-th working day of a month lies in that month with n working days up to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2025, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 18 }), (year, month, n) => {
        const m = `${year}-${String(month).padStart(2, '0')}`;
        const day = bb.nthWorkingDayOfMonth(m, n);
        const lastOfPrevious = new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10);
        return day.startsWith(m) && bb.workingDaysBetween(lastOfPrevious, day) === n && bb.isWorkingDay(day);
      }),
      { numRuns: 300 },
    );
  });
});

describe('breach and reminder instants in Europe/Berlin', () => {
  it.each([
    ['2026-03-27', '2026-03-28T00:00:00+01:00'], // the day before the switch to summer time
    ['2026-03-28', '2026-03-29T00:00:00+01:00'], // midnight of the switch day is still winter time
    ['2026-03-29', '2026-03-30T00:00:00+02:00'],
    ['2026-10-24', '2026-10-25T00:00:00+02:00'], // midnight of the switch back is still summer time
    ['2026-10-25', '2026-10-26T00:00:00+01:00'],
    ['2026-12-31', '2027-01-01T00:00:00+01:00'],
    ['2028-02-28', '2028-02-29T00:00:00+01:00'],
    ['2028-02-29', '2028-03-01T00:00:00+01:00'],
  ])('due %s breaches at %s', (due, instant) => {
    expect(bb.breachInstant(due)).toBe(instant);
    // The instant is local midnight of the next day.
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
    expect(local).toBe('00:00');
    expect(berlinDate(new Date(instant))).toBe(instant.slice(0, 10));
  });

  it('reminds at midnight of the working day three working days before the due date', () => {
    expect(bb.reminderInstant('2027-01-13', 3)).toBe('2027-01-08T00:00:00+01:00');
  });

  it('reads the Berlin date of an instant across midnight UTC', () => {
    expect(berlinDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(berlinDate(new Date('2026-12-31T22:59:00Z'))).toBe('2026-12-31');
  });
});

describe('bad input names the argument', () => {
  it.each([
    [() => bb.addWorkingDays('2026-02-30', 1), 'from'],
    [() => bb.addWorkingDays('2026-02-01', -1), 'workingDays'],
    [() => bb.addWorkingDays('2026-02-01', 1.5), 'workingDays'],
    [() => bb.nthWorkingDayOfMonth('2026-13', 1), 'month'],
    [() => bb.nthWorkingDayOfMonth('2026-02', 0), 'nthWorkingDay'],
    [() => bb.nthWorkingDayOfMonth('2026-02', 23), 'nthWorkingDay'],
    [() => bb.reminderInstant('2026-02-01', 0), 'workingDaysBefore'],
    [() => createCalendar({ state: 'XX' as never }), 'state'],
  ])('%#', (call, argument) => {
    expect(call).toThrow(CalendarInputError);
    expect(call).toThrow(new RegExp(`^${argument}:`));
  });

  it('accepts only real dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-2-1')).toBe(false);
  });
});
