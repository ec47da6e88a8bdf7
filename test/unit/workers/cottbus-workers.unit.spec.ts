/** The Cottbus workers against a real in-memory store: results, and that running a job twice changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AppDeps } from '../../../src/app/deps.js';
import { fromEngineVariables, toEngineVariables } from '../../../src/engine/variables.js';
import { decodeInput } from '../../../src/worker-runtime/structured-variables.js';
import assignBg from '../../../workers/allegro.assign-bg-number.js';
import recordDate from '../../../workers/allegro.record-application-date.js';
import recordEligibility from '../../../workers/applications.record-eligibility.js';
import book from '../../../workers/atv.book-first-consultation.js';
import deputy from '../../../workers/atv.record-deputy-booking.js';
import computeDeadlines from '../../../workers/calendar.compute-deadlines.js';
import computeDecision from '../../../workers/calendar.compute-decision-deadline.js';
import closeNotApplicable from '../../../workers/deadlines.close-not-applicable.js';
import countOpen from '../../../workers/deadlines.count-open.js';
import recordBreach from '../../../workers/deadlines.record-breach.js';
import recordMet from '../../../workers/deadlines.record-met.js';
import pack from '../../../workers/documents.issue-application-pack.js';
import invitation from '../../../workers/documents.issue-invitation.js';
import derive from '../../../workers/persons.derive-eligibility-facts.js';
import upsert from '../../../workers/verbis.upsert-customers.js';
import historyNote from '../../../workers/verbis.write-history-note.js';
import { completed, type RecordingMailer, run, seedApplication, type SeedMember, testDeps } from './harness.js';

let deps: AppDeps & { mailer: RecordingMailer };
beforeAll(async () => {
  deps = await testDeps();
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine
afterAll(async () => {
  await deps.store.close();
});

/** Runs the intake steps up to the customer records, as the diagram does; `eligible` is eligiblePersonIds as an array. */
async function throughCustomers(opts: Parameters<typeof seedApplication>[1] = {}): Promise<Record<string, any>> {
  const seeded = await seedApplication(deps, opts);
  const facts = completed(await run(derive, deps, { applicationId: seeded.applicationId }));
  const customers = completed(
    await run(upsert, deps, {
      applicationId: seeded.applicationId,
      ...facts,
      aufstocker: opts.flags?.aufstocker ?? false,
    }),
  );
  return { ...seeded, ...facts, ...customers, eligible: facts.eligiblePersonIds.split(',') };
}

/** A worker's output as the engine keeps it (objects as JSON text), read back the way the worker host does for the next worker. */
function viaEngine(
  worker: Parameters<typeof decodeInput>[0],
  variables: Record<string, unknown>,
): Record<string, unknown> {
  return decodeInput(worker, fromEngineVariables(toEngineVariables(variables)));
}

