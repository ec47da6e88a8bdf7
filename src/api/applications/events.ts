/**
 * What happens outside the system reaches the process here: each event completes the user task that waits for
 * it (as Tasklist would) or publishes the message a receive task waits for. 409 when nothing waits for it.
 */
import type { EngineGateway } from '../../engine/gateway.js';
import { HttpError } from '../errors.js';
import type { EventName } from './schema.js';

type Action =
  | { kind: 'task'; elementId: string; variables: Record<string, unknown>; match?: Record<string, string> }
  | { kind: 'message'; name: string; waitingAt: string; variables: Record<string, unknown> };

/** Cottbus: event -> the element in neukunde-cottbus that waits for it. */
export function cottbusAction(event: EventName, body: Record<string, any>): Action {
  switch (event) {
    case 'id-check-completed':
      return { kind: 'task', elementId: 'UserTask_IdCheck', variables: { identityVerified: body.identityVerified, responsible: body.responsible } };
    case 'arbeitspaket-received':
      return { kind: 'task', elementId: 'UserTask_Arbeitspaket', variables: { receivedOn: body.receivedOn, dataEntered: true, arbeitspaketPersonId: body.personId } };
    case 'documents-complete':
      return { kind: 'message', name: 'documents-complete', waitingAt: 'ReceiveTask_DocumentsComplete', variables: { documentsCompleteOn: body.completeOn } };
    case 'decision-issued':
      return { kind: 'message', name: 'decision-issued', waitingAt: 'ReceiveTask_DecisionIssued', variables: { decisionIssuedOn: body.decidedOn } };
    case 'first-consultation-held':
      return {
        kind: 'task',
        elementId: 'UserTask_FirstConsultation',
        match: { personId: body.personId },
        variables: { heldOn: body.heldOn, consultationMode: 'persönlich', profiling: body.profiling, kooperationsplan: body.kooperationsplan, ...(body.checklist ?? {}) },
      };
  }
}

export async function deliverEvent(engine: EngineGateway, processInstanceKey: string, applicationId: string, action: Action): Promise<void> {
  if (action.kind === 'task') {
    const result = await engine.completeUserTask(processInstanceKey, action.elementId, action.variables, action.match);
    if (result === 'not-waiting') throw new HttpError(409, `The process is not waiting for this event (no open task ${action.elementId})`);
    return;
  }
  if (!(await engine.isWaitingAt(processInstanceKey, action.waitingAt))) {
    throw new HttpError(409, `The process is not waiting for this event (not at ${action.waitingAt})`);
  }
  await engine.publishMessage(action.name, applicationId, action.variables, `${applicationId}:${action.name}`);
}
