/** Recognises database refusals by SQLSTATE, which node-postgres and PGlite both put on the error as `code`. */
function code(err: unknown): string | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/**
 * 23505: a unique constraint said no (a slot taken, a retried insert). With `constraint`, only that one:
 * a retry that hits a different key is a different situation and must not be taken for success.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (code(err) !== '23505') return false;
  return constraint === undefined || (err as { constraint?: string }).constraint === constraint;
}

/** P0001: one of the store's triggers refused the change (application date, case period, audit log). */
export function isRefusedByTrigger(err: unknown): boolean {
  return code(err) === 'P0001';
}

/** 23514 or P0001: a CHECK constraint or a trigger refused the row; retrying the same write cannot succeed. */
export function isCheckOrTriggerViolation(err: unknown): boolean {
  const c = code(err);
  return c === '23514' || c === 'P0001';
}
