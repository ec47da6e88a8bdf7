/** GET /api/v1/reports/mds: the deadline (MDS) report as JSON, or CSV with Accept: text/csv. */
import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Calendars } from '../../calendar/calendars.js';
import { berlinDate } from '../../calendar/index.js';
import { IsoDate } from '../../calendar/iso-date-schema.js';
import { requireJobcenter, requireRole } from '../../http/auth.js';
import { ErrorBody, HttpError } from '../../http/errors.js';
import { valid, validate } from '../../http/validate.js';
import { mdsCsv, mdsReport } from '../../reports/mds.js';
import type { Database } from '../../store/index.js';
import type { OpenAPIRegistry } from '../openapi.js';

export const MdsQuery = z
  .object({ jobcenter: z.string().min(1).max(50), from: IsoDate, to: IsoDate, asOf: IsoDate.optional() })
  .strict()
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export function reportsRouter(
  db: Kysely<Database>,
  calendars: Calendars,
  now: () => Date,
  registry: OpenAPIRegistry,
): Router {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/reports/mds',
    summary:
      'MDS deadlines due in a period: due, met, breached, open, overdue, due soon, met rate; per kind, team and caseworker (JSON or CSV)',
    request: { query: MdsQuery },
    responses: {
      200: { description: 'The report' },
      400: { description: 'Invalid', content: { 'application/json': { schema: ErrorBody } } },
    },
  });
  const schemas = { query: MdsQuery };
  const router = Router();
  router.get('/api/v1/reports/mds', requireRole('TL', 'EZ'), validate(schemas), async (req, res) => {
    const q = valid(res, schemas).query;
    requireJobcenter(res, q.jobcenter, 'query.jobcenter');
    const calendar = calendars.of(q.jobcenter);
    if (!calendar)
      throw new HttpError(400, 'Unknown jobcenter', [
        { path: 'query.jobcenter', message: `no jobcenter "${q.jobcenter}"` },
      ]);
    const report = await mdsReport(db, calendar, {
      jobcenter: q.jobcenter,
      from: q.from,
      to: q.to,
      asOf: q.asOf ?? berlinDate(now()),
    });
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res.type('text/csv; charset=utf-8').attachment(`mds-${q.jobcenter}-${q.from}-${q.to}.csv`).send(mdsCsv(report));
      return;
    }
    res.json(report);
  });
  return router;
}
