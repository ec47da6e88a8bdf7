/**
 * Documents the hand-out of the application in a VerBIS history note: every BG member with KD number, the
 * number of other persons in the household, and the reason for the application. neukunde-cottbus.
 */
import { z } from 'zod';

import { loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'verbis.write-history-note',
  description: 'Writes the Historienvermerk of the application hand-out, once per application.',
  input: z.object({ applicationId: z.string().uuid(), bgNumber: z.string().min(1) }),
  output: z.object({ historyNoteId: z.string().uuid() }),
  errors: [],
  async handler({ applicationId, bgNumber }, { deps }) {
    const { application, persons } = await loadCase(deps, applicationId);
    const withNumber = persons.filter((p) => p.kd_number);
    const others = persons.length - withNumber.length;
    const text = [
      `Antragsausgabe SGB II am ${application.application_date}, BG ${bgNumber}.`,
      `Mitglieder der BG: ${withNumber.map((p) => `${p.family_name}, ${p.given_name} (${p.kd_number})`).join('; ') || 'keine eLb'}.`,
      `Weitere im Haushalt lebende Personen: ${others}.`,
      `Grund der Antragstellung: ${application.reason}.`,
    ].join('\n');
    const historyNoteId = await deps.adapters.of(application.jobcenter).verbis.writeHistoryNote({
      applicationId,
      personId: null,
      text,
      dedupKey: `${applicationId}:historienvermerk-antragsausgabe`,
    });
    return { historyNoteId };
  },
});
