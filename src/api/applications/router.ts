/** /api/v1/applications: record applications, read them, and report events from outside the system. */
import { randomUUID } from 'node:crypto';

import { Router } from 'express';
import { z } from 'zod';

import type { Role } from '../../config/roles.js';
import { hasRole, maySee, principalOf, requireJobcenter, requireRole } from '../../http/auth.js';
import { ErrorBody, HttpError } from '../../http/errors.js';
import { valid, validate } from '../../http/validate.js';
import { isUniqueViolation } from '../../store/index.js';
import type { OpenAPIRegistry } from '../openapi.js';
import { withDeprecatedInstanceKey } from './deprecated-alias.js';
import { actionFor, deliverEvent } from './events.js';
import { readApplication } from './read.js';
import {
  ApplicationBody,
  ApplicationCreated,
  ApplicationIdParams,
  EVENT_BODIES,
  type EventName,
  EventParams,
  ListQuery,
} from './schema.js';
import { type ApplicationsDeps, createApplication } from './service.js';

const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Who may report which event: the front desk its checks, the benefits team its decisions, placement its consultations. */
const EVENT_ROLES: Record<EventName, Role[]> = {
  'id-check-completed': ['EZ'],
  'arbeitspaket-received': ['EZ'],
  'documents-complete': ['LG', 'EZ', 'POST'],
  'decision-issued': ['LG'],
  'first-consultation-held': ['IFK'],
  'approved-in-principle': ['LG'],
  rejected: ['LG'],
  'funding-requested': ['EZ', 'IFK', 'BI'],
  'quer-held': ['IFK'],
};

