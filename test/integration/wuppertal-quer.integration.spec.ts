/**
 * The Wuppertal QuEr (seed 002) on the real engine, driven as staff would: the front desk records the
 * application through the API, the LG reports its decision and the IFK the QuEr through the events API, steps
 * done only in Tasklist are completed through the engine's REST API with the values their forms send. Timers are
 * never waited for: each test asserts the timer's due date against the working-day calendar, then executes it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { addDays, subDays } from 'date-fns';
import request from 'supertest';

import { berlinDate, createCalendar } from '../../src/calendar/index.js';
import { loadConfig } from '../../src/config/load.js';
import { fIfkOn } from '../../src/domain/assignments.js';
import { anApplication, type ApplicationOptions, today } from '../support/application.js';
import { ended, noIncidents, openTasks, passed, timerAt, variablesOf } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { AUTH } from '../support/tokens.js';
import { integrationEnv } from './engine-env.js';
import { reportEvent, startSystem, type System } from './system.js';

jest.setTimeout(240_000);

const nw = createCalendar({ state: 'NW' });
const wuppertal = loadConfig(integrationEnv).jobcenters.get('wuppertal')!;
const branchSettings = (id: string) => wuppertal.branches.find((b) => b.id === id)!;
/** The last day of the month a date lies in. */
const lastDayOfMonth = (date: string) =>
  new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).toISOString().slice(0, 10);
/** 'YYYY-MM' of the month after a date. */
const monthAfter = (date: string) =>
  new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1)).toISOString().slice(0, 7);
const at = (instant: string | null | undefined) => new Date(instant!).getTime();
/** A birth date `years` before today, moved by `days`: ages stay right whenever the suite runs. */
const bornYearsAgo = (years: number, days = 0) => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

type MemberIn = {
  givenName: string;
  familyName: string;
  birthDate: string;
  role: 'head' | 'member';
  erwerbsfaehig: boolean;
};
type Application = { id: string; processInstanceId: string };

/** What the IFK reports after the QuEr: the minimum standards and a complete Beratungsvermerk (the note goes to the store). */
const querHeld = (personId: string, over: Record<string, unknown> = {}) => ({
  personId,
  heldOn: today(),
  fmgDatenAktualisiert: true,
  potenzialanalyse: true,
  integrationsprognose: 'BIS_6_MONATE',
  handlungsstrategie: true,
  sofortangebot: true,
  kooperationsplan: true,
  berufsabschluss: true,
  steuerungsempfehlung: 'VERBLEIB',
  massnahmeEmpfohlen: false,
  beratungsvermerk: {
    grundAntragstellung: 'Arbeitslosigkeit nach Befristung',
    groesseBg: 2,
    drittstaatsangehoerig: false,
    ergebnisPotenzialanalyse: 'Prognose bis 6 Monate; Strategie Vermittlung in Lagerlogistik',
    zielberuf: 'Fachkraft Lagerlogistik',
    gespraechszusammenfassung: 'Sofortangebot Vermittlungsvorschlag unterbreitet',
    weiteresVorgehen: 'Bewerbungen bis zum Folgetermin',
  },
  ...over,
});

