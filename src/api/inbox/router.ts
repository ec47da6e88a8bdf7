/** GET /api/v1/inbox?recipient=: the in-app inbox, including d.3-style messages, newest first. */
import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import { principalOf, requireRole, scopeOf } from '../../http/auth.js';
import { valid, validate } from '../../http/validate.js';
import type { Database } from '../../store/index.js';
import type { OpenAPIRegistry } from '../openapi.js';

export const InboxQuery = z
  .object({ recipient: z.string().min(1).max(100), limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

export function inboxRouter(db: Kysely<Database>, registry: OpenAPIRegistry): Router {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/inbox',
    summary: "A staff member's or group's inbox",
    request: { query: InboxQuery },
    responses: { 200: { description: 'Messages' } },
  });
  const schemas = { query: InboxQuery };
  const router = Router();
  router.get(
    '/api/v1/inbox',
    requireRole('EZ', 'SC', 'POST', 'LG', 'BI', 'IFK', 'TL'),
    validate(schemas),
    async (_req, res) => {
      const q = valid(res, schemas).query;
      const scope = scopeOf(principalOf(res));
      let query = db.selectFrom('notifications');
      if (scope) query = query.where('jobcenter', 'in', scope.length ? scope : ['']);
      const rows = await query
        .select(['id', 'channel', 'subject', 'body', 'links', 'attachments', 'application_id', 'status', 'created_at'])
        .where('recipient', '=', q.recipient)
        .where('channel', 'in', ['inbox', 'd3'])
        .orderBy('created_at', 'desc')
        .limit(q.limit)
        .execute();
      res.json({
        items: rows.map((r) => ({
          id: r.id,
          kind: r.channel,
          subject: r.subject,
          text: r.body,
          links: r.links,
          attachments: r.attachments,
          applicationId: r.application_id,
          delivered: r.status === 'delivered',
          at: r.created_at.toISOString(),
        })),
      });
    },
  );
  return router;
}
