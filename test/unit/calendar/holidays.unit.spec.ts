/** The statutory holidays the calendar knows, checked against a table written out by hand from the state laws. */
import { describe, expect, it, jest } from '@jest/globals';
import Holidays from 'date-holidays';

import { createCalendar, GERMAN_STATES, type GermanState } from '../../../src/calendar/index.js';

const YEARS = [2025, 2026, 2027, 2028, 2029, 2030] as const;

// Worked out by hand from the Easter Sundays 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16, 2029-04-01,
// 2030-04-21: Karfreitag E-2, Ostermontag E+1, Christi Himmelfahrt E+39, Pfingstsonntag E+49,
// Pfingstmontag E+50, Fronleichnam E+60. Columns are the years 2025 to 2030.
const FIXED = (mmdd: string) => YEARS.map((y) => `${y}-${mmdd}`);
const BRANDENBURG: Record<string, string[]> = {
  Neujahr: FIXED('01-01'),
  Karfreitag: ['2025-04-18', '2026-04-03', '2027-03-26', '2028-04-14', '2029-03-30', '2030-04-19'],
  Ostersonntag: ['2025-04-20', '2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21'],
  Ostermontag: ['2025-04-21', '2026-04-06', '2027-03-29', '2028-04-17', '2029-04-02', '2030-04-22'],
  'Tag der Arbeit': FIXED('05-01'),
  'Christi Himmelfahrt': ['2025-05-29', '2026-05-14', '2027-05-06', '2028-05-25', '2029-05-10', '2030-05-30'],
  Pfingstsonntag: ['2025-06-08', '2026-05-24', '2027-05-16', '2028-06-04', '2029-05-20', '2030-06-09'],
  Pfingstmontag: ['2025-06-09', '2026-05-25', '2027-05-17', '2028-06-05', '2029-05-21', '2030-06-10'],
  'Tag der Deutschen Einheit': FIXED('10-03'),
  Reformationstag: FIXED('10-31'),
  '1. Weihnachtstag': FIXED('12-25'),
  '2. Weihnachtstag': FIXED('12-26'),
};
const NORDRHEIN_WESTFALEN: Record<string, string[]> = {
  Neujahr: FIXED('01-01'),
  Karfreitag: ['2025-04-18', '2026-04-03', '2027-03-26', '2028-04-14', '2029-03-30', '2030-04-19'],
  Ostermontag: ['2025-04-21', '2026-04-06', '2027-03-29', '2028-04-17', '2029-04-02', '2030-04-22'],
  'Tag der Arbeit': FIXED('05-01'),
  'Christi Himmelfahrt': ['2025-05-29', '2026-05-14', '2027-05-06', '2028-05-25', '2029-05-10', '2030-05-30'],
  Pfingstmontag: ['2025-06-09', '2026-05-25', '2027-05-17', '2028-06-05', '2029-05-21', '2030-06-10'],
  Fronleichnam: ['2025-06-19', '2026-06-04', '2027-05-27', '2028-06-15', '2029-05-31', '2030-06-20'],
  'Tag der Deutschen Einheit': FIXED('10-03'),
  Allerheiligen: FIXED('11-01'),
  '1. Weihnachtstag': FIXED('12-25'),
  '2. Weihnachtstag': FIXED('12-26'),
};
const TABLE = { BB: BRANDENBURG, NW: NORDRHEIN_WESTFALEN } as const;

const expectedFor = (state: keyof typeof TABLE, year: number) =>
  Object.values(TABLE[state])
    .map((dates) => dates[YEARS.indexOf(year as (typeof YEARS)[number])]!)
    .sort();

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe.each((['BB', 'NW'] as const).flatMap((state) => YEARS.map((year) => [state, year] as const)))(
  '%s %i',
  (state, year) => {
    const calendar = createCalendar({ state });

    it('lists exactly the statutory holidays of the state law', () => {
      expect(calendar.holidaysOf(year).map((h) => h.date)).toEqual(expectedFor(state, year));
    });

    it('counts none of them as a working day, but 24 and 31 December when they fall on a weekday', () => {
      for (const date of expectedFor(state, year)) expect([date, calendar.isWorkingDay(date)]).toEqual([date, false]);
      for (const date of [`${year}-12-24`, `${year}-12-31`]) {
        expect([date, calendar.isWorkingDay(date)]).toEqual([date, weekday(date) !== 0 && weekday(date) !== 6]);
      }
    });
  },
);

