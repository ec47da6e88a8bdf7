/**
 * Every worker that creates something, on the real engine, handed the same task twice: a real application reaches
 * the worker's step while that topic's worker is held back; a worker that then crashes locks the task with a short
 * lock, runs the real handler on it and never completes it (or completes it too late, after another worker took
 * it over); the real worker gets the same external task once the lock has passed and the instance moves on.
 * Each case then finds exactly one of what the worker creates, in the store, the SMTP server and the d.3 receiver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';

import { createCalendar } from '../../src/calendar/index.js';
import { EngineRequestError } from '../../src/engine/rest-client.js';
import { toEngineVariable } from '../../src/engine/variables.js';
import { d3Webhook, type Mailer, smtpMailer } from '../../src/notify/transports.js';
import { startWorkers, type WorkerHost } from '../../src/worker-runtime/worker-host.js';
import { workers } from '../../workers/index.js';
import { anApplication, type ApplicationOptions, today } from '../support/application.js';
import { deleteInstances, noIncidents, passed } from '../support/engine.js';
import { startSmtp } from '../support/smtp-server.js';
import { AUTH } from '../support/tokens.js';
import {
  completedBy,
  completeLate,
  CRASHED_WORKER_ID,
  externalTask,
  runWithoutCompleting,
  takenOver,
} from './crashed-worker.js';
import { reportEvent, startSystem, type System } from './system.js';

// Each case starts its own workers and waits out a lock and a long poll, on a machine shared with others.
jest.setTimeout(240_000);

/**
 * The workers' long poll: stopping them after each case waits for the fetch on its way, and the real worker only
 * gets the task with the fetch after the crashed worker's lock has passed (the engine wakes a long poll for a new
 * task, not for a lock running out). A wait, no assertion: shorter only means more fetches.
 */
const LONG_POLL_SECONDS = 1;

