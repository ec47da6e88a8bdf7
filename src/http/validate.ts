/**
 * Validates params, query, body and the headers a route reads with zod; a failure is a 400 naming each field,
 * before anything is written.
 *
 * Every string of the request goes through text hygiene first (src/http/text-hygiene.ts: no control characters,
 * no unpaired surrogates, NFC). It is done here, on the raw input, rather than by a string helper in each schema,
 * because here it cannot be forgotten: a schema author who writes a plain z.string(), a z.enum, or no schema at all
 * for a part of the request is covered without knowing this exists, and the only thing a field can opt into is more
 * latitude (multilineText() allows line breaks and tabs), so whatever is forgotten errs on the side of refusing. A
 * helper would have to be remembered in every string of every future schema, and the one forgotten answers 500 or
 * stores a silently changed name. It is done here rather than in an app-wide middleware because only here are the
 * path parameters known by name and the schema known (for its multi-line fields), and because the checks keep their
 * order: authentication and role first, then the input. A unit test (text-hygiene.unit.spec.ts) fails for a route
 * that does not pass through validate().
 */
import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';

import { HttpError, type Issue, issuesOf } from './errors.js';
import { cleanText } from './text-hygiene.js';

export interface Schemas {
  params?: z.ZodType;
  query?: z.ZodType;
  /** Or, for one route with several kinds of body, the body's schema chosen by the validated path parameters. */
  body?: z.ZodType | ((params: never) => z.ZodType);
  /** An object schema of the headers the route reads (lower-case names); no other header is looked at. */
  headers?: z.ZodType;
}

type Inferred<T> = T extends (params: never) => infer R
  ? R extends z.ZodType
    ? z.infer<R>
    : never
  : T extends z.ZodType
    ? z.infer<T>
    : undefined;

export interface Validated<S extends Schemas> {
  body: Inferred<S['body']>;
  query: Inferred<S['query']>;
  params: Inferred<S['params']>;
  headers: Inferred<S['headers']>;
}

const PARTS = ['params', 'query', 'body', 'headers'] as const;

/** Route handlers made by validate(), so a test can tell a route that validates from one that does not. */
const validators = new WeakSet<RequestHandler>();
export const isValidator = (handler: unknown): boolean => validators.has(handler as RequestHandler);

/** Only the headers the schema names, so a header the route does not read is never refused. */
function declaredHeaders(req: Request, schema: z.ZodType | undefined): Record<string, unknown> {
  const shape = (schema?._zod.def as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  return Object.fromEntries(
    Object.keys(shape).flatMap((h) => (req.headers[h] === undefined ? [] : [[h, req.headers[h]]])),
  );
}

export function validate<S extends Schemas>(schemas: S): RequestHandler {
  const handler: RequestHandler = (req, res, next) => {
    const issues: Issue[] = [];
    const out: Record<string, unknown> = {};
    for (const part of PARTS) {
      const given = schemas[part];
      const schema =
        typeof given === 'function' ? (out.params === undefined ? undefined : given(out.params as never)) : given;
      const raw =
        part === 'headers'
          ? declaredHeaders(req, schema)
          : part === 'body'
            ? ((req.body as unknown) ?? {})
            : (req[part] as unknown);
      // Every part, declared or not: a route that reads a part without a schema still gets clean text.
      const text = cleanText(raw, schema, part);
      if (text.issues.length) {
        issues.push(...text.issues);
        continue;
      }
      if (!schema) continue;
      const parsed = schema.safeParse(text.value);
      if (parsed.success) out[part] = parsed.data;
      else issues.push(...issuesOf(parsed.error, part));
    }
    if (issues.length) return next(new HttpError(400, 'The request is invalid', issues));
    res.locals.valid = out;
    next();
  };
  validators.add(handler);
  return handler;
}

/** The validated parts, typed by the same schemas the route declared. */
export function valid<S extends Schemas>(res: { locals: Record<string, unknown> }, _schemas: S): Validated<S> {
  return res.locals.valid as Validated<S>;
}
