/**
 * What happens outside the system reaches the process here: each event completes the user task that waits for
 * it (as Tasklist would) or publishes the message a receive task waits for. 409 when nothing waits for it.
 */
import type { EngineGateway } from '../../engine/gateway.js';
import { HttpError } from '../../http/errors.js';
import type { EventName } from './schema.js';

export type Action =
  | { kind: 'task'; activityId: string; variables: Record<string, unknown>; match?: Record<string, string> }
  | { kind: 'message'; name: string; waitingAt?: string; variables: Record<string, unknown> };

/** Cottbus: event -> the element in neukunde-cottbus that waits for it. */
export function cottbusAction(event: EventName, body: Record<string, unknown>): Action | undefined {
  switch (event) {
    case 'id-check-completed':
      return {
        kind: 'task',
        activityId: 'UserTask_IdCheck',
        variables: { identityVerified: body.identityVerified, responsible: body.responsible },
      };
    case 'arbeitspaket-received':
      return {
        kind: 'task',
        activityId: 'UserTask_Arbeitspaket',
        variables: { receivedOn: body.receivedOn, dataEntered: true, arbeitspaketPersonId: body.personId },
      };
    case 'documents-complete':
      return {
        kind: 'message',
        name: 'documents-complete',
        waitingAt: 'ReceiveTask_DocumentsComplete',
        variables: { documentsCompleteOn: body.completeOn },
      };
    case 'decision-issued':
      return {
        kind: 'message',
        name: 'decision-issued',
        waitingAt: 'ReceiveTask_DecisionIssued',
        variables: { decisionIssuedOn: body.decidedOn },
      };
    case 'withdrawn':
      // Caught on the scope that spans the whole case (SubProcess_Case), wherever the case stands.
      return { kind: 'message', name: 'application-withdrawn', variables: { withdrawnOn: body.withdrawnOn } };
    case 'first-consultation-held':
      return {
        kind: 'task',
        activityId: 'UserTask_FirstConsultation',
        match: { personId: body.personId as string },
        // consultationMode takes the form's own values (cottbus-first-consultation: in-person | phone); the API reports in-person consultations.
        variables: {
          heldOn: body.heldOn,
          consultationMode: body.consultationMode ?? 'in-person',
          profiling: body.profiling,
          kooperationsplan: body.kooperationsplan,
          ...(body.checklist ?? {}),
        },
      };
    default:
      return undefined;
  }
}

/**
 * Where quer-wuppertal waits for the LG: the event-based gateway inside "Entscheidung der LG abwarten". The engine
 * finds an execution by the activity it stands at, never by the embedded subprocess around it, so the check names
 * the gateway; the funding-request event subprocess is open exactly as long as the gateway waits.
 */
const AWAITING_LG_DECISION = 'Gateway_LgDecisionEvents';

/** Wuppertal: event -> the element in quer-wuppertal that waits for it. Note texts go to the store, not here. */
export function wuppertalAction(event: EventName, body: Record<string, unknown>, isHead: boolean): Action | undefined {
  switch (event) {
    case 'approved-in-principle':
      return {
        kind: 'message',
        name: 'approved-in-principle',
        waitingAt: AWAITING_LG_DECISION,
        variables: { approvedOn: body.approvedOn, calculationProtocolRef: body.calculationProtocolRef ?? null },
      };
    case 'rejected':
      return {
        kind: 'message',
        name: 'rejected',
        waitingAt: AWAITING_LG_DECISION,
        variables: { rejectedOn: body.rejectedOn },
      };
    case 'funding-requested':
      return {
        kind: 'message',
        name: 'funding-requested',
        waitingAt: AWAITING_LG_DECISION,
        variables: { fundingRequest: { personId: body.personId, kind: body.kind } },
      };
    case 'quer-held':
      return {
        kind: 'task',
        activityId: isHead ? 'UserTask_Quer' : 'UserTask_MemberConsultation',
        match: { personId: body.personId as string },
        variables: {
          heldOn: body.heldOn,
          fmgDatenAktualisiert: body.fmgDatenAktualisiert,
          potenzialanalyse: body.potenzialanalyse,
          integrationsprognose: body.integrationsprognose,
          handlungsstrategie: body.handlungsstrategie,
          sofortangebot: body.sofortangebot,
          kooperationsplan: body.kooperationsplan,
          // The form's own values (wuppertal-quer, wuppertal-member-consultation: radio ja | nein), as Tasklist would leave them.
          berufsabschluss: body.berufsabschluss ? 'ja' : 'nein',
          ausbildungGeprueft: body.ausbildungGeprueft ?? false,
          offenePunkteVorhanden: body.offenePunkteVorhanden,
          beratungsvermerkErfasst: true,
          steuerungsempfehlung: body.steuerungsempfehlung,
          massnahmeEmpfohlen: body.massnahmeEmpfohlen,
        },
      };
    default:
      return undefined;
  }
}

/** Cottbus events are Cottbus's; the dispatcher refuses an event the jobcenter's process does not know. */
export function actionFor(
  processId: string,
  event: EventName,
  body: Record<string, unknown>,
  isHead: boolean,
): Action | undefined {
  if (processId === 'neukunde-cottbus') return COTTBUS_EVENTS.has(event) ? cottbusAction(event, body) : undefined;
  if (processId === 'quer-wuppertal') return wuppertalAction(event, body, isHead);
  return undefined;
}

const COTTBUS_EVENTS = new Set<EventName>([
  'id-check-completed',
  'arbeitspaket-received',
  'documents-complete',
  'decision-issued',
  'first-consultation-held',
  'withdrawn',
]);

export async function deliverEvent(
  engine: EngineGateway,
  processInstanceId: string,
  applicationId: string,
  action: Action,
): Promise<void> {
  if (action.kind === 'task') {
    const result = await engine.completeUserTask(processInstanceId, action.activityId, action.variables, action.match);
    if (result === 'not-waiting')
      throw new HttpError(409, `The process is not waiting for this event (no open task ${action.activityId})`);
    return;
  }
  if (action.waitingAt !== undefined && !(await engine.isWaitingAt(processInstanceId, action.waitingAt))) {
    throw new HttpError(409, `The process is not waiting for this event (not at ${action.waitingAt})`);
  }
  if ((await engine.correlateMessage(processInstanceId, action.name, action.variables)) === 'not-waiting') {
    throw new HttpError(409, `The process is not waiting for this event (message ${action.name} found no receiver)`);
  }
}
