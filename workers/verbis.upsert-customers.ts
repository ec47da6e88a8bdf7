/**
 * Creates or reactivates the VerBIS customer record of every eLb (SGB II; Aufstocker flagged, secondary care,
 * with a task), keeps the KD number stable for a returning person, and assigns the main caseworker. neukunde-cottbus.
 * Besides the records by person (JSON text for the workers), it lists KD number, main caseworker and team in the
 * order of eligiblePersonIds, so each instance of the first-consultation subprocess takes its own with loopCounter.
 */
import { createHash } from 'node:crypto';

import { sql } from 'kysely';
import { z } from 'zod';

import { loadCase } from '../src/domain/cases.js';
import { mainCaseworker } from '../src/domain/caseworker-assignment.js';
import { enqueue } from '../src/notify/outbox.js';
import { defineWorker } from '../src/worker-runtime/define-worker.js';
import { IdList, idList } from './persons.derive-eligibility-facts.js';

/** The same person applying again is found by jobcenter, name and birth date, folded for spelling variants. */
export function identityKey(jobcenter: string, givenName: string, familyName: string, birthDate: string): string {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();
  return createHash('sha256')
    .update(`${jobcenter}|${fold(familyName)}|${fold(givenName)}|${birthDate}`)
    .digest('hex');
}

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
    const kdNumbers: Record<string, string> = {};
    const caseworkers: Record<string, string> = {};
    const teams: Record<string, string> = {};
    await deps.store.db.transaction().execute(async (tx) => {
      for (const personId of eligiblePersonIds) {
        const person = persons.find((p) => p.id === personId);
        if (!person) throw new Error(`Person ${personId} is not part of application ${applicationId}`);
        const isU25 = personFacts.find((f) => f.personId === personId)?.isU25 ?? false;
        const caseworker = mainCaseworker(settings, person.family_name, isU25);
        const key = identityKey(application.jobcenter, person.given_name, person.family_name, person.birth_date);
        // Insert or reactivate in one statement: a concurrent or retried job cannot create a second number.
        const row = await sql<{ kd_number: string }>`
          INSERT INTO customers (kd_number, jobcenter, identity_key, legal_sphere, aufstocker, care, caseworker_id, team, active)
          VALUES ('KD' || lpad(nextval('kd_number_seq')::text, 9, '0'), ${application.jobcenter}, ${key}, 'SGB II', ${aufstocker},
                  ${aufstocker ? 'secondary' : 'main'}, ${caseworker?.id ?? null}, ${caseworker?.team ?? null}, true)
          ON CONFLICT (jobcenter, identity_key) DO UPDATE
            SET active = true, aufstocker = EXCLUDED.aufstocker, care = EXCLUDED.care,
                caseworker_id = EXCLUDED.caseworker_id, team = EXCLUDED.team,
                reactivated_at = CASE WHEN customers.active THEN customers.reactivated_at ELSE now() END
          RETURNING kd_number`.execute(tx);
        const kd = row.rows[0]!.kd_number;
        await tx.updateTable('persons').set({ kd_number: kd }).where('id', '=', personId).execute();
        kdNumbers[personId] = kd;
        if (caseworker) {
          caseworkers[personId] = caseworker.id;
          teams[personId] = caseworker.team;
        }
      }
      if (aufstocker) {
        // "Haken bei Aufstocker setzen und eine Aufgabe legen": the task goes to the front desk's inbox, once, and in
        // the same transaction as the records, so a failed job leaves neither behind.
        for (const personId of eligiblePersonIds) {
          await enqueue(tx, {
            jobcenter: application.jobcenter,
            dedupKey: `${applicationId}:aufstocker-task:${personId}`,
            channel: 'inbox',
            recipient: 'group:EZ',
            subject: `Aufgabe: Aufstocker ${kdNumbers[personId]}`,
            body: `Kunde ${kdNumbers[personId]} bezieht Arbeitslosengeld (Aufstocker). Nebenbetreuung durch das Jobcenter; bei Rechtskreiswechsel nach Auslaufen des ALG die Hauptbetreuung umstellen.`,
            applicationId,
          });
        }
      }
    });
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
