/**
 * The expected intake of new eLb per team and weekday: the mean and the spread of the same weekday's counts over
 * the last weeks (8 by default), counting only the working days of the jobcenter's calendar, so a holiday with no
 * intake does not pull its weekday down. A weekday is the pattern the seeds describe (Mondays busier after the
 * weekend, post arriving in batches); a trend over the weeks is left out on purpose: 8 points are too few for one.
 */
import type { IsoDate, WorkingDayCalendar } from '../calendar/index.js';

export interface DailyIntake {
  team: string;
  date: IsoDate;
  count: number;
}

export interface WeekdayEstimate {
  mean: number;
  /** Sample standard deviation; 0 with fewer than two samples. */
  sd: number;
  samples: number;
}

export interface IntakeEstimate {
  team: string;
  /** By JavaScript weekday, 0 Sunday ... 6 Saturday; weekends are 0 unless the calendar makes them working days. */
  byWeekday: WeekdayEstimate[];
}

const day = 86_400_000;
const addDays = (d: IsoDate, n: number): IsoDate =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * day).toISOString().slice(0, 10);

export function estimateIntake(opts: {
  history: readonly DailyIntake[];
  teams: readonly string[];
  calendar: WorkingDayCalendar;
  /** The day the estimate is made; the weeks before it (not the day itself, whose intake is still coming) count. */
  today: IsoDate;
  weeks?: number;
}): IntakeEstimate[] {
  const weeks = opts.weeks ?? 8;
  const counts = new Map(opts.history.map((h) => [`${h.team}|${h.date}`, h.count]));
  return opts.teams.map((team) => {
    const samples: number[][] = Array.from({ length: 7 }, () => []);
    for (let d = addDays(opts.today, -7 * weeks); d < opts.today; d = addDays(d, 1)) {
      if (!opts.calendar.isWorkingDay(d)) continue;
      samples[new Date(`${d}T00:00:00Z`).getUTCDay()]!.push(counts.get(`${team}|${d}`) ?? 0);
    }
    return {
      team,
      byWeekday: samples.map((xs) => {
        if (!xs.length) return { mean: 0, sd: 0, samples: 0 };
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
        return { mean, sd, samples: xs.length };
      }),
    };
  });
}
