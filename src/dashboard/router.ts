/** GET /dashboard/:jobcenter (bearer token as for the API): the MDS page for team leads and the front desk. */
import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Calendars } from '../calendar/calendars.js';
import { berlinDate } from '../calendar/index.js';
import { IsoDate } from '../calendar/iso-date-schema.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import { requireJobcenter, requireRole } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { valid, validate } from '../http/validate.js';
import { dueSoonUntil, dueSoonWhere, mdsReport, overdueWhere } from '../reports/mds.js';
import type { Database } from '../store/index.js';
import { dashboardHtml, DUE_LIST_LIMIT, type DueList } from './page.js';

export const DashboardParams = z.object({ jobcenter: z.string().min(1).max(50) });
export const DashboardQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional(), asOf: IsoDate.optional() })
  .strict();

export function dashboardRouter(deps: {
  db: Kysely<Database>;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  now: () => Date;
  cockpitUrl: string;
  tasklistUrl: string;
}): Router {
  const schemas = { params: DashboardParams, query: DashboardQuery };
  const router = Router();
  router.get('/dashboard/:jobcenter', requireRole('TL', 'EZ'), validate(schemas), async (_req, res) => {
    const { params, query } = valid(res, schemas);
    requireJobcenter(res, params.jobcenter, 'params.jobcenter');
    const settings = deps.jobcenters.get(params.jobcenter);
    const calendar = deps.calendars.of(params.jobcenter);
    if (!settings || !calendar)
      throw new HttpError(404, 'Unknown jobcenter', [
        { path: 'params.jobcenter', message: `no jobcenter "${params.jobcenter}"` },
      ]);
    const asOf = query.asOf ?? berlinDate(deps.now());
    // By default the current month and the next, the period a team lead steers by.
    const from = query.from ?? `${asOf.slice(0, 7)}-01`;
    const to = query.to ?? calendar.addWorkingDays(asOf, 30);
    const report = await mdsReport(deps.db, calendar, { jobcenter: params.jobcenter, from, to, asOf });
    const soonUntil = dueSoonUntil(calendar, asOf);
    const dueList = async (which: 'upcoming' | 'overdue'): Promise<DueList> => {
      const listed = deps.db
        .selectFrom('deadlines')
        .innerJoin('applications', 'applications.id', 'deadlines.application_id')
        .where('deadlines.jobcenter', '=', params.jobcenter)
        .where((eb) => (which === 'upcoming' ? dueSoonWhere(eb, asOf, soonUntil) : overdueWhere(eb, asOf)));
      const [count, rows] = await Promise.all([
        listed.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
        listed
          .select([
            'deadlines.application_id',
            'applications.process_instance_key',
            'deadlines.kind',
            'deadlines.due_date',
            'deadlines.status',
            'deadlines.team',
            'deadlines.caseworker_id',
          ])
          .orderBy('deadlines.due_date')
          .orderBy('deadlines.application_id')
          .limit(DUE_LIST_LIMIT)
          .execute(),
      ]);
      return {
        total: Number(count.n),
        cases: rows.map((r) => ({
          applicationId: r.application_id,
          processInstanceId: r.process_instance_key,
          kind: r.kind,
          dueDate: r.due_date,
          status: r.status,
          team: r.team,
          caseworkerId: r.caseworker_id,
        })),
      };
    };
    const [upcoming, overdue] = await Promise.all([dueList('upcoming'), dueList('overdue')]);
    res.type('html').send(
      dashboardHtml({
        jobcenterName: settings.name,
        report,
        upcoming,
        overdue,
        cockpitUrl: deps.cockpitUrl,
        tasklistUrl: deps.tasklistUrl,
        names: new Map(settings.caseworkers.map((c) => [c.id, c.name])),
        teamIds: new Set(settings.teams.map((t) => t.id)),
        today: berlinDate(deps.now()),
      }),
    );
  });
  return router;
}
