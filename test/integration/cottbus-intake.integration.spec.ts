/**
 * The Cottbus intake (seed 000) on the real Operaton engine, driven as staff drive it: the application, the ID
 * check, the Arbeitspaket, the consultations, the documents and the decision through the HTTP API; the steps that
 * exist only in Tasklist (forwarding, SC ticket, acknowledgement, deputy booking, the relocation's ID check with its
 * evidence) completed through the engine's REST API with the values their Camunda Forms send. No timer is waited
 * for: the breach timer's due date is asserted against the calendar, then its job is executed.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { lightFormat, parseISO, subDays } from 'date-fns';
import request from 'supertest';

import { berlinDate, createCalendar } from '../../src/calendar/index.js';
import { appointmentParts } from '../../src/documents/texts.js';
import { EngineRequestError, type TaskItem } from '../../src/engine/rest-client.js';
import { anApplication, type ApplicationOptions, today } from '../support/application.js';
import { deleteInstances, ended, noIncidents, openTasks, passed, timerAt, variablesOf } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { pdfText } from '../support/pdf-text.js';
import { AUTH } from '../support/tokens.js';
import { reportEvent, startSystem, type System } from './system.js';

jest.setTimeout(180_000);

const bb = createCalendar({ state: 'BB' });
/** A user task's due instant as the deadline worker sets it: 23:59:59 in Berlin on the due day. */
const endOfDay = (day: string) => `${day}T23:59:59${bb.breachInstant(day).slice(19)}`;
/** The ID check and the intake tasks are due at the end of the next working day (the API's intakeDueAt). */
const intakeDueAt = () => bb.breachInstant(bb.addWorkingDays(today(), 1));
const instant = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : NaN);
const berlinWeekdayHour = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

/** The household's address as the front desk records it: only in the store, for the letters' window. */
const ADDRESS = { salutation: 'Frau', street: 'Lindenstraße 12', postcode: '03046', city: 'Cottbus' } as const;

interface Member {
  givenName: string;
  familyName: string;
  birthDate: string;
  role: 'head' | 'member';
  erwerbsfaehig: boolean;
}

/** Two eLb (the head Ü25, a son U25) and a child under 15. */
const family = (suffix: string): Member[] => [
  {
    givenName: `Erika${suffix}`,
    familyName: `Mustermann${suffix}`,
    birthDate: '1985-07-14',
    role: 'head',
    erwerbsfaehig: true,
  },
  {
    givenName: `Paul${suffix}`,
    familyName: `Mustermann${suffix}`,
    birthDate: '2008-03-01',
    role: 'member',
    erwerbsfaehig: true,
  },
  {
    givenName: `Mia${suffix}`,
    familyName: `Mustermann${suffix}`,
    birthDate: '2016-06-01',
    role: 'member',
    erwerbsfaehig: false,
  },
];
const single = (givenName: string, familyName: string, birthDate = '1979-04-02'): Member[] => [
  { givenName, familyName, birthDate, role: 'head', erwerbsfaehig: true },
];

