/**
 * The F-IFK's FMG.job entries for the statistical minimum standards: customer status "Antrag", qualitative
 * profile and ASU/NA from the application date, ALO from the application date or a later start of unemployment. quer-wuppertal.
 */
import { z } from 'zod';

import { IsoDate } from '../src/calendar/iso-date-schema.js';
import { applicationOf } from '../src/domain/cases.js';
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
    const { jobcenter } = await applicationOf(deps.store.db, applicationId);
    const entries: [kind: string, value: string, from: string][] = [
      ['kundenstatus', 'Antrag', applicationDate],
      ['qualitatives-vermittlungsprofil', 'angelegt', applicationDate],
      ['bael-asu-na', 'ASU/NA', applicationDate],
    ];
    const alo = aloFrom(applicationDate, unemployedSince);
    if (alo) entries.push(['bael-alo', 'ALO', alo]);
    await deps.adapters.of(jobcenter).fmg.setStatisticsEntries({
      applicationId,
      personId: headPersonId,
      recordedBy: fIfkId,
      entries: entries.map(([kind, value, validFrom]) => ({ kind, value, validFrom })),
    });
    return { entries: entries.map(([kind]) => kind) };
  },
});
