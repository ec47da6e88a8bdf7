/**
 * Creates or reactivates the VerBIS customer record of every eLb (SGB II; Aufstocker flagged, secondary care,
 * with a task), keeps the KD number stable for a returning person, and assigns the main caseworker. neukunde-cottbus.
 * Besides the records by person (JSON text for the workers), it lists KD number, main caseworker and team in the
 * order of eligiblePersonIds, so each instance of the first-consultation subprocess takes its own with loopCounter.
 */
import { z } from 'zod';

import type { CustomerRecord } from '../src/adapters/index.js';
import { recordKdNumbers } from '../src/domain/applications.js';
import { loadCase } from '../src/domain/cases.js';
import { mainCaseworker } from '../src/domain/caseworker-assignment.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';
import { IdList, idList } from './persons.derive-eligibility-facts.js';

export default defineWorker({
  topic: 'verbis.upsert-customers',
  description:
    'Creates or reactivates a customer record with a stable KD number for every eLb and assigns the main caseworker.',
  input: z.object({
    applicationId: z.string().uuid(),
    eligiblePersonIds: IdList,
    personFacts: z.array(z.object({ personId: z.string().uuid(), isU25: z.boolean() }).passthrough()),
    aufstocker: z.boolean().nullish(),
    /** The flags as one value, read when the flat `aufstocker` is missing. */
    flags: z.object({ aufstocker: z.boolean().nullish() }).passthrough().default({}),
  }),
  output: z.object({
    kdNumbers: z.record(z.string(), z.string()),
    caseworkers: z.record(z.string(), z.string()),
    teams: z.record(z.string(), z.string()),
    /** Comma-separated, one entry per eLb in the order of eligiblePersonIds; empty where there is none. */
    eligibleKdNumbers: z.string(),
    eligibleCaseworkerIds: z.string(),
    eligibleTeamIds: z.string(),
  }),
  errors: [],
  async handler({ applicationId, eligiblePersonIds, personFacts, aufstocker: aufstockerFlag, flags }, { deps }) {
    const { application, persons, settings } = await loadCase(deps, applicationId);
    const aufstocker = (aufstockerFlag ?? flags.aufstocker) === true;
    const customers: CustomerRecord[] = eligiblePersonIds.map((personId: string) => {
      const person = persons.find((p) => p.id === personId);
      if (!person) throw new Error(`Person ${personId} is not part of application ${applicationId}`);
      const isU25 = personFacts.find((f) => f.personId === personId)?.isU25 ?? false;
      const caseworker = mainCaseworker(settings, person.family_name, isU25);
      return {
        personId,
        givenName: person.given_name,
        familyName: person.family_name,
        birthDate: person.birth_date,
        caseworker: caseworker ? { id: caseworker.id, team: caseworker.team } : null,
      };
    });
    const kdNumbers = await deps.adapters
      .of(application.jobcenter)
      .verbis.upsertCustomers({ applicationId, aufstocker, customers });
    // The later steps and letters read the KD numbers from the case (the store's VerBIS has noted them already).
    await recordKdNumbers(deps.store.db, applicationId, kdNumbers);
    const caseworkers: Record<string, string> = {};
    const teams: Record<string, string> = {};
    for (const { personId, caseworker } of customers) {
      if (!caseworker) continue;
      caseworkers[personId] = caseworker.id;
      teams[personId] = caseworker.team;
    }
    const inOrder = (byPerson: Record<string, string>) =>
      idList(eligiblePersonIds.map((id: string) => byPerson[id] ?? ''));
    return {
      kdNumbers,
      caseworkers,
      teams,
      eligibleKdNumbers: inOrder(kdNumbers),
      eligibleCaseworkerIds: inOrder(caseworkers),
      eligibleTeamIds: inOrder(teams),
    };
  },
});
