import { describe, expect, it } from '@jest/globals';
import { addDays, lightFormat, parseISO } from 'date-fns';

import { ageCompletedOn, ageFacts, lastDayBelowSection7aLimit, section7aLimit } from '../../../src/domain/age-facts.js';

describe('15th year completed', () => {
  it('counts the 15th birthday itself', () => {
    expect(ageFacts('2011-06-15', '2026-06-15').reached15).toBe(true);
    expect(ageFacts('2011-06-15', '2026-06-14').reached15).toBe(false);
  });

  it('handles a leap-day birth in a non-leap year', () => {
    // Born 29 Feb 2012: the 15th year is completed at the end of 28 Feb 2027, so 1 March 2027 is the first day at 15.
    expect(ageCompletedOn('2012-02-29', 15)).toBe('2027-02-28');
    expect(ageFacts('2012-02-29', '2027-03-01').reached15).toBe(true);
    expect(ageFacts('2012-02-29', '2027-02-28').reached15).toBe(false);
  });
});

describe('§ 7a SGB II limit', () => {
  it.each([
    [1946, 65, 0],
    [1947, 65, 1],
    [1952, 65, 6],
    [1957, 65, 11],
    [1958, 66, 0],
    [1959, 66, 2],
    [1961, 66, 6],
    [1963, 66, 10],
    [1964, 67, 0],
    [1990, 67, 0],
  ])('born %i: %i years %i months', (year, years, months) => {
    expect(section7aLimit(year)).toEqual({ years, months });
  });

  it('is reached at the end of the month in which the age is completed', () => {
    // Born 15 May 1960: 66y4m completed at the end of 14 Sep 2026, limit reached at the end of Sep 2026.
    expect(lastDayBelowSection7aLimit('1960-05-15')).toBe('2026-09-30');
    expect(ageFacts('1960-05-15', '2026-09-30').belowAgeLimit).toBe(true);
    expect(ageFacts('1960-05-15', '2026-10-01').belowAgeLimit).toBe(false);
  });

  it('for someone born on the 1st, completes the age in the month before the birthday', () => {
    // Born 1 Mar 1964: 67 completed at the end of 28 Feb 2031, so the limit is reached at the end of February.
    expect(lastDayBelowSection7aLimit('1964-03-01')).toBe('2031-02-28');
    expect(ageFacts('1964-03-01', '2031-02-28').belowAgeLimit).toBe(true);
    expect(ageFacts('1964-03-01', '2031-03-01').belowAgeLimit).toBe(false);
  });

  it.each([
    // Born 31 Dec 1959: 66y2m would end on "31 Feb 2026", a day February lacks, so the age is completed on its last day.
    ['1959-12-31', '2026-02-28'],
    ['1959-12-30', '2026-02-28'],
    // 2028 is a leap year: born 31 Aug 1961, 66y6m completed on 29 Feb 2028.
    ['1961-08-31', '2028-02-29'],
    // April has 30 days: born 31 Oct 1961, 66y6m completed on 30 Apr 2028.
    ['1961-10-31', '2028-04-30'],
  ])(
    "born %s, whose limit month lacks the birth day, completes the age on that month's last day (§ 188 Abs. 3 BGB): below until %s",
    (birthDate, lastDay) => {
      expect(lastDayBelowSection7aLimit(birthDate)).toBe(lastDay);
      expect(ageFacts(birthDate, lastDay).belowAgeLimit).toBe(true);
      const next = lightFormat(addDays(parseISO(lastDay), 1), 'yyyy-MM-dd');
      expect(ageFacts(birthDate, next).belowAgeLimit).toBe(false);
    },
  );
});

describe('ageCompletedOn', () => {
  it.each([
    ['1959-12-31', 66, 2, '2026-02-28'],
    ['1959-12-30', 66, 2, '2026-02-28'],
    ['1959-12-29', 66, 2, '2026-02-28'],
    ['1959-12-28', 66, 2, '2026-02-27'],
    ['2008-02-29', 15, 0, '2023-02-28'],
    ['2008-02-29', 16, 0, '2024-02-28'],
    ['1960-08-01', 66, 4, '2026-11-30'],
  ])('born %s: %i years %i months completed at the end of %s', (birthDate, years, months, completed) => {
    expect(ageCompletedOn(birthDate, years, months)).toBe(completed);
  });
});

describe('U25', () => {
  it('is under 25 until the 25th birthday', () => {
    expect(ageFacts('2001-12-01', '2026-11-30').isU25).toBe(true);
    expect(ageFacts('2001-12-01', '2026-12-01').isU25).toBe(false);
  });
});
