/** GET /api/v1/calendar/due-date: working-day deadlines as the processes compute them. */
import { Router } from 'express';

import type { Calendars } from '../../calendar/calendars.js';
import { CalendarInputError } from '../../calendar/index.js';
import { ErrorBody, HttpError } from '../../http/errors.js';
import { valid, validate } from '../../http/validate.js';
import type { OpenAPIRegistry } from '../openapi.js';
import { DueDateAnswer, DueDateQuery } from './schema.js';

export function calendarRouter(calendars: Calendars, registry: OpenAPIRegistry): Router {
  const schemas = { query: DueDateQuery };
  registry.registerPath({
    method: 'get',
    path: '/api/v1/calendar/due-date',
    summary: "Due date N working days after a date, or the N-th working day of a month, in the jobcenter's state",
    request: { query: DueDateQuery },
    responses: {
      200: { description: 'The due date', content: { 'application/json': { schema: DueDateAnswer } } },
      400: { description: 'Invalid query', content: { 'application/json': { schema: ErrorBody } } },
    },
  });
  const router = Router();
  router.get('/api/v1/calendar/due-date', validate(schemas), (_req, res) => {
    const q = valid(res, schemas).query;
    const calendar = calendars.of(q.jobcenter);
    if (!calendar)
      throw new HttpError(400, 'Unknown jobcenter', [
        { path: 'query.jobcenter', message: `no jobcenter "${q.jobcenter}"` },
      ]);
    let dueDate: string;
    try {
      dueDate =
        q.from !== undefined && q.workingDays !== undefined
          ? calendar.addWorkingDays(q.from, q.workingDays)
          : calendar.nthWorkingDayOfMonth(q.month!, q.nthWorkingDay!);
    } catch (e) {
      if (e instanceof CalendarInputError)
        throw new HttpError(400, 'The request is invalid', [{ path: `query.${e.argument}`, message: e.problem }]);
      throw e;
    }
    res.json(DueDateAnswer.parse({ ...q, state: calendar.state, dueDate, breachAt: calendar.breachInstant(dueDate) }));
  });
  return router;
}
