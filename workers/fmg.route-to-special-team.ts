/** Kundensteuerung: hands the person to the special team the DMN chose (Reha/SB, Start.Klar, Maßnahmebetrieb). quer-wuppertal. */
import { z } from 'zod';

import { assignCase } from '../src/domain/assignments.js';
import { loadCase } from '../src/domain/cases.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';

export default defineWorker({
  topic: 'fmg.route-to-special-team',
  description: "Records the routing in FMG.job and moves the person's case to the special team's first caseworker.",
  input: z.object({
    applicationId: z.string().uuid(),
    personId: z.string().uuid(),
    routing: z.enum(['REHA_SB', 'START_KLAR', 'MASSNAHMEBETRIEB', 'VERBLEIB']),
  }),
  output: z.object({ teamId: z.string().nullable() }),
  errors: [],
  async handler({ applicationId, personId, routing }, { deps }) {
    const { settings } = await loadCase(deps, applicationId);
    await deps.store.db
      .insertInto('fmg_entries')
      .values({
        application_id: applicationId,
        person_id: personId,
        jobcenter: settings.id,
        kind: 'kundensteuerung',
        value: routing,
        valid_from: null,
        recorded_by: 'system',
      })
      .onConflict((oc) => oc.columns(['application_id', 'person_id', 'kind']).doUpdateSet({ value: routing }))
      .execute();
    if (routing === 'VERBLEIB') return { teamId: null };
    const teamId = settings.specialTeams[routing];
    const caseworker = settings.caseworkers.find((c) => c.team === teamId && !c.virtual);
    if (!teamId || !caseworker)
      throw new IncidentError(`No special team with a caseworker for ${routing} in the settings`);
    await assignCase(deps.store.db, {
      jobcenter: settings.id,
      applicationId,
      personId,
      caseworkerId: caseworker.id,
      reason: `routing-${routing}`,
    });
    return { teamId };
  },
});
