/**
 * The two worker sets the end-to-end intakes run with, subscribed to the same topics (every worker of
 * workers/index.ts) through the same worker host:
 *  - real: our workers, the booking and the facts worker watched, so the bench learns when each eLb is booked;
 *  - no-op: every task of the Cottbus path completed with outputs of the real shape and size (ids, lists, counts,
 *    instants, an appointment), no store work. Same topics, same declared variables, same input and output parsing,
 *    so the ratio of the two runs is what our handlers and the store cost over the engine and the runtime.
 */
import { createHash } from 'node:crypto';

import { TZDate } from '@date-fns/tz';
import { subDays } from 'date-fns';
import { z } from 'zod';

import { BERLIN } from '../../src/calendar/berlin-time.js';
import { berlinDate, type WorkingDayCalendar } from '../../src/calendar/index.js';
import { type AnyWorker, BpmnError, IncidentError } from '../../src/worker-runtime/define-worker.js';
import { workers as allWorkers } from '../../workers/index.js';
import { idList } from '../../workers/persons.derive-eligibility-facts.js';
import { ELB_PER_HOUSEHOLD } from '../households.js';

/** What the bench learns from the workers while an intake run goes. */
export interface BookingWatch {
  /** The facts worker said how many eLb the application has. */
  eligible(applicationId: string, count: number): void;
  /** One eLb's first consultation is booked (the appointment is in the store for the real workers). */
  booked(applicationId: string, personId: string): void;
  /** One eLb got NO_SLOT_AVAILABLE: the diagram hands it to a person (deputy booking). */
  noSlot(applicationId: string, personId: string): void;
}

const DERIVE = 'persons.derive-eligibility-facts';
const BOOK = 'atv.book-first-consultation';

type Handler = AnyWorker['handler'];

function watched(worker: AnyWorker, handler: Handler): AnyWorker {
  return { ...worker, handler };
}

export function realWorkers(watch: BookingWatch): AnyWorker[] {
  return allWorkers.map((w) => {
    if (w.topic === DERIVE) {
      return watched(w, async (input, ctx) => {
        const out = await w.handler(input, ctx);
        watch.eligible(
          (input as { applicationId: string }).applicationId,
          (out as { eligiblePersonCount: number }).eligiblePersonCount,
        );
        return out;
      });
    }
    if (w.topic === BOOK) {
      return watched(w, async (input, ctx) => {
        const { applicationId, personId } = input as { applicationId: string; personId: string };
        try {
          const out = await w.handler(input, ctx);
          watch.booked(applicationId, personId);
          return out;
        } catch (e) {
          if (e instanceof BpmnError && e.code === 'NO_SLOT_AVAILABLE') watch.noSlot(applicationId, personId);
          throw e;
        }
      });
    }
    return w;
  });
}

/** A UUID that depends only on its inputs, so a task handed out twice gets the same ids. */
function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Fixed per run: the no-op deadline worker answers what the real one computes for today, without recording it. */
function deadlinesOfToday(calendar: WorkingDayCalendar, now: Date) {
  const today = berlinDate(now);
  const endOfDay = (day: string) => `${day}T23:59:59${calendar.breachInstant(day).slice(19)}`;
  const mdsDueDate = calendar.addWorkingDays(today, 15);
  const documentsReturnDate = calendar.addWorkingDays(today, 10);
  const arbeitspaketReturnDate = calendar.addWorkingDays(today, 5);
  return {
    mdsDueDate,
    mdsBreachAt: calendar.breachInstant(mdsDueDate),
    mdsReminderAt: calendar.reminderInstant(mdsDueDate, 3),
    mdsTaskDueAt: endOfDay(mdsDueDate),
    documentsReturnDate,
    documentsReminderAt: calendar.breachInstant(documentsReturnDate),
    arbeitspaketReturnDate,
    arbeitspaketReminderAt: calendar.breachInstant(arbeitspaketReturnDate),
    arbeitspaketTaskDueAt: endOfDay(arbeitspaketReturnDate),
  };
}

