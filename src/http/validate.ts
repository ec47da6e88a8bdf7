/** Validates body, query and params with zod; a failure is a 400 naming each field, before anything is written. */
import type { RequestHandler } from 'express';
import type { z } from 'zod';

import { HttpError, type Issue, issuesOf } from './errors.js';

export interface Schemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

export interface Validated<S extends Schemas> {
  body: S['body'] extends z.ZodType ? z.infer<S['body']> : undefined;
  query: S['query'] extends z.ZodType ? z.infer<S['query']> : undefined;
  params: S['params'] extends z.ZodType ? z.infer<S['params']> : undefined;
}

export function validate<S extends Schemas>(schemas: S): RequestHandler {
  return (req, res, next) => {
    const issues: Issue[] = [];
    const out: Record<string, unknown> = {};
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const parsed = schema.safeParse(part === 'body' ? (req.body ?? {}) : req[part]);
      if (parsed.success) out[part] = parsed.data;
      else issues.push(...issuesOf(parsed.error, part));
    }
    if (issues.length) return next(new HttpError(400, 'The request is invalid', issues));
    res.locals.valid = out;
    next();
  };
}

/** The validated parts, typed by the same schemas the route declared. */
export function valid<S extends Schemas>(res: { locals: Record<string, unknown> }, _schemas: S): Validated<S> {
  return res.locals.valid as Validated<S>;
}
