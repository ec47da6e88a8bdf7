/** Bad input to the calendar throws a CalendarInputError that names the argument, and isIsoDate accepts only real dates. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { berlinDate, CalendarInputError, createCalendar, isIsoDate } from '../../../src/calendar/index.js';

const cal = createCalendar({ state: 'BB' });

function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('CalendarInputError', () => {
  it.each<[string, () => unknown, string]>([
    ['isWorkingDay with a bad date', () => cal.isWorkingDay('2026-02-30'), 'date'],
    ['isWorkingDay with a date and time', () => cal.isWorkingDay('2026-02-01T00:00:00Z'), 'date'],
    ['holidaysOf with a fraction', () => cal.holidaysOf(2026.5), 'year'],
    ['holidaysOf before 1900', () => cal.holidaysOf(1899), 'year'],
    ['addWorkingDays with a bad start', () => cal.addWorkingDays('2026-2-1', 1), 'from'],
    ['addWorkingDays with negative n', () => cal.addWorkingDays('2026-02-02', -1), 'workingDays'],
    ['addWorkingDays with a fraction', () => cal.addWorkingDays('2026-02-02', 1.5), 'workingDays'],
    ['addWorkingDays with NaN', () => cal.addWorkingDays('2026-02-02', Number.NaN), 'workingDays'],
    ['addWorkingDays with Infinity', () => cal.addWorkingDays('2026-02-02', Number.POSITIVE_INFINITY), 'workingDays'],
    // The calendar answers for 1900 to 2199; beyond that a date is a typo, not a deadline.
    ['addWorkingDays from 2200', () => cal.addWorkingDays('2200-01-02', 1), 'from'],
    ['addWorkingDays past 2199', () => cal.addWorkingDays('2199-12-20', 10), 'workingDays'],
    ['addWorkingDays with a billion', () => cal.addWorkingDays('2026-02-02', 1e9), 'workingDays'],
    ['holidaysOf after 2199', () => cal.holidaysOf(2200), 'year'],
    ['nthWorkingDayOfMonth in 1899', () => cal.nthWorkingDayOfMonth('1899-12', 1), 'month'],
    ['breachInstant on the last supported day', () => cal.breachInstant('2199-12-31'), 'dueDate'],
    ['subtractWorkingDays with a bad start', () => cal.subtractWorkingDays('2026-13-01', 1), 'from'],
    ['subtractWorkingDays with negative n', () => cal.subtractWorkingDays('2026-02-02', -3), 'workingDays'],
    ['subtractWorkingDays before 1900', () => cal.subtractWorkingDays('1900-01-10', 10), 'workingDays'],
    ['nthWorkingDayOfMonth with month 13', () => cal.nthWorkingDayOfMonth('2026-13', 1), 'month'],
    ['nthWorkingDayOfMonth with month 00', () => cal.nthWorkingDayOfMonth('2026-00', 1), 'month'],
    ['nthWorkingDayOfMonth with a one-digit month', () => cal.nthWorkingDayOfMonth('2026-1', 1), 'month'],
    ['nthWorkingDayOfMonth with a date as month', () => cal.nthWorkingDayOfMonth('2026-01-01', 1), 'month'],
    ['nthWorkingDayOfMonth with n = 0', () => cal.nthWorkingDayOfMonth('2026-02', 0), 'nthWorkingDay'],
    ['nthWorkingDayOfMonth with a fraction', () => cal.nthWorkingDayOfMonth('2026-02', 2.5), 'nthWorkingDay'],
    // February 2026 has 20 working days in Brandenburg.
    ['nthWorkingDayOfMonth beyond the month', () => cal.nthWorkingDayOfMonth('2026-02', 21), 'nthWorkingDay'],
    ['workingDaysBetween with a bad from', () => cal.workingDaysBetween('2026-02-29', '2026-03-01'), 'from'],
    ['workingDaysBetween with a bad to', () => cal.workingDaysBetween('2026-02-28', '2026-02-29'), 'to'],
    ['breachInstant with a bad due date', () => cal.breachInstant('2027-02-29'), 'dueDate'],
    ['reminderInstant with a bad due date', () => cal.reminderInstant('', 1), 'dueDate'],
    ['reminderInstant with K = 0', () => cal.reminderInstant('2026-02-02', 0), 'workingDaysBefore'],
    ['reminderInstant with a fraction', () => cal.reminderInstant('2026-02-02', 0.5), 'workingDaysBefore'],
    ['createCalendar with an unknown state', () => createCalendar({ state: 'XX' as never }), 'state'],
    ['createCalendar with a lower-case state', () => createCalendar({ state: 'bb' as never }), 'state'],
    [
      'createCalendar with a closing day in 1899',
      () => createCalendar({ state: 'NW', extraClosingDays: ['1899-12-24'] }),
      'extraClosingDays[0]',
    ],
    [
      'createCalendar with a bad closing day',
      () => createCalendar({ state: 'NW', extraClosingDays: ['2026-12-24', '2026-12-32'] }),
      'extraClosingDays[1]',
    ],
    ['berlinDate with an invalid Date', () => berlinDate(new Date('not a date')), 'instant'],
  ])('%s names %s', (_what, call, argument) => {
    const error = thrownBy(call);
    expect(error).toBeInstanceOf(CalendarInputError);
    expect((error as CalendarInputError).argument).toBe(argument);
    expect((error as CalendarInputError).message.startsWith(`${argument}: `)).toBe(true);
    expect((error as CalendarInputError).problem.length).toBeGreaterThan(0);
  });

  it('stops exactly at the edges: the 20th working day of February 2026 and the first and last supported days work', () => {
    expect(cal.nthWorkingDayOfMonth('2026-02', 20)).toBe('2026-02-27');
    expect(cal.addWorkingDays('2199-12-20', 1)).toBe('2199-12-23');
    expect(cal.breachInstant('2199-12-30')).toBe('2199-12-31T00:00:00+01:00');
    expect(cal.subtractWorkingDays('1900-01-10', 1)).toBe('1900-01-09');
  });

  it('is an Error with its own name, so logs and the API can tell it from a bug', () => {
    const error = thrownBy(() => cal.addWorkingDays('x', 1));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('CalendarInputError');
  });
});

describe('isIsoDate', () => {
  it.each([
    ['2028-02-29', true],
    ['2000-02-29', true],
    ['2026-12-31', true],
    ['2027-02-29', false],
    ['2100-02-29', false],
    ['2027-02-30', false],
    ['2026-04-31', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-13-01', false],
    ['2027-2-1', false],
    ['20270201', false],
    ['2027-02-01T00:00:00Z', false],
    [' 2027-02-01', false],
    ['2027-02-01\n', false],
    ['', false],
  ])('%j is %s', (s, valid) => {
    expect(isIsoDate(s)).toBe(valid);
  });

  it('accepts exactly the strings Date reads back as the same UTC day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const parsed = new Date(`${s}T00:00:00Z`);
          const real = !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === s;
          expect(isIsoDate(s)).toBe(real);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