describe('Wuppertal QuEr on the real engine', () => {
  let system: System;
  /** Every application of this spec with the personal texts its store holds, for the privacy check at the end. */
  const started: { application: Application; personal: string[] }[] = [];

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  async function apply(
    members: MemberIn[],
    extra: Pick<ApplicationOptions, 'branch' | 'flags' | 'unemployedSince'> = {},
  ): Promise<Application> {
    const res = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ jobcenter: 'wuppertal', applicationDate: today(), members, ...extra }));
    expect(res.status).toBe(201);
    const application = res.body as Application;
    started.push({ application, personal: members.flatMap((m) => [m.givenName, m.familyName, m.birthDate]) });
    return application;
  }

  const head = (family: string, birthDate = '1980-02-02'): MemberIn => ({
    givenName: `Tom${family}`,
    familyName: family,
    birthDate,
    role: 'head',
    erwerbsfaehig: true,
  });
  const member = (given: string, family: string, birthDate: string, erwerbsfaehig = true): MemberIn => ({
    givenName: `${given}${family}`,
    familyName: family,
    birthDate,
    role: 'member',
    erwerbsfaehig,
  });

  const read = async (id: string) => {
    const res = await request(system.app).get(`/api/v1/applications/${id}`).set(AUTH.ADMIN);
    expect(res.status).toBe(200);
    return res.body;
  };

  const activitiesOf = async (pi: string) =>
    (await system.client.historicActivities({ processInstanceId: pi, maxResults: '1000' })).map((a) => a.activityId);
  const notifications = (applicationId: string) =>
    system.store.db
      .selectFrom('notifications')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('created_at')
      .execute();
  const appointments = (applicationId: string, kind: string) =>
    system.store.db
      .selectFrom('appointments')
      .selectAll()
      .where('application_id', '=', applicationId)
      .where('kind', 'like', kind)
      .orderBy('starts_at')
      .execute();
  const personsOf = (applicationId: string) =>
    system.store.db
      .selectFrom('persons')
      .select(['id', 'role', 'birth_date', 'caseworker_id'])
      .where('application_id', '=', applicationId)
      .execute();
  const deadlinesOf = (applicationId: string) =>
    system.store.db.selectFrom('deadlines').selectAll().where('application_id', '=', applicationId).execute();

  async function approve(app: Application, approvedOn = today(), ref = `LMG-${app.id.slice(0, 8)}`) {
    await reportEvent(system, { id: app.id }, 'approved-in-principle', { approvedOn, calculationProtocolRef: ref });
    await passed(system.client, app.processInstanceId, 'Task_NotifyIfkReassigned');
    return ref;
  }

  it('hands out the application pack, books the LG submission appointment and puts the case shell on the virtual worker with the F-IFK’s FMG.job entries', async () => {
    // Arrange
    const branch = branchSettings('gst-barmen');

    // Act
    // Unemployed since before the application: ALO counts from the application date.
    const app = await apply([head('Albers')], { unemployedSince: nw.subtractWorkingDays(today(), 3) });
    await passed(system.client, app.processInstanceId, 'Task_SetStatisticsEntries');

    // Assert: the EZ hand-out (Merkblatt, DSGVO, Fragebogen Migration) is filed once.
    const shown = await read(app.id);
    expect(shown.documents.map((d: { kind: string }) => d.kind).sort()).toEqual([
      'fragebogen-migration',
      'infoschreiben-dsgvo',
      'merkblatt-sgb2',
    ]);

    // Assert: the Neuantragsabgabe with the branch's LG expert, a released slot within the next 10 working days.
    const [submission, ...more] = await appointments(app.id, 'lg-submission');
    expect(more).toHaveLength(0);
    expect(submission!.caseworker_id).toBe(branch.experts.lg.id);
    expect(berlinDate(submission!.starts_at) >= today()).toBe(true);
    expect(berlinDate(submission!.starts_at) <= nw.addWorkingDays(today(), 10)).toBe(true);

    // Assert: the case shell lies on QuEr.Barmen, VM, put there by the F-IFK of the day from the rota.
    const rotaFIfk = fIfkOn(branch, today());
    expect(shown.members[0].caseworker).toEqual({ id: 'quer-barmen-vm', name: 'QuEr.Barmen, VM', virtual: true });
    expect(await variablesOf(system.client, app.processInstanceId)).toMatchObject({
      virtualWorkerId: 'quer-barmen-vm',
      fIfkId: rotaFIfk,
      branch: 'gst-barmen',
    });

    // Assert: Kundenstatus "Antrag", qualitatives Vermittlungsprofil and ASU/NA from the application date, by the F-IFK.
    const entries = await system.store.db
      .selectFrom('fmg_entries')
      .selectAll()
      .where('application_id', '=', app.id)
      .orderBy('kind')
      .execute();
    expect(entries.map((e) => [e.kind, e.value, e.valid_from, e.recorded_by])).toEqual([
      ['bael-alo', 'ALO', today(), rotaFIfk],
      ['bael-asu-na', 'ASU/NA', today(), rotaFIfk],
      ['kundenstatus', 'Antrag', today(), rotaFIfk],
      ['qualitatives-vermittlungsprofil', 'angelegt', today(), rotaFIfk],
    ]);

    // Assert: the case waits for the LG with no deadline running (the procedure sets none before the decision).
    expect(
      (
        await system.client.executions({
          processInstanceId: app.processInstanceId,
          activityId: 'Gateway_LgDecisionEvents',
        })
      ).length,
    ).toBe(1);
    expect(shown.deadlines).toEqual([]);
  });

  it('ends the case when the LG rejects the application, without deadlines, notices or a move to an IFK', async () => {
    // Arrange
    const app = await apply([head('Dorn')]);

    // Act
    await reportEvent(system, { id: app.id }, 'rejected', { rejectedOn: today() });

    // Assert
    const done = await ended(system.client, app.processInstanceId);
    expect(done.state).toBe('COMPLETED');
    const path = await activitiesOf(app.processInstanceId);
    expect(path).toEqual(expect.arrayContaining(['Event_Rejected', 'Task_RecordRejection', 'End_Rejected']));
    expect(path).not.toContain('Task_ComputeQuerDeadlines');
    const shown = await read(app.id);
    expect(shown.status).toBe('rejected');
    expect(shown.history.map((h: { text: string }) => h.text)).toContain(
      `Antrag durch die LG abgelehnt am ${today()}.`,
    );
    expect(shown.deadlines).toEqual([]);
    expect(shown.members[0].caseworker).toMatchObject({ id: 'quer-barmen-vm', virtual: true });
    expect(await notifications(app.id)).toEqual([]);
  });

  it('after approval in principle informs BI by d.3 with the LMG protocol, moves the head from the virtual worker to the IFK, informs the IFK and books the QuEr within 10 working days', async () => {
    // Arrange
    const app = await apply([head('Becker')]);
    await passed(system.client, app.processInstanceId, 'Task_SetStatisticsEntries');

    // Act
    const ref = await approve(app);

    // Assert: the deadline, 10 working days (NW) after the approval.
    const querDueDate = nw.addWorkingDays(today(), 10);
    const [headPerson] = await personsOf(app.id);
    expect(await deadlinesOf(app.id)).toEqual([
      expect.objectContaining({ kind: 'quer', person_id: headPerson!.id, due_date: querDueDate, status: 'open' }),
    ]);

    // Assert: d.3 to the Experte/in BI with the LMG protocol attached, then d.3 to the IFK the head was moved to.
    const sent = await notifications(app.id);
    const toBi = sent.filter(
      (n) => n.channel === 'd3' && n.subject.startsWith('d.3: Antrag dem Grunde nach bewilligungsfähig'),
    );
    expect(toBi.map((n) => n.recipient)).toEqual([branchSettings('gst-barmen').experts.bi.id]);
    expect(toBi[0]!.attachments).toEqual([{ kind: 'lmg-berechnungsprotokoll', ref }]);
    const toIfk = sent.filter((n) => n.channel === 'd3' && n.subject.startsWith('d.3: Neuer Fall für das QuEr'));
    expect(toIfk.map((n) => n.recipient)).toEqual(['ifk-barmen-01']);
    expect(toIfk[0]!.body).toContain(
      `${querDueDate.slice(8, 10)}.${querDueDate.slice(5, 7)}.${querDueDate.slice(0, 4)}`,
    );
    expect(toBi[0]!.created_at.getTime()).toBeLessThanOrEqual(toIfk[0]!.created_at.getTime());

    const moves = await system.store.db
      .selectFrom('case_assignments')
      .select(['caseworker_id', 'reason'])
      .where('application_id', '=', app.id)
      .orderBy('at')
      .execute();
    expect(moves).toEqual([
      { caseworker_id: 'quer-barmen-vm', reason: 'virtual-worker' },
      { caseworker_id: 'ifk-barmen-01', reason: 'ifk' },
    ]);
    expect((await read(app.id)).members[0].caseworker).toEqual({
      id: 'ifk-barmen-01',
      name: 'Sandra Becker',
      virtual: false,
    });
    expect((await read(app.id)).history.map((h: { text: string }) => h.text)).toContain(
      `Antrag dem Grunde nach bewilligungsfähig am ${today()}; Berechnungsprotokoll LMG ${ref}.`,
    );

    // Assert: the QuEr is booked with that IFK no later than the deadline, and waits in Tasklist for them.
    const [quer] = await openTasks(system.client, app.processInstanceId, 'UserTask_Quer');
    const [booking] = await appointments(app.id, 'quer');
    expect(booking).toMatchObject({ caseworker_id: 'ifk-barmen-01', person_id: headPerson!.id });
    expect(berlinDate(booking!.starts_at) <= querDueDate).toBe(true);
    expect(quer!.assignee).toBe('ifk-barmen-01');
    expect((await system.client.taskCandidates(quer!.id)).map((c) => c.groupId)).toEqual(['IFK']);
    expect((quer!.operatonFormRef ?? quer!.camundaFormRef)?.key).toBe('wuppertal-quer');
    // Due at the end of the deadline day: one second before the breach instant.
    expect(at(quer!.due)).toBe(at(nw.breachInstant(querDueDate)) - 1000);
    await noIncidents(system.client, app.processInstanceId);
  });

  it('records the QuEr as met when the IFK reports it in time, refuses a Beratungsvermerk without its required contents, and routes by the Kundensteuerung', async () => {
    // Arrange
    const app = await apply([head('Cramer')]);
    await approve(app);
    const [quer] = await openTasks(system.client, app.processInstanceId, 'UserTask_Quer');
    const headId = (await personsOf(app.id))[0]!.id;
    const base = querHeld(headId, { steuerungsempfehlung: 'REHA_SB' });
    const post = (body: object) =>
      request(system.app).post(`/api/v1/applications/${app.id}/events/quer-held`).set(AUTH.ADMIN).send(body);

    // Act + Assert: each missing required content of the Beratungsvermerk is refused, naming the field.
    const withoutZielberuf = Object.fromEntries(
      Object.entries(base.beratungsvermerk).filter(([field]) => field !== 'zielberuf'),
    );
    const missing = await post({ ...base, beratungsvermerk: withoutZielberuf });
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.beratungsvermerk.zielberuf']);

    const empty = await post({
      ...base,
      beratungsvermerk: { ...base.beratungsvermerk, gespraechszusammenfassung: '  ', weiteresVorgehen: '' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.issues).toEqual([
      { path: 'body.beratungsvermerk.gespraechszusammenfassung', message: 'Gesprächszusammenfassung is required' },
      { path: 'body.beratungsvermerk.weiteresVorgehen', message: 'Festlegung des weiteren Vorgehens is required' },
    ]);

    const thirdCountry = await post({
      ...base,
      beratungsvermerk: { ...base.beratungsvermerk, drittstaatsangehoerig: true },
    });
    expect(thirdCountry.status).toBe(400);
    expect(thirdCountry.body.issues).toEqual([
      {
        path: 'body.beratungsvermerk.aufenthaltsstatus',
        message: 'Aufenthaltsstatus is required for third-country nationals',
      },
    ]);

    const noSofortangebot = await post({ ...base, sofortangebot: false });
    expect(noSofortangebot.status).toBe(400);
    expect(noSofortangebot.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.sofortangebot']);

    // Assert: nothing of the refused reports reached the process or the store.
    expect(
      (await system.client.tasks({ processInstanceId: app.processInstanceId, taskDefinitionKey: 'UserTask_Quer' })).map(
        (t) => t.id,
      ),
    ).toEqual([quer!.id]);
    expect(
      await system.store.db.selectFrom('consultation_notes').selectAll().where('application_id', '=', app.id).execute(),
    ).toEqual([]);

    // Act: the complete report.
    await reportEvent(system, { id: app.id }, 'quer-held', base);

    // Assert: met on the day, the note in the store, the head routed to Reha/SB, the instance at its end.
    const done = await ended(system.client, app.processInstanceId);
    expect(done.state).toBe('COMPLETED');
    const deadline = (await read(app.id)).deadlines.find((d: { kind: string }) => d.kind === 'quer');
    expect(deadline).toMatchObject({ status: 'met', metOn: today() });
    const [note] = await system.store.db
      .selectFrom('consultation_notes')
      .selectAll()
      .where('application_id', '=', app.id)
      .execute();
    expect(note).toMatchObject({ kind: 'quer', person_id: headId, held_on: today() });
    expect(note!.content).toMatchObject({ zielberuf: 'Fachkraft Lagerlogistik' });
    // The task keeps the confirmations with the form's own values, as if completed in Tasklist.
    const taskValues = await system.client.historicVariableInstances({
      processInstanceId: app.processInstanceId,
      variableNameIn: 'berufsabschluss,beratungsvermerkErfasst,sofortangebot',
    });
    expect(Object.fromEntries(taskValues.map((v) => [v.name, v.value]))).toEqual({
      berufsabschluss: 'ja',
      beratungsvermerkErfasst: true,
      sofortangebot: true,
    });
    expect(await activitiesOf(app.processInstanceId)).toEqual(
      expect.arrayContaining([
        'Task_RecordQuerMet',
        'Decision_QuerKundensteuerung',
        'Task_RouteHeadToSpecialTeam',
        'End_QuerDone',
      ]),
    );
    const routing = await system.store.db
      .selectFrom('fmg_entries')
      .select(['kind', 'value'])
      .where('application_id', '=', app.id)
      .where('kind', '=', 'kundensteuerung')
      .execute();
    expect(routing).toEqual([{ kind: 'kundensteuerung', value: 'REHA_SB' }]);
    expect((await read(app.id)).members[0].caseworker).toMatchObject({ id: 'reha-sb-01', virtual: false });
  });

  it('keeps a head who stays in the branch with the IFK (Kundensteuerung VERBLEIB)', async () => {
    // Arrange
    const app = await apply([head('Claasen')]);
    await approve(app);
    const headId = (await personsOf(app.id))[0]!.id;
    await openTasks(system.client, app.processInstanceId, 'UserTask_Quer');

    // Act
    await reportEvent(system, { id: app.id }, 'quer-held', querHeld(headId));

    // Assert
    await ended(system.client, app.processInstanceId);
    const path = await activitiesOf(app.processInstanceId);
    expect(path).toContain('Decision_QuerKundensteuerung');
    expect(path).not.toContain('Task_RouteHeadToSpecialTeam');
    expect((await read(app.id)).members[0].caseworker).toMatchObject({ id: 'ifk-barmen-01' });
  });

  it('escalates a QuEr not held by its deadline: reminder and breach fire at the calendar’s instants, BI and the team lead are told', async () => {
    // Arrange
    const app = await apply([head('Baum')]);
    await approve(app);
    await openTasks(system.client, app.processInstanceId, 'UserTask_Quer');
    const querDueDate = nw.addWorkingDays(today(), 10);

    // Assert: both timers wait for exactly the instants the calendar computes (NW working days, Berlin midnight).
    const reminder = await timerAt(system.client, app.processInstanceId, 'Timer_QuerReminder');
    expect(at(reminder.dueDate)).toBe(at(nw.reminderInstant(querDueDate, 3)));
    const breach = await timerAt(system.client, app.processInstanceId, 'Timer_QuerBreach');
    expect(at(breach.dueDate)).toBe(at(nw.breachInstant(querDueDate)));

    // Act: the reminder, then the breach.
    await system.client.executeJob(reminder.id);
    await passed(system.client, app.processInstanceId, 'Task_NotifyQuerReminder');
    await system.client.executeJob(breach.id);
    await passed(system.client, app.processInstanceId, 'Task_NotifyQuerBreach');

    // Assert: the IFK was reminded; the breach is recorded and BI (to) and the BI team lead (cc) are told.
    const sent = await notifications(app.id);
    expect(
      sent.filter((n) => n.subject.startsWith('Erinnerung: QuEr')).map((n) => `${n.channel}:${n.recipient}`),
    ).toEqual(expect.arrayContaining(['inbox:ifk-barmen-01']));
    const escalations = sent.filter((n) => n.subject.startsWith('QuEr-Frist verfehlt'));
    expect(
      escalations
        .filter((n) => n.channel === 'inbox')
        .map((n) => n.recipient)
        .sort(),
    ).toEqual([branchSettings('gst-barmen').experts.bi.id, 'tl-bi-barmen'].sort());
    const mail = escalations.find((n) => n.channel === 'email')!;
    expect(mail.recipient).toBe(branchSettings('gst-barmen').experts.bi.email);
    expect(mail.cc).toEqual(['markus.vogt@jobcenter-wuppertal.example']);
    const breached = await system.store.db
      .selectFrom('deadlines')
      .selectAll()
      .where('application_id', '=', app.id)
      .where('kind', '=', 'quer')
      .executeTakeFirstOrThrow();
    expect(breached.status).toBe('breached');

    // Assert: the QuEr task stays open (the timers do not interrupt it); held late, the deadline stays breached.
    const [quer] = await openTasks(system.client, app.processInstanceId, 'UserTask_Quer');
    expect(quer).toBeDefined();
    await reportEvent(system, { id: app.id }, 'quer-held', querHeld((await personsOf(app.id))[0]!.id));
    await ended(system.client, app.processInstanceId);
    expect((await read(app.id)).deadlines.find((d: { kind: string }) => d.kind === 'quer')).toMatchObject({
      status: 'breached',
      metOn: today(),
    });
  });

  it('lets the QuEr of an Aufstocker wait for the end of the ALG I claim and counts its 10 working days from there', async () => {
    // Arrange: the ALG I claim ends in three weeks.
    const endsOn = berlinDate(addDays(new Date(), 21));
    const app = await apply([head('Engel')], { flags: { alg1Claim: { endsOn } } });
    expect(await variablesOf(system.client, app.processInstanceId)).toMatchObject({
      aufstocker: true,
      alg1ClaimEndsOn: endsOn,
    });

    // Act
    await approve(app);

    // Assert: no QuEr yet; the timer waits for 00:00 Berlin after the claim's last day.
    const timer = await timerAt(system.client, app.processInstanceId, 'Timer_Alg1ClaimEnded');
    expect(at(timer.dueDate)).toBe(at(nw.breachInstant(endsOn)));
    const querDueDate = nw.addWorkingDays(endsOn, 10);
    expect(await deadlinesOf(app.id)).toEqual([expect.objectContaining({ kind: 'quer', due_date: querDueDate })]);
    expect(await appointments(app.id, 'quer')).toEqual([]);
    expect(
      await system.client.tasks({ processInstanceId: app.processInstanceId, taskDefinitionKey: 'UserTask_Quer' }),
    ).toEqual([]);
    // The d.3 notices and the move to the IFK do not wait for the claim.
    expect((await read(app.id)).members[0].caseworker).toMatchObject({ id: 'ifk-barmen-02', virtual: false });

    // Act: the claim ends.
    await system.client.executeJob(timer.id);

    // Assert: now the QuEr is booked and due by the deadline counted from the claim's end.
    const [quer] = await openTasks(system.client, app.processInstanceId, 'UserTask_Quer');
    expect(at(quer!.due)).toBe(at(nw.breachInstant(querDueDate)) - 1000);
    const breach = await timerAt(system.client, app.processInstanceId, 'Timer_QuerBreach');
    expect(at(breach.dueDate)).toBe(at(nw.breachInstant(querDueDate)));
    expect(await appointments(app.id, 'quer')).toHaveLength(1);
  });

  it('gives the other eLb aged 15 or more a first consultation in the first 10 working days of the next month, members under 15 none, and escalates a missed one', async () => {
    // Arrange: the head, an eLb of 17, one who turns 15 tomorrow (reported erwerbsfähig) and a child of 10.
    const born17 = bornYearsAgo(17, -30);
    const app = await apply([
      head('Brandt'),
      member('Lea', 'Brandt', born17),
      member('Max', 'Brandt', bornYearsAgo(15, 1)),
      member('Ben', 'Brandt', bornYearsAgo(10), false),
    ]);
    const persons = await personsOf(app.id);
    const headId = persons.find((p) => p.role === 'head')!.id;
    const elb17 = persons.find((p) => p.birth_date === born17)!.id;

    // Act
    await approve(app);

    // Assert: one member deadline, for the 17-year-old: the 10th NW working day of the next month.
    const nextMonth = monthAfter(today());
    const memberDueDate = nw.nthWorkingDayOfMonth(nextMonth, 10);
    const deadlines = await deadlinesOf(app.id);
    expect(deadlines.map((d) => `${d.kind}:${d.person_id}:${d.due_date}`).sort()).toEqual(
      [`quer-member:${elb17}:${memberDueDate}`, `quer:${headId}:${nw.addWorkingDays(today(), 10)}`].sort(),
    );
    expect(await variablesOf(system.client, app.processInstanceId)).toMatchObject({
      otherMemberIds: elb17,
      otherMemberCount: 1,
    });

    // Assert: the window opens at 00:00 Berlin on the 1st of the next month.
    const window = await timerAt(system.client, app.processInstanceId, 'Timer_FollowingMonth');
    expect(at(window.dueDate)).toBe(at(nw.breachInstant(lastDayOfMonth(today()))));
    expect(nw.breachInstant(lastDayOfMonth(today())).slice(0, 10)).toBe(`${nextMonth}-01`);

    // Act: the month begins.
    await system.client.executeJob(window.id);

    // Assert: one consultation, for the 17-year-old, with the household's IFK, due by the member deadline.
    const [task, ...others] = await openTasks(system.client, app.processInstanceId, 'UserTask_MemberConsultation');
    expect(others).toHaveLength(0);
    expect((await system.client.taskVariable(task!.id, 'personId'))?.value).toBe(elb17);
    expect(task!.assignee).toBe('ifk-barmen-01');
    expect((await system.client.taskCandidates(task!.id)).map((c) => c.groupId)).toEqual(['IFK']);
    expect(at(task!.due)).toBe(at(nw.breachInstant(memberDueDate)) - 1000);
    const reminder = await timerAt(system.client, app.processInstanceId, 'Timer_MemberReminder');
    expect(at(reminder.dueDate)).toBe(at(nw.reminderInstant(memberDueDate, 3)));
    const breach = await timerAt(system.client, app.processInstanceId, 'Timer_MemberBreach');
    expect(at(breach.dueDate)).toBe(at(nw.breachInstant(memberDueDate)));
    const [booking, ...moreBookings] = await appointments(app.id, 'quer-member');
    expect(moreBookings).toHaveLength(0);
    expect(booking).toMatchObject({ person_id: elb17, caseworker_id: 'ifk-barmen-01' });
    expect(berlinDate(booking!.starts_at) <= memberDueDate).toBe(true);

    // Act: the member's deadline passes.
    await system.client.executeJob(breach.id);
    await passed(system.client, app.processInstanceId, 'Task_NotifyMemberBreach');

    // Assert: recorded as breached; the branch's Experte/in BI and the BI team lead are told.
    const missed = (await notifications(app.id)).filter(
      (n) => n.subject.startsWith('Frist Erstgespräch BG-Mitglied verfehlt') && n.channel === 'inbox',
    );
    expect(missed.map((n) => n.recipient).sort()).toEqual(
      [branchSettings('gst-barmen').experts.bi.id, 'tl-bi-barmen'].sort(),
    );
    expect((await deadlinesOf(app.id)).find((d) => d.kind === 'quer-member')).toMatchObject({
      person_id: elb17,
      status: 'breached',
    });

    // Act: both consultations are reported; the young eLb is steered to Start.Klar (under 25 from the person facts).
    await reportEvent(
      system,
      { id: app.id },
      'quer-held',
      querHeld(elb17, {
        steuerungsempfehlung: 'START_KLAR',
        beratungsvermerk: { ...querHeld(elb17).beratungsvermerk, groesseBg: 4 },
      }),
    );
    await reportEvent(
      system,
      { id: app.id },
      'quer-held',
      querHeld(headId, { beratungsvermerk: { ...querHeld(headId).beratungsvermerk, groesseBg: 4 } }),
    );

    // Assert
    await ended(system.client, app.processInstanceId);
    const shown = await read(app.id);
    expect(shown.deadlines.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`).sort()).toEqual([
      'quer-member:breached',
      'quer:met',
    ]);
    const young = shown.members.find((m: { personId: string }) => m.personId === elb17);
    expect(young.caseworker).toMatchObject({ id: 'start-klar-01' });
  });

  it('informs the F-IFK and books a short-notice appointment for each request for active support before the LG has decided, and for none after', async () => {
    // Arrange
    const branch = branchSettings('gst-barmen');
    const app = await apply([head('Fuchs')]);
    await passed(system.client, app.processInstanceId, 'Task_SetStatisticsEntries');
    const headId = (await personsOf(app.id))[0]!.id;
    const fIfk = fIfkOn(branch, today());

    // Act: two requests before the decision.
    await reportEvent(system, { id: app.id }, 'funding-requested', {
      personId: headId,
      kind: 'Fahrkosten Vorstellungsgespräch (VB § 44 SGB III)',
      note: 'Vorstellung bei Spedition am Montag',
    });
    await reportEvent(system, { id: app.id }, 'funding-requested', { personId: headId, kind: 'Bewerbungskosten' });

    // Assert: the F-IFK, who took the case shell, is told of each and gets a short-notice appointment for each.
    const shortNotice = await eventually('two short-notice appointments', async () => {
      const rows = await appointments(app.id, 'short-notice:%');
      return rows.length === 2 ? rows : undefined;
    });
    for (const a of shortNotice) {
      expect(a).toMatchObject({ caseworker_id: fIfk, person_id: headId });
      expect(berlinDate(a.starts_at) <= nw.addWorkingDays(today(), 3)).toBe(true);
    }
    const told = (await notifications(app.id)).filter((n) =>
      n.subject.startsWith('Aktive Förderleistung vor Entscheidung beantragt'),
    );
    expect(told.filter((n) => n.channel === 'inbox').map((n) => n.recipient)).toEqual([fIfk, fIfk]);
    expect(told.map((n) => n.body).join('\n')).toContain('Fahrkosten Vorstellungsgespräch');
    expect(told.map((n) => n.body).join('\n')).toContain('Bewerbungskosten');
    // The request's note stays in the file, not in the process.
    expect((await read(app.id)).history.map((h: { text: string }) => h.text)).toContain(
      'Förderleistung beantragt (Fahrkosten Vorstellungsgespräch (VB § 44 SGB III)): Vorstellung bei Spedition am Montag',
    );
    expect(JSON.stringify(await variablesOf(system.client, app.processInstanceId))).not.toContain('Spedition');

    // Assert: after the decision the request has no step any more.
    await approve(app);
    const late = await request(system.app)
      .post(`/api/v1/applications/${app.id}/events/funding-requested`)
      .set(AUTH.ADMIN)
      .send({ personId: headId, kind: 'Fahrkosten' });
    expect(late.status).toBe(409);
    expect(await appointments(app.id, 'short-notice:%')).toHaveLength(2);
  });

  it('opens a ticket and a deputy-booking task for the BI team when the IFK has no free slot before the QuEr deadline', async () => {
    // Arrange: the Elberfeld IFK for I–M is away for the next five weeks.
    const ifk = 'ifk-elberfeld-03';
    await system.store.db
      .insertInto('absences')
      .values({
        jobcenter: 'wuppertal',
        caseworker_id: ifk,
        starts_at: subDays(new Date(), 1),
        ends_at: addDays(new Date(), 35),
        reason: 'Urlaub',
      })
      .execute();
    const app = await apply([head('Jansen')], { branch: 'gst-elberfeld' });

    // Act
    await approve(app);

    // Assert: the team task, for the team's group, due with the QuEr deadline, with its form.
    const querDueDate = nw.addWorkingDays(today(), 10);
    const [deputy] = await openTasks(system.client, app.processInstanceId, 'UserTask_QuerDeputyBooking');
    expect((await system.client.taskCandidates(deputy!.id)).map((c) => c.groupId)).toEqual(['team-bi-elberfeld']);
    expect((deputy!.operatonFormRef ?? deputy!.camundaFormRef)?.key).toBe('wuppertal-deputy-booking');
    expect(at(deputy!.due)).toBe(at(nw.breachInstant(querDueDate)) - 1000);
    const ticket = (await notifications(app.id)).filter((n) => n.subject.startsWith('Ticket: Terminvergabe'));
    expect(
      ticket
        .filter((n) => n.channel === 'inbox')
        .map((n) => n.recipient)
        .sort(),
    ).toEqual(['team:bi-elberfeld', 'tl-bi-elberfeld']);

    // Act: a colleague books as deputy in Tasklist (the form's two fields).
    const slot = `${nw.addWorkingDays(today(), 2)}T09:15:00+01:00`;
    await system.client.completeTask(deputy!.id, { slotStartsAt: slot, deputyCaseworkerId: 'ifk-elberfeld-01' });

    // Assert: the QuEr task is the deputy's, the appointment is stored as the deputy's booking.
    const [quer] = await openTasks(system.client, app.processInstanceId, 'UserTask_Quer');
    expect(quer!.assignee).toBe('ifk-elberfeld-01');
    const [booking] = await appointments(app.id, 'quer');
    expect(booking).toMatchObject({ caseworker_id: 'ifk-elberfeld-01', booked_by: 'deputy' });
    expect(booking!.starts_at.getTime()).toBe(at(slot));
  });

  it('escalates the QuEr deadline once while the case still waits for its deputy booking', async () => {
    // Arrange: the Elberfeld IFK for I–M is away, so the QuEr waits for the team's deputy booking.
    await system.store.db
      .insertInto('absences')
      .values({
        jobcenter: 'wuppertal',
        caseworker_id: 'ifk-elberfeld-03',
        starts_at: subDays(new Date(), 1),
        ends_at: addDays(new Date(), 35),
        reason: 'Urlaub',
      })
      .execute();
    const app = await apply([head('Imhoff')], { branch: 'gst-elberfeld' });
    await approve(app);
    const [deputy] = await openTasks(system.client, app.processInstanceId, 'UserTask_QuerDeputyBooking');
    const querDueDate = nw.addWorkingDays(today(), 10);

    // Assert: the breach timer sits on the QuEr scope, at the calendar's instant, before any appointment exists.
    const breach = await timerAt(system.client, app.processInstanceId, 'Timer_QuerBreach');
    expect(at(breach.dueDate)).toBe(at(nw.breachInstant(querDueDate)));

    // Act
    await system.client.executeJob(breach.id);
    await passed(system.client, app.processInstanceId, 'Task_NotifyQuerBreach');

    // Assert: breached, BI and the team lead told once, the deputy booking still waits.
    const escalations = (await notifications(app.id)).filter((n) => n.subject.startsWith('QuEr-Frist verfehlt'));
    expect(escalations.filter((n) => n.channel === 'inbox')).toHaveLength(2);
    expect(escalations.filter((n) => n.channel === 'email')).toHaveLength(1);
    expect((await read(app.id)).deadlines.find((d: { kind: string }) => d.kind === 'quer')).toMatchObject({
      status: 'breached',
    });
    expect(
      (
        await system.client.tasks({
          processInstanceId: app.processInstanceId,
          taskDefinitionKey: 'UserTask_QuerDeputyBooking',
        })
      ).map((t) => t.id),
    ).toEqual([deputy!.id]);
    expect(
      await system.client.jobs({ processInstanceId: app.processInstanceId, activityId: 'Timer_QuerBreach' }),
    ).toEqual([]);
  });

  it('leaves no name and no birth date in any variable of these instances, at runtime or in the history', async () => {
    expect(started.length).toBeGreaterThan(5);
    for (const { application, personal } of started) {
      const runtime = await system.client.variableInstances({
        processInstanceIdIn: application.processInstanceId,
        maxResults: '1000',
      });
      const history = await system.client.historicVariableInstances({
        processInstanceId: application.processInstanceId,
        maxResults: '1000',
      });
      expect(history.length).toBeGreaterThan(0);
      const text = [...runtime, ...history].map((v) => `${v.name}=${String(v.value)}`).join('\n');
      for (const p of personal) expect(text).not.toContain(p);
      // Nor the contents of the Beratungsvermerk, which went to the store.
      expect(text).not.toContain('Fachkraft Lagerlogistik');
    }
  });
});
