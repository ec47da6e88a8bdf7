/**
 * The walking skeleton through every layer: API -> engine -> worker -> store, user task, timer. Its diagram and
 * workers are test fixtures (test/fixtures/skeleton) that production neither deploys nor registers; the route
 * stays because the API unit tests use it for authentication and bad-input checks.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { EngineGateway } from '../../engine/gateway.js';
import type { Calendars } from '../../calendar/calendars.js';
import { requireRole } from '../auth.js';
import { ErrorBody, HttpError } from '../errors.js';
import type { OpenAPIRegistry } from '../openapi.js';
import { valid, validate } from '../validate.js';
import { ReviewBody, ReviewParams, StartVisitAnswer, StartVisitBody } from './schema.js';

export const SKELETON_PROCESS_ID = 'walking-skeleton';

export function skeletonRouter(engine: EngineGateway, calendars: Calendars, registry: OpenAPIRegistry): Router {
  const startSchemas = { body: StartVisitBody };
  const reviewSchemas = { params: ReviewParams, body: ReviewBody };
  const errors = { content: { 'application/json': { schema: ErrorBody } } };
  registry.registerPath({
    method: 'post',
    path: '/api/v1/skeleton/visits',
    summary: 'Start a walking-skeleton instance',
    request: { body: { content: { 'application/json': { schema: StartVisitBody } } } },
    responses: {
      201: { description: 'Started', content: { 'application/json': { schema: StartVisitAnswer } } },
      400: { description: 'Invalid', ...errors },
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/skeleton/visits/{processInstanceKey}/review',
    summary: "Complete the instance's review task",
    request: { params: ReviewParams, body: { content: { 'application/json': { schema: ReviewBody } } } },
    responses: { 202: { description: 'Completed' }, 409: { description: 'Not waiting for a review', ...errors } },
  });

  const router = Router();
  router.post('/api/v1/skeleton/visits', requireRole('EZ'), validate(startSchemas), async (_req, res) => {
    const { body } = valid(res, startSchemas);
    if (!calendars.of(body.jobcenter)) {
      throw new HttpError(400, 'Unknown jobcenter', [{ path: 'body.jobcenter', message: `no jobcenter "${body.jobcenter}"` }]);
    }
    // No application behind a visit: a fresh business key keeps Cockpit's search by business key unambiguous.
    const processInstanceKey = await engine.startProcess(SKELETON_PROCESS_ID, body, `skeleton-${randomUUID()}`);
    res.status(201).json({ processInstanceKey });
  });
  router.post('/api/v1/skeleton/visits/:processInstanceKey/review', requireRole('EZ'), validate(reviewSchemas), async (_req, res) => {
    const { params, body } = valid(res, reviewSchemas);
    const result = await engine.completeUserTask(params.processInstanceKey, 'UserTask_Review', body);
    if (result === 'not-waiting') throw new HttpError(409, 'The instance is not waiting for a review');
    res.status(202).json({ status: 'accepted' });
  });
  return router;
}
