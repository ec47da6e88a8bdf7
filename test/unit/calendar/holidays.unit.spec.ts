/** Every statutory holiday of Brandenburg (Cottbus) and North Rhine-Westphalia (Wuppertal), 2025-2030, written out by hand. */
import { describe, expect, it } from '@jest/globals';
import { createCalendar } from '../../../src/calendar/index.js';

// Easter Sundays: 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16, 2029-04-01, 2030-04-21. BB adds Ostersonntag,
// Pfingstsonntag and Reformationstag (31.10); NW adds Fronleichnam and Allerheiligen (1.11).
const HOLIDAYS: Record<'BB' | 'NW', Record<number, string[]>> = {
  BB: {
    2025: ['2025-01-01', '2025-04-18', '2025-04-20', '2025-04-21', '2025-05-01', '2025-05-29', '2025-06-08', '2025-06-09', '2025-10-03', '2025-10-31', '2025-12-25', '2025-12-26'],
    2026: ['2026-01-01', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-24', '2026-05-25', '2026-10-03', '2026-10-31', '2026-12-25', '2026-12-26'],
    2027: ['2027-01-01', '2027-03-26', '2027-03-28', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-16', '2027-05-17', '2027-10-03', '2027-10-31', '2027-12-25', '2027-12-26'],
    2028: ['2028-01-01', '2028-04-14', '2028-04-16', '2028-04-17', '2028-05-01', '2028-05-25', '2028-06-04', '2028-06-05', '2028-10-03', '2028-10-31', '2028-12-25', '2028-12-26'],
    2029: ['2029-01-01', '2029-03-30', '2029-04-01', '2029-04-02', '2029-05-01', '2029-05-10', '2029-05-20', '2029-05-21', '2029-10-03', '2029-10-31', '2029-12-25', '2029-12-26'],
    2030: ['2030-01-01', '2030-04-19', '2030-04-21', '2030-04-22', '2030-05-01', '2030-05-30', '2030-06-09', '2030-06-10', '2030-10-03', '2030-10-31', '2030-12-25', '2030-12-26'],
  },
  NW: {
    2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-01', '2025-05-29', '2025-06-09', '2025-06-19', '2025-10-03', '2025-11-01', '2025-12-25', '2025-12-26'],
    2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-06-04', '2026-10-03', '2026-11-01', '2026-12-25', '2026-12-26'],
    2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-17', '2027-05-27', '2027-10-03', '2027-11-01', '2027-12-25', '2027-12-26'],
    2028: ['2028-01-01', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-25', '2028-06-05', '2028-06-15', '2028-10-03', '2028-11-01', '2028-12-25', '2028-12-26'],
    2029: ['2029-01-01', '2029-03-30', '2029-04-02', '2029-05-01', '2029-05-10', '2029-05-21', '2029-05-31', '2029-10-03', '2029-11-01', '2029-12-25', '2029-12-26'],
    2030: ['2030-01-01', '2030-04-19', '2030-04-22', '2030-05-01', '2030-05-30', '2030-06-10', '2030-06-20', '2030-10-03', '2030-11-01', '2030-12-25', '2030-12-26'],
  },
};

const cases = (['BB', 'NW'] as const).flatMap((state) => Object.entries(HOLIDAYS[state]).map(([year, dates]) => [state, Number(year), dates] as const));

describe.each(cases)('%s %i', (state, year, dates) => {
  const calendar = createCalendar({ state });

  it('knows exactly the statutory holidays', () => {
    expect(calendar.holidaysOf(year).map((h) => h.date).sort()).toEqual(dates);
  });

  it('counts none of them as a working day, and 24 and 31 December as working days when they fall on weekdays', () => {
    for (const d of dates) expect(calendar.isWorkingDay(d)).toBe(false);
    for (const d of [`${year}-12-24`, `${year}-12-31`]) {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      expect(calendar.isWorkingDay(d)).toBe(weekday !== 0 && weekday !== 6);
    }
  });
});

describe('the two states differ where the law does', () => {
  it('Reformationstag is a holiday in Brandenburg, not in North Rhine-Westphalia', () => {
    expect(createCalendar({ state: 'BB' }).isWorkingDay('2025-10-31')).toBe(false);
    expect(createCalendar({ state: 'NW' }).isWorkingDay('2025-10-31')).toBe(true);
  });

  it('Fronleichnam is a holiday in North Rhine-Westphalia, not in Brandenburg', () => {
    expect(createCalendar({ state: 'NW' }).isWorkingDay('2026-06-04')).toBe(false);
    expect(createCalendar({ state: 'BB' }).isWorkingDay('2026-06-04')).toBe(true);
  });
});
