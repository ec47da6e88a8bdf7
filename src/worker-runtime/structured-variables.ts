/**
 * Objects and arrays travel through the engine as JSON text in String variables (docs/modelling-on-operaton.md).
 * Before a worker's input is parsed, every variable its schema declares as an object, array or record and that
 * arrives as text is read back from JSON; the rest is left as the engine sent it.
 */
import { z } from 'zod';

import type { AnyWorker } from './define-worker.js';

/** Looks through optional, nullable, default and pipe wrappers to the schema that says what the value is. */
function core(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodReadonly
    ) {
      s = (s as unknown as { unwrap(): z.ZodType }).unwrap();
    } else if (s instanceof z.ZodPipe) {
      s = (s as unknown as { in: z.ZodType }).in;
    } else break;
  }
  return s;
}

export function isStructured(schema: z.ZodType): boolean {
  const s = core(schema);
  if (s instanceof z.ZodObject || s instanceof z.ZodArray || s instanceof z.ZodRecord || s instanceof z.ZodTuple)
    return true;
  if (s instanceof z.ZodUnion)
    return (s.options as z.ZodType[]).some((o) => isStructured(o) && !(core(o) instanceof z.ZodString));
  return false;
}

export function structuredKeys(worker: AnyWorker): Set<string> {
  const shape = (worker.input as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return new Set(
    Object.entries(shape)
      .filter(([, schema]) => isStructured(schema))
      .map(([k]) => k),
  );
}

export function decodeInput(worker: AnyWorker, variables: Record<string, unknown>): Record<string, unknown> {
  const keys = structuredKeys(worker);
  const out: Record<string, unknown> = { ...variables };
  for (const key of keys) {
    const v = out[key];
    if (typeof v !== 'string') continue;
    try {
      out[key] = JSON.parse(v);
    } catch {
      // Left as text: the input schema then names the field and says what it expected.
    }
  }
  return out;
}
