/** /api/v1/applications: record applications, read them, and report events from outside the system. */
import { randomUUID } from 'node:crypto';

import { type RequestHandler, Router } from 'express';
import type { z } from 'zod';

import type { Role } from '../../config/roles.js';
import { hasRole, maySee, principalOf, requireJobcenter, requireRole } from '../../http/auth.js';
import { ErrorBody, HttpError } from '../../http/errors.js';
import { valid, validate } from '../../http/validate.js';
import { isUniqueViolation } from '../../store/index.js';
import type { OpenAPIRegistry } from '../openapi.js';
import { withDeprecatedInstanceKey } from './deprecated-alias.js';
import { actionFor, deliverEvent } from './events.js';
import { ADDRESS_ROLES, readApplication } from './read.js';
import {
  ApplicationBody,
  ApplicationCreated,
  ApplicationIdParams,
  DocumentParams,
  EVENT_BODIES,
  type EventName,
  EventParams,
  ListQuery,
  RecordingHeaders,
} from './schema.js';
import { type ApplicationsDeps, createApplication } from './service.js';

type QuerHeld = z.infer<(typeof EVENT_BODIES)['quer-held']>;
type FundingRequested = z.infer<(typeof EVENT_BODIES)['funding-requested']>;

/** Who may report which event: the front desk its checks, the benefits team its decisions, placement its consultations. */
const EVENT_ROLES: Record<EventName, Role[]> = {
  'id-check-completed': ['EZ'],
  'arbeitspaket-received': ['EZ'],
  'documents-complete': ['LG', 'EZ', 'POST'],
  'decision-issued': ['LG'],
  withdrawn: ['EZ', 'LG'],
  'first-consultation-held': ['IFK'],
  'approved-in-principle': ['LG'],
  rejected: ['LG'],
  'funding-requested': ['EZ', 'IFK', 'BI'],
  'quer-held': ['IFK'],
};

/**
 * The roles of the event the path names, checked before its body is looked at, as every route checks the role
 * before the input; a name that is no event passes on to validation, which refuses it with 400.
 */
const requireEventRole: RequestHandler = (req, res, next) => {
  const event = req.params.event;
  if (typeof event !== 'string' || !Object.hasOwn(EVENT_ROLES, event)) return next();
  requireRole(...EVENT_ROLES[event as EventName])(req, res, next);
};

export function applicationsRouter(deps: ApplicationsDeps, registry: OpenAPIRegistry): Router {
  const errors = { content: { 'application/json': { schema: ErrorBody } } };
  registry.registerPath({
    method: 'post',
    path: '/api/v1/applications',
    summary: 'Record an application and start its process',
    request: { headers: RecordingHeaders, body: { content: { 'application/json': { schema: ApplicationBody } } } },
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
  registry.registerPath({
    method: 'get',
    path: '/api/v1/applications/{id}/documents/{documentId}',
    summary: 'One filed letter as PDF (it names the household, so only for the roles that may read the address)',
    request: { params: DocumentParams },
    responses: {
      200: {
        description: 'The letter',
        content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
      },
      404: { description: 'Unknown', ...errors },
    },
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
  const createSchemas = { body: ApplicationBody, headers: RecordingHeaders };
  router.post('/api/v1/applications', requireRole('EZ', 'SC', 'POST'), validate(createSchemas), async (_req, res) => {
    const { body, headers } = valid(res, createSchemas);
    requireJobcenter(res, body.jobcenter, 'body.jobcenter');
    const created = await createApplication(deps, body, headers['idempotency-key'], principalOf(res).actor);
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
      const found = await readApplication(deps.db, deps.jobcenters, valid(res, readSchemas).params.id, {
        withAddress: hasRole(principalOf(res), ADDRESS_ROLES),
      });
      if (!found || !maySee(res, found.jobcenter))
        throw new HttpError(404, 'No such application', [{ path: 'params.id', message: 'unknown application' }]);
      res.json(found);
    },
  );

  const documentSchemas = { params: DocumentParams };
  router.get(
    '/api/v1/applications/:id/documents/:documentId',
    requireRole(...ADDRESS_ROLES),
    validate(documentSchemas),
    async (_req, res) => {
      const { id, documentId } = valid(res, documentSchemas).params;
      const doc = await deps.db
        .selectFrom('documents')
        .select(['id', 'jobcenter', 'title', 'media_type', 'content'])
        .where('id', '=', documentId)
        .where('application_id', '=', id)
        .executeTakeFirst();
      if (!doc || !maySee(res, doc.jobcenter))
        throw new HttpError(404, 'No such document', [{ path: 'params.documentId', message: 'unknown document' }]);
      await deps.db
        .insertInto('audit_log')
        .values({
          jobcenter: doc.jobcenter,
          actor: principalOf(res).actor,
          action: 'document.download',
          application_id: id,
          details: JSON.stringify({ documentId: doc.id }),
        })
        .execute();
      const ext = doc.media_type === 'application/pdf' ? '.pdf' : '';
      res
        .type(doc.media_type)
        .attachment(`${doc.title.replace(/[^\p{L}\p{N} ._-]/gu, '_')}${ext}`)
        .send(doc.content);
    },
  );

  const eventSchemas = {
    params: EventParams,
    body: (params: { event: EventName }) => EVENT_BODIES[params.event],
  };
  router.post('/api/v1/applications/:id/events/:event', requireEventRole, validate(eventSchemas), async (_req, res) => {
    const validated = valid(res, eventSchemas);
    const { id, event } = validated.params;
    const principal = principalOf(res);
    const app = await deps.db
      .selectFrom('applications')
      .select(['id', 'jobcenter', 'process_instance_key', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!app || !maySee(res, app.jobcenter))
      throw new HttpError(404, 'No such application', [{ path: 'params.id', message: 'unknown application' }]);
    if (!app.process_instance_key) throw new HttpError(409, 'The application has no running process');
    const body: Record<string, unknown> = validated.body;
    const personId = typeof body.personId === 'string' ? body.personId : undefined;
    let isHead = false;
    if (personId !== undefined) {
      const person = await deps.db
        .selectFrom('persons')
        .select(['id', 'role'])
        .where('id', '=', personId)
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
      if (event === 'quer-held') {
        const quer = validated.body as QuerHeld;
        await tx
          .insertInto('consultation_notes')
          .values({
            jobcenter: app.jobcenter,
            application_id: id,
            person_id: quer.personId,
            kind: isHead ? 'quer' : 'quer-member',
            held_on: quer.heldOn,
            content: JSON.stringify({ ...quer.beratungsvermerk, offenePunkte: quer.offenePunkte ?? null }),
            recorded_by: actor,
          })
          .execute()
          .catch((e: unknown) => {
            if (isUniqueViolation(e)) throw new HttpError(409, 'The consultation of this person is already recorded');
            throw e;
          });
      }
      const funding = event === 'funding-requested' ? (validated.body as FundingRequested) : undefined;
      if (funding?.note) {
        await tx
          .insertInto('history_notes')
          .values({
            jobcenter: app.jobcenter,
            application_id: id,
            person_id: funding.personId,
            text: `Förderleistung beantragt (${funding.kind}): ${funding.note}`,
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
          details: JSON.stringify({ personId: personId ?? null }),
        })
        .execute();
      // Taken back with the engine call if the process refuses the event (nothing waits for it any more).
      if (event === 'withdrawn')
        await tx.updateTable('applications').set({ status: 'withdrawn' }).where('id', '=', id).execute();
      await deliverEvent(deps.engine, app.process_instance_key!, id, action);
    });
    res.status(202).json({ status: 'accepted' });
  });
  return router;
}
