/**
 * The ways a notification leaves the outbox: e-mail over SMTP (nodemailer) and the d.3-style webhook,
 * signed with HMAC-SHA256 so the receiver can tell it came from us. The in-app inbox needs no transport.
 */
import { createHmac } from 'node:crypto';

import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  cc: string[];
  subject: string;
  text: string;
  /** Stable per outbox row, so a receiver sees a resent mail as the same message. */
  messageId: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        cc: mail.cc,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}

export function signD3Payload(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface D3Webhook {
  deliver(payload: { id: string } & Record<string, unknown>): Promise<void>;
}

export function d3Webhook(url: string, secret: string, timeoutMs = 10_000): D3Webhook {
  return {
    async deliver(payload) {
      const body = JSON.stringify(payload);
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-d3-signature': signD3Payload(secret, body),
          'idempotency-key': payload.id,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`d.3 webhook answered ${res.status}`);
    },
  };
}
