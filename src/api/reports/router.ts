/** GET /api/v1/reports/mds: the deadline (MDS) report as JSON, or CSV with Accept: text/csv. */
import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Calendars } from '../../calendar/calendars.js';
import { berlinDate } from '../../calendar/index.js';
import { IsoDate } from '../../calendar/iso-date-schema.js';
import type { JobcenterSettings } from '../../config/jobcenter.js';
import { requireJobcenter, requireRole } from '../../http/auth.js';
import { ErrorBody, HttpError } from '../../http/errors.js';
import { valid, validate } from '../../http/validate.js';
import { capacityCsv, capacityForecast } from '../../reports/capacity.js';
import { mdsCsv, mdsReport } from '../../reports/mds.js';
import type { Database } from '../../store/index.js';
import type { OpenAPIRegistry } from '../openapi.js';

export const MdsQuery = z
  .object({ jobcenter: z.string().min(1).max(50), from: IsoDate, to: IsoDate, asOf: IsoDate.optional() })
  .strict()
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export const CapacityQuery = z
  .object({ jobcenter: z.string().min(1).max(50), weeks: z.coerce.number().int().min(1).max(12).default(4) })
  .strict();

export function reportsRouter(
  db: Kysely<Database>,
  calendars: Calendars,
  jobcenters: ReadonlyMap<string, JobcenterSettings>,
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

  registry.registerPath({
    method: 'get',
    path: '/api/v1/reports/capacity-forecast',
    summary:
      'First consultations falling due per team and week against the free slots in the released windows, the shortfall and the release hours that close it (JSON or CSV)',
    request: { query: CapacityQuery },
    responses: {
      200: { description: 'The forecast' },
      400: { description: 'Invalid', content: { 'application/json': { schema: ErrorBody } } },
    },
  });
  const capacitySchemas = { query: CapacityQuery };
  router.get('/api/v1/reports/capacity-forecast', requireRole('TL'), validate(capacitySchemas), async (req, res) => {
    const q = valid(res, capacitySchemas).query;
    requireJobcenter(res, q.jobcenter, 'query.jobcenter');
    const settings = jobcenters.get(q.jobcenter);
    const calendar = calendars.of(q.jobcenter);
    if (!settings || !calendar)
      throw new HttpError(400, 'Unknown jobcenter', [
        { path: 'query.jobcenter', message: `no jobcenter "${q.jobcenter}"` },
      ]);
    const forecast = await capacityForecast(db, settings, calendar, now(), q.weeks);
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`kapazitaet-${q.jobcenter}-${forecast.asOf}.csv`)
        .send(capacityCsv(forecast));
      return;
    }
    res.json(forecast);
  });
  return router;
}
