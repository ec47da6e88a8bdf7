/** notify.send against a real SMTP server on loopback (smtp-server) and a real d.3 webhook receiver. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AppDeps } from '../../../src/app/deps.js';
import { d3Webhook, signD3Payload, smtpMailer } from '../../../src/notify/transports.js';
import send from '../../../workers/notify.send.js';
import { startSmtp } from '../../support/smtp-server.js';
import { completed, run, seedApplication, testDeps } from './harness.js';

let deps: AppDeps;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let webhook: Server;
const d3Calls: { body: string; signature: string }[] = [];
const SECRET = 'd3-test-secret-0123456789';

beforeAll(async () => {
  smtp = await startSmtp();
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      d3Calls.push({ body, signature: String(req.headers['x-d3-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const base = await testDeps();
  deps = {
    ...base,
    mailer: smtpMailer(smtp.url, 'noreply@jobcenter.example'),
    d3: d3Webhook(`http://127.0.0.1:${(webhook.address() as AddressInfo).port}/d3`, SECRET),
  };
}, 30_000); // an embedded PGlite takes a few seconds to open on a busy machine

afterAll(async () => {
  deps.mailer?.close();
  await smtp.close();
  await new Promise<void>((r) => webhook.close(() => r()));
  await deps.store.close();
});

describe('notify.send', () => {
  it('mails the team mailbox with the lead in cc exactly once, even when the job runs twice', async () => {
    const { applicationId, personIds } = await seedApplication(deps);
    const settings = deps.jobcenters.get('cottbus')!;
    const team = settings.teams[0]!;
    const vars = {
      applicationId,
      jobcenter: 'cottbus',
      personId: personIds[0],
      teams: { [personIds[0]!]: team.id },
      mdsDueDate: '2026-12-14',
    };
    const opts = {
      properties: { template: 'no-slot-ticket', to: 'team:mailbox', cc: 'team:lead' },
      activityInstanceId: '4503599627370501',
    };
    const first = completed(await run(send, deps, vars, opts));
    const before = smtp.mails.length;
    const second = completed(await run(send, deps, vars, opts));
    expect(second.notificationIds).toEqual(first.notificationIds);
    expect(smtp.mails.length).toBe(before);
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toEqual([team.mailbox, team.lead!.email]);
    expect(mail.data).toMatch(/Subject: =\?UTF-8\?Q\?Ticket=3A_Terminvergabe/);
    expect(mail.data).toMatch(/Cc: /);
    expect(mail.data).not.toMatch(/Schmidt|Anna/);
    const inbox = await deps.store.db
      .selectFrom('notifications')
      .select(['channel', 'recipient', 'status'])
      .where('application_id', '=', applicationId)
      .execute();
    expect(
      inbox
        .filter((n) => n.channel === 'inbox')
        .map((n) => n.recipient)
        .sort(),
    ).toEqual([`team:${team.id}`, team.lead!.id].sort());
    expect(inbox.every((n) => n.status === 'delivered')).toBe(true);
  });

  it('escalates a breach to TL EZ and TL M&I', async () => {
    const { applicationId } = await seedApplication(deps);
    const settings = deps.jobcenters.get('cottbus')!;
    completed(
      await run(
        send,
        deps,
        { applicationId, jobcenter: 'cottbus', mdsDueDate: '2026-12-14' },
        { properties: { template: 'mds-breach', to: 'role:tlEz,role:tlMi' }, activityInstanceId: '4503599627370777' },
      ),
    );
    expect(smtp.mails.at(-1)!.to).toEqual([settings.roles.tlEz!.email, settings.roles.tlMi!.email]);
  });

  it('sends a d.3 message signed with HMAC, once, with the attachment by reference', async () => {
    const { applicationId } = await seedApplication(deps);
    const vars = { applicationId, jobcenter: 'cottbus', calculationProtocolRef: 'LMG-2026-4711' };
    const opts = {
      properties: { template: 'd3-approval-to-bi', to: 'role:tlLeistung', channel: 'd3' },
      activityInstanceId: '4503599627370999',
    };
    await run(send, deps, vars, opts);
    await run(send, deps, vars, opts);
    const calls = d3Calls.filter((c) => c.body.includes('LMG-2026-4711'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signature).toBe(signD3Payload(SECRET, calls[0]!.body));
    expect(JSON.parse(calls[0]!.body).attachments).toEqual([
      { kind: 'lmg-berechnungsprotokoll', ref: 'LMG-2026-4711' },
    ]);
  });

  it('raises an incident for an unknown template or recipient', async () => {
    const { applicationId } = await seedApplication(deps);
    const outcome = await run(
      send,
      deps,
      { applicationId, jobcenter: 'cottbus' },
      { properties: { template: 'nope', to: 'role:tlEz' } },
    );
    expect(outcome).toMatchObject({
      kind: 'fail',
      retries: 0,
      message: expect.stringContaining('unknown notification template'),
    });
    const noRole = await run(
      send,
      deps,
      { applicationId, jobcenter: 'cottbus' },
      { properties: { template: 'mds-breach', to: 'role:boss' } },
    );
    expect(noRole).toMatchObject({ kind: 'fail', retries: 0 });
  });
});