describe('persons.derive-eligibility-facts', () => {
  it('derives facts without birth dates and lists the eLb', async () => {
    const { applicationId, personIds } = await seedApplication(deps, {
      applicationDate: '2026-11-23',
      members: [
        { birthDate: '1990-04-12', role: 'head' },
        { birthDate: '2011-11-23' }, // 15 today: counts
        { birthDate: '2011-11-24' }, // 15 tomorrow
        { birthDate: '1980-01-01', erwerbsfaehig: false },
      ],
    });
    const out = completed(await run(derive, deps, { applicationId }));
    expect(out.headPersonId).toBe(personIds[0]);
    expect(out).toMatchObject({
      personIds: personIds.join(','),
      personCount: 4,
      reached15PersonIds: [personIds[0], personIds[1], personIds[3]].join(','),
      belowAgeLimitPersonIds: personIds.join(','),
      u25PersonIds: [personIds[1], personIds[2]].join(','),
      eligiblePersonIds: `${personIds[0]},${personIds[1]}`,
      eligiblePersonCount: 2,
    });
    expect(JSON.stringify(out)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(out.personFacts[1]).toMatchObject({ reached15: true, isU25: true });
  });

  it('lists no eLb as an empty list with count 0, which the multi-instance runs zero times', async () => {
    const { applicationId } = await seedApplication(deps, {
      members: [{ birthDate: '1990-04-12', role: 'head', erwerbsfaehig: false }],
    });
    const out = completed(await run(derive, deps, { applicationId }));
    expect(out).toMatchObject({ eligiblePersonIds: '', eligiblePersonCount: 0, personCount: 1 });
  });

  it('claims its application for the instance when the API could not confirm the start, and never takes another', async () => {
    const { applicationId } = await seedApplication(deps);
    const keyOf = async () =>
      (
        await deps.store.db
          .selectFrom('applications')
          .select('process_instance_key')
          .where('id', '=', applicationId)
          .executeTakeFirstOrThrow()
      ).process_instance_key;
    expect(await keyOf()).toBeNull();
    completed(
      await run(derive, deps, { applicationId }, { processInstanceId: 'c0ffee00-0000-11f1-8000-000000000001' }),
    );
    expect(await keyOf()).toBe('c0ffee00-0000-11f1-8000-000000000001');
    // A second delivery, or a job of a stray second instance, leaves the first claim alone.
    completed(
      await run(derive, deps, { applicationId }, { processInstanceId: 'c0ffee00-0000-11f1-8000-000000000002' }),
    );
    expect(await keyOf()).toBe('c0ffee00-0000-11f1-8000-000000000001');
  });
});

describe('applications.record-eligibility', () => {
  it("takes the head's result for the application and keeps each person's", async () => {
    const { applicationId, personIds } = await seedApplication(deps);
    // As the decision's instances append them: personId:neukunde:reason; one empty pair where no rule matched.
    const neukundeResults = `${personIds[0]}:false:LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG;${personIds[1]}:true:ERSTANTRAG;${personIds[2]}::;`;
    const out = completed(
      await run(recordEligibility, deps, { applicationId, headPersonId: personIds[0], neukundeResults }),
    );
    expect(out).toEqual({ newCustomer: false, notNewReason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG' });
    const app = await deps.store.db
      .selectFrom('applications')
      .select(['status', 'new_customer'])
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    expect(app).toEqual({ status: 'not-new-customer', new_customer: false });
    const persons = await deps.store.db
      .selectFrom('persons')
      .select(['id', 'new_customer', 'not_new_reason'])
      .where('application_id', '=', applicationId)
      .execute();
    expect(Object.fromEntries(persons.map((p) => [p.id, [p.new_customer, p.not_new_reason]]))).toEqual({
      [personIds[0]!]: [false, 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG'],
      [personIds[1]!]: [true, null],
      [personIds[2]!]: [false, null],
    });
  });

  it('makes the application a new customer when the head is one', async () => {
    const { applicationId, personIds } = await seedApplication(deps);
    const out = completed(
      await run(recordEligibility, deps, {
        applicationId,
        headPersonId: personIds[0],
        neukundeResults: `${personIds[1]}:false:UNTER_15;${personIds[0]}:true:ERSTANTRAG;`,
      }),
    );
    expect(out).toEqual({ newCustomer: true, notNewReason: null });
  });

  it('keeps the last answer of a person the decision answered twice', async () => {
    const { applicationId, personIds } = await seedApplication(deps);
    const out = completed(
      await run(recordEligibility, deps, {
        applicationId,
        headPersonId: personIds[0],
        neukundeResults: `${personIds[0]}:false:FRUEHER_ABGELEHNT;${personIds[0]}:true:ERSTANTRAG;`,
      }),
    );
    expect(out).toEqual({ newCustomer: true, notNewReason: null });
  });

  it('raises an incident for results the diagram cannot have written', async () => {
    const { applicationId, personIds } = await seedApplication(deps);
    const outcome = await run(recordEligibility, deps, {
      applicationId,
      headPersonId: personIds[0],
      neukundeResults: 'nobody:true:ERSTANTRAG;',
    });
    expect(outcome).toMatchObject({ kind: 'fail', retries: 0, message: expect.stringContaining('neukundeResults') });
  });
});

describe('verbis.upsert-customers', () => {
  it('gives every eLb one stable KD number, also when the job runs twice', async () => {
    const first = await throughCustomers();
    const again = completed(
      await run(upsert, deps, {
        applicationId: first.applicationId,
        eligiblePersonIds: first.eligiblePersonIds,
        personFacts: first.personFacts,
      }),
    );
    expect(again.kdNumbers).toEqual(first.kdNumbers);
    expect(Object.keys(first.kdNumbers)).toHaveLength(2);
    expect(new Set(Object.values(first.kdNumbers)).size).toBe(2);
  });

  it('reactivates the record of a person who applies again, keeping the KD number', async () => {
    const members = [{ givenName: 'Jörg', familyName: 'Wendt', birthDate: '1975-02-03', role: 'head' as const }];
    const first = await throughCustomers({ members });
    await deps.store.db
      .updateTable('customers')
      .set({ active: false })
      .where('kd_number', '=', Object.values(first.kdNumbers)[0] as string)
      .execute();
    const second = await throughCustomers({ members: [{ ...members[0]!, givenName: 'Jorg' }] });
    expect(Object.values(second.kdNumbers)).toEqual(Object.values(first.kdNumbers));
    const customer = await deps.store.db
      .selectFrom('customers')
      .selectAll()
      .where('kd_number', '=', Object.values(first.kdNumbers)[0] as string)
      .executeTakeFirstOrThrow();
    expect(customer.active).toBe(true);
    expect(customer.reactivated_at).toBeInstanceOf(Date);
  });

  it('lists KD number, main caseworker and team in the order of eligiblePersonIds, for the subprocess instances', async () => {
    const out = await throughCustomers();
    expect(out.eligible).toHaveLength(2);
    expect(out.eligibleKdNumbers).toBe(out.eligible.map((p: string) => out.kdNumbers[p]).join(','));
    expect(out.eligibleCaseworkerIds).toBe(out.eligible.map((p: string) => out.caseworkers[p]).join(','));
    expect(out.eligibleTeamIds).toBe(out.eligible.map((p: string) => out.teams[p]).join(','));
  });

  it('reads the Aufstocker flag from the flags value when the flat one is missing', async () => {
    const seeded = await seedApplication(deps, { members: [{ familyName: 'Yilmaz', birthDate: '1972-02-02' }] });
    const facts = completed(await run(derive, deps, { applicationId: seeded.applicationId }));
    const out = completed(
      await run(upsert, deps, { applicationId: seeded.applicationId, ...facts, flags: { aufstocker: true } }),
    );
    const customer = await deps.store.db
      .selectFrom('customers')
      .selectAll()
      .where('kd_number', '=', out.eligibleKdNumbers)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ care: 'secondary', aufstocker: true });
  });

  it('assigns the main caseworker of the age band and surname, and secondary care with a task for Aufstocker', async () => {
    const out = await throughCustomers({
      members: [{ familyName: 'Zimmermann', birthDate: '1970-05-05' }],
      flags: { aufstocker: true },
    });
    const personId = out.eligible[0];
    const caseworker = deps.jobcenters.get('cottbus')!.caseworkers.find((c) => c.id === out.caseworkers[personId]);
    expect(caseworker?.team).not.toMatch(/u25/i);
    const customer = await deps.store.db
      .selectFrom('customers')
      .selectAll()
      .where('kd_number', '=', out.kdNumbers[personId])
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ care: 'secondary', aufstocker: true, legal_sphere: 'SGB II' });
    const tasks = await deps.store.db
      .selectFrom('notifications')
      .select('subject')
      .where('application_id', '=', out.applicationId)
      .execute();
    expect(tasks).toHaveLength(1);
  });
});

