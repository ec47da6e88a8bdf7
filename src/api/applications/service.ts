/**
 * Records an application and starts its process: validation beyond the schema (known jobcenter, no future
 * date), the "Neukunde" answer from the engine's own DMN, the Idempotency-Key, and all-or-nothing writes.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { berlinDate } from '../../calendar/index.js';
import type { Calendars } from '../../calendar/calendars.js';
import type { JobcenterSettings } from '../../config/jobcenter.js';
import { ageFacts } from '../../domain/age-facts.js';
import type { EngineGateway } from '../../engine/gateway.js';
import type { Database } from '../../store/index.js';
import { isUniqueViolation } from '../../store/index.js';
import { HttpError } from '../errors.js';
import type { ApplicationBody } from './schema.js';

export interface ApplicationsDeps {
  db: Kysely<Database>;
  engine: EngineGateway;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  now: () => Date;
}

export interface Created {
  status: number;
  body: { id: string; processInstanceKey: string | null; newCustomer: boolean; reason?: string };
}

const DAY_MS = 86_400_000;

function gapDays(previousNeedEndedOn: string | undefined, applicationDate: string): number | null {
  if (!previousNeedEndedOn) return null;
  return Math.round((Date.parse(`${applicationDate}T00:00:00Z`) - Date.parse(`${previousNeedEndedOn}T00:00:00Z`)) / DAY_MS);
}

/** The process variables: ids, dates, enums and flags; never a name or a birth date. */
export function startVariables(id: string, body: ApplicationBody, intakeDueAt: string, extra: { branch?: string; alg1ClaimEndsAt?: string | null } = {}) {
  const alg1EndsOn = body.flags.alg1Claim?.endsOn;
  return {
    ...(extra.branch ? { branch: extra.branch, unemployedSince: null } : {}),
    applicationId: id,
    jobcenter: body.jobcenter,
    channel: body.channel,
    applicationDate: body.applicationDate,
    intakeDueAt,
    habitualResidenceInGermany: body.habitualResidenceInGermany,
    firstApplication: !body.previousNeedEndedOn && !body.previouslyRejected,
    gapDays: gapDays(body.previousNeedEndedOn, body.applicationDate),
    previouslyRejected: body.previouslyRejected ?? false,
    flags: {
      relocation: body.flags.relocation ?? false,
      selfEmployed: body.flags.selfEmployed ?? false,
      insufficientGerman: body.flags.insufficientGerman ?? false,
      representation: body.flags.representation ?? null,
      aufstocker: alg1EndsOn !== undefined && alg1EndsOn >= body.applicationDate,
      alg1ClaimEndsOn: alg1EndsOn ?? null,
      // The timer instant at the end of the claim's last day, with its Berlin offset (FEEL reads the date from it).
      alg1ClaimEndsAt: extra.alg1ClaimEndsAt ?? null,
    },
  };
}

