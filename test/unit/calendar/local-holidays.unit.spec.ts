/**
 * Holidays that are not the same across Germany: a state's own (Buß- und Bettag in Saxony, Weltkindertag in
 * Thuringia), a region's (Augsburg's Friedensfest in Bavaria) and the local ones a jobcenter's settings name.
 */
import { describe, expect, it } from '@jest/globals';

import { calendarsFor } from '../../../src/calendar/calendars.js';
import { CalendarInputError, createCalendar, regionsOf } from '../../../src/calendar/index.js';

const FRIEDENSFEST = { name: 'Augsburger Friedensfest', month: 8, day: 8 };

describe('statutory holidays of one state only', () => {
  const sn = createCalendar({ state: 'SN' });
  const bb = createCalendar({ state: 'BB' });
  const th = createCalendar({ state: 'TH' });

  it('gives Saxony Buß- und Bettag (Wednesday 18 November 2026) off, and Brandenburg not', () => {
    expect(sn.isWorkingDay('2026-11-18')).toBe(false);
    expect(sn.holidaysOf(2026)).toContainEqual({ date: '2026-11-18', name: 'Buß- und Bettag' });
    expect(bb.isWorkingDay('2026-11-18')).toBe(true);
  });

  it('gives Thuringia Weltkindertag (Monday 20 September 2027) off, and Brandenburg not', () => {
    expect(th.isWorkingDay('2027-09-20')).toBe(false);
    expect(th.holidaysOf(2027)).toContainEqual({ date: '2027-09-20', name: 'Weltkindertag' });
    expect(bb.isWorkingDay('2027-09-20')).toBe(true);
  });

  it('counts deadlines past them: three working days from Monday 16 November 2026 end on Friday in Saxony, Thursday in Brandenburg', () => {
    expect(sn.addWorkingDays('2026-11-16', 3)).toBe('2026-11-20');
    expect(bb.addWorkingDays('2026-11-16', 3)).toBe('2026-11-19');
    expect(sn.workingDaysBetween('2026-11-16', '2026-11-20')).toBe(3);
    expect(sn.subtractWorkingDays('2026-11-19', 1)).toBe('2026-11-17');
  });

  it('moves a deadline due on Weltkindertag to the Tuesday in Thuringia', () => {
    expect(th.addWorkingDays('2027-09-17', 1)).toBe('2027-09-21');
    expect(bb.addWorkingDays('2027-09-17', 1)).toBe('2027-09-20');
    expect(th.reminderInstant('2027-09-21', 1)).toBe('2027-09-17T00:00:00+02:00');
  });
});

describe('a region of the state', () => {
  const augsburg = createCalendar({ state: 'BY', region: 'A' });
  const bavaria = createCalendar({ state: 'BY' });

  it('gives Augsburg 8 August (Friedensfest) and 15 August (Mariä Himmelfahrt) off, the rest of Bavaria by default neither', () => {
    expect(augsburg.isWorkingDay('2028-08-08')).toBe(false);
    expect(augsburg.isWorkingDay('2028-08-15')).toBe(false);
    expect(bavaria.isWorkingDay('2028-08-08')).toBe(true);
    expect(augsburg.region).toBe('A');
  });

  it('counts five working days from Monday 7 August 2028 past both to Wednesday 16 August', () => {
    expect(augsburg.addWorkingDays('2028-08-07', 5)).toBe('2028-08-16');
    expect(bavaria.addWorkingDays('2028-08-07', 5)).toBe('2028-08-14');
  });

  it('refuses a region the state does not have, naming it and the known ones', () => {
    expect(Object.keys(regionsOf('BY'))).toContain('A');
    expect(() => createCalendar({ state: 'BY', region: 'AUX' })).toThrow(CalendarInputError);
    expect(() => createCalendar({ state: 'BY', region: 'AUX' })).toThrow(/unknown region "AUX" of BY \(known: .*A/);
    expect(() => createCalendar({ state: 'BB', region: 'A' })).toThrow(/known: none/);
  });
});

describe('local holidays from the settings', () => {
  const withFriedensfest = createCalendar({ state: 'BY', localHolidays: [FRIEDENSFEST] });

  it('takes a named local holiday off every year and lists it with its name', () => {
    expect(withFriedensfest.isWorkingDay('2028-08-08')).toBe(false);
    expect(withFriedensfest.isWorkingDay('2029-08-08')).toBe(false);
    expect(withFriedensfest.holidaysOf(2028)).toContainEqual({ date: '2028-08-08', name: 'Augsburger Friedensfest' });
    expect(withFriedensfest.addWorkingDays('2028-08-07', 5)).toBe('2028-08-15');
  });

  it('keeps a 29 February holiday in leap years only', () => {
    const leap = createCalendar({ state: 'BE', localHolidays: [{ name: 'Schalttag', month: 2, day: 29 }] });
    expect(leap.isWorkingDay('2028-02-29')).toBe(false);
    expect(leap.addWorkingDays('2027-02-26', 1)).toBe('2027-03-01');
    expect(leap.holidaysOf(2027).map((h) => h.name)).not.toContain('Schalttag');
  });

  it('refuses a day that no year has', () => {
    expect(() => createCalendar({ state: 'BE', localHolidays: [{ name: 'x', month: 4, day: 31 }] })).toThrow(
      /localHolidays\[0\]: 31\.4\. is no day of the year/,
    );
  });

  it("builds each jobcenter's calendar from its settings' region and local holidays", () => {
    const calendars = calendarsFor(
      new Map([
        ['augsburg', { id: 'augsburg', state: 'BY' as const, holidayRegion: 'A' }],
        ['erfurt', { id: 'erfurt', state: 'TH' as const, localHolidays: [{ name: 'Tag X', month: 6, day: 13 }] }],
      ]),
    );
    expect(calendars.of('augsburg')?.isWorkingDay('2028-08-08')).toBe(false);
    expect(calendars.of('erfurt')?.isWorkingDay('2028-06-13')).toBe(false);
    expect(calendars.of('erfurt')?.isWorkingDay('2027-09-20')).toBe(false);
  });
});