describe('the intake chain on the values as the engine stores them', () => {
  it('hands the id lists and the JSON text of one worker to the next', async () => {
    const { applicationId, personIds } = await seedApplication(deps, { applicationDate: '2026-12-21' });
    const facts = completed(await run(derive, deps, { applicationId }));
    const customers = completed(
      await run(upsert, deps, viaEngine(upsert, { applicationId, ...facts, aufstocker: false })),
    );
    expect(Object.keys(customers.kdNumbers)).toEqual([personIds[0], personIds[1]]);
    const deadlines = completed(
      await run(
        computeDeadlines,
        deps,
        viaEngine(computeDeadlines, {
          applicationId,
          jobcenter: 'cottbus',
          applicationDate: '2026-12-21',
          ...facts,
          ...customers,
        }),
      ),
    );
    expect(deadlines.mdsDueDate).toBe('2027-01-13');
    const booked = completed(
      await run(
        book,
        deps,
        viaEngine(book, { applicationId, jobcenter: 'cottbus', personId: personIds[1], ...customers, ...deadlines }),
      ),
    );
    const invited = completed(
      await run(invitation, deps, viaEngine(invitation, { applicationId, personId: personIds[1], ...booked })),
    );
    expect(invited.invitation).toBe('letter');
  });
});

describe('allegro.assign-bg-number and record-application-date', () => {
  it('draws one BG number per household and reuses it for the next application of the same head', async () => {
    const members = [{ givenName: 'Mira', familyName: 'Hoffmann', birthDate: '1988-08-08', role: 'head' as const }];
    const a = await throughCustomers({ members });
    const bg1 = completed(await run(assignBg, deps, { applicationId: a.applicationId, headPersonId: a.headPersonId }));
    const bg1again = completed(
      await run(assignBg, deps, { applicationId: a.applicationId, headPersonId: a.headPersonId }),
    );
    expect(bg1again).toEqual(bg1);
    const b = await throughCustomers({ members });
    const bg2 = completed(await run(assignBg, deps, { applicationId: b.applicationId, headPersonId: b.headPersonId }));
    expect(bg2.bgNumber).toBe(bg1.bgNumber);
    expect(bg1.bgNumber).toMatch(/^COTBG\d{7}$/);
  });

  it('records the application date once and refuses a different one', async () => {
    const a = await throughCustomers({ applicationDate: '2026-11-20' });
    const { bgNumber } = completed(
      await run(assignBg, deps, { applicationId: a.applicationId, headPersonId: a.headPersonId }),
    );
    completed(await run(recordDate, deps, { applicationId: a.applicationId, bgNumber, applicationDate: '2026-11-20' }));
    completed(await run(recordDate, deps, { applicationId: a.applicationId, bgNumber, applicationDate: '2026-11-20' }));
    const changed = await run(recordDate, deps, {
      applicationId: a.applicationId,
      bgNumber,
      applicationDate: '2026-11-19',
    });
    expect(changed.kind).toBe('fail');
    const periods = await deps.store.db
      .selectFrom('case_periods')
      .selectAll()
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(periods.map((p) => p.application_date)).toEqual(['2026-11-20']);
  });
});