describe('Cottbus new-customer intake on the real engine', () => {
  let system: System;
  const started: { id: string; processInstanceId: string; personal: string[] }[] = [];

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    // The instances left waiting (at a consultation, a reminder) are this spec's: remove them, so no later spec's
    // workers meet their timers' tasks without the store they belong to.
    await deleteInstances(
      system?.client,
      started.map((s) => s.processInstanceId),
    );
    await system?.close();
  });

  async function apply(overrides: ApplicationOptions, members: Member[], address?: typeof ADDRESS) {
    const application = anApplication({ applicationDate: today(), ...overrides, members });
    if (address) application.household.address = address;
    const res = await request(system.app).post('/api/v1/applications').set(AUTH.ADMIN).send(application);
    expect(res.status).toBe(201);
    const body = res.body as { id: string; processInstanceId: string; newCustomer: boolean; reason?: string };
    started.push({
      id: body.id,
      processInstanceId: body.processInstanceId,
      personal: [
        ...members.flatMap((m) => [m.givenName, m.familyName, m.birthDate]),
        ...(address ? [address.street] : []),
      ],
    });
    return body;
  }

  /** Waits for the probe, failing at once with the engine's incident when a worker or an expression broke. */
  const until = <T>(processInstanceId: string, what: string, probe: () => Promise<T | undefined>) =>
    eventually(what, async () => {
      await noIncidents(system.client, processInstanceId);
      return probe();
    });

  const read = async (id: string) => {
    const r = await request(system.app).get(`/api/v1/applications/${id}`).set(AUTH.ADMIN);
    expect(r.status).toBe(200);
    return r.body;
  };

  const candidateGroups = async (task: TaskItem) =>
    (await system.client.taskCandidates(task.id)).map((c) => c.groupId).sort();
  const formOf = (task: TaskItem) => (task.operatonFormRef ?? task.camundaFormRef)?.key;
  const localValue = async (task: TaskItem, name: string) => (await system.client.taskVariable(task.id, name))?.value;
  const activitiesOf = async (processInstanceId: string) =>
    (await system.client.historicActivities({ processInstanceId, maxResults: '1000' }))
      .filter((a) => a.endTime !== null)
      .map((a) => a.activityId);
  const documentsOf = (applicationId: string) =>
    system.store.db
      .selectFrom('documents')
      .select(['kind', 'person_id'])
      .where('application_id', '=', applicationId)
      .execute();

  it('runs an EZ application through records, letters, bookings, acknowledgement, invitations, consultations held in time and the decision to its end', async () => {
    const { client, store } = system;
    // Arrange: a household of two eLb (head Ü25, son U25) and a child, at the front desk today.
    const app = await apply({}, family('A'), ADDRESS);
    const pi = app.processInstanceId;
    const due = bb.addWorkingDays(today(), 15);
    expect(app.newCustomer).toBe(true);

    // Assert: the ID check waits for the EZ with its form, due at the end of the next working day.
    const [idCheck] = await openTasks(client, pi, 'UserTask_IdCheck');
    expect(await candidateGroups(idCheck!)).toEqual(['EZ']);
    expect(formOf(idCheck!)).toBe('cottbus-id-check');
    expect(instant(idCheck!.due)).toBe(instant(intakeDueAt()));

    // Act: the front desk reports the ID check.
    await reportEvent(system, app, 'id-check-completed', { identityVerified: true, responsible: true });

    // Assert: records. Both eLb have a KD number and their main caseworker, the child none; one BG number; the
    // application date in the case periods; the history note names the BG and the KD numbers.
    const booked = await until(pi, 'both eLb booked and invited', async () => {
      const a = await read(app.id);
      return a.appointments.length === 2 &&
        a.documents.filter((d: { kind: string }) => d.kind === 'einladung-rfb').length === 2
        ? a
        : undefined;
    });
    const elb = booked.members.filter((m: { kdNumber: string | null }) => m.kdNumber);
    expect(elb).toHaveLength(2);
    expect(booked.members.filter((m: { kdNumber: string | null }) => !m.kdNumber)).toHaveLength(1);
    expect(booked.bgNumber).toMatch(/^COTBG\d{7}$/);
    const customers = await store.db
      .selectFrom('customers')
      .selectAll()
      .where(
        'kd_number',
        'in',
        elb.map((m: { kdNumber: string }) => m.kdNumber),
      )
      .execute();
    expect(customers.map((c) => `${c.caseworker_id}/${c.team}/${c.legal_sphere}/${c.active}`).sort()).toEqual([
      'av-u25-05/u25/SGB II/true',
      'av-ue25-20/ue25-l-r/SGB II/true',
    ]);
    const household = await store.db
      .selectFrom('households')
      .selectAll()
      .where('bg_number', '=', booked.bgNumber)
      .executeTakeFirstOrThrow();
    expect(household.head_kd_number).toBe(booked.members.find((m: { role: string }) => m.role === 'head').kdNumber);
    const period = await store.db
      .selectFrom('case_periods')
      .selectAll()
      .where('application_id', '=', app.id)
      .executeTakeFirstOrThrow();
    expect(period).toMatchObject({ bg_number: booked.bgNumber, application_date: today() });
    expect(booked.history).toHaveLength(1);
    for (const text of [
      booked.bgNumber,
      ...elb.map((m: { kdNumber: string }) => m.kdNumber),
      'Weitere im Haushalt lebende Personen: 1.',
      'Grund der Antragstellung: Arbeitslosigkeit.',
    ]) {
      expect(booked.history[0].text).toContain(text);
    }

    // Assert: letters. Cover letter, checklist, leaflet, an Arbeitspaket and an invitation for each eLb.
    const docs = await documentsOf(app.id);
    expect(
      docs
        .filter((d) => !d.person_id)
        .map((d) => d.kind)
        .sort(),
    ).toEqual(['anschreiben-antragsunterlagen', 'checkliste', 'merkblatt']);
    const elbIds = elb.map((m: { personId: string }) => m.personId).sort();
    expect(
      docs
        .filter((d) => d.kind === 'arbeitspaket')
        .map((d) => d.person_id)
        .sort(),
    ).toEqual(elbIds);
    expect(
      docs
        .filter((d) => d.kind === 'einladung-rfb')
        .map((d) => d.person_id)
        .sort(),
    ).toEqual(elbIds);

    // Assert: the head's invitation, downloaded as the API serves it, is a letter to her: the window address, the
    // date, the references, the appointment and the caseworker; it waits in the post room's print list.
    const head = booked.members.find((m: { role: string }) => m.role === 'head');
    const headAppointment = booked.appointments.find((a: { personId: string }) => a.personId === head.personId);
    const invitationDoc = booked.documents.find(
      (d: { kind: string; personId: string }) => d.kind === 'einladung-rfb' && d.personId === head.personId,
    );
    const download = await request(system.app)
      .get(`/api/v1/applications/${app.id}/documents/${invitationDoc.id}`)
      .set(AUTH.EZ)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    const letter = await pdfText(download.body as Buffer);
    const { case_number: caseNumber } = await store.db
      .selectFrom('applications')
      .select('case_number')
      .where('id', '=', app.id)
      .executeTakeFirstOrThrow();
    const when = appointmentParts(headAppointment.startsAt);
    const caseworker = system.deps.jobcenters
      .get('cottbus')!
      .caseworkers.find((c) => c.id === headAppointment.caseworkerId)!;
    expect(letter).toContain('Frau ErikaA MustermannA\nLindenstraße 12\n03046 Cottbus');
    expect(letter).toContain(`Datum\n${today().split('-').reverse().join('.')}`);
    expect(letter).toContain(`Vorgangsnummer\n${caseNumber}`);
    expect(caseNumber).toMatch(/^CO-\d{4}-\d{5}$/);
    expect(letter).toContain(`BG-Nummer\n${booked.bgNumber}`);
    expect(letter).toContain(`Kundennummer\n${head.kdNumber}`);
    expect(letter).toContain(`Termin: ${when.wochentag}, ${when.datum}, ${when.uhrzeit} Uhr`);
    expect(letter).toContain(`Bei: ${caseworker.name}`);
    expect(letter).toContain(`Ansprechpartner\n${caseworker.name}`);
    expect(letter).toContain('Sehr geehrte Frau MustermannA,');
    expect(letter).toContain('Rechtsfolgenbelehrung');
    const invitationRow = await store.db
      .selectFrom('documents')
      .select('post_status')
      .where('id', '=', invitationDoc.id)
      .executeTakeFirstOrThrow();
    expect(invitationRow.post_status).toBe('to-print');

    // Assert: each eLb's first consultation booked with their main caseworker, in a released window
    // (Mon, Tue, Thu, Fri 9-10 in Berlin), in the future, no later than the MDS due date; its deadline open.
    for (const m of elb) {
      const appointment = booked.appointments.find((a: { personId: string }) => a.personId === m.personId);
      expect(appointment).toMatchObject({
        kind: 'first-consultation',
        caseworkerId: m.caseworker.id,
        bookedBy: 'system',
      });
      expect(berlinWeekdayHour(appointment.startsAt)).toMatch(/^(Mon|Tue|Thu|Fri),? 09$/);
      expect(instant(appointment.startsAt)).toBeGreaterThan(Date.now());
      expect(berlinDate(new Date(appointment.startsAt)) <= due).toBe(true);
    }
    expect(
      booked.deadlines
        .filter((d: { kind: string }) => d.kind === 'first-consultation')
        .map((d: { personId: string; dueDate: string; status: string }) => `${d.personId}:${d.dueDate}:${d.status}`)
        .sort(),
    ).toEqual(elbIds.map((id: string) => `${id}:${due}:open`));
    expect(await variablesOf(client, pi)).toMatchObject({ mdsDueDate: due, mdsBreachAt: bb.breachInstant(due) });

    // Assert: the acknowledgement lies with each eLb's main caseworker, visible to their team, due on the MDS day.
    const acks = await openTasks(client, pi, 'UserTask_Acknowledge', 2);
    for (const ack of acks) {
      const personId = await localValue(ack, 'personId');
      const customer = customers.find(
        (c) => c.kd_number === elb.find((m: { personId: string }) => m.personId === personId).kdNumber,
      )!;
      expect(ack.assignee).toBe(customer.caseworker_id);
      expect(await candidateGroups(ack)).toEqual([`team-${customer.team}`]);
      expect(formOf(ack)).toBe('cottbus-acknowledge');
      expect(instant(ack.due)).toBe(instant(endOfDay(due)));
    }
    // Act: each caseworker takes note in Tasklist.
    for (const ack of acks) await client.completeTask(ack.id, { acknowledged: true });

    // Assert: the consultation waits for the caseworker of the appointment, its breach timer at the calendar's instant.
    const consultations = await openTasks(client, pi, 'UserTask_FirstConsultation', 2);
    for (const task of consultations) {
      const personId = await localValue(task, 'personId');
      const appointment = booked.appointments.find((a: { personId: string }) => a.personId === personId);
      const customer = customers.find((c) => c.caseworker_id === appointment.caseworkerId)!;
      expect(task.assignee).toBe(appointment.caseworkerId);
      expect(await candidateGroups(task)).toEqual([`team-${customer.team}`]);
      expect(instant(task.due)).toBe(instant(endOfDay(due)));
    }
    // One breach timer for the case (issue 19: on the scope that spans the whole case), at the eLb's common MDS instant.
    const breachTimers = await client.jobs({ processInstanceId: pi, activityId: 'Timer_MdsBreach', timers: 'true' });
    expect(breachTimers.map((j) => instant(j.dueDate))).toEqual([instant(bb.breachInstant(due))]);

    // Act: placement reports both consultations held today; the front desk the Arbeitspaket.
    for (const m of elb)
      await reportEvent(system, app, 'first-consultation-held', {
        personId: m.personId,
        heldOn: today(),
        profiling: true,
        kooperationsplan: true,
      });
    const [arbeitspaket] = await openTasks(client, pi, 'UserTask_Arbeitspaket');
    expect(await candidateGroups(arbeitspaket!)).toEqual(['EZ']);
    expect(instant(arbeitspaket!.due)).toBe(instant(endOfDay(bb.addWorkingDays(today(), 5))));
    await reportEvent(system, app, 'arbeitspaket-received', { personId: elb[0].personId, receivedOn: today() });

    // Assert: both MDS deadlines met today.
    const met = await until(pi, 'both MDS deadlines met', async () => {
      const a = await read(app.id);
      return a.deadlines.filter(
        (d: { kind: string; status: string }) => d.kind === 'first-consultation' && d.status === 'met',
      ).length === 2
        ? a
        : undefined;
    });
    expect(
      met.deadlines
        .filter((d: { kind: string }) => d.kind === 'first-consultation')
        .map((d: { metOn: string }) => d.metOn),
    ).toEqual([today(), today()]);
    // The consultation's form values as the API left them are values the form itself offers.
    const modes = await client.historicVariableInstances({
      processInstanceId: pi,
      variableName: 'consultationMode',
      maxResults: '100',
    });
    expect(modes.filter((v) => v.value !== null).map((v) => v.value)).toEqual(['in-person', 'in-person']);

    // Act: the benefits team reports the documents complete; the decision deadline is computed; then the decision.
    await reportEvent(system, app, 'documents-complete', { completeOn: today() });
    const decisionDue = bb.addWorkingDays(today(), 14);
    await until(pi, 'the decision deadline', async () => {
      const a = await read(app.id);
      return a.deadlines.find(
        (d: { kind: string; dueDate: string; status: string }) =>
          d.kind === 'decision' && d.dueDate === decisionDue && d.status === 'open',
      );
    });
    const decisionTimer = await timerAt(client, pi, 'Timer_DecisionBreach');
    expect(instant(decisionTimer.dueDate)).toBe(instant(bb.breachInstant(decisionDue)));
    await reportEvent(system, app, 'decision-issued', { decidedOn: today() });

    // Assert: the instance completed at its regular end, every deadline met, nothing broke.
    const done = await ended(client, pi);
    expect(done.state).toBe('COMPLETED');
    expect(done.businessKey).toBe(app.id);
    expect(await activitiesOf(pi)).toEqual(
      expect.arrayContaining(['End_Processed', 'Task_RecordDecisionMet', 'End_FirstConsultationDone']),
    );
    const final = await read(app.id);
    expect(final.deadlines.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`).sort()).toEqual([
      'decision:met',
      'first-consultation:met',
      'first-consultation:met',
    ]);
    expect(await client.incidents({ processInstanceId: pi })).toEqual([]);
  });

  it('ends at once when the head of household is not a new customer, with the reason recorded', async () => {
    // Arrange: the need ended 30 days ago, a short interruption.
    const previousNeedEndedOn = lightFormat(subDays(parseISO(today()), 30), 'yyyy-MM-dd');

    // Act
    const app = await apply({ previousNeedEndedOn }, single('Otto', 'NowakN'));

    // Assert: the API's answer, the process's end, and the reason in the store.
    expect(app).toMatchObject({ newCustomer: false, reason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG' });
    const done = await ended(system.client, app.processInstanceId);
    expect(done.state).toBe('COMPLETED');
    const activities = await activitiesOf(app.processInstanceId);
    expect(activities).toContain('End_NotNewCustomer');
    expect(activities).not.toContain('UserTask_IdCheck');
    const recorded = await read(app.id);
    expect(recorded).toMatchObject({
      status: 'not-new-customer',
      newCustomer: false,
      notNewReason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG',
    });
    const person = await system.store.db
      .selectFrom('persons')
      .select(['new_customer', 'not_new_reason'])
      .where('application_id', '=', app.id)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ new_customer: false, not_new_reason: 'LAUFENDER_ODER_KURZ_UNTERBROCHENER_BEZUG' });
  });

  it('sends an SC application the SC may not take up (self-employed) to the EZ ticket task before the ID check', async () => {
    const { client } = system;
    // Act
    const app = await apply({ channel: 'SC', flags: { selfEmployed: true } }, single('Sigrid', 'SchmidtS'));

    // Assert: the ticket lies with the EZ, with its form and the flag the form shows; no forms were sent.
    const [ticket] = await openTasks(client, app.processInstanceId, 'UserTask_TicketEzIntake');
    expect(await candidateGroups(ticket!)).toEqual(['EZ']);
    expect(formOf(ticket!)).toBe('cottbus-ticket-ez');
    expect(instant(ticket!.due)).toBe(instant(intakeDueAt()));
    expect(await localValue(ticket!, 'selfEmployed')).toBe(true);
    expect(
      await client.tasks({ processInstanceId: app.processInstanceId, taskDefinitionKey: 'UserTask_IdCheck' }),
    ).toEqual([]);

    // Act: the EZ takes up the application in Tasklist.
    await client.completeTask(ticket!.id, {
      applicationTaken: true,
      idCheckAppointmentOn: bb.addWorkingDays(today(), 1),
    });

    // Assert: the ID check follows, for the EZ; the SC sent nothing.
    const [idCheck] = await openTasks(client, app.processInstanceId, 'UserTask_IdCheck');
    expect(await candidateGroups(idCheck!)).toEqual(['EZ']);
    expect(await activitiesOf(app.processInstanceId)).not.toContain('Task_SendApplicationForms');
    expect((await documentsOf(app.id)).map((d) => d.kind)).not.toContain('sc-versand');
  });

  it('lets the SC take the data itself when nothing excludes it: the forms go out by post, then the ID check', async () => {
    const app = await apply({ channel: 'SC' }, single('Sonja', 'SchmidtT'));
    const [idCheck] = await openTasks(system.client, app.processInstanceId, 'UserTask_IdCheck');
    expect(await candidateGroups(idCheck!)).toEqual(['EZ']);
    expect((await documentsOf(app.id)).map((d) => d.kind)).toEqual(['sc-versand']);
    const activities = await activitiesOf(app.processInstanceId);
    expect(activities).toContain('Task_SendApplicationForms');
    expect(activities).not.toContain('UserTask_TicketEzIntake');
  });

  it('takes a postal application with the day the letter arrived as its application date', async () => {
    const { client, store } = system;
    // Arrange: the letter arrived three working days ago and reached the EZ only now.
    const postalDate = bb.subtractWorkingDays(today(), 3);
    const app = await apply({ channel: 'POST', applicationDate: postalDate }, single('Paula', 'LehmannP'));

    // Assert: the EZ gets the forwarding task, whose form shows the postal date.
    const [forward] = await openTasks(client, app.processInstanceId, 'UserTask_ForwardToEz');
    expect(await candidateGroups(forward!)).toEqual(['EZ']);
    expect(formOf(forward!)).toBe('cottbus-forwarding-ez');
    expect(await localValue(forward!, 'applicationDate')).toBe(postalDate);

    // Act: the EZ creates the records in Tasklist, then reports the ID check.
    await client.completeTask(forward!.id, {
      recordsCreated: true,
      applicationDateChecked: true,
      idCheckAppointmentOn: bb.addWorkingDays(today(), 1),
    });
    await reportEvent(system, app, 'id-check-completed', { identityVerified: true, responsible: true });

    // Assert: ALLEGRO, the MDS deadline and the breach instant count from the postal date, not from today.
    const due = bb.addWorkingDays(postalDate, 15);
    const booked = await until(app.processInstanceId, 'the booking', async () => {
      const a = await read(app.id);
      return a.appointments.length === 1 ? a : undefined;
    });
    expect(booked.applicationDate).toBe(postalDate);
    expect(
      (
        await store.db
          .selectFrom('case_periods')
          .select('application_date')
          .where('application_id', '=', app.id)
          .executeTakeFirstOrThrow()
      ).application_date,
    ).toBe(postalDate);
    expect(booked.deadlines).toEqual([
      expect.objectContaining({ kind: 'first-consultation', dueDate: due, status: 'open' }),
    ]);
    expect(berlinDate(new Date(booked.appointments[0].startsAt)) <= due).toBe(true);
    const timer = await timerAt(client, app.processInstanceId, 'Timer_MdsBreach');
    expect(instant(timer.dueDate)).toBe(instant(bb.breachInstant(due)));
  });

  it('ends with a forwarding note when the jobcenter is not responsible after a relocation', async () => {
    const { client } = system;
    const app = await apply({ flags: { relocation: true } }, single('Rolf', 'ZuzugR'));

    // Arrange: the ID check's form shows the evidence question for a relocation.
    const [idCheck] = await openTasks(client, app.processInstanceId, 'UserTask_IdCheck');
    expect(await localValue(idCheck!, 'relocation')).toBe(true);

    // Act: the EZ completes it in Tasklist: registration certificate checked, not responsible.
    await client.completeTask(idCheck!.id, {
      identityVerified: true,
      jurisdictionEvidence: 'registration',
      responsible: false,
      registrationFormsCompleted: false,
      digitalHintsGiven: false,
      currentMattersHintGiven: false,
      invitationByPhone: false,
    });

    // Assert: the forwarding note is filed, the application forwarded, no customer record made.
    const done = await ended(client, app.processInstanceId);
    expect(done.state).toBe('COMPLETED');
    const activities = await activitiesOf(app.processInstanceId);
    expect(activities).toEqual(expect.arrayContaining(['Task_IssueForwardingNote', 'End_NotResponsible']));
    expect(activities).not.toContain('Task_UpsertCustomers');
    const recorded = await read(app.id);
    expect(recorded.status).toBe('forwarded');
    expect(recorded.documents.map((d: { kind: string }) => d.kind)).toEqual(['abgabe-nicht-zustaendig']);
    expect(recorded.members[0].kdNumber).toBeNull();
    // The note names the evidence as the form labels it, in German.
    const note = await system.store.db
      .selectFrom('documents')
      .select('content')
      .where('application_id', '=', app.id)
      .executeTakeFirstOrThrow();
    const text = (await pdfText(note.content)).replace(/\s+/g, ' ');
    expect(text).toContain(
      'Die Prüfung der Zuständigkeit bei Zuzug (aktuelle Meldebescheinigung) hat ergeben, dass Jobcenter Cottbus nicht zuständig ist.',
    );
    expect(text).not.toContain('registration');
    // The MDS clock ran from the decision; the case ended before the consultation, so its deadline no longer applies.
    expect(recorded.deadlines).toEqual([
      expect.objectContaining({ kind: 'first-consultation', status: 'not-applicable' }),
    ]);
    expect(activities).toContain('Task_CloseDeadlinesNotResponsible');
    expect(await client.jobs({ processInstanceId: app.processInstanceId, timers: 'true' })).toEqual([]);
  });

  /** The MDS deadlines of an application in the store, by status. */
  const mdsStatuses = async (applicationId: string) =>
    (
      await system.store.db
        .selectFrom('deadlines')
        .select('status')
        .where('application_id', '=', applicationId)
        .where('kind', '=', 'first-consultation')
        .execute()
    ).map((d) => d.status);
  const escalationsOf = (applicationId: string) =>
    system.store.db
      .selectFrom('notifications')
      .selectAll()
      .where('application_id', '=', applicationId)
      .where('subject', 'like', 'MDS verfehlt%')
      .execute();

  /**
   * A backdated case's breach instant lies in the past, so the engine's job executor fires the timer on its own as
   * soon as the case scope starts; the test asserts the due date while the job is there and executes it, or finds
   * it already fired. Either way the timer fired exactly once.
   */
  async function fireBreachTimer(pi: string, breachAt: string) {
    const [timer] = await system.client.jobs({ processInstanceId: pi, activityId: 'Timer_MdsBreach', timers: 'true' });
    if (timer) {
      expect(instant(timer.dueDate)).toBe(instant(breachAt));
      await system.client.executeJob(timer.id).catch((e: unknown) => {
        if (!(e instanceof EngineRequestError && e.status === 404)) throw e; // the job executor was quicker
      });
    }
    await passed(system.client, pi, 'End_MdsBreachReported');
    expect(
      await system.client.historicActivities({ processInstanceId: pi, activityId: 'Timer_MdsBreach' }),
    ).toHaveLength(1);
  }

  it('counts the MDS deadline from the day the letter arrived at once, and escalates it once while the post still waits for its forwarding', async () => {
    const { client, store } = system;
    // Arrange: the letter arrived 35 calendar days ago and still lies in the post room.
    const letterDay = lightFormat(subDays(parseISO(today()), 35), 'yyyy-MM-dd');
    const due = bb.addWorkingDays(letterDay, 15);
    const app = await apply({ channel: 'POST', applicationDate: letterDay }, single('Olaf', 'PostO'));
    const pi = app.processInstanceId;
    const [forward] = await openTasks(client, pi, 'UserTask_ForwardToEz');

    // Assert: the deadline is in the store from the decision on, counted from the letter's day, with its breach instant.
    const deadline = await store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('application_id', '=', app.id)
      .executeTakeFirstOrThrow();
    expect(deadline).toMatchObject({ kind: 'first-consultation', due_date: due });
    expect(instant(deadline.breach_at.toISOString())).toBe(instant(bb.breachInstant(due)));
    expect(await variablesOf(client, pi)).toMatchObject({ mdsDueDate: due, mdsBreachAt: bb.breachInstant(due) });

    // Act: the breach instant passes while the case waits at the forwarding.
    await fireBreachTimer(pi, bb.breachInstant(due));

    // Assert: breached, TL EZ and TL M&I told once (inbox each, one e-mail), the forwarding still waits.
    expect(await mdsStatuses(app.id)).toEqual(['breached']);
    const told = await escalationsOf(app.id);
    expect(
      told
        .filter((n) => n.channel === 'inbox')
        .map((n) => n.recipient)
        .sort(),
    ).toEqual(['tl-ez', 'tl-mi']);
    expect(told.filter((n) => n.channel === 'email')).toHaveLength(1);
    expect(
      (await client.tasks({ processInstanceId: pi, taskDefinitionKey: 'UserTask_ForwardToEz' })).map((t) => t.id),
    ).toEqual([forward!.id]);
    expect(await client.jobs({ processInstanceId: pi, activityId: 'Timer_MdsBreach', timers: 'true' })).toEqual([]);
    expect((await client.historicProcessInstance(pi)).state).toBe('ACTIVE');
  });

  it('escalates a service-centre case once while it waits for its ID check', async () => {
    const { client } = system;
    // Arrange: the SC took the data 20 working days ago; the person never came for the ID check.
    const applicationDate = bb.subtractWorkingDays(today(), 20);
    const due = bb.addWorkingDays(applicationDate, 15);
    const app = await apply({ channel: 'SC', applicationDate }, single('Sven', 'ServiceS'));
    const pi = app.processInstanceId;
    const [idCheck] = await openTasks(client, pi, 'UserTask_IdCheck');

    // Act
    await fireBreachTimer(pi, bb.breachInstant(due));

    // Assert: breached, told once, still waiting for the ID check; reporting it later books as usual.
    expect(await mdsStatuses(app.id)).toEqual(['breached']);
    expect((await escalationsOf(app.id)).filter((n) => n.channel === 'inbox')).toHaveLength(2);
    expect(
      (await client.tasks({ processInstanceId: pi, taskDefinitionKey: 'UserTask_IdCheck' })).map((t) => t.id),
    ).toEqual([idCheck!.id]);
    await reportEvent(system, app, 'id-check-completed', { identityVerified: true, responsible: true });
    await openTasks(client, pi, 'UserTask_DeputyBooking');
    expect(await mdsStatuses(app.id)).toEqual(['breached']);
    expect((await escalationsOf(app.id)).filter((n) => n.channel === 'inbox')).toHaveLength(2);
  });

  it('does not escalate a deadline met before the breach instant', async () => {
    const { client } = system;
    // Arrange: booked and consulted today, the decision still pending, so the case scope and its timer remain.
    const app = await apply({}, single('Mona', 'MetM'));
    const pi = app.processInstanceId;
    await reportEvent(system, app, 'id-check-completed', { identityVerified: true, responsible: true });
    await openTasks(client, pi, 'UserTask_FirstConsultation');
    const personId = (await read(app.id)).members[0].personId as string;
    await reportEvent(system, app, 'first-consultation-held', {
      personId,
      heldOn: today(),
      profiling: true,
      kooperationsplan: true,
    });
    await until(pi, 'the deadline met', async () => ((await mdsStatuses(app.id))[0] === 'met' ? true : undefined));
    const timer = await timerAt(client, pi, 'Timer_MdsBreach');
    expect(instant(timer.dueDate)).toBe(instant(bb.breachInstant(bb.addWorkingDays(today(), 15))));

    // Act
    await client.executeJob(timer.id);

    // Assert: nothing open to breach, nobody told.
    await passed(client, pi, 'End_MdsAllMet');
    expect(await mdsStatuses(app.id)).toEqual(['met']);
    expect(await escalationsOf(app.id)).toEqual([]);
    expect(await activitiesOf(pi)).not.toContain('Task_NotifyMdsBreach');
  });

  it('closes the deadlines as not applicable when the application is withdrawn, wherever the case stands', async () => {
    const { client } = system;
    // Arrange: a case waiting for its ID check.
    const app = await apply({}, family('W'));
    const pi = app.processInstanceId;
    await openTasks(client, pi, 'UserTask_IdCheck');
    expect(await mdsStatuses(app.id)).toEqual(['open', 'open']);

    // Act: the front desk reports the withdrawal.
    const res = await request(system.app)
      .post(`/api/v1/applications/${app.id}/events/withdrawn`)
      .set(AUTH.EZ)
      .send({ withdrawnOn: today() });
    expect(res.status).toBe(202);

    // Assert: the case ended, no timer left, both deadlines not applicable, counted apart in the report.
    const done = await ended(client, pi);
    expect(done.state).toBe('COMPLETED');
    expect(await activitiesOf(pi)).toEqual(expect.arrayContaining(['Task_CloseDeadlinesWithdrawn', 'End_Withdrawn']));
    expect(await mdsStatuses(app.id)).toEqual(['not-applicable', 'not-applicable']);
    expect((await read(app.id)).status).toBe('withdrawn');
    const due = bb.addWorkingDays(today(), 15);
    const report = await request(system.app)
      .get(`/api/v1/reports/mds?jobcenter=cottbus&from=${due}&to=${due}`)
      .set(AUTH.ADMIN);
    expect(
      report.body.kinds.find((k: { kind: string }) => k.kind === 'first-consultation').notApplicable,
    ).toBeGreaterThanOrEqual(2);
    // A second withdrawal finds nothing waiting.
    const again = await request(system.app)
      .post(`/api/v1/applications/${app.id}/events/withdrawn`)
      .set(AUTH.EZ)
      .send({ withdrawnOn: today() });
    expect(again.status).toBe(409);
  });

  it('records the MDS breached when the breach timer fires at the calendar instant, tells TL EZ and TL M&I, and keeps waiting', async () => {
    const { client, store } = system;
    // Arrange: an application of today, booked, its consultation open.
    const applicationDate = today();
    const app = await apply({ applicationDate }, single('Bernd', 'KrauseB'));
    const pi = app.processInstanceId;
    await reportEvent(system, app, 'id-check-completed', { identityVerified: true, responsible: true });
    const [consultation] = await openTasks(client, pi, 'UserTask_FirstConsultation');

    // Assert: the breach timer waits for exactly the instant the calendar computes.
    const timer = await timerAt(client, pi, 'Timer_MdsBreach');
    expect(instant(timer.dueDate)).toBe(instant(bb.breachInstant(bb.addWorkingDays(applicationDate, 15))));

    // Act: let the deadline pass.
    await client.executeJob(timer.id);

    // Assert: the deadline is breached in the store, TL EZ and TL M&I are told, the consultation still waits.
    const breached = await until(pi, 'the breach recorded', async () => {
      const d = await store.db
        .selectFrom('deadlines')
        .selectAll()
        .where('application_id', '=', app.id)
        .where('kind', '=', 'first-consultation')
        .executeTakeFirst();
      return d?.status === 'breached' ? d : undefined;
    });
    expect(breached.breached_at).not.toBeNull();
    expect(breached.met_on).toBeNull();
    const told = await until(pi, 'the TL notifications', async () => {
      const rows = await store.db
        .selectFrom('notifications')
        .selectAll()
        .where('application_id', '=', app.id)
        .where('subject', 'like', 'MDS verfehlt%')
        .execute();
      return rows.length >= 3 ? rows : undefined;
    });
    expect(
      told
        .filter((n) => n.channel === 'inbox')
        .map((n) => n.recipient)
        .sort(),
    ).toEqual(['tl-ez', 'tl-mi']);
    expect(told.filter((n) => n.channel === 'email').map((n) => n.recipient)).toEqual([
      'anja.lehmann@jobcenter-cottbus.example, bernd.krueger@jobcenter-cottbus.example',
    ]);
    const inbox = await request(system.app).get('/api/v1/inbox?recipient=tl-mi').set(AUTH.ADMIN);
    expect(
      inbox.body.items.some(
        (n: { applicationId: string; subject: string }) =>
          n.applicationId === app.id && n.subject.startsWith('MDS verfehlt'),
      ),
    ).toBe(true);
    await until(pi, 'the escalation branch to end', async () =>
      (await activitiesOf(pi)).includes('End_MdsBreachReported') ? true : undefined,
    );
    expect((await client.historicProcessInstance(pi)).state).toBe('ACTIVE');
    expect(
      (await client.tasks({ processInstanceId: pi, taskDefinitionKey: 'UserTask_FirstConsultation' })).map((t) => t.id),
    ).toEqual([consultation!.id]);
    expect(await client.jobs({ processInstanceId: pi, activityId: 'Timer_MdsBreach', timers: 'true' })).toEqual([]);
    expect(await client.incidents({ processInstanceId: pi })).toEqual([]);
  });

  it('without a free slot sends the ticket to the team mailbox (cc TL), lets the team book as deputy, then asks the caseworker to acknowledge', async () => {
    const { client, store } = system;
    // Arrange: the main caseworker for W–We (Ü25) is away until after the MDS due date.
    const caseworkerId = 'av-ue25-30';
    const due = bb.addWorkingDays(today(), 15);
    await store.db
      .insertInto('absences')
      .values({
        jobcenter: 'cottbus',
        caseworker_id: caseworkerId,
        starts_at: new Date(Date.now() - 3_600_000),
        ends_at: new Date(bb.breachInstant(bb.addWorkingDays(due, 1))),
        reason: 'Urlaub',
      })
      .execute();
    const app = await apply({}, single('Walter', 'WagnerW'));
    const pi = app.processInstanceId;

    // Act
    await reportEvent(system, app, 'id-check-completed', { identityVerified: true, responsible: true });

    // Assert: the deputy booking lies with the team, due on the MDS day; the ticket went to the team mailbox, cc the TL.
    const [deputy] = await openTasks(client, pi, 'UserTask_DeputyBooking');
    expect(await candidateGroups(deputy!)).toEqual(['team-ue25-s-z']);
    expect(formOf(deputy!)).toBe('cottbus-deputy-booking');
    expect(deputy!.assignee).toBeNull();
    expect(instant(deputy!.due)).toBe(instant(endOfDay(due)));
    expect(await activitiesOf(pi)).toEqual(expect.arrayContaining(['Event_NoSlotAvailable', 'Task_NotifyNoSlot']));
    const ticket = await store.db
      .selectFrom('notifications')
      .selectAll()
      .where('application_id', '=', app.id)
      .where('subject', 'like', 'Ticket:%')
      .execute();
    expect(ticket.filter((n) => n.channel === 'email').map((n) => ({ to: n.recipient, cc: n.cc }))).toEqual([
      { to: 'team-ue25-s-z@jobcenter-cottbus.example', cc: ['matthias.hahn@jobcenter-cottbus.example'] },
    ]);
    expect(
      ticket
        .filter((n) => n.channel === 'inbox')
        .map((n) => n.recipient)
        .sort(),
    ).toEqual(['team:ue25-s-z', 'tl-ue25-s-z']);
    expect((await read(app.id)).appointments).toEqual([]);

    // Act: a team member books a slot of a colleague as deputy, in Tasklist, as the form takes it.
    const day = bb.addWorkingDays(today(), 2);
    const slotStartsAt = `${day}T11:00${bb.breachInstant(day).slice(19)}`;
    await client.completeTask(deputy!.id, { slotStartsAt, deputyCaseworkerId: 'av-ue25-31' });

    // Assert: the deputy's appointment is in the store, the invitation filed, the acknowledgement with the main caseworker.
    const booked = await until(pi, 'the deputy booking recorded and invited', async () => {
      const a = await read(app.id);
      return a.appointments.length === 1 && a.documents.some((d: { kind: string }) => d.kind === 'einladung-rfb')
        ? a
        : undefined;
    });
    expect(booked.appointments[0]).toMatchObject({
      kind: 'first-consultation',
      caseworkerId: 'av-ue25-31',
      bookedBy: 'deputy',
    });
    expect(instant(booked.appointments[0].startsAt)).toBe(instant(slotStartsAt));
    const [ack] = await openTasks(client, pi, 'UserTask_Acknowledge');
    expect(ack!.assignee).toBe(caseworkerId);
    expect(await candidateGroups(ack!)).toEqual(['team-ue25-s-z']);

    // Act: the caseworker takes note.
    await client.completeTask(ack!.id, { acknowledged: true });

    // Assert: the consultation waits for the deputy who holds the appointment.
    const [consultation] = await openTasks(client, pi, 'UserTask_FirstConsultation');
    expect(consultation!.assignee).toBe('av-ue25-31');
    expect(await candidateGroups(consultation!)).toEqual(['team-ue25-s-z']);
    await until(pi, 'the acknowledgement to close', async () =>
      (await client.tasks({ processInstanceId: pi, taskDefinitionKey: 'UserTask_Acknowledge' })).length === 0
        ? true
        : undefined,
    );
  });

  it('leaves no name and no birth date in any variable of these instances, running or in the history', async () => {
    expect(started.length).toBeGreaterThanOrEqual(8);
    for (const s of started) {
      const running = await system.client.variableInstances({
        processInstanceIdIn: s.processInstanceId,
        maxResults: '1000',
      });
      const history = await system.client.historicVariableInstances({
        processInstanceId: s.processInstanceId,
        maxResults: '5000',
      });
      expect(history.length).toBeGreaterThan(0);
      const text = [...running, ...history]
        .map((v) => `${v.name}=${typeof v.value === 'string' ? v.value : JSON.stringify(v.value)}`)
        .join('\n');
      for (const personal of s.personal) expect(text).not.toContain(personal);
    }
  });
});
