/**
 * Turns the household's birth dates into non-personal facts (15 completed, below the § 7a limit, U25) for the
 * "Neukunde" decision, and lists the eLb; the birth dates stay in the store. Used by neukunde-cottbus and quer-wuppertal.
 * As the first job of both processes it also claims the application for its instance (see claimApplication).
 * The diagrams read the facts as comma-separated id lists (JUEL cannot look into the JSON of personFacts).
 */
import { z } from 'zod';

import { ageFacts } from '../src/domain/age-facts.js';
import { claimApplication, loadCase } from '../src/domain/cases.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';

/**
 * Ids a diagram iterates or tests membership in: comma-separated in a String variable
 * (docs/modelling-on-operaton.md). A JSON array or an array is read too.
 */
export const IdList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  )
  .pipe(z.array(z.string().uuid()));

/** The form of an id list in a process variable: `${ids.split(',')[loopCounter]}`, `${ids.contains(personId)}`. */
export function idList(ids: readonly string[]): string {
  return ids.join(',');
}

const PersonFact = z.object({
  personId: z.string().uuid(),
  role: z.enum(['head', 'member']),
  reached15: z.boolean(),
  belowAgeLimit: z.boolean(),
  erwerbsfaehig: z.boolean(),
  isU25: z.boolean(),
});

export default defineWorker({
  topic: 'persons.derive-eligibility-facts',
  description: 'Derives per-person eligibility facts and the eLb list from the stored household.',
  input: z.object({ applicationId: z.string().uuid() }),
  output: z.object({
    personFacts: z.array(PersonFact),
    headPersonId: z.string().uuid(),
    /** Everybody in the household, for the Neukunde decision per person, with the facts it reads. */
    personIds: z.string(),
    personCount: z.number().int(),
    reached15PersonIds: z.string(),
    belowAgeLimitPersonIds: z.string(),
    u25PersonIds: z.string(),
    /** The eLb: erwerbsfähig, 15 reached, below the § 7a limit. */
    eligiblePersonIds: z.string(),
    eligiblePersonCount: z.number().int(),
  }),
  errors: [],
  async handler({ applicationId }, { deps, externalTask }) {
    const { application, persons } = await loadCase(deps, applicationId);
    // Only when the API did not confirm the start (it stopped in between); otherwise the key is already there.
    if (application.process_instance_key === null)
      await claimApplication(deps.store.db, applicationId, externalTask.processInstanceId);
    const personFacts = persons.map((p) => ({
      personId: p.id,
      role: p.role,
      erwerbsfaehig: p.erwerbsfaehig,
      ...ageFacts(p.birth_date, application.application_date),
    }));
    const head = persons.find((p) => p.role === 'head');
    if (!head) throw new Error(`Application ${applicationId} has no head of household`);
    const ids = (keep: (f: (typeof personFacts)[number]) => boolean) => personFacts.filter(keep).map((f) => f.personId);
    const eligible = ids((f) => f.erwerbsfaehig && f.reached15 && f.belowAgeLimit);
    return {
      personFacts,
      headPersonId: head.id,
      personIds: idList(ids(() => true)),
      personCount: personFacts.length,
      reached15PersonIds: idList(ids((f) => f.reached15)),
      belowAgeLimitPersonIds: idList(ids((f) => f.belowAgeLimit)),
      u25PersonIds: idList(ids((f) => f.isU25)),
      eligiblePersonIds: idList(eligible),
      eligiblePersonCount: eligible.length,
    };
  },
});