describe('verbis.write-history-note', () => {
  it('names the members with KD numbers, the other persons and the reason, once', async () => {
    const a = await throughCustomers();
    const { bgNumber } = completed(
      await run(assignBg, deps, { applicationId: a.applicationId, headPersonId: a.headPersonId }),
    );
    const first = completed(await run(historyNote, deps, { applicationId: a.applicationId, bgNumber }));
    const second = completed(await run(historyNote, deps, { applicationId: a.applicationId, bgNumber }));
    expect(second).toEqual(first);
    const notes = await deps.store.db
      .selectFrom('history_notes')
      .select('text')
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(notes).toHaveLength(1);
    for (const kd of Object.values(a.kdNumbers)) expect(notes[0]!.text).toContain(kd);
    expect(notes[0]!.text).toContain('Weitere im Haushalt lebende Personen: 1.');
    expect(notes[0]!.text).toContain('Arbeitslosigkeit');
  });
});

describe('calendar.compute-deadlines and the decision deadline', () => {
  it('sets the MDS 15 working days after the application in Brandenburg, with a reminder 3 working days before', async () => {
    const a = await throughCustomers({ applicationDate: '2026-12-21' });
    const vars = {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      applicationDate: '2026-12-21',
      eligiblePersonIds: a.eligiblePersonIds,
      caseworkers: a.caseworkers,
      teams: a.teams,
    };
    const out = completed(await run(computeDeadlines, deps, vars));
    completed(await run(computeDeadlines, deps, vars));
    expect(out).toMatchObject({
      mdsDueDate: '2027-01-13',
      mdsBreachAt: '2027-01-14T00:00:00+01:00',
      mdsReminderAt: '2027-01-08T00:00:00+01:00',
      mdsTaskDueAt: '2027-01-13T23:59:59+01:00',
    });
    // Return dates count from today (23 Nov 2026): 5 working days for the Arbeitspaket.
    expect(out).toMatchObject({
      arbeitspaketReturnDate: '2026-11-30',
      arbeitspaketReminderAt: '2026-12-01T00:00:00+01:00',
      arbeitspaketTaskDueAt: '2026-11-30T23:59:59+01:00',
    });
    const rows = await deps.store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.status === 'open' && r.due_date === '2027-01-13')).toBe(true);
  });

  it('sets the decision 14 working days after complete documents', async () => {
    const a = await seedApplication(deps);
    const out = completed(
      await run(computeDecision, deps, {
        applicationId: a.applicationId,
        jobcenter: 'cottbus',
        documentsCompleteOn: '2026-10-26',
      }),
    );
    // 27-30 Oct (4), 31 Oct Reformationstag (BB holiday, a Saturday in 2026), 2-6 Nov (9), 9-13 Nov (14).
    expect(out.decisionDueDate).toBe('2026-11-13');
  });
});

