/** Every error the API answers with has the shape {error, issues:[{path, message}]}; clients never see a 500 for their input. */
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';

import { EngineRequestError, EngineUnavailableError } from '../engine/rest-client.js';
import type { Logger } from '../log/logger.js';

export interface Issue {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

export const ErrorBody = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

export function issuesOf(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string };
    let status = 500;
    let body: { error: string; issues: Issue[] };
    if (err instanceof HttpError) {
      status = err.status;
      body = { error: err.message, issues: err.issues };
    } else if (e?.type === 'entity.parse.failed') {
      status = 400;
      body = {
        error: 'The request body is not valid JSON',
        issues: [{ path: 'body', message: e.message ?? 'invalid JSON' }],
      };
    } else if (e?.type === 'entity.too.large') {
      status = 413;
      body = { error: 'The request body is too large', issues: [{ path: 'body', message: 'at most 100 kB' }] };
    } else if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      status = 415;
      body = { error: 'Unsupported body encoding', issues: [{ path: 'body', message: e.message ?? '' }] };
    } else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      status = e.status;
      body = { error: e.message ?? 'Bad request', issues: [] };
    } else if (err instanceof EngineUnavailableError) {
      status = 503;
      body = { error: 'The process engine is not reachable; try again shortly', issues: [] };
    } else if (err instanceof EngineRequestError) {
      status = 502;
      body = { error: 'The process engine refused the request', issues: [{ path: 'engine', message: err.message }] };
    } else {
      body = { error: 'Internal error', issues: [] };
    }
    if (status >= 500)
      log.error('request failed', {
        requestId: res.locals.requestId as string | undefined,
        path: req.path,
        status,
        error: err instanceof Error ? err.message : String(err),
      });
    res.status(status).json(body);
  };
}
