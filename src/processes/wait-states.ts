/**
 * Where a case can stand in a diagram: the elements at which an instance waits for a person or a message (user
 * tasks, receive tasks, event-based gateways, intermediate catch events), with their German names as staff read
 * them. The workspace filters and labels cases by them; the engine knows only the activity ids.
 */
import { readFileSync } from 'node:fs';

import { BpmnModdle } from 'bpmn-moddle';
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

import { filesUnder } from './load.js';

export interface WaitState {
  processId: string;
  /** The engine's activity id (`GET /process-instance?activityIdIn=`). */
  activityId: string;
  /** The diagram's name; with the enclosing subprocess when the name alone is not unique in its process. */
  label: string;
}

interface El {
  $type: string;
  id?: string;
  name?: string;
  flowElements?: El[];
  incoming?: { sourceRef?: El }[];
  outgoing?: { targetRef?: El }[];
}

const clean = (s: string | undefined) => (s ? s.replace(/\s+/g, ' ').trim() : '');

/** An intermediate catch event after an event-based gateway never holds the token itself: the gateway waits. */
const afterEventGateway = (el: El) =>
  (el.incoming ?? []).some((flow) => flow.sourceRef?.$type === 'bpmn:EventBasedGateway');

function collect(scope: El, processId: string, scopeName: string, out: (WaitState & { scope: string })[]) {
  for (const el of scope.flowElements ?? []) {
    let name: string | undefined;
    if (el.$type === 'bpmn:UserTask' || el.$type === 'bpmn:ReceiveTask') name = clean(el.name) || el.id;
    else if (el.$type === 'bpmn:IntermediateCatchEvent' && !afterEventGateway(el)) name = clean(el.name) || el.id;
    else if (el.$type === 'bpmn:EventBasedGateway')
      // Modelers leave this gateway unnamed; the subprocess around it or the events it waits for say what it is.
      name =
        clean(el.name) ||
        scopeName ||
        (el.outgoing ?? []).map((f) => clean(f.targetRef?.name)).filter(Boolean).join(' oder ') ||
        el.id;
    if (name && el.id) out.push({ processId, activityId: el.id, label: name, scope: scopeName });
    if (el.flowElements) collect(el, processId, clean(el.name), out);
  }
}

export async function readWaitStates(file: string): Promise<WaitState[]> {
  const moddle = new BpmnModdle({ camunda: camundaSchema });
  const { rootElement } = await moddle.fromXML(readFileSync(file, 'utf8'));
  const processes = ((rootElement as { rootElements?: El[] }).rootElements ?? []).filter(
    (e) => e.$type === 'bpmn:Process',
  );
  const out: WaitState[] = [];
  for (const p of processes) {
    const found: (WaitState & { scope: string })[] = [];
    collect(p, p.id ?? '', '', found);
    const count = new Map<string, number>();
    for (const f of found) count.set(f.label, (count.get(f.label) ?? 0) + 1);
    for (const { scope, ...f } of found)
      out.push({ ...f, label: (count.get(f.label) ?? 0) > 1 && scope ? `${f.label} (${scope})` : f.label });
  }
  return out;
}

/** The wait states of every diagram below a folder (a jobcenter's folder, or all of processes/). */
export async function waitStatesUnder(root: string): Promise<WaitState[]> {
  return (await Promise.all(filesUnder(root, '.bpmn').map(readWaitStates))).flat();
}
