/**
 * The QuEr limits after approval in principle: the head within 10 working days (counted from the approval, or
 * from the last day of an ALG I claim that ends later), the other eLb within the first 10 working days of the
 * following month; records both kinds of deadline and names the other eLb for the diagram. quer-wuppertal.
 */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { settingsOf } from '../src/domain/cases.js';
import { recordDeadline } from '../src/domain/deadlines.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';
import { IdList, idList } from './persons.derive-eligibility-facts.js';

/** 'YYYY-MM' of the month after a date. */
export function followingMonth(date: string): string {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1));
  return d.toISOString().slice(0, 7);
}

/**
 * The day the 10 QuEr working days count from: the approval, or for an Aufstocker the last day of the ALG I
 * claim when that is on or after the approval (no consultation in BI before the claim has ended).
 */
export function querCountFrom(
  approvedOn: string,
  aufstocker: boolean,
  alg1ClaimEndsOn: string | null | undefined,
): string {
  return aufstocker && alg1ClaimEndsOn && alg1ClaimEndsOn >= approvedOn ? alg1ClaimEndsOn : approvedOn;
}

/** 23:59:59 Europe/Berlin on the due date, with the offset then in force: the due date of a staff task. */
export function taskDueInstant(dueDate: string, breachInstant: string): string {
  // Clocks change at 02:00/03:00, so the offset at 23:59:59 is the one at the following midnight (the breach instant).
  return `${dueDate}T23:59:59${breachInstant.slice(19)}`;
}

export default defineWorker({
  topic: 'calendar.compute-quer-deadlines',
  description:
    'Computes and records the QuEr deadline of the head and the first-consultation deadlines of the other eLb.',
  input: z.object({
    applicationId: z.string().uuid(),
    jobcenter: z.string().min(1),
    approvedOn: IsoDate,
    aufstocker: z.boolean().nullish(),
    alg1ClaimEndsOn: IsoDate.nullish(),
    headPersonId: z.string().uuid(),
    /** The eLb as "id1,id2", the head among them. */
    eligiblePersonIds: IdList,
  }),
  output: z.object({
    querCountFrom: IsoDate,
    querDueDate: IsoDate,
    querTaskDueAt: z.string(),
    querBreachAt: z.string(),
    querReminderAt: z.string(),
    memberDueDate: IsoDate,
    memberTaskDueAt: z.string(),
    memberBreachAt: z.string(),
    memberReminderAt: z.string(),
    memberWindowOpensAt: z.string(),
    /** The eLb other than the head as "id1,id2" (empty text for none), with their number for the multi-instance. */
    otherMemberIds: z.string(),
    otherMemberCount: z.number().int().min(0),
  }),
  errors: [],
  async handler(input, { deps }) {
    const { settings, calendar } = settingsOf(deps, input.jobcenter);
    const d = settings.deadlines;
    const remind = d.reminderWorkingDaysBefore ?? 3;
    const countFrom = querCountFrom(input.approvedOn, input.aufstocker ?? false, input.alg1ClaimEndsOn);
    const querDueDate = calendar.addWorkingDays(countFrom, d.querWorkingDays ?? 10);
    const month = followingMonth(input.approvedOn);
    const memberDueDate = calendar.nthWorkingDayOfMonth(month, d.memberNthWorkingDay ?? 10);
    const querBreachAt = calendar.breachInstant(querDueDate);
    const memberBreachAt = calendar.breachInstant(memberDueDate);
    const others = input.eligiblePersonIds.filter((id: string) => id !== input.headPersonId);
    await recordDeadline(deps.store.db, {
      jobcenter: input.jobcenter,
      applicationId: input.applicationId,
      personId: input.headPersonId,
      kind: 'quer',
      dueDate: querDueDate,
      breachAt: querBreachAt,
    });
    for (const personId of others) {
      await recordDeadline(deps.store.db, {
        jobcenter: input.jobcenter,
        applicationId: input.applicationId,
        personId,
        kind: 'quer-member',
        dueDate: memberDueDate,
        breachAt: memberBreachAt,
      });
    }
    // The last day of the approval month at its end: 00:00 Berlin on the 1st of the next month.
    const lastOfMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 0))
      .toISOString()
      .slice(0, 10);
    return {
      querCountFrom: countFrom,
      querDueDate,
      querTaskDueAt: taskDueInstant(querDueDate, querBreachAt),
      querBreachAt,
      querReminderAt: calendar.reminderInstant(querDueDate, remind),
      memberDueDate,
      memberTaskDueAt: taskDueInstant(memberDueDate, memberBreachAt),
      memberBreachAt,
      memberReminderAt: calendar.reminderInstant(memberDueDate, remind),
      memberWindowOpensAt: calendar.breachInstant(lastOfMonth),
      otherMemberIds: idList(others),
      otherMemberCount: others.length,
    };
  },
});
