/**
 * Finishes what a stopped API left between recording an application and confirming its start (recording.ts):
 * an unconfirmed application that a process has claimed is confirmed (audit entry, stored answer for its
 * Idempotency-Key); one that no process claimed is withdrawn, so the client's retry with the same key starts afresh.
 * Runs in the API process at start and then every minute, on rows older than the grace time only.
 */
import type { Kysely } from 'kysely';

import type { Logger } from '../../log/logger.js';
import type { Database } from '../../store/index.js';
import { confirmStart, createdBody, lockUnconfirmed, withdrawUnstarted } from './recording.js';

/**
 * Longer than any start can take (the engine's request timeout is 15 s) and than the first external task of a
 * started instance normally waits for a worker; a process claiming its application after it was withdrawn ends in
 * an incident naming the application, which Cockpit shows.
 */
export const UNCONFIRMED_GRACE_MS = 10 * 60_000;

export interface SweepResult {
  confirmed: string[];
  withdrawn: string[];
}

export async function sweepUnconfirmedStarts(
  db: Kysely<Database>,
  now: Date,
  log: Logger,
  graceMs = UNCONFIRMED_GRACE_MS,
): Promise<SweepResult> {
  const stale = await db
    .selectFrom('applications')
    .select('id')
    .where('start_confirmed', '=', false)
    .where('created_at', '<', new Date(now.getTime() - graceMs))
    .execute();
  const result: SweepResult = { confirmed: [], withdrawn: [] };
  for (const { id } of stale) {
    // One row's failure is logged and does not keep the sweep from the others; the next turn tries it again.
    try {
      if (await confirmClaimed(db, id)) {
        result.confirmed.push(id);
        log.warn('application start confirmed by the sweep: its process had claimed it', { applicationId: id });
      } else if (await withdrawUnstarted(db, id)) {
        result.withdrawn.push(id);
        log.warn('application withdrawn by the sweep: no process claimed it', { applicationId: id });
      }
    } catch (e) {
      log.error('start sweep could not settle an application', { applicationId: id, error: (e as Error).message });
    }
  }
  return result;
}

async function confirmClaimed(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await lockUnconfirmed(tx, id, { claimed: true });
    if (!row) return false;
    await confirmStart(
      tx,
      {
        id,
        jobcenter: row.jobcenter,
        channel: row.channel,
        actor: row.created_by,
        idempotencyKey: row.idempotency_key,
      },
      { status: 201, body: createdBody(row) },
      { confirmedBy: 'start-sweep' },
    );
    return true;
  });
}

/** Sweeps now and every `intervalMs`, skipping a turn while the last one still runs; a failed sweep is logged and tried again at the next turn. */
export function startSweeping(db: Kysely<Database>, log: Logger, intervalMs = 60_000): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const turn = () => {
    running ??= sweepUnconfirmedStarts(db, new Date(), log)
      .catch((e: unknown) => log.error('start sweep failed', { error: (e as Error).message }))
      .finally(() => (running = undefined));
  };
  turn();
  const timer = setInterval(turn, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