describe('deadlines.record-breach and record-met', () => {
  it('keeps a deadline met when the consultation is held in time', async () => {
    const a = await throughCustomers({ applicationDate: '2026-11-23' });
    const personId = a.eligible[0];
    await run(computeDeadlines, deps, {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      applicationDate: '2026-11-23',
      eligiblePersonIds: a.eligiblePersonIds,
    });
    completed(
      await run(
        recordMet,
        deps,
        { applicationId: a.applicationId, personId, heldOn: '2026-12-01' },
        { properties: { kind: 'first-consultation' } },
      ),
    );
    completed(
      await run(
        recordBreach,
        deps,
        { applicationId: a.applicationId, personId },
        { properties: { kind: 'first-consultation' } },
      ),
    );
    const row = await deps.store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'met', met_on: '2026-12-01' });
  });

  it('leaves a breached deadline breached and records when it was finally met', async () => {
    const a = await throughCustomers({ applicationDate: '2026-10-01' });
    const personId = a.eligible[0];
    await run(computeDeadlines, deps, {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      applicationDate: '2026-10-01',
      eligiblePersonIds: a.eligiblePersonIds,
    });
    completed(
      await run(
        recordBreach,
        deps,
        { applicationId: a.applicationId, personId },
        { properties: { kind: 'first-consultation' } },
      ),
    );
    completed(
      await run(
        recordMet,
        deps,
        { applicationId: a.applicationId, personId, firstConsultation: { heldOn: '2026-11-23' } },
        { properties: { kind: 'first-consultation' } },
      ),
    );
    const row = await deps.store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'breached', met_on: '2026-11-23' });
    expect(row.breached_at).toBeInstanceOf(Date);
  });

  it('records the MDS clock at the Neukunde decision and adds team and caseworker once the records exist', async () => {
    const a = await throughCustomers({ applicationDate: '2026-11-23' });
    const at = { applicationId: a.applicationId, jobcenter: 'cottbus', applicationDate: '2026-11-23' };
    // Right after the decision: no customer records yet, so no team and no caseworker.
    completed(await run(computeDeadlines, deps, { ...at, eligiblePersonIds: a.eligiblePersonIds }));
    const early = await deps.store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(early.map((r) => [r.status, r.due_date, r.team])).toEqual(
      a.eligible.map(() => ['open', '2026-12-14', null]),
    );
    completed(
      await run(computeDeadlines, deps, {
        ...at,
        eligiblePersonIds: a.eligiblePersonIds,
        caseworkers: a.caseworkers,
        teams: a.teams,
      }),
    );
    const later = await deps.store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(later).toHaveLength(a.eligible.length);
    for (const r of later) {
      expect(r).toMatchObject({ status: 'open', due_date: '2026-12-14' });
      expect(r.team).toBe(a.teams[r.person_id]);
      expect(r.caseworker_id).toBe(a.caseworkers[r.person_id]);
    }
  });

  it('at the case-wide breach instant breaches only the open deadlines and says how many, once', async () => {
    const a = await throughCustomers({ applicationDate: '2026-10-01' });
    await run(computeDeadlines, deps, {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      applicationDate: '2026-10-01',
      eligiblePersonIds: a.eligiblePersonIds,
    });
    const [held, waiting] = a.eligible as [string, string];
    await run(
      recordMet,
      deps,
      { applicationId: a.applicationId, personId: held, heldOn: '2026-10-05' },
      { properties: { kind: 'first-consultation' } },
    );
    const count = (props: Record<string, string>) =>
      run(countOpen, deps, { applicationId: a.applicationId }, { properties: props });
    expect(completed(await count({ kind: 'first-consultation' }))).toEqual({ openCount: 1 });
    const props = { properties: { kind: 'first-consultation', scope: 'case' } };
    expect(completed(await run(recordBreach, deps, { applicationId: a.applicationId }, props))).toEqual({
      breachedCount: 1,
    });
    expect(completed(await run(recordBreach, deps, { applicationId: a.applicationId }, props))).toEqual({
      breachedCount: 0,
    });
    const rows = await deps.store.db
      .selectFrom('deadlines')
      .select(['person_id', 'status'])
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.person_id, r.status]))).toEqual({
      [held]: 'met',
      [waiting]: 'breached',
    });
    expect(completed(await count({ kind: 'first-consultation' }))).toEqual({ openCount: 0 });
  });

  it('closes the open deadlines as not applicable when the case ends before the consultation, and leaves settled ones', async () => {
    const a = await throughCustomers({ applicationDate: '2026-11-23' });
    await run(computeDeadlines, deps, {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      applicationDate: '2026-11-23',
      eligiblePersonIds: a.eligiblePersonIds,
    });
    const [held] = a.eligible as [string, string];
    await run(
      recordMet,
      deps,
      { applicationId: a.applicationId, personId: held, heldOn: '2026-11-25' },
      { properties: { kind: 'first-consultation' } },
    );
    expect(completed(await run(closeNotApplicable, deps, { applicationId: a.applicationId }))).toEqual({
      closedCount: 1,
    });
    expect(completed(await run(closeNotApplicable, deps, { applicationId: a.applicationId }))).toEqual({
      closedCount: 0,
    });
    const statuses = await deps.store.db
      .selectFrom('deadlines')
      .select('status')
      .where('application_id', '=', a.applicationId)
      .orderBy('status')
      .execute();
    expect(statuses.map((r) => r.status)).toEqual(['met', 'not-applicable']);
  });

  it('raises an incident when the extension property kind is missing', async () => {
    const outcome = await run(recordBreach, deps, { applicationId: '00000000-0000-4000-8000-000000000000' });
    expect(outcome).toMatchObject({
      kind: 'fail',
      retries: 0,
      message: expect.stringContaining('extension property "kind"'),
    });
  });
});

