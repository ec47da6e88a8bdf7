/** Recognises database refusals by SQLSTATE, the same on PostgreSQL and PGlite. */
function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

/** 23505: a unique constraint said no (a slot taken, a retried insert). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (code(err) !== '23505') return false;
  return constraint === undefined || (err as { constraint?: string }).constraint === constraint;
}

/** P0001: one of our triggers refused the change (application date, audit log). */
export function isRefusedByTrigger(err: unknown): boolean {
  return code(err) === 'P0001';
}
