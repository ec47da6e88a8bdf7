/** The Wuppertal QuEr workers against a real in-memory store; reruns change nothing. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AppDeps } from '../../../src/app/deps.js';
import { berlinDate } from '../../../src/calendar/index.js';
import { decodeInput } from '../../../src/worker-runtime/structured-variables.js';
import recordOutcome from '../../../workers/applications.record-outcome.js';
import shortNotice from '../../../workers/atv.book-short-notice-appointment.js';
import submission from '../../../workers/atv.book-submission-appointment.js';
import querDeadlines from '../../../workers/calendar.compute-quer-deadlines.js';
import assignVm from '../../../workers/fmg.assign-virtual-worker.js';
import reassign from '../../../workers/fmg.reassign-from-virtual-worker.js';
import route from '../../../workers/fmg.route-to-special-team.js';
import statistics from '../../../workers/fmg.set-statistics-entries.js';
import { completed, run, seedApplication, testDeps } from './harness.js';

let deps: AppDeps;
beforeAll(async () => {
  deps = await testDeps(new Date('2026-11-23T09:00:00+01:00')); // a Monday
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine
afterAll(async () => {
  await deps.store.close();
});

const wuppertal = (familyName = 'Becker') =>
  seedApplication(deps, {
    jobcenter: 'wuppertal',
    members: [
      { familyName, givenName: 'Tom', birthDate: '1980-02-02', role: 'head' },
      { familyName, givenName: 'Lea', birthDate: '2009-05-05' },
      { familyName, givenName: 'Mia', birthDate: '2015-05-05' },
    ],
  });

const caseworkerOf = async (personId: string) =>
  (
    await deps.store.db
      .selectFrom('persons')
      .select('caseworker_id')
      .where('id', '=', personId)
      .executeTakeFirstOrThrow()
  ).caseworker_id;

describe('virtual worker and reassignment', () => {
  it('puts the head on the branch VM with the day of arrival F-IFK, then on the responsible IFK, once each', async () => {
    const { applicationId, personIds } = await wuppertal('Becker');
    const head = personIds[0]!;
    const vars = { applicationId, jobcenter: 'wuppertal', branch: 'gst-barmen', headPersonId: head };
    const first = completed(await run(assignVm, deps, vars));
    expect(completed(await run(assignVm, deps, vars))).toEqual(first);
    expect(first.virtualWorkerId).toBe('quer-barmen-vm');
    const rota = deps.jobcenters.get('wuppertal')!.branches.find((b) => b.id === 'gst-barmen')!.fIfkRota;
    // The application row was stamped by the database clock: the rota of that Berlin day applies.
    const day = new Date(`${berlinDate(new Date())}T00:00:00Z`).getUTCDay();
    const arrivalWeekday = day === 0 || day === 6 ? 1 : day;
    expect(first.fIfkId).toBe(rota.find((r) => r.weekday === arrivalWeekday)?.caseworkerId);
    expect(await caseworkerOf(head)).toBe('quer-barmen-vm');

    const r1 = completed(await run(reassign, deps, { ...vars, virtualWorkerId: first.virtualWorkerId }));
    const r2 = completed(await run(reassign, deps, { ...vars, virtualWorkerId: first.virtualWorkerId }));
    expect(r2).toEqual(r1);
    const ifk = deps.jobcenters.get('wuppertal')!.caseworkers.find((c) => c.id === r1.ifkId)!;
    expect(ifk).toMatchObject({ team: 'bi-barmen', virtual: false });
    expect(await caseworkerOf(head)).toBe(r1.ifkId);
    const moves = await deps.store.db
      .selectFrom('case_assignments')
      .select(['caseworker_id', 'reason'])
      .where('application_id', '=', applicationId)
      .orderBy('at')
      .execute();
    expect(moves).toEqual([
      { caseworker_id: 'quer-barmen-vm', reason: 'virtual-worker' },
      { caseworker_id: r1.ifkId, reason: 'ifk' },
    ]);
  });

  it("gives the other eLb the household's IFK and team for their bookings and notifications", async () => {
    const { applicationId, personIds } = await wuppertal('Hofmann');
    const [head, lea] = personIds;
    const vars = { applicationId, jobcenter: 'wuppertal', branch: 'gst-barmen', headPersonId: head };
    const { virtualWorkerId } = completed(await run(assignVm, deps, vars));
    const out = completed(await run(reassign, deps, { ...vars, virtualWorkerId, otherMemberIds: lea }));
    expect(out.caseworkers).toEqual({ [head!]: out.ifkId, [lea!]: out.ifkId });
    expect(out.teams).toEqual({ [head!]: 'bi-barmen', [lea!]: 'bi-barmen' });
    // Only the head's case shell moves; the members' first consultations are with the same IFK.
    expect(await caseworkerOf(lea!)).toBeNull();
    const alone = completed(await run(reassign, deps, { ...vars, virtualWorkerId, otherMemberIds: '' }));
    expect(alone.caseworkers).toEqual({ [head!]: out.ifkId });
  });

  it('routes to a special team, or leaves the case where it is', async () => {
    const { applicationId, personIds } = await wuppertal('Yilmaz');
    const member = personIds[1]!;
    expect(completed(await run(route, deps, { applicationId, personId: member, routing: 'VERBLEIB' }))).toEqual({
      teamId: null,
    });
    const out = completed(await run(route, deps, { applicationId, personId: member, routing: 'START_KLAR' }));
    expect(out.teamId).toBe('start-klar');
    const cw = deps.jobcenters.get('wuppertal')!.caseworkers.find((c) => c.team === 'start-klar' && !c.virtual);
    expect(await caseworkerOf(member)).toBe(cw?.id);
  });
});

describe('FMG.job entries and the LG outcome', () => {
  it('sets status, profile and ASU/NA from the application date and ALO from a later start of unemployment', async () => {
    const { applicationId, personIds } = await wuppertal();
    const vars = {
      applicationId,
      headPersonId: personIds[0],
      fIfkId: 'ifk-barmen-01',
      applicationDate: '2026-11-20',
      unemployedSince: '2026-12-01',
    };
    await run(statistics, deps, vars);
    completed(await run(statistics, deps, vars));
    const entries = await deps.store.db
      .selectFrom('fmg_entries')
      .select(['kind', 'value', 'valid_from'])
      .where('application_id', '=', applicationId)
      .orderBy('kind')
      .execute();
    expect(entries).toEqual([
      { kind: 'bael-alo', value: 'ALO', valid_from: '2026-12-01' },
      { kind: 'bael-asu-na', value: 'ASU/NA', valid_from: '2026-11-20' },
      { kind: 'kundenstatus', value: 'Antrag', valid_from: '2026-11-20' },
      { kind: 'qualitatives-vermittlungsprofil', value: 'angelegt', valid_from: '2026-11-20' },
    ]);
  });

  it('counts ALO from the application date when unemployment began earlier, and sets none without it', async () => {
    const earlier = await wuppertal();
    await run(statistics, deps, {
      applicationId: earlier.applicationId,
      headPersonId: earlier.personIds[0],
      fIfkId: 'ifk-barmen-01',
      applicationDate: '2026-11-20',
      unemployedSince: '2026-11-01',
    });
    const none = await wuppertal();
    const out = completed(
      await run(statistics, deps, {
        applicationId: none.applicationId,
        headPersonId: none.personIds[0],
        fIfkId: 'ifk-barmen-01',
        applicationDate: '2026-11-20',
        unemployedSince: null,
      }),
    );
    const alo = (id: string) =>
      deps.store.db
        .selectFrom('fmg_entries')
        .select('valid_from')
        .where('application_id', '=', id)
        .where('kind', '=', 'bael-alo')
        .execute();
    expect(await alo(earlier.applicationId)).toEqual([{ valid_from: '2026-11-20' }]);
    expect(await alo(none.applicationId)).toEqual([]);
    expect(out.entries).not.toContain('bael-alo');
  });

  it('records a rejection and refuses an outcome without its date', async () => {
    const { applicationId } = await wuppertal();
    completed(
      await run(
        recordOutcome,
        deps,
        { applicationId, rejectedOn: '2026-11-25' },
        { properties: { outcome: 'rejected' } },
      ),
    );
    const app = await deps.store.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    expect(app.status).toBe('rejected');
    expect(
      await run(recordOutcome, deps, { applicationId }, { properties: { outcome: 'approved-in-principle' } }),
    ).toMatchObject({ kind: 'fail', retries: 0 });
  });
});

describe('calendar.compute-quer-deadlines', () => {
  it('gives the head 10 working days over Christmas and the other eLb the 10th working day of the next month', async () => {
    const { applicationId, personIds } = await wuppertal();
    const [head, lea] = personIds;
    const vars = {
      applicationId,
      jobcenter: 'wuppertal',
      approvedOn: '2026-12-15',
      aufstocker: false,
      alg1ClaimEndsOn: null,
      headPersonId: head,
      eligiblePersonIds: `${head},${lea}`,
    };
    const out = completed(await run(querDeadlines, deps, vars));
    completed(await run(querDeadlines, deps, vars));
    // 16,17,18,21,22,23,24 (7), 25/26 holidays, 28,29,30 (10).
    expect(out).toMatchObject({
      querCountFrom: '2026-12-15',
      querDueDate: '2026-12-30',
      querTaskDueAt: '2026-12-30T23:59:59+01:00',
      querBreachAt: '2026-12-31T00:00:00+01:00',
    });
    // January 2027 in NW: 1 Jan holiday; 4-8 (5), 11-15 (10).
    expect(out).toMatchObject({
      memberDueDate: '2027-01-15',
      memberTaskDueAt: '2027-01-15T23:59:59+01:00',
      memberBreachAt: '2027-01-16T00:00:00+01:00',
    });
    expect(out.memberWindowOpensAt).toBe('2027-01-01T00:00:00+01:00');
    // The head has the QuEr; only the other eLb enter the members' multi-instance.
    expect(out).toMatchObject({ otherMemberIds: lea, otherMemberCount: 1 });
    const rows = await deps.store.db
      .selectFrom('deadlines')
      .select(['kind', 'person_id', 'due_date'])
      .where('application_id', '=', applicationId)
      .orderBy('kind')
      .execute();
    expect(rows).toEqual([
      { kind: 'quer', person_id: head, due_date: '2026-12-30' },
      { kind: 'quer-member', person_id: lea, due_date: '2027-01-15' },
    ]);
  });

  it('names no other eLb when the head is the only one', async () => {
    const { applicationId, personIds } = await wuppertal();
    const out = completed(
      await run(querDeadlines, deps, {
        applicationId,
        jobcenter: 'wuppertal',
        approvedOn: '2026-12-15',
        headPersonId: personIds[0],
        eligiblePersonIds: personIds[0],
      }),
    );
    expect(out).toMatchObject({ otherMemberIds: '', otherMemberCount: 0 });
  });

  it('counts an Aufstocker QuEr from the last day of the ALG I claim when it ends after the approval', async () => {
    const { applicationId, personIds } = await wuppertal();
    const vars = {
      applicationId,
      jobcenter: 'wuppertal',
      approvedOn: '2026-11-02',
      aufstocker: true,
      alg1ClaimEndsOn: '2027-02-26',
      headPersonId: personIds[0],
      eligiblePersonIds: personIds[0],
    };
    const out = completed(await run(querDeadlines, deps, vars));
    expect(out).toMatchObject({ querCountFrom: '2027-02-26', querDueDate: '2027-03-12' });
  });

  it('counts from the approval when the ALG I claim ended before it, or for someone who is no Aufstocker', async () => {
    const { applicationId, personIds } = await wuppertal();
    const base = {
      applicationId,
      jobcenter: 'wuppertal',
      approvedOn: '2026-11-02',
      headPersonId: personIds[0],
      eligiblePersonIds: personIds[0],
    };
    expect(
      completed(await run(querDeadlines, deps, { ...base, aufstocker: true, alg1ClaimEndsOn: '2026-10-31' }))
        .querCountFrom,
    ).toBe('2026-11-02');
    expect(
      completed(await run(querDeadlines, deps, { ...base, aufstocker: false, alg1ClaimEndsOn: '2027-02-26' }))
        .querCountFrom,
    ).toBe('2026-11-02');
  });

  it('gives a task due in summer time the summer offset', async () => {
    const { applicationId, personIds } = await wuppertal();
    const out = completed(
      await run(querDeadlines, deps, {
        applicationId,
        jobcenter: 'wuppertal',
        approvedOn: '2027-06-01',
        headPersonId: personIds[0],
        eligiblePersonIds: personIds[0],
      }),
    );
    expect(out.querTaskDueAt).toBe(`${out.querDueDate}T23:59:59+02:00`);
  });
});

describe('bookings', () => {
  it('books the LG submission with the branch expert, and one short-notice appointment per request', async () => {
    const { applicationId, personIds } = await wuppertal();
    const lg = completed(
      await run(submission, deps, { applicationId, branch: 'gst-barmen', applicationDate: '2026-11-23' }),
    );
    expect(lg.submissionAppointment.caseworkerId).toBe('experte-lg-barmen');
    const vars = {
      applicationId,
      fundingRequest: { personId: personIds[1], kind: 'Fahrkosten' },
      fIfkId: 'ifk-barmen-02',
    };
    const a = completed(await run(shortNotice, deps, vars, { activityInstanceId: '100' }));
    expect(completed(await run(shortNotice, deps, vars, { activityInstanceId: '100' }))).toEqual(a);
    const b = completed(await run(shortNotice, deps, vars, { activityInstanceId: '200' }));
    expect(b.shortNoticeAppointment.startsAt).not.toBe(a.shortNoticeAppointment.startsAt);
    expect(new Date(a.shortNoticeAppointment.startsAt) > deps.now()).toBe(true);
  });

  it('reads the funding request and the id lists as the engine carries them, as text', async () => {
    const { applicationId, personIds } = await wuppertal();
    const [head, lea] = personIds;
    const request = decodeInput(shortNotice, {
      applicationId,
      fundingRequest: JSON.stringify({ personId: lea, kind: 'Fahrkosten' }),
      fIfkId: 'ifk-barmen-03',
    });
    expect(
      completed(await run(shortNotice, deps, request, { activityInstanceId: '300' })).shortNoticeAppointment
        .caseworkerId,
    ).toBe('ifk-barmen-03');
    const deadlines = decodeInput(querDeadlines, {
      applicationId,
      jobcenter: 'wuppertal',
      approvedOn: '2026-12-15',
      aufstocker: false,
      alg1ClaimEndsOn: null,
      headPersonId: head,
      eligiblePersonIds: `${head},${lea}`,
    });
    expect(completed(await run(querDeadlines, deps, deadlines))).toMatchObject({
      otherMemberIds: lea,
      otherMemberCount: 1,
    });
  });
});
