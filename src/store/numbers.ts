/**
 * The formats of KD and BG numbers, drawn from database sequences so concurrent or retried workers never
 * share one. Use these as the value in the INSERT that also carries the unique key (ON CONFLICT …), so a
 * retry reuses the row instead of drawing a second number.
 *
 * - KD number: 'KD' + 9 digits, e.g. 'KD000100042' (kd_number_seq, one sequence for all jobcenters).
 * - BG number: the first three letters of the jobcenter in capitals + 'BG' + 7 digits, e.g. 'COTBG0000042'
 *   (bg_number_seq, shared, so a BG number is unique across jobcenters too).
 * A drawn number that is not used (rolled back, lost a conflict) leaves a gap; numbers are ids, not counts.
 */
import { type RawBuilder, sql } from 'kysely';

export function nextKdNumber(): RawBuilder<string> {
  return sql<string>`'KD' || lpad(nextval('kd_number_seq')::text, 9, '0')`;
}

export function bgPrefix(jobcenter: string): string {
  return jobcenter.slice(0, 3).toUpperCase();
}

export function nextBgNumber(jobcenter: string): RawBuilder<string> {
  return sql<string>`${bgPrefix(jobcenter)} || 'BG' || lpad(nextval('bg_number_seq')::text, 7, '0')`;
}
