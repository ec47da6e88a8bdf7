/**
 * Records an application and starts its process: validation beyond the schema (known jobcenter, no future
 * date), the "Neukunde" answer from the engine's own DMN, the Idempotency-Key, and all-or-nothing writes
 * (recorded, started, confirmed; withdrawn when the engine refuses: recording.ts).
 */
import { createHash, randomUUID } from 'node:crypto';

import { differenceInCalendarDays, parseISO } from 'date-fns';
import type { Kysely } from 'kysely';
import pRetry from 'p-retry';

import type { Calendars } from '../../calendar/calendars.js';
import { berlinDate } from '../../calendar/index.js';
import type { JobcenterSettings } from '../../config/jobcenter.js';
import { ageFacts } from '../../domain/age-facts.js';
import type { EngineGateway } from '../../engine/gateway.js';
import { HttpError } from '../../http/errors.js';
import type { Database } from '../../store/index.js';
import { isUniqueViolation } from '../../store/index.js';
import {
  type AddressRow,
  confirmStart,
  type Created,
  createdBody,
  type NewApplication,
  recordUnconfirmed,
  withdrawUnstarted,
} from './recording.js';
import type { ApplicationBody, HouseholdAddress } from './schema.js';

export interface ApplicationsDeps {
  db: Kysely<Database>;
  engine: EngineGateway;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  now: () => Date;
}

/** Calendar days from the end of the previous need to the application: both are plain dates, no time zone. */
function gapDays(previousNeedEndedOn: string | undefined, applicationDate: string): number | null {
  if (!previousNeedEndedOn) return null;
  return differenceInCalendarDays(parseISO(applicationDate), parseISO(previousNeedEndedOn));
}

/**
 * The process variables: ids, dates, enums and flags; never a name or a birth date. The flags are flat, since the
 * diagrams' JUEL conditions and timers read them (docs/modelling-on-operaton.md), and also together as `flags` for
 * the workers that take them as one value.
 */
export function startVariables(
  id: string,
  body: ApplicationBody,
  intakeDueAt: string,
  extra: { branch?: string; alg1ClaimEndsAt?: string | null } = {},
) {
  const alg1EndsOn = body.flags.alg1Claim?.endsOn;
  const flags = {
    relocation: body.flags.relocation ?? false,
    selfEmployed: body.flags.selfEmployed ?? false,
    insufficientGerman: body.flags.insufficientGerman ?? false,
    representation: body.flags.representation ?? null,
    aufstocker: alg1EndsOn !== undefined && alg1EndsOn >= body.applicationDate,
    alg1ClaimEndsOn: alg1EndsOn ?? null,
    // The timer instant at the end of the claim's last day, with its Berlin offset.
    alg1ClaimEndsAt: extra.alg1ClaimEndsAt ?? null,
  };
  return {
    ...(extra.branch ? { branch: extra.branch, unemployedSince: body.unemployedSince ?? null } : {}),
    applicationId: id,
    jobcenter: body.jobcenter,
    channel: body.channel,
    applicationDate: body.applicationDate,
    intakeDueAt,
    habitualResidenceInGermany: body.habitualResidenceInGermany,
    firstApplication: !body.previousNeedEndedOn && !body.previouslyRejected,
    gapDays: gapDays(body.previousNeedEndedOn, body.applicationDate),
    previouslyRejected: body.previouslyRejected ?? false,
    ...flags,
    flags,
  };
}

export interface NeukundeAnswer {
  neukunde?: boolean;
  reason?: string;
}

/** The Neukunde DMN's inputs for one person, as the diagram's business rule task builds them. */
export function neukundeInputs(
  facts: { reached15: boolean; belowAgeLimit: boolean },
  v: Record<string, unknown>,
): Record<string, unknown> {
  return {
    reached15: facts.reached15,
    belowAgeLimit: facts.belowAgeLimit,
    habitualResidenceInGermany: v.habitualResidenceInGermany,
    firstApplication: v.firstApplication,
    gapDays: v.gapDays,
    previouslyRejected: v.previouslyRejected,
  };
}

/** The application as recorded: the body's people with their ids and each one's Neukunde answer; the head's is the application's. */
export function applicationRecord(
  body: ApplicationBody,
  id: string,
  personIds: string[],
  decisions: NeukundeAnswer[],
  meta: { idempotencyKey?: string; requestHash: string; actor: string; flags: unknown },
): NewApplication {
  const persons = body.household.members.map((m, i) => {
    const d = decisions[i]!;
    return {
      id: personIds[i]!,
      role: m.role,
      givenName: m.givenName,
      familyName: m.familyName,
      birthDate: m.birthDate,
      erwerbsfaehig: m.erwerbsfaehig,
      newCustomer: d.neukunde === true,
      notNewReason: d.neukunde === true ? null : (d.reason ?? null),
    };
  });
  const head = persons.find((p) => p.role === 'head')!;
  return {
    id,
    jobcenter: body.jobcenter,
    channel: body.channel,
    applicationDate: body.applicationDate,
    reason: body.reason,
    newCustomer: head.newCustomer,
    notNewReason: head.notNewReason,
    ...meta,
    persons,
    address: addressRow(body.household.address),
  };
}

function addressRow(a: HouseholdAddress | undefined): AddressRow | null {
  if (!a) return null;
  const m = a.mailingAddress;
  return {
    salutation: a.salutation ?? null,
    careOf: a.careOf ?? null,
    street: a.street,
    postcode: a.postcode,
    city: a.city,
    mailing: m ? { careOf: m.careOf ?? null, street: m.street, postcode: m.postcode, city: m.city } : null,
  };
}