/** Matches a text that contains any of the phrases, taken literally. */
const anyOf = (...phrases: string[]) =>
  new RegExp(phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
const bb = createCalendar({ state: 'BB' });

interface Case {
  applicationId: string;
  processInstanceId: string;
  /**
   * Just before the case was applied for. The cases share one store and run one after the other, each after the
   * last one's workers have stopped: what was created in the store since then is this case's.
   */
  since: Date;
}

type Member = {
  givenName: string;
  familyName: string;
  birthDate: string;
  role: 'head' | 'member';
  erwerbsfaehig: boolean;
};

const d3Messages: { subject: string; links: { href: string }[] }[] = [];

describe('every creating worker, handed the same task twice by the real engine, leaves exactly one effect', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
  let webhook: Server;
  let mailer: Mailer;
  let d3: ReturnType<typeof d3Webhook>;
  let system: System | undefined;
  let topicHost: WorkerHost | undefined;
  let current: Case | undefined;

  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = smtpMailer(smtp.url, 'noreply@jobcenter.example');
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        d3Messages.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    d3 = d3Webhook(`http://127.0.0.1:${(webhook.address() as AddressInfo).port}/d3`, 'idempotency-spec-d3-secret');
    // One store and app for every case: each case starts the workers with its own topic held back.
    system = await startSystem({
      holdBack: rows.map((r) => r.topic),
      transports: { mailer, d3 },
      longPollSeconds: LONG_POLL_SECONDS,
    });
  });

  afterEach(async () => {
    try {
      // Workers first: deleting an instance while one of them completes its task is refused as a concurrent update.
      await Promise.all([topicHost?.close(), system?.host.close()]);
      // The case may still wait at a later step: remove it, so the next case's workers never meet its tasks.
      if (current) await deleteInstances(system?.client, [current.processInstanceId]);
      // A case's absences (a caseworker away, so no slot) are its own: the next case books as usual.
      await system?.store.db.deleteFrom('absences').execute();
    } finally {
      topicHost = undefined;
      current = undefined;
    }
  });

  afterAll(async () => {
    await system?.close();
    mailer?.close();
    await smtp?.close();
    await new Promise<void>((r) => (webhook ? webhook.close(() => r()) : r()));
  });

  const sys = () => system!;
  const db = () => sys().store.db;

  async function apply(body: ApplicationOptions): Promise<Case> {
    const since = new Date();
    const res = await request(sys().app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ applicationDate: today(), ...body }));
    expect(res.status).toBe(201);
    current = { applicationId: res.body.id, processInstanceId: res.body.processInstanceId, since };
    return current;
  }

  /** Reports an event as staff do (see reportEvent), failing fast on an incident. */
  const event = (c: Case, name: string, body: Record<string, unknown>) =>
    reportEvent(sys(), { id: c.applicationId, processInstanceId: c.processInstanceId }, name, body);

  /** A Cottbus EZ application, its ID check reported: from there the records, letters and bookings follow. */
  async function cottbusIntake(members: Member[]): Promise<Case> {
    const c = await apply({ jobcenter: 'cottbus', members });
    await event(c, 'id-check-completed', { identityVerified: true, responsible: true });
    return c;
  }
  const head = (givenName: string, familyName: string, birthDate = '1979-04-02'): Member => ({
    givenName,
    familyName,
    birthDate,
    role: 'head',
    erwerbsfaehig: true,
  });
  /** Two eLb (the head Ü25, a son U25) and a child under 15. */
  const family = (name: string): Member[] => [
    head(`Erika${name}`, name, '1985-07-14'),
    { givenName: `Paul${name}`, familyName: name, birthDate: '2008-03-01', role: 'member', erwerbsfaehig: true },
    { givenName: `Mia${name}`, familyName: name, birthDate: '2016-06-01', role: 'member', erwerbsfaehig: false },
  ];
  const wuppertalApplication = (familyName: string) =>
    apply({ jobcenter: 'wuppertal', members: [head(`Tom${familyName}`, familyName, '1980-02-02')] });

  const appointments = (c: Case, kind: string) =>
    db()
      .selectFrom('appointments')
      .select(['id', 'kind', 'caseworker_id', 'starts_at'])
      .where('application_id', '=', c.applicationId)
      .where('kind', 'like', kind)
      .execute();
  const describeAppointments = async (c: Case, kind: string) =>
    (await appointments(c, kind)).map((a) => `${a.kind}:${a.caseworker_id}:${a.starts_at.toISOString()}:${a.id}`);
  const documents = async (c: Case, kinds: string[]) =>
    (
      await db()
        .selectFrom('documents')
        .select(['id', 'kind', 'person_id'])
        .where('application_id', '=', c.applicationId)
        .where('kind', 'in', kinds)
        .orderBy('kind')
        .execute()
    ).map((d) => `${d.kind}:${d.person_id ?? '-'}:${d.id}`);
  const notifications = async (c: Case, subjectLike: string) =>
    (
      await db()
        .selectFrom('notifications')
        .select(['id', 'channel', 'recipient', 'status'])
        .where('application_id', '=', c.applicationId)
        .where('subject', 'like', subjectLike)
        .orderBy('channel')
        .orderBy('recipient')
        .execute()
    ).map((n) => `${n.channel}:${n.recipient}:${n.status}:${n.id}`);

  interface Row {
    topic: string;
    activityId: string;
    /** What the worker creates, as counted below. */
    effect: string;
    /** How the crashed worker fails: it never reports, or it reports after another worker took the task over. */
    fault: 'no completion' | 'late completion';
    drive(): Promise<Case>;
    /** The created things, one line each with their ids: the same lines after the second run means nothing new. */
    count(c: Case): Promise<string[]>;
    expected: number;
  }

  const rows: Row[] = [
    {
      topic: 'verbis.upsert-customers',
      activityId: 'Task_UpsertCustomers',
      effect: 'one customer record and KD number per eLb',
      fault: 'no completion',
      drive: () => cottbusIntake(family('IdemKunde')),
      // Every customer record created since the case began is one this worker made.
      count: async (c) => {
        const customers = await db()
          .selectFrom('customers')
          .select(['kd_number', 'identity_key'])
          .where('created_at', '>=', c.since)
          .orderBy('kd_number')
          .execute();
        const persons = await db()
          .selectFrom('persons')
          .select(['kd_number'])
          .where('application_id', '=', c.applicationId)
          .where('kd_number', 'is not', null)
          .orderBy('kd_number')
          .execute();
        expect(persons.map((p) => p.kd_number)).toEqual(customers.map((k) => k.kd_number));
        expect(new Set(customers.map((k) => k.identity_key)).size).toBe(customers.length);
        return customers.map((k) => `customer:${k.kd_number}`);
      },
      expected: 2,
    },
    {
      topic: 'allegro.assign-bg-number',
      activityId: 'Task_AssignBgNumber',
      effect: 'one BG number for the household',
      fault: 'late completion',
      drive: () => cottbusIntake([head('Berta', 'IdemBg')]),
      count: async (c) => {
        const households = await db()
          .selectFrom('households')
          .select(['bg_number', 'head_kd_number'])
          .where('created_at', '>=', c.since)
          .execute();
        const links = await db()
          .selectFrom('application_households')
          .select('bg_number')
          .where('application_id', '=', c.applicationId)
          .execute();
        return [
          ...households.map((h) => `household:${h.bg_number}:${h.head_kd_number}`),
          ...links.map((l) => `link:${l.bg_number}`),
        ];
      },
      expected: 2,
    },
    {
      topic: 'atv.book-first-consultation',
      activityId: 'Task_BookFirstConsultation',
      effect: 'one first-consultation appointment, no slot taken twice',
      fault: 'late completion',
      drive: () => cottbusIntake([head('Bodo', 'IdemTermin')]),
      count: async (c) => {
        const all = await db().selectFrom('appointments').select(['caseworker_id', 'starts_at']).execute();
        expect(new Set(all.map((a) => `${a.caseworker_id}@${a.starts_at.toISOString()}`)).size).toBe(all.length);
        // Every appointment of the case, whatever its kind: a second booking would show here.
        return describeAppointments(c, '%');
      },
      expected: 1,
    },
    {
      topic: 'documents.issue-application-pack',
      activityId: 'Task_IssueApplicationPack',
      effect: 'one cover letter, checklist and leaflet, one Arbeitspaket per eLb',
      fault: 'no completion',
      drive: () => cottbusIntake(family('IdemPaket')),
      count: (c) => documents(c, ['anschreiben-antragsunterlagen', 'checkliste', 'merkblatt', 'arbeitspaket']),
      expected: 5,
    },
    {
      topic: 'documents.issue-invitation',
      activityId: 'Task_IssueInvitation',
      effect: 'one invitation letter',
      fault: 'no completion',
      drive: () => cottbusIntake([head('Ines', 'IdemEinladung')]),
      count: (c) => documents(c, ['einladung-rfb']),
      expected: 1,
    },
    {
      topic: 'notify.send',
      activityId: 'Task_NotifyNoSlot',
      effect: 'one e-mail to the team mailbox (one outbox row, one SMTP delivery) and one inbox entry per recipient',
      fault: 'no completion',
      drive: async () => {
        // The main caseworker for W–We (Ü25) is away until after the MDS due date: no slot, so the ticket goes out.
        const due = bb.addWorkingDays(today(), 15);
        await db()
          .insertInto('absences')
          .values({
            jobcenter: 'cottbus',
            caseworker_id: 'av-ue25-30',
            starts_at: new Date(Date.now() - 3_600_000),
            ends_at: new Date(bb.breachInstant(bb.addWorkingDays(due, 1))),
            reason: 'Urlaub',
          })
          .execute();
        return cottbusIntake([head('Willi', 'WeberIdem')]);
      },
      count: async (c) => {
        const sent = smtp!.mails
          .map((m) => ({ to: m.to, messageId: /^Message-ID:\s*(\S+)/im.exec(m.data)?.[1] ?? '' }))
          .filter((m) => m.messageId.includes(c.processInstanceId))
          .map((m) => `smtp:${m.to.join(',')}:${m.messageId}`);
        return [...(await notifications(c, 'Ticket:%')), ...sent];
      },
      expected: 4,
    },
    {
      topic: 'notify.send',
      activityId: 'Task_NotifyBiApproval',
      effect: 'one d.3 message to the Experte/in BI (one outbox row, one webhook call)',
      fault: 'no completion',
      drive: async () => {
        const c = await wuppertalApplication('IdemDrei');
        await passed(sys().client, c.processInstanceId, 'Task_SetStatisticsEntries');
        await event(c, 'approved-in-principle', {
          approvedOn: today(),
          calculationProtocolRef: `LMG-${c.applicationId.slice(0, 8)}`,
        });
        return c;
      },
      count: async (c) => {
        const subject = 'd.3: Antrag dem Grunde nach bewilligungsfähig';
        const received = d3Messages
          .filter((m) => m.subject.startsWith(subject) && m.links.some((l) => l.href.endsWith(c.applicationId)))
          .map((m) => `webhook:${m.subject}`);
        return [...(await notifications(c, `${subject}%`)), ...received];
      },
      expected: 2,
    },
    {
      topic: 'fmg.reassign-from-virtual-worker',
      activityId: 'Task_ReassignFromVirtualWorker',
      effect: 'one move of the head from the virtual worker to the IFK',
      fault: 'no completion',
      drive: async () => {
        const c = await wuppertalApplication('IdemUmstellung');
        await passed(sys().client, c.processInstanceId, 'Task_SetStatisticsEntries');
        await event(c, 'approved-in-principle', {
          approvedOn: today(),
          calculationProtocolRef: `LMG-${c.applicationId.slice(0, 8)}`,
        });
        return c;
      },
      count: async (c) =>
        (
          await db()
            .selectFrom('case_assignments')
            .select(['id', 'person_id', 'caseworker_id'])
            .where('application_id', '=', c.applicationId)
            .where('reason', '=', 'ifk')
            .execute()
        ).map((a) => `ifk:${a.person_id}:${a.caseworker_id}:${a.id}`),
      expected: 1,
    },
    {
      topic: 'atv.book-submission-appointment',
      activityId: 'Task_BookSubmissionAppointment',
      effect: 'one Neuantragsabgabe appointment with the LG',
      fault: 'no completion',
      drive: () => wuppertalApplication('IdemAbgabe'),
      count: (c) => describeAppointments(c, 'lg-submission'),
      expected: 1,
    },
    {
      topic: 'atv.book-short-notice-appointment',
      activityId: 'Task_BookShortNoticeAppointment',
      effect: 'one short-notice appointment for the request',
      fault: 'no completion',
      drive: async () => {
        const c = await wuppertalApplication('IdemKurzfristig');
        await passed(sys().client, c.processInstanceId, 'Task_SetStatisticsEntries');
        const [person] = await db()
          .selectFrom('persons')
          .select('id')
          .where('application_id', '=', c.applicationId)
          .execute();
        await event(c, 'funding-requested', { personId: person!.id, kind: 'Bewerbungskosten' });
        return c;
      },
      count: (c) => describeAppointments(c, 'short-notice:%'),
      expected: 1,
    },
  ];

  /** Every value a variable of the instance ever had (history level full keeps each update). */
  async function valuesEverSet(c: Case, name: string): Promise<unknown[]> {
    const details = await sys().client.request<{ variableName: string; value: unknown }[]>(
      'GET',
      `/history/detail?processInstanceId=${c.processInstanceId}&variableUpdates=true&maxResults=5000`,
    );
    return details.filter((d) => d.variableName === name).map((d) => d.value);
  }

  it.each(rows)('$topic at $activityId: $effect, after a crashed worker ($fault)', async (row) => {
    const worker = workers.find((w) => w.topic === row.topic)!;
    await sys().restartWorkers([row.topic]);

    // Arrange: a real case up to the held-back step.
    const c = await row.drive();

    // Act: a worker locks the task, does the work, and dies before the engine hears of it.
    const crashed = await runWithoutCompleting(sys(), worker, {
      businessKey: c.applicationId,
      processInstanceId: c.processInstanceId,
      activityId: row.activityId,
    });
    expect(crashed.outcome.kind).toBe('complete');
    expect(await externalTask(sys().client, crashed.externalTaskId)).toMatchObject({ workerId: CRASHED_WORKER_ID });
    const afterCrash = await row.count(c);
    expect(afterCrash).toHaveLength(row.expected);

    // Act: the real worker starts; the engine hands it the same task once the crashed worker's lock has passed.
    topicHost = startWorkers([worker], sys().deps, sys().workerOptions);
    if (row.fault === 'late completion') {
      // The crashed worker was only slow: its report comes after the task went to another worker, and is refused.
      await takenOver(sys().client, crashed.externalTaskId);
      const refusal = await completeLate(sys().client, crashed).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refusal).toBeInstanceOf(EngineRequestError);
      // Refused because the real worker holds the task now, or has completed it already.
      expect((refusal as EngineRequestError).message).toMatch(
        anyOf(
          `It is locked by worker '${topicHost.workerId}'`,
          `External task with id ${crashed.externalTaskId} does not exist`,
        ),
      );
    }
    await passed(sys().client, c.processInstanceId, row.activityId);

    // Assert: the same external task was completed once, by the real worker, and the instance went on.
    expect(await completedBy(sys().client, crashed.externalTaskId)).toEqual([topicHost.workerId]);
    await noIncidents(sys().client, c.processInstanceId);

    // Assert: exactly the effect of the first run, nothing added; the second run found it and reported the same result.
    expect(await row.count(c)).toEqual(afterCrash);
    if (crashed.outcome.kind !== 'complete') throw new Error('unreachable');
    for (const [name, value] of Object.entries(crashed.outcome.variables)) {
      expect(await valuesEverSet(c, name)).toContainEqual(toEngineVariable(value).value);
    }
  });
});
