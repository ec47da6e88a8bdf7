/**
 * Notifications go through the outbox: recorded once per dedup key (a retried external task finds its row), then
 * delivered; a row already delivered is never sent again. Inbox rows need no transport.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../store/index.js';
import type { D3Webhook, Mailer } from './transports.js';

export interface OutgoingNotification {
  jobcenter: string;
  dedupKey: string;
  channel: 'inbox' | 'email' | 'd3';
  recipient: string;
  cc?: string[];
  subject: string;
  body: string;
  links?: { rel: string; href: string }[];
  /** References only (e.g. the LMG calculation protocol id), never the content. */
  attachments?: { kind: string; ref: string }[];
  applicationId?: string;
}

export async function enqueue(db: Kysely<Database>, n: OutgoingNotification): Promise<string> {
  await db
    .insertInto('notifications')
    .values({
      jobcenter: n.jobcenter,
      dedup_key: n.dedupKey,
      channel: n.channel,
      recipient: n.recipient,
      cc: JSON.stringify(n.cc ?? []),
      subject: n.subject,
      body: n.body,
      links: JSON.stringify(n.links ?? []),
      attachments: JSON.stringify(n.attachments ?? []),
      application_id: n.applicationId ?? null,
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .execute();
  const row = await db
    .selectFrom('notifications')
    .select('id')
    .where('dedup_key', '=', n.dedupKey)
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface Transports {
  mailer?: Mailer;
  d3?: D3Webhook;
}

/** Delivers one outbox row if it is still pending and its transport is configured; returns the new status. */
export async function deliver(
  db: Kysely<Database>,
  id: string,
  transports: Transports,
): Promise<'pending' | 'delivered'> {
  const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (row.status === 'delivered') return 'delivered';
  if (row.channel === 'email') {
    if (!transports.mailer) return 'pending';
    await transports.mailer.send({
      to: row.recipient,
      cc: row.cc as string[],
      subject: row.subject,
      text: row.body,
      messageId: `<${row.dedup_key.replace(/[^\w.-]/g, '_')}@jobcenter.example>`,
    });
  } else if (row.channel === 'd3') {
    if (transports.d3) {
      await transports.d3.deliver({
        id: row.id,
        recipient: row.recipient,
        subject: row.subject,
        text: row.body,
        links: row.links,
        attachments: row.attachments,
      });
    }
  }
  await db
    .updateTable('notifications')
    .set((eb) => ({ status: 'delivered', delivered_at: new Date(), attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
  return 'delivered';
}