export async function createApplication(
  deps: ApplicationsDeps,
  body: ApplicationBody,
  idempotencyKey: string | undefined,
  actor: string,
  attempt = 0,
): Promise<Created> {
  const settings = deps.jobcenters.get(body.jobcenter);
  const calendar = deps.calendars.of(body.jobcenter);
  if (!settings || !calendar)
    throw new HttpError(400, 'Unknown jobcenter', [
      { path: 'body.jobcenter', message: `no jobcenter "${body.jobcenter}"` },
    ]);
  const today = berlinDate(deps.now());
  if (body.applicationDate > today) {
    throw new HttpError(400, 'The application date lies in the future', [
      { path: 'body.applicationDate', message: `must not be after today (${today})` },
    ]);
  }
  let branch: string | undefined;
  if (settings.branches.length > 0) {
    branch = body.branch ?? settings.branches[0]!.id;
    if (!settings.branches.some((b) => b.id === branch)) {
      throw new HttpError(400, 'Unknown branch', [
        {
          path: 'body.branch',
          message: `no branch "${branch}" in ${body.jobcenter} (known: ${settings.branches.map((b) => b.id).join(', ')})`,
        },
      ]);
    }
  } else if (body.branch) {
    throw new HttpError(400, 'This jobcenter has no branches', [
      { path: 'body.branch', message: `${body.jobcenter} does not use branches` },
    ]);
  }
  const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const replay = idempotencyKey ? await awaitReplay(deps.db, body.jobcenter, idempotencyKey, requestHash) : undefined;
  if (replay) return replay;

  const id = randomUUID();
  const persons = body.household.members.map((m) => ({
    ...m,
    id: randomUUID(),
    facts: ageFacts(m.birthDate, body.applicationDate),
  }));
  const alg1EndsOn = body.flags.alg1Claim?.endsOn;
  const variables = startVariables(id, body, calendar.breachInstant(calendar.addWorkingDays(today, 1)), {
    branch,
    alg1ClaimEndsAt: alg1EndsOn ? calendar.breachInstant(alg1EndsOn) : null,
  });
  // The engine's DMN decides per person, so the answer here and the path in the diagram cannot disagree.
  const decisions = (await Promise.all(
    persons.map((p) => deps.engine.evaluateDecision('neukunde', neukundeInputs(p.facts, variables))),
  )) as NeukundeAnswer[];
  const application = applicationRecord(
    body,
    id,
    persons.map((p) => p.id),
    decisions,
    { idempotencyKey, requestHash, actor, flags: variables.flags },
  );
  const { newCustomer, notNewReason } = application;
  try {
    await recordUnconfirmed(deps.db, application);
  } catch (e) {
    if (idempotencyKey && isUniqueViolation(e)) {
      // A twin holds the key: its answer, once it has one; or, if the twin's start failed and was withdrawn, a fresh try.
      const again = await awaitReplay(deps.db, body.jobcenter, idempotencyKey, requestHash);
      if (again) return again;
      if (attempt === 0) return createApplication(deps, body, idempotencyKey, actor, 1);
      throw new StillInProgress();
    }
    throw e;
  }

  let processInstanceId: string;
  try {
    // The store numbered the case as it was recorded (migration 005); Tasklist shows the number beside each task.
    const { case_number: caseNumber } = await deps.db
      .selectFrom('applications')
      .select('case_number')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    processInstanceId = await deps.engine.startProcess(settings.processId, { ...variables, caseNumber }, id);
  } catch (e) {
    // The engine refused or did not answer: take the record back, so the request leaves nothing. If the process
    // did start after all (an answer lost on the way), its first external task has claimed the record, and it
    // stays; so does a record the store would not let go of now. The start sweep settles both.
    await withdrawUnstarted(deps.db, id).catch(() => false);
    throw e;
  }
  const created: Created = {
    status: 201,
    body: createdBody({
      id,
      process_instance_key: processInstanceId,
      new_customer: newCustomer,
      not_new_reason: notNewReason,
    }),
  };
  await confirmStart(
    deps.db,
    { id, jobcenter: body.jobcenter, channel: body.channel, actor, idempotencyKey: idempotencyKey ?? null },
    created,
  );
  return created;
}

/** How long a twin waits for the first request's answer: the engine's request timeout and some. */
const TWIN_WAIT_MS = 20_000;
const TWIN_POLL_MS = 20;

/** The stored answer for the key once the first request has one; undefined if its record was withdrawn meanwhile. */
async function awaitReplay(
  db: Kysely<Database>,
  jobcenter: string,
  key: string,
  requestHash: string,
): Promise<Created | undefined> {
  return pRetry(() => replayOf(db, jobcenter, key, requestHash), {
    retries: Infinity,
    maxRetryTime: TWIN_WAIT_MS,
    minTimeout: TWIN_POLL_MS,
    factor: 1,
    shouldRetry: ({ error }) => error instanceof StillInProgress,
  });
}

class StillInProgress extends HttpError {
  constructor() {
    super(409, 'A request with this Idempotency-Key is still in progress', [
      { path: 'headers.idempotency-key', message: 'in progress' },
    ]);
  }
}

async function replayOf(
  db: Kysely<Database>,
  jobcenter: string,
  key: string,
  requestHash: string,
): Promise<Created | undefined> {
  const row = await db
    .selectFrom('api_idempotency')
    .selectAll()
    .where('jobcenter', '=', jobcenter)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== requestHash) {
    throw new HttpError(422, 'This Idempotency-Key was used for a different request', [
      { path: 'headers.idempotency-key', message: 'reused with another body' },
    ]);
  }
  if (row.status_code === null) throw new StillInProgress();
  return { status: row.status_code, body: row.response as Created['body'] };
}