describe('documents', () => {
  it('files the application pack once, with the cover letter, checklist, leaflet and an Arbeitspaket per eLb', async () => {
    const a = await throughCustomers();
    const vars = {
      applicationId: a.applicationId,
      documentsReturnDate: '2026-12-07',
      arbeitspaketReturnDate: '2026-11-30',
      eligiblePersonIds: a.eligiblePersonIds,
    };
    const first = completed(await run(pack, deps, vars, { properties: { template: 'anschreiben-antragsunterlagen' } }));
    const second = completed(
      await run(pack, deps, vars, { properties: { template: 'anschreiben-antragsunterlagen' } }),
    );
    expect(second.documentIds).toEqual(first.documentIds);
    const docs = await deps.store.db
      .selectFrom('documents')
      .select(['kind', 'media_type', 'content'])
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(docs.map((d) => d.kind).sort()).toEqual([
      'anschreiben-antragsunterlagen',
      'arbeitspaket',
      'arbeitspaket',
      'checkliste',
      'merkblatt',
    ]);
    expect(
      docs.every(
        (d) => d.media_type === 'application/pdf' && Buffer.from(d.content).subarray(0, 5).toString() === '%PDF-',
      ),
    ).toBe(true);
  });

  it('invites once with Rechtsfolgenbelehrung, or notes a phone call', async () => {
    const a = await throughCustomers();
    const personId = a.eligible[0];
    const appointment = {
      id: '11111111-1111-4111-8111-111111111111',
      startsAt: '2026-12-01T08:00:00.000Z',
      caseworkerId: a.caseworkers[personId],
    };
    await run(
      invitation,
      deps,
      { applicationId: a.applicationId, personId, appointment },
      { properties: { template: 'einladung-rfb' } },
    );
    await run(
      invitation,
      deps,
      { applicationId: a.applicationId, personId, appointment },
      { properties: { template: 'einladung-rfb' } },
    );
    const letters = await deps.store.db
      .selectFrom('documents')
      .select('kind')
      .where('application_id', '=', a.applicationId)
      .execute();
    expect(letters).toEqual([{ kind: 'einladung-rfb' }]);
    const other = a.eligible[1];
    const out = completed(
      await run(invitation, deps, {
        applicationId: a.applicationId,
        personId: other,
        appointment: { ...appointment, id: '22222222-2222-4222-8222-222222222222' },
        invitationByPhone: true,
      }),
    );
    expect(out.invitation).toBe('phone');
    const notes = await deps.store.db
      .selectFrom('history_notes')
      .select('text')
      .where('person_id', '=', other)
      .execute();
    expect(notes[0]!.text).toMatch(/Telefonischer Hinweis/);
  });
});

