/**
 * Sends a notification named by the task's extension properties (`template`, `to`, `cc`, `channel`): always into
 * the in-app inbox, by e-mail when SMTP is configured, as a d.3-style message (to the d.3 webhook when configured)
 * for `channel=d3`. Exactly once per process step: the outbox key is the activity instance. Both processes.
 */
import { z } from 'zod';

import { extensionProperty, settingsOf } from '../src/domain/cases.js';
import { deliver, enqueue } from '../src/notify/outbox.js';
import { resolveRecipients, UnknownRecipientError } from '../src/notify/recipients.js';
import { render, UnknownTemplateError } from '../src/notify/templates.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';

const opt = z.string().nullish();

export default defineWorker({
  topic: 'notify.send',
  description: 'Records a staff notification once per process step and delivers it by inbox, e-mail or d.3 webhook.',
  input: z.object({
    applicationId: z.string().uuid(),
    caseNumber: opt,
    jobcenter: z.string().min(1),
    personId: opt,
    kdNumber: opt,
    caseworkers: z.record(z.string(), z.string()).nullish(),
    teams: z.record(z.string(), z.string()).nullish(),
    ifkId: opt,
    /** The case's branch, for the recipients `branch:bi` and `branch:lg` (quer-wuppertal). */
    branch: opt,
    appointment: z.object({ startsAt: z.string(), caseworkerId: z.string() }).passthrough().nullish(),
    mdsDueDate: opt,
    decisionDueDate: opt,
    documentsReturnDate: opt,
    arbeitspaketReturnDate: opt,
    querDueDate: opt,
    memberDueDate: opt,
    calculationProtocolRef: opt,
    fundingRequest: z.object({ kind: z.string() }).passthrough().nullish(),
  }),
  output: z.object({ notificationIds: z.array(z.string().uuid()) }),
  errors: [],
  async handler(input, { externalTask, deps }) {
    const { settings } = settingsOf(deps, input.jobcenter);
    const template = extensionProperty(externalTask.properties, 'template');
    const channel = (externalTask.properties.channel ?? 'email') as 'email' | 'd3';
    const personId = input.personId ?? undefined;
    const ctx = {
      caseworkerId:
        input.ifkId ?? input.appointment?.caseworkerId ?? (personId ? input.caseworkers?.[personId] : undefined),
      teamId: personId ? input.teams?.[personId] : undefined,
      branchId: input.branch,
    };
    let to, cc, message;
    try {
      to = resolveRecipients(extensionProperty(externalTask.properties, 'to'), settings, ctx);
      cc = resolveRecipients(externalTask.properties.cc, settings, ctx);
      message = render(template, {
        ...input,
        appointmentStartsAt: input.appointment?.startsAt,
        fundingKind: input.fundingRequest?.kind,
      });
    } catch (e) {
      if (e instanceof UnknownRecipientError || e instanceof UnknownTemplateError) throw new IncidentError(e.message);
      throw e;
    }
    // The activity instance is the process step: a retried task or a redelivered one maps to the same rows.
    const step = `${externalTask.processInstanceId}:${externalTask.activityInstanceId}`;
    const base = {
      jobcenter: input.jobcenter,
      subject: message.subject,
      body: message.body,
      applicationId: input.applicationId,
      links: [{ rel: 'case', href: `/api/v1/applications/${input.applicationId}` }],
      attachments: input.calculationProtocolRef
        ? [{ kind: 'lmg-berechnungsprotokoll', ref: input.calculationProtocolRef }]
        : [],
    };
    const ids: string[] = [];
    for (const r of [...to, ...cc]) {
      ids.push(
        await enqueue(deps.store.db, {
          ...base,
          dedupKey: `${step}:${channel === 'd3' ? 'd3' : 'inbox'}:${r.inbox}`,
          channel: channel === 'd3' ? 'd3' : 'inbox',
          recipient: r.inbox,
        }),
      );
    }
    const toMail = to.map((r) => r.email).filter((e): e is string => !!e);
    if (channel === 'email' && toMail.length > 0) {
      ids.push(
        await enqueue(deps.store.db, {
          ...base,
          dedupKey: `${step}:email`,
          channel: 'email',
          recipient: toMail.join(', '),
          cc: cc.map((r) => r.email).filter((e): e is string => !!e),
        }),
      );
    }
    for (const id of ids) await deliver(deps.store.db, id, { mailer: deps.mailer, d3: deps.d3 });
    return { notificationIds: ids };
  },
});