describe('every German state', () => {
  // The nine holidays of all sixteen state laws (Tag der Deutschen Einheit by the Einigungsvertrag), for 2026.
  const NATIONWIDE_2026 = [
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-01',
    '2026-05-14',
    '2026-05-25',
    '2026-10-03',
    '2026-12-25',
    '2026-12-26',
  ];

  it.each(GERMAN_STATES)('%s has the nationwide holidays, no bank days, and each holiday once with a name', (state) => {
    const holidays = createCalendar({ state }).holidaysOf(2026);
    const dates = holidays.map((h) => h.date);
    expect(dates).toEqual(expect.arrayContaining(NATIONWIDE_2026));
    expect(dates).not.toContain('2026-12-24');
    expect(dates).not.toContain('2026-12-31');
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates).toEqual([...dates].sort());
    for (const h of holidays) expect(h.name.length).toBeGreaterThan(0);
  });

  // One weekday per rule that sets states apart, so the weekend cannot hide a missing holiday.
  it.each<[string, GermanState[]]>([
    ['2025-01-06', ['BW', 'BY', 'ST']], // Heilige Drei Könige
    ['2027-03-08', ['BE', 'MV']], // Internationaler Frauentag (MV since 2023)
    ['2025-05-08', ['BE']], // 80th anniversary of the end of the war, once only
    ['2025-06-19', ['BW', 'BY', 'HE', 'NW', 'RP', 'SL']], // Fronleichnam
    ['2025-08-15', ['SL']], // Mariä Himmelfahrt (in Bavaria only in some municipalities)
    ['2025-09-22', []], // an ordinary Monday
    ['2025-10-31', ['BB', 'HB', 'HH', 'MV', 'NI', 'SN', 'ST', 'SH', 'TH']], // Reformationstag
    ['2027-11-01', ['BW', 'BY', 'NW', 'RP', 'SL']], // Allerheiligen
    ['2025-11-19', ['SN']], // Buß- und Bettag
  ])('%s is a holiday in exactly %j', (date, states) => {
    expect([1, 2, 3, 4, 5]).toContain(weekday(date));
    const closedIn = GERMAN_STATES.filter((state) => !createCalendar({ state }).isWorkingDay(date));
    expect(closedIn).toEqual(states);
  });

  it('Weltkindertag, 20 September, is a holiday in Thuringia only', () => {
    expect(weekday('2027-09-20')).toBe(1);
    expect(GERMAN_STATES.filter((state) => !createCalendar({ state }).isWorkingDay('2027-09-20'))).toEqual(['TH']);
  });
});

describe('holidaysOf', () => {
  it('hands out a copy, so a caller cannot change the calendar', () => {
    const calendar = createCalendar({ state: 'NW' });
    const first = calendar.holidaysOf(2026);
    first.length = 0;
    calendar.holidaysOf(2026).push({ date: '2026-07-01', name: 'Sommerfest' });
    expect(calendar.holidaysOf(2026)).toHaveLength(11);
    expect(calendar.isWorkingDay('2026-07-01')).toBe(true);
  });

  it('asks date-holidays once per state and year, however many due dates are computed', () => {
    const spy = jest.spyOn(Holidays.prototype, 'getHolidays');
    try {
      // HE and 2041 appear nowhere else in this file, so the module cache starts cold for them.
      const a = createCalendar({ state: 'HE' });
      const b = createCalendar({ state: 'HE', extraClosingDays: ['2041-12-24'] });
      for (let day = 1; day <= 28; day++) {
        for (let n = 0; n < 50; n++) {
          a.addWorkingDays(`2041-02-${String(day).padStart(2, '0')}`, n);
          b.reminderInstant(`2041-03-${String(day).padStart(2, '0')}`, 1 + (n % 10));
        }
      }
      expect(spy.mock.calls.map((call) => call[0])).toEqual([2041]);
    } finally {
      spy.mockRestore();
    }
  });
});
