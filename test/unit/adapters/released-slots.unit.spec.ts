import { describe, expect, it } from '@jest/globals';

import { releasedSlots } from '../../../src/adapters/atv/released-slots.js';
import { createCalendar } from '../../../src/calendar/index.js';

const calendar = createCalendar({ state: 'BB' });
const windows = [1, 2, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '10:00' }));
const base = { calendar, windows, slotMinutes: 20, absences: [] as { startsAt: Date; endsAt: Date }[] };

describe('released ATV slots', () => {
  it('offers three 20-minute slots per window, Monday, Tuesday, Thursday and Friday only, in Berlin time', () => {
    // Week of Mon 2026-11-30: Wednesday 2 Dec is not released.
    const slots = releasedSlots({
      ...base,
      fromDate: '2026-11-30',
      toDate: '2026-12-04',
      now: new Date('2026-11-01T00:00:00Z'),
    });
    expect(slots).toHaveLength(12);
    expect(slots[0]!.startsAt.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(slots[2]!.endsAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(slots.map((s) => s.startsAt.toISOString().slice(0, 10))).not.toContain('2026-12-02');
  });

  it('follows summer time', () => {
    const slots = releasedSlots({
      ...base,
      fromDate: '2027-03-29',
      toDate: '2027-03-30',
      now: new Date('2027-01-01T00:00:00Z'),
    });
    // Summer time starts 28 March 2027; 29 March is Easter Monday (holiday): only Tuesday 30 March, 09:00 CEST = 07:00 UTC.
    expect(slots.map((s) => s.startsAt.toISOString())).toEqual([
      '2027-03-30T07:00:00.000Z',
      '2027-03-30T07:20:00.000Z',
      '2027-03-30T07:40:00.000Z',
    ]);
  });

  it('leaves out holidays, the past, and absences', () => {
    const now = new Date('2026-12-21T08:10:00Z'); // Monday 09:10 Berlin: the first slot has begun
    const absences = [{ startsAt: new Date('2026-12-22T00:00:00Z'), endsAt: new Date('2026-12-23T00:00:00Z') }];
    const slots = releasedSlots({ ...base, absences, fromDate: '2026-12-21', toDate: '2026-12-28', now });
    const days = [...new Set(slots.map((s) => s.startsAt.toISOString().slice(0, 10)))];
    // 21 (rest of the window), 22 absent, 24 Thu, 25 Fri holiday, 28 Mon.
    expect(days).toEqual(['2026-12-21', '2026-12-24', '2026-12-28']);
    expect(slots[0]!.startsAt.toISOString()).toBe('2026-12-21T08:20:00.000Z');
  });

  it('offers nothing after the due date', () => {
    const slots = releasedSlots({
      ...base,
      fromDate: '2026-12-01',
      toDate: '2026-12-02',
      now: new Date('2026-11-01T00:00:00Z'),
    });
    expect(slots.every((s) => s.startsAt < new Date('2026-12-03T00:00:00+01:00'))).toBe(true);
    expect(slots).toHaveLength(3);
  });
});