describe('atv booking', () => {
  it('books inside a released window before the due date, and a retry finds the same appointment', async () => {
    const a = await throughCustomers();
    const personId = a.eligible[0];
    const vars = {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      personId,
      caseworkers: a.caseworkers,
      mdsDueDate: '2026-12-14',
    };
    const first = completed(await run(book, deps, vars));
    const again = completed(await run(book, deps, vars));
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      appointmentCaseworkerId: a.caseworkers[personId],
      appointmentStartsAt: first.appointment.startsAt,
    });
    const start = new Date(first.appointment.startsAt);
    const berlin = new Intl.DateTimeFormat('de-DE', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(start);
    expect(berlin).toMatch(/^(Mo|Di|Do|Fr)\.?, 09:\d\d$/);
    expect(start > deps.now()).toBe(true);
  });

  it('gives twenty people twenty different slots of one caseworker, all at once', async () => {
    const members = Array.from({ length: 20 }, (_, i): SeedMember => ({
      familyName: 'Abel',
      givenName: `P${i}`,
      birthDate: '1985-03-03',
      role: i === 0 ? 'head' : 'member',
    }));
    const a = await throughCustomers({ members });
    const caseworkerId = a.caseworkers[a.eligible[0]];
    const caseworkers = Object.fromEntries(a.eligible.map((p: string) => [p, caseworkerId]));
    const outcomes = await Promise.all(
      a.eligible.map((personId: string) =>
        run(book, deps, {
          applicationId: a.applicationId,
          jobcenter: 'cottbus',
          personId,
          caseworkers,
          mdsDueDate: '2027-01-29',
        }),
      ),
    );
    const starts = outcomes.map((o) => completed(o).appointment.startsAt);
    expect(new Set(starts).size).toBe(20);
  });

  it('answers NO_SLOT_AVAILABLE when absences leave nothing before the due date, and the deputy booking fills in', async () => {
    const a = await throughCustomers();
    const personId = a.eligible[0];
    const caseworkerId = a.caseworkers[personId];
    await deps.store.db
      .insertInto('absences')
      .values({
        jobcenter: 'cottbus',
        caseworker_id: caseworkerId,
        starts_at: new Date('2026-11-23T00:00:00Z'),
        ends_at: new Date('2026-12-10T00:00:00Z'),
        reason: 'Urlaub',
      })
      .execute();
    const outcome = await run(book, deps, {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      personId,
      caseworkers: a.caseworkers,
      mdsDueDate: '2026-12-09',
    });
    expect(outcome).toMatchObject({ kind: 'error', code: 'NO_SLOT_AVAILABLE' });
    // The deputy-booking form's values as the task leaves them in the person's subprocess instance.
    const deputyVars = {
      applicationId: a.applicationId,
      jobcenter: 'cottbus',
      personId,
      slotStartsAt: '2026-12-01T09:00+01:00',
      deputyCaseworkerId: 'av-deputy',
    };
    const booked = completed(await run(deputy, deps, deputyVars));
    expect(completed(await run(deputy, deps, deputyVars))).toEqual(booked);
    expect(booked).toMatchObject({ appointmentCaseworkerId: 'av-deputy', appointment: { caseworkerId: 'av-deputy' } });
    expect(new Date(booked.appointmentStartsAt).toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });
});
