import { createCalendar } from '../../../src/calendar/index.js';
import { forecastCapacity, type ForecastInput, isoWeek, mondayOf } from '../../../src/reports/capacity-forecast.js';
import { estimateIntake } from '../../../src/reports/intake-estimate.js';

const bb = createCalendar({ state: 'BB' });
const MON_TUE_THU_FRI = [1, 2, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '10:00' }));
// Monday 7 December 2026, 08:00 in Berlin: before the day's window.
const NOW = new Date('2026-12-07T07:00:00Z');
const berlin = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+01:00`);

function input(over: Partial<ForecastInput> = {}): ForecastInput {
  return {
    now: NOW,
    weeks: 4,
    calendar: bb,
    slotMinutes: 20,
    windows: MON_TUE_THU_FRI,
    teams: [{ id: 'u25', name: 'Team U25', caseworkers: [{ id: 'cw1' }] }],
    absences: [],
    appointments: [],
    open: [],
    deadlineWorkingDays: 15,
    ...over,
  };
}

describe('weeks', () => {
  it('labels a period by its ISO week from Monday', () => {
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2026-12-07')).toBe('2026-12-07');
    expect(isoWeek('2026-12-28')).toBe(53);
    expect(isoWeek('2027-01-04')).toBe(1);
  });
});

describe('supply', () => {
  it('counts the free slots of the released windows per week, without the holidays', () => {
    const f = forecastCapacity(input());
    expect(f.rows.map((r) => [r.label, r.freeSlots])).toEqual([
      ['KW 50', 12],
      ['KW 51', 12],
      // Friday 25 December and Friday 1 January are holidays in Brandenburg.
      ['KW 52', 9],
      ['KW 53', 9],
    ]);
  });

  it('takes absences and booked appointments off', () => {
    const f = forecastCapacity(
      input({
        absences: [
          { caseworkerId: 'cw1', startsAt: berlin('2026-12-14', '00:00'), endsAt: berlin('2026-12-16', '00:00') },
        ],
        appointments: [
          { caseworkerId: 'cw1', startsAt: berlin('2026-12-07', '09:20'), endsAt: berlin('2026-12-07', '09:40') },
        ],
      }),
    );
    expect(f.rows[0]!.freeSlots).toBe(11);
    expect(f.rows[1]!.freeSlots).toBe(6);
  });

  it('uses a caseworker’s own windows and pools the team', () => {
    const f = forecastCapacity(
      input({
        teams: [
          {
            id: 'u25',
            name: 'Team U25',
            caseworkers: [{ id: 'cw1' }, { id: 'cw2', windows: [{ weekday: 3, from: '13:00', to: '15:00' }] }],
          },
        ],
      }),
    );
    expect(f.rows[0]!.freeSlots).toBe(12 + 6);
  });
});

describe('gap', () => {
  it('reports no shortfall while the slots before each deadline suffice', () => {
    const open = Array.from({ length: 12 }, () => ({ team: 'u25', dueDate: '2026-12-11' }));
    const f = forecastCapacity(input({ open }));
    expect(f.rows[0]).toMatchObject({ dueOpen: 12, freeSlots: 12, missed: 0, hoursToClose: 0 });
  });

  it('names the week, the consultations that would miss their deadline and the release hours to close it', () => {
    // 15 due on Friday 11 December, but only 12 slots from Monday to Friday.
    const open = Array.from({ length: 15 }, () => ({ team: 'u25', dueDate: '2026-12-11' }));
    const f = forecastCapacity(input({ open }));
    expect(f.rows[0]).toMatchObject({ label: 'KW 50', dueOpen: 15, missed: 3, hoursToClose: 1 });
    expect(f.rows.slice(1).every((r) => r.missed === 0)).toBe(true);
  });

  it('serves earliest deadline first, so a later deadline does not take an earlier one’s slot', () => {
    const open = [
      ...Array.from({ length: 10 }, () => ({ team: 'u25', dueDate: '2026-12-18' })),
      ...Array.from({ length: 3 }, () => ({ team: 'u25', dueDate: '2026-12-08' })),
    ];
    const f = forecastCapacity(input({ open }));
    // Monday and Tuesday hold 6 slots: the 3 due Tuesday fit; the 10 due next Friday fit in what is left.
    expect(f.rows.map((r) => r.missed)).toEqual([0, 0, 0, 0]);
  });

  it('lets cases already past their deadline take the first slots, without counting them again as missed', () => {
    const open = [
      ...Array.from({ length: 6 }, () => ({ team: 'u25', dueDate: '2026-12-01' })),
      ...Array.from({ length: 8 }, () => ({ team: 'u25', dueDate: '2026-12-11' })),
    ];
    const f = forecastCapacity(input({ open }));
    expect(f.rows[0]).toMatchObject({ overdue: 6, dueOpen: 8, missed: 2 });
  });

  it('adds the expected new cases, each due 15 working days after its day', () => {
    const intake = [
      {
        team: 'u25',
        byWeekday: [0, 8, 8, 8, 8, 8, 0].map((mean) => ({ mean, sd: 1, samples: 8 })),
      },
    ];
    const f = forecastCapacity(input({ intake, weeks: 6 }));
    // Arriving from Tuesday 8 December on, 8 a working day; the first ones fall due on 30 December (KW 53).
    expect(f.rows.slice(0, 3).every((r) => r.dueExpected === 0)).toBe(true);
    expect(f.rows[3]!.dueExpected).toBeGreaterThan(0);
    // 8 a day against 12 slots a week: the slots of the quiet first weeks are used up, then deadlines are missed.
    expect(f.rows.reduce((a, r) => a + r.missed, 0)).toBeGreaterThan(0);
    expect(f.rows[3]!.dueExpectedSpread).toBeGreaterThan(0);
  });

  it('reports Wuppertal’s first 10 working days of next month as a period of its own', () => {
    const nrw = createCalendar({ state: 'NW' });
    const from = nrw.nthWorkingDayOfMonth('2027-01', 1);
    const to = nrw.nthWorkingDayOfMonth('2027-01', 10);
    const open = Array.from({ length: 30 }, () => ({ team: 'bi-barmen', dueDate: to }));
    const f = forecastCapacity(
      input({
        calendar: nrw,
        teams: [{ id: 'bi-barmen', name: 'BI Barmen', caseworkers: [{ id: 'cw1' }] }],
        open,
        deadlineWorkingDays: 10,
        extraPeriod: { label: 'erste 10 Arbeitstage Januar', from, to },
      }),
    );
    expect(from).toBe('2027-01-04');
    expect(to).toBe('2027-01-15');
    // From now to 15 January: 12 + 12 + 9 + 9 + 12 + 12 slots; 30 due fit, so nothing is missed.
    expect(f.period[0]).toMatchObject({ team: 'bi-barmen', dueOpen: 30, missed: 0, freeSlots: 24 });
    const tight = forecastCapacity(
      input({
        calendar: nrw,
        teams: [{ id: 'bi-barmen', name: 'BI Barmen', caseworkers: [{ id: 'cw1' }] }],
        open: Array.from({ length: 70 }, () => ({ team: 'bi-barmen', dueDate: to })),
        deadlineWorkingDays: 10,
        extraPeriod: { label: 'erste 10 Arbeitstage Januar', from, to },
      }),
    );
    expect(tight.period[0]).toMatchObject({ dueOpen: 70, missed: 70 - 66, hoursToClose: 2 });
  });
});

describe('intake estimate', () => {
  it('takes the mean and spread per weekday over the last 8 weeks, leaving holidays out', () => {
    // Mondays from 12 October to 30 November 2026: 2, 4, 2, 4, 2, 4, 2, 4.
    const mondays = Array.from({ length: 8 }, (_, i) =>
      new Date(Date.UTC(2026, 9, 12 + 7 * i)).toISOString().slice(0, 10),
    );
    const history = mondays.map((date, i) => ({ team: 'u25', date, count: i % 2 ? 4 : 2 }));
    // Reformationstag, Saturday 31 October, is no sample; a Friday holiday would be left out the same way.
    const [u25] = estimateIntake({ history, teams: ['u25'], calendar: bb, today: '2026-12-07' });
    expect(u25!.byWeekday[1]).toEqual({ mean: 3, sd: expect.closeTo(1.069, 3), samples: 8 });
    expect(u25!.byWeekday[2]).toMatchObject({ mean: 0, samples: 8 });
    expect(u25!.byWeekday[0]).toEqual({ mean: 0, sd: 0, samples: 0 });
  });

  it('does not count a holiday as a weekday with no intake', () => {
    // Good Friday 2026 (3 April) is a holiday in every state.
    const history = [{ team: 'u25', date: '2026-04-10', count: 5 }];
    const [u25] = estimateIntake({ history, teams: ['u25'], calendar: bb, today: '2026-04-13', weeks: 2 });
    expect(u25!.byWeekday[5]).toEqual({ mean: 5, sd: 0, samples: 1 });
  });
});
