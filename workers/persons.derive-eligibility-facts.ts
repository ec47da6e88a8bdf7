/**
 * Turns the household's birth dates into non-personal facts (15 completed, below the § 7a limit, U25) for the
 * "Neukunde" decision, and lists the eLb; the birth dates stay in the store. Used by neukunde-cottbus and quer-wuppertal.
 * As the first job of both processes it also claims the application for its instance (see claimApplication).
 */
import { z } from 'zod';
import { claimApplication, loadCase } from '../src/domain/cases.js';
import { ageFacts } from '../src/domain/age-facts.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

const PersonFact = z.object({
  personId: z.string().uuid(),
  role: z.enum(['head', 'member']),
  reached15: z.boolean(),
  belowAgeLimit: z.boolean(),
  erwerbsfaehig: z.boolean(),
  isU25: z.boolean(),
});

export default defineWorker({
  type: 'persons.derive-eligibility-facts',
  description: 'Derives per-person eligibility facts and the eLb list from the stored household.',
  input: z.object({ applicationId: z.string().uuid() }),
  output: z.object({ personFacts: z.array(PersonFact), headPersonId: z.string().uuid(), eligiblePersonIds: z.array(z.string().uuid()) }),
  errors: [],
  async handler({ applicationId }, { deps, job }) {
    const { application, persons } = await loadCase(deps, applicationId);
    // Only when the API did not confirm the start (it stopped in between); otherwise the key is already there.
    if (application.process_instance_key === null) await claimApplication(deps.store.db, applicationId, job.processInstanceId);
    const personFacts = persons.map((p) => ({
      personId: p.id,
      role: p.role,
      erwerbsfaehig: p.erwerbsfaehig,
      ...ageFacts(p.birth_date, application.application_date),
    }));
    const head = persons.find((p) => p.role === 'head');
    if (!head) throw new Error(`Application ${applicationId} has no head of household`);
    return {
      personFacts,
      headPersonId: head.id,
      eligiblePersonIds: personFacts.filter((f) => f.erwerbsfaehig && f.reached15 && f.belowAgeLimit).map((f) => f.personId),
    };
  },
});
