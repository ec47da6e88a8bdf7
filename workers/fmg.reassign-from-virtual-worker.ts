/**
 * After approval in principle the BI expert moves the head of household from the virtual worker to the
 * responsible IFK of the branch's BI team (by surname range). Once per case. quer-wuppertal.
 * That IFK and team are the household's: besides ifkId and ifkTeamId the worker gives the booking and notification
 * workers their maps by person (caseworkers, teams) for the head and the other eLb.
 */
import { z } from 'zod';

import { branchOf } from '../src/domain/assignments.js';
import { loadCase } from '../src/domain/cases.js';
import { mainCaseworker } from '../src/domain/caseworker-assignment.js';
import { defineWorker, IncidentError } from '../src/worker-runtime/define-worker.js';
import { IdList } from './persons.derive-eligibility-facts.js';

export default defineWorker({
  topic: 'fmg.reassign-from-virtual-worker',
  description: 'Reassigns the head of household from the virtual worker to the responsible IFK.',
  input: z.object({
    applicationId: z.string().uuid(),
    branch: z.string().min(1),
    headPersonId: z.string().uuid(),
    virtualWorkerId: z.string().min(1),
    /** The eLb other than the head ("id1,id2"), from calendar.compute-quer-deadlines. */
    otherMemberIds: IdList.nullish(),
  }),
  output: z.object({
    ifkId: z.string(),
    ifkTeamId: z.string(),
    caseworkers: z.record(z.string(), z.string()),
    teams: z.record(z.string(), z.string()),
  }),
  errors: [],
  async handler({ applicationId, branch: branchId, headPersonId, otherMemberIds }, { deps }) {
    const { settings, persons } = await loadCase(deps, applicationId);
    const branch = branchOf(settings, branchId);
    const { fmg } = deps.adapters.of(settings.id);
    const earlier = await fmg.responsibleIfk({ applicationId, personId: headPersonId });
    const head = persons.find((p) => p.id === headPersonId);
    if (!head) throw new IncidentError(`Person ${headPersonId} is not part of application ${applicationId}`);
    const team = { ...settings, teams: settings.teams.filter((t) => t.id === branch.biTeam) };
    const ifk = earlier
      ? settings.caseworkers.find((c) => c.id === earlier)
      : mainCaseworker(team, head.family_name, false);
    if (!ifk) throw new IncidentError(`Team ${branch.biTeam} has no IFK for this case`);
    await fmg.reassignFromVirtualWorker({ applicationId, personId: headPersonId, ifkId: ifk.id });
    const household = [headPersonId, ...(otherMemberIds ?? [])];
    return {
      ifkId: ifk.id,
      ifkTeamId: ifk.team,
      caseworkers: Object.fromEntries(household.map((id) => [id, ifk.id])),
      teams: Object.fromEntries(household.map((id) => [id, ifk.team])),
    };
  },
});
