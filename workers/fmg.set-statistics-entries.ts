/**
 * The F-IFK's FMG.job entries for the statistical minimum standards: customer status "Antrag", qualitative
 * profile and ASU/NA from the application date, ALO from the application date or a later start of unemployment. quer-wuppertal.
 */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

/** ALO counts from the application date or from a later start of unemployment; without one there is no ALO entry. */
export function aloFrom(applicationDate: string, unemployedSince: string | null | undefined): string | null {
  if (!unemployedSince) return null;
  return unemployedSince > applicationDate ? unemployedSince : applicationDate;
}

export default defineWorker({
  topic: 'fmg.set-statistics-entries',
  description: 'Records the FMG.job status and BaEL entries of the head of household from the right dates.',
  input: z.object({
    applicationId: z.string().uuid(),
    headPersonId: z.string().uuid(),
    fIfkId: z.string().min(1),
    applicationDate: IsoDate,
    unemployedSince: IsoDate.nullish(),
  }),
  output: z.object({ entries: z.array(z.string()) }),
  errors: [],
  async handler({ applicationId, headPersonId, fIfkId, applicationDate, unemployedSince }, { deps }) {
    const { jobcenter } = await deps.store.db
      .selectFrom('applications')
      .select('jobcenter')
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    const entries: [kind: string, value: string, from: string][] = [
      ['kundenstatus', 'Antrag', applicationDate],
      ['qualitatives-vermittlungsprofil', 'angelegt', applicationDate],
      ['bael-asu-na', 'ASU/NA', applicationDate],
    ];
    const alo = aloFrom(applicationDate, unemployedSince);
    if (alo) entries.push(['bael-alo', 'ALO', alo]);
    for (const [kind, value, from] of entries) {
      await deps.store.db
        .insertInto('fmg_entries')
        .values({
          application_id: applicationId,
          person_id: headPersonId,
          jobcenter,
          kind,
          value,
          valid_from: from,
          recorded_by: fIfkId,
        })
        .onConflict((oc) => oc.columns(['application_id', 'person_id', 'kind']).doNothing())
        .execute();
    }
    return { entries: entries.map(([kind]) => kind) };
  },
});