export function applicationsRouter(deps: ApplicationsDeps, registry: OpenAPIRegistry): Router {
  const errors = { content: { 'application/json': { schema: ErrorBody } } };
  registry.registerPath({
    method: 'post',
    path: '/api/v1/applications',
    summary: 'Record an application and start its process',
    request: { body: { content: { 'application/json': { schema: ApplicationBody } } } },
    responses: {
      201: { description: 'Recorded', content: { 'application/json': { schema: ApplicationCreated } } },
      400: { description: 'Invalid', ...errors },
      503: { description: 'Engine away', ...errors },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/applications',
    summary: 'List applications',
    request: { query: ListQuery },
    responses: { 200: { description: 'Applications' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/applications/{id}',
    summary: 'One application with its deadlines, appointments, documents and history',
    request: { params: ApplicationIdParams },
    responses: { 200: { description: 'The application' }, 404: { description: 'Unknown', ...errors } },
  });
  for (const [event, body] of Object.entries(EVENT_BODIES)) {
    registry.registerPath({
      method: 'post',
      path: `/api/v1/applications/{id}/events/${event}`,
      summary: `Report "${event}"`,
      request: { params: ApplicationIdParams, body: { content: { 'application/json': { schema: body } } } },
      responses: {
        202: { description: 'Accepted' },
        409: { description: 'The process is not waiting for it', ...errors },
      },
    });
  }

  const router = Router();
  const createSchemas = { body: ApplicationBody };
  router.post('/api/v1/applications', requireRole('EZ', 'SC', 'POST'), validate(createSchemas), async (req, res) => {
    const header = req.header('idempotency-key');
    const key = header === undefined ? undefined : IdempotencyKey.safeParse(header);
    if (key && !key.success)
      throw new HttpError(400, 'Invalid Idempotency-Key', [
        { path: 'headers.idempotency-key', message: key.error.issues[0]!.message },
      ]);
    const body = valid(res, createSchemas).body;
    requireJobcenter(res, body.jobcenter, 'body.jobcenter');
    const created = await createApplication(deps, body, key?.data, principalOf(res).actor);
    res.status(created.status).json(created.body);
  });

  const listSchemas = { query: ListQuery };
  router.get(
    '/api/v1/applications',
    requireRole('EZ', 'SC', 'POST', 'LG', 'BI', 'IFK', 'TL'),
    validate(listSchemas),
    async (_req, res) => {
      const q = valid(res, listSchemas).query;
      if (q.jobcenter) requireJobcenter(res, q.jobcenter, 'query.jobcenter');
      const jobcenter = q.jobcenter ?? principalOf(res).jobcenter;
      let query = deps.db.selectFrom('applications');
      if (jobcenter) query = query.where('jobcenter', '=', jobcenter);
      if (q.status) query = query.where('status', '=', q.status);
      const [items, total] = await Promise.all([
        query
          .select([
            'id',
            'jobcenter',
            'channel',
            'application_date',
            'status',
            'new_customer',
            'process_instance_key',
            'created_at',
          ])
          .orderBy('created_at', 'desc')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      res.json({
        items: items.map((a) =>
          withDeprecatedInstanceKey({
            id: a.id,
            jobcenter: a.jobcenter,
            channel: a.channel,
            applicationDate: a.application_date,
            status: a.status,
            newCustomer: a.new_customer,
            processInstanceId: a.process_instance_key,
            createdAt: a.created_at.toISOString(),
          }),
        ),
        total: Number(total.n),
      });
    },
  );

  const readSchemas = { params: ApplicationIdParams };
  router.get(
    '/api/v1/applications/:id',
    requireRole('EZ', 'SC', 'POST', 'LG', 'BI', 'IFK', 'TL'),
    validate(readSchemas),
    async (_req, res) => {
      const found = await readApplication(deps.db, deps.jobcenters, valid(res, readSchemas).params.id);
      if (!found || !maySee(res, found.jobcenter))
        throw new HttpError(404, 'No such application', [{ path: 'params.id', message: 'unknown application' }]);
      res.json(found);
    },
  );

  const eventSchemas = { params: EventParams };
  router.post('/api/v1/applications/:id/events/:event', validate(eventSchemas), async (req, res) => {
    const { id, event } = valid(res, eventSchemas).params;
    const principal = principalOf(res);
    if (!hasRole(principal, EVENT_ROLES[event])) {
      throw new HttpError(403, `This needs one of the roles ${['ADMIN', ...EVENT_ROLES[event]].join(', ')}`);
    }
    const parsed = EVENT_BODIES[event].safeParse(req.body ?? {});
    if (!parsed.success)
      throw new HttpError(
        400,
        'The request is invalid',
        parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
      );
    const app = await deps.db
      .selectFrom('applications')
      .select(['id', 'jobcenter', 'process_instance_key', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!app || !maySee(res, app.jobcenter))
      throw new HttpError(404, 'No such application', [{ path: 'params.id', message: 'unknown application' }]);
    if (!app.process_instance_key) throw new HttpError(409, 'The application has no running process');
    // The event's schema has validated the body; these are the fields read here besides the ones the action maps.
    const body = parsed.data as Record<string, unknown> & {
      personId?: string;
      heldOn?: string;
      beratungsvermerk?: Record<string, unknown>;
      offenePunkte?: unknown;
      note?: string;
      kind?: string;
    };
    let isHead = false;
    if (typeof body.personId === 'string') {
      const person = await deps.db
        .selectFrom('persons')
        .select(['id', 'role'])
        .where('id', '=', body.personId)
        .where('application_id', '=', id)
        .executeTakeFirst();
      if (!person)
        throw new HttpError(400, 'Unknown person', [
          { path: 'body.personId', message: 'not a member of this application' },
        ]);
      isHead = person.role === 'head';
    }
    const processId = deps.jobcenters.get(app.jobcenter)?.processId ?? '';
    const action = actionFor(processId, event, body, isHead);
    if (!action) throw new HttpError(409, `The process ${processId} has no step for "${event}"`);
    const actor = principal.actor;
    await deps.db.transaction().execute(async (tx) => {
      // Contents that must not become process variables (the Beratungsvermerk, a request's note) go to the store,
      // in the same transaction as the engine call, so a refused event leaves no note behind.
      if (event === 'quer-held' && body.personId && body.heldOn) {
        await tx
          .insertInto('consultation_notes')
          .values({
            jobcenter: app.jobcenter,
            application_id: id,
            person_id: body.personId,
            kind: isHead ? 'quer' : 'quer-member',
            held_on: body.heldOn,
            content: JSON.stringify({ ...body.beratungsvermerk, offenePunkte: body.offenePunkte ?? null }),
            recorded_by: actor,
          })
          .execute()
          .catch((e: unknown) => {
            if (isUniqueViolation(e)) throw new HttpError(409, 'The consultation of this person is already recorded');
            throw e;
          });
      }
      if (event === 'funding-requested' && body.note) {
        await tx
          .insertInto('history_notes')
          .values({
            jobcenter: app.jobcenter,
            application_id: id,
            person_id: body.personId,
            text: `Förderleistung beantragt (${body.kind}): ${body.note}`,
            dedup_key: `${id}:funding:${randomUUID()}`,
          })
          .execute();
      }
      await tx
        .insertInto('audit_log')
        .values({
          jobcenter: app.jobcenter,
          actor,
          action: `event.${event}`,
          application_id: id,
          details: JSON.stringify({ personId: body.personId ?? null }),
        })
        .execute();
      await deliverEvent(deps.engine, app.process_instance_key!, id, action);
    });
    res.status(202).json({ status: 'accepted' });
  });
  return router;
}