export async function createApplication(deps: ApplicationsDeps, body: ApplicationBody, idempotencyKey: string | undefined, actor: string): Promise<Created> {
  const settings = deps.jobcenters.get(body.jobcenter);
  const calendar = deps.calendars.of(body.jobcenter);
  if (!settings || !calendar) throw new HttpError(400, 'Unknown jobcenter', [{ path: 'body.jobcenter', message: `no jobcenter "${body.jobcenter}"` }]);
  const today = berlinDate(deps.now());
  if (body.applicationDate > today) {
    throw new HttpError(400, 'The application date lies in the future', [{ path: 'body.applicationDate', message: `must not be after today (${today})` }]);
  }
  let branch: string | undefined;
  if (settings.branches.length > 0) {
    branch = body.branch ?? settings.branches[0]!.id;
    if (!settings.branches.some((b) => b.id === branch)) {
      throw new HttpError(400, 'Unknown branch', [{ path: 'body.branch', message: `no branch "${branch}" in ${body.jobcenter} (known: ${settings.branches.map((b) => b.id).join(', ')})` }]);
    }
  } else if (body.branch) {
    throw new HttpError(400, 'This jobcenter has no branches', [{ path: 'body.branch', message: `${body.jobcenter} does not use branches` }]);
  }
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const replay = idempotencyKey ? await replayOf(deps.db, body.jobcenter, idempotencyKey, requestHash) : undefined;
  if (replay) return replay;

  const id = randomUUID();
  const persons = body.household.members.map((m) => ({ ...m, id: randomUUID(), facts: ageFacts(m.birthDate, body.applicationDate) }));
  const alg1EndsOn = body.flags.alg1Claim?.endsOn;
  const variables = startVariables(id, body, calendar.breachInstant(calendar.addWorkingDays(today, 1)), {
    branch,
    alg1ClaimEndsAt: alg1EndsOn ? calendar.breachInstant(alg1EndsOn) : null,
  });
  // The engine's DMN decides per person, so the answer here and the path in the diagram cannot disagree.
  const decisions = await Promise.all(
    persons.map((p) =>
      deps.engine.evaluateDecision('neukunde', {
        reached15: p.facts.reached15,
        belowAgeLimit: p.facts.belowAgeLimit,
        habitualResidenceInGermany: variables.habitualResidenceInGermany,
        firstApplication: variables.firstApplication,
        gapDays: variables.gapDays,
        previouslyRejected: variables.previouslyRejected,
      }),
    ),
  );
  const headIndex = persons.findIndex((p) => p.role === 'head');
  const head = decisions[headIndex] as { neukunde?: boolean; reason?: string };
  const newCustomer = head.neukunde === true;

  try {
    return await deps.db.transaction().execute(async (tx) => {
      if (idempotencyKey) {
        // Claimed first: a concurrent twin waits here and then finds the key taken, before anything else is written.
        await tx.insertInto('api_idempotency').values({ jobcenter: body.jobcenter, key: idempotencyKey, request_hash: requestHash, status_code: null, response: null }).execute();
      }
      await tx
        .insertInto('applications')
        .values({
          id,
          jobcenter: body.jobcenter,
          channel: body.channel,
          application_date: body.applicationDate,
          status: newCustomer ? 'in-progress' : 'not-new-customer',
          new_customer: newCustomer,
          not_new_reason: newCustomer ? null : (head.reason ?? null),
          reason: body.reason,
          process_instance_key: null,
          idempotency_key: idempotencyKey ?? null,
          flags: JSON.stringify(variables.flags),
          created_by: actor,
        })
        .execute();
      for (const [i, p] of persons.entries()) {
        const d = decisions[i] as { neukunde?: boolean; reason?: string };
        await tx
          .insertInto('persons')
          .values({
            id: p.id,
            jobcenter: body.jobcenter,
            application_id: id,
            role: p.role,
            given_name: p.givenName,
            family_name: p.familyName,
            birth_date: p.birthDate,
            erwerbsfaehig: p.erwerbsfaehig,
            new_customer: d.neukunde === true,
            not_new_reason: d.neukunde === true ? null : (d.reason ?? null),
            kd_number: null,
          })
          .execute();
      }
      await tx.insertInto('audit_log').values({ jobcenter: body.jobcenter, actor, action: 'application.created', application_id: id, details: JSON.stringify({ channel: body.channel }) }).execute();
      // Started inside the transaction: if the engine refuses, nothing of the application stays behind.
      const processInstanceKey = await deps.engine.startProcess(settings.processId, variables);
      await tx.updateTable('applications').set({ process_instance_key: processInstanceKey }).where('id', '=', id).execute();
      const created: Created = { status: 201, body: { id, processInstanceKey, newCustomer, ...(newCustomer ? {} : { reason: head.reason ?? 'UNBEKANNT' }) } };
      if (idempotencyKey) {
        await tx
          .updateTable('api_idempotency')
          .set({ status_code: created.status, response: JSON.stringify(created.body) })
          .where('jobcenter', '=', body.jobcenter)
          .where('key', '=', idempotencyKey)
          .execute();
      }
      return created;
    });
  } catch (e) {
    if (idempotencyKey && isUniqueViolation(e)) {
      const again = await replayOf(deps.db, body.jobcenter, idempotencyKey, requestHash);
      if (again) return again;
    }
    throw e;
  }
}

async function replayOf(db: Kysely<Database>, jobcenter: string, key: string, requestHash: string): Promise<Created | undefined> {
  const row = await db.selectFrom('api_idempotency').selectAll().where('jobcenter', '=', jobcenter).where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== requestHash) {
    throw new HttpError(422, 'This Idempotency-Key was used for a different request', [{ path: 'headers.idempotency-key', message: 'reused with another body' }]);
  }
  if (row.status_code === null) throw new HttpError(409, 'A request with this Idempotency-Key is still in progress', [{ path: 'headers.idempotency-key', message: 'in progress' }]);
  return { status: row.status_code, body: row.response as Created['body'] };
}
