/**
 * The QuEr limits after approval in principle: the head within 10 working days (counted from the approval, or
 * from the end of an ALG I claim), other members 15+ within the first 10 working days of the following month;
 * records both kinds of deadline. quer-wuppertal.
 */
import { z } from 'zod';
import { settingsOf } from '../src/domain/cases.js';
import { recordDeadline } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';
import { IsoDate } from '../src/calendar/iso-date-schema.js';


/** 'YYYY-MM' of the month after a date. */
export function followingMonth(date: string): string {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1));
  return d.toISOString().slice(0, 7);
}

export default defineWorker({
  type: 'calendar.compute-quer-deadlines',
  description: 'Computes and records the QuEr deadline of the head and the first-consultation deadlines of the other members.',
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    approvedOn: IsoDate,
    querCountFrom: IsoDate.nullish(),
    headPersonId: z.string().uuid(),
    otherMemberIds: z.array(z.string().uuid()).default([]),
  }),
  output: z.object({
    querDueDate: z.string(),
    querBreachAt: z.string(),
    querReminderAt: z.string(),
    memberDueDate: z.string(),
    memberBreachAt: z.string(),
    memberReminderAt: z.string(),
    memberWindowOpensAt: z.string(),
  }),
  errors: [],
  async handler(input, { deps }) {
    const { settings, calendar } = settingsOf(deps, input.jobcenter);
    const d = settings.deadlines;
    const remind = d.reminderWorkingDaysBefore ?? 3;
    const querDueDate = calendar.addWorkingDays(input.querCountFrom ?? input.approvedOn, d.querWorkingDays ?? 10);
    const month = followingMonth(input.approvedOn);
    const memberDueDate = calendar.nthWorkingDayOfMonth(month, d.memberNthWorkingDay ?? 10);
    const querBreachAt = calendar.breachInstant(querDueDate);
    const memberBreachAt = calendar.breachInstant(memberDueDate);
    await recordDeadline(deps.store.db, { jobcenter: input.jobcenter, applicationId: input.applicationId, personId: input.headPersonId, kind: 'quer', dueDate: querDueDate, breachAt: querBreachAt });
    for (const personId of input.otherMemberIds) {
      await recordDeadline(deps.store.db, { jobcenter: input.jobcenter, applicationId: input.applicationId, personId, kind: 'quer-member', dueDate: memberDueDate, breachAt: memberBreachAt });
    }
    // The last day of the approval month at its end: 00:00 Berlin on the 1st of the next month.
    const lastOfMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 0)).toISOString().slice(0, 10);
    return {
      querDueDate,
      querBreachAt,
      querReminderAt: calendar.reminderInstant(querDueDate, remind),
      memberDueDate,
      memberBreachAt,
      memberReminderAt: calendar.reminderInstant(memberDueDate, remind),
      memberWindowOpensAt: calendar.breachInstant(lastOfMonth),
    };
  },
});
