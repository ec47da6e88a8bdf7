/** Kundensteuerung: hands the person to the special team the DMN chose (Reha/SB, Start.Klar, Maßnahmebetrieb). quer-wuppertal. */
import { z } from 'zod';

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
    const { fmg } = deps.adapters.of(settings.id);
    await fmg.recordRouting({ applicationId, personId, routing });
    if (routing === 'VERBLEIB') return { teamId: null };
    const teamId = settings.specialTeams[routing];
    const caseworker = settings.caseworkers.find((c) => c.team === teamId && !c.virtual);
    if (!teamId || !caseworker)
      throw new IncidentError(`No special team with a caseworker for ${routing} in the settings`);
    await fmg.assignSpecialTeam({ applicationId, personId, routing, caseworkerId: caseworker.id });
    return { teamId };
  },
});