export function noopWorkers(watch: BookingWatch, calendar: WorkingDayCalendar, now = new Date()): AnyWorker[] {
  const deadlines = deadlinesOfToday(calendar, now);
  // A week before the breach by the Berlin clock: midnight there, also across a change to or from summer time.
  const slot = new Date(subDays(new TZDate(deadlines.mdsBreachAt, BERLIN), 7).getTime());
  const personsOf = (applicationId: string) =>
    Array.from({ length: ELB_PER_HOUSEHOLD }, (_, i) => stableUuid(applicationId, 'person', String(i)));
  const byPerson = (persons: string[], value: (i: number) => string) =>
    Object.fromEntries(persons.map((p, i) => [p, value(i)]));
  const outputs: Record<string, (input: Record<string, any>) => unknown> = {
    [DERIVE]: ({ applicationId }) => {
      const persons = personsOf(applicationId);
      watch.eligible(applicationId, persons.length);
      const all = idList(persons);
      return {
        personFacts: persons.map((personId, i) => ({
          personId,
          role: i === 0 ? 'head' : 'member',
          reached15: true,
          belowAgeLimit: true,
          erwerbsfaehig: true,
          isU25: false,
        })),
        headPersonId: persons[0],
        personIds: all,
        personCount: persons.length,
        reached15PersonIds: all,
        belowAgeLimitPersonIds: all,
        u25PersonIds: '',
        eligiblePersonIds: all,
        eligiblePersonCount: persons.length,
      };
    },
    'applications.record-eligibility': () => ({ newCustomer: true, notNewReason: null }),
    'verbis.upsert-customers': ({ applicationId }) => {
      const persons = personsOf(applicationId);
      const kd = byPerson(persons, (i) => `KD${String(i + 1).padStart(9, '0')}`);
      const caseworkers = byPerson(persons, (i) => `av-ue25-${String(i + 1).padStart(2, '0')}`);
      const teams = byPerson(persons, () => 'ue25-a-f');
      return {
        kdNumbers: kd,
        caseworkers,
        teams,
        eligibleKdNumbers: idList(persons.map((p) => kd[p]!)),
        eligibleCaseworkerIds: idList(persons.map((p) => caseworkers[p]!)),
        eligibleTeamIds: idList(persons.map((p) => teams[p]!)),
      };
    },
    'allegro.assign-bg-number': () => ({ bgNumber: 'COTBG0000001' }),
    'allegro.record-application-date': () => ({}),
    'verbis.write-history-note': ({ applicationId }) => ({ historyNoteId: stableUuid(applicationId, 'history') }),
    'calendar.compute-deadlines': () => deadlines,
    'documents.issue-application-pack': ({ applicationId }) => ({
      documentIds: [0, 1, 2, 3, 4].map((i) => stableUuid(applicationId, 'document', String(i))),
    }),
    [BOOK]: ({ applicationId, personId, caseworkers }) => {
      const caseworkerId = (caseworkers as Record<string, string>)[personId] ?? 'av-ue25-01';
      const appointment = {
        id: stableUuid(applicationId, personId, 'appointment'),
        caseworkerId,
        startsAt: slot.toISOString(),
        endsAt: new Date(slot.getTime() + 20 * 60_000).toISOString(),
      };
      watch.booked(applicationId, personId);
      return { appointment, appointmentCaseworkerId: caseworkerId, appointmentStartsAt: appointment.startsAt };
    },
    'documents.issue-invitation': () => ({ invitation: 'letter' }),
  };
  return allWorkers.map((w) => {
    const output = outputs[w.topic];
    return watched(w, async (input) => {
      if (!output)
        throw new IncidentError(
          `${w.topic} has no no-op in the benchmark: the intake left the path to the first booking`,
        );
      return output(input as Record<string, any>);
    });
  });
}

const emptyObject = z.object({});

/** A topic of its own, for the engine's ceiling: the tiny diagram's tasks, completed with nothing. */
export const NOOP_TOPIC = 'bench.noop';

export function bareNoopWorker(onDone: () => void): AnyWorker {
  return {
    topic: NOOP_TOPIC,
    description: 'Completes the benchmark diagram task with nothing.',
    input: emptyObject,
    output: emptyObject,
    errors: [],
    handler: async () => {
      onDone();
      return {};
    },
  };
}
