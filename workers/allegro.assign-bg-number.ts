/** Reuses the household's BG number in ALLEGRO or draws a new one, with the head of household as Vorstand. neukunde-cottbus. */
import { sql } from 'kysely';
import { z } from 'zod';

import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'allegro.assign-bg-number',
  description: 'Links the application to the BG of its head of household, creating the BG number when there is none.',
  input: z.object({ applicationId: z.string().uuid(), headPersonId: z.string().uuid() }),
  output: z.object({ bgNumber: z.string() }),
  errors: [],
  async handler({ applicationId, headPersonId }, { deps }) {
    const { application, persons } = await loadCase(deps, applicationId);
    const linked = await deps.store.db
      .selectFrom('application_households')
      .select('bg_number')
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    if (linked) return { bgNumber: linked.bg_number };
    const head = persons.find((p) => p.id === headPersonId);
    if (!head?.kd_number) throw new Error(`The head of household of ${applicationId} has no customer record yet`);
    const bgNumber = await deps.store.db.transaction().execute(async (tx) => {
      // One BG per head: the unique (jobcenter, head) key makes a second household impossible, so reuse is the conflict path.
      const row = await sql<{ bg_number: string }>`
        INSERT INTO households (bg_number, jobcenter, head_kd_number)
        VALUES (${application.jobcenter.slice(0, 3).toUpperCase()} || 'BG' || lpad(nextval('bg_number_seq')::text, 7, '0'), ${application.jobcenter}, ${head.kd_number})
        ON CONFLICT (jobcenter, head_kd_number) DO UPDATE SET head_kd_number = EXCLUDED.head_kd_number
        RETURNING bg_number`.execute(tx);
      const bg = row.rows[0]!.bg_number;
      await tx
        .insertInto('application_households')
        .values({ application_id: applicationId, bg_number: bg })
        .onConflict((oc) => oc.column('application_id').doNothing())
        .execute();
      return bg;
    });
    return { bgNumber };
  },
});
