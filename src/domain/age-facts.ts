/**
 * Turns a birth date into the non-personal facts the "Neukunde" decision needs (15 completed, below the
 * § 7a SGB II age limit, under 25), so the birth date itself never enters the process.
 * Dates are 'YYYY-MM-DD' local dates; arithmetic on UTC midnights avoids time-zone drift.
 */

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}

function iso(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.toISOString().slice(0, 10);
}

/**
 * The date on which `years` and `months` of life are completed, at its end: the day before the day of the target
 * month that bears the birth day's number (§ 187 Abs. 2, § 188 Abs. 2 BGB), or the target month's last day when
 * that month has no such day (§ 188 Abs. 3 BGB: born on the 31st, a limit month of 30 days ends on the 30th; born
 * on the 29th to 31st, a February limit month ends on the 28th or 29th).
 */
export function ageCompletedOn(birthDate: string, years: number, months = 0): string {
  const [y, m, d] = parts(birthDate);
  const monthIndex = y * 12 + (m - 1) + years * 12 + months;
  const [targetYear, targetMonth] = [Math.floor(monthIndex / 12), (monthIndex % 12) + 1];
  const daysInTarget = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return d > daysInTarget ? iso(targetYear, targetMonth, daysInTarget) : iso(targetYear, targetMonth, d - 1);
}

/** § 7a SGB II: the age limit by birth year, as years and months. */
export function section7aLimit(birthYear: number): { years: number; months: number } {
  if (birthYear < 1947) return { years: 65, months: 0 };
  if (birthYear <= 1957) return { years: 65, months: birthYear - 1946 };
  if (birthYear === 1958) return { years: 66, months: 0 };
  if (birthYear <= 1963) return { years: 66, months: (birthYear - 1958) * 2 };
  return { years: 67, months: 0 };
}

/** The last day on which a person is still below the § 7a limit: the end of the month in which the limit age is completed. */
export function lastDayBelowSection7aLimit(birthDate: string): string {
  const { years, months } = section7aLimit(parts(birthDate)[0]);
  const [y, m] = parts(ageCompletedOn(birthDate, years, months));
  return iso(y, m + 1, 0);
}

export interface AgeFacts {
  /** The 15th year of life is completed on or before the application date (the 15th birthday counts). */
  reached15: boolean;
  belowAgeLimit: boolean;
  isU25: boolean;
}

export function ageFacts(birthDate: string, onDate: string): AgeFacts {
  // Completed at the end of the day before the birthday, so on the birthday itself the age is reached.
  const reached = (years: number) => ageCompletedOn(birthDate, years) < onDate;
  return {
    reached15: reached(15),
    belowAgeLimit: onDate <= lastDayBelowSection7aLimit(birthDate),
    isU25: !reached(25),
  };
}
