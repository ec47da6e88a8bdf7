/**
 * Finds the process resources under processes/ and reads from each diagram (a Camunda 7 model, run by
 * Operaton) what workers, forms, decisions and the engine must agree with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { BpmnModdle } from 'bpmn-moddle';
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

/**
 * Stands in a list of caught error codes for an error catch event that catches every BPMN error: in Camunda 7
 * (and Operaton) one without errorRef, or whose bpmn:error has no errorCode.
 */
export const CATCH_ALL = '*';

export interface ProcessFiles {
  bpmn: string[];
  dmn: string[];
  form: string[];
}

/** One element the engine hands to an external-task worker. */
export interface TopicUse {
  /** The external task topic (`camunda:topic`), which is also the worker's file name. */
  topic: string;
  activityId: string;
  processId: string;
  /** The element's name in the diagram (German, as staff say it). */
  name?: string;
  /** Codes an error thrown by this element's worker would be caught by: its own boundary events and those of every enclosing scope. */
  caughtErrorCodes: string[];
}

export interface UserTaskInfo {
  activityId: string;
  /** The Camunda Form's id (`camunda:formRef`), deployed from processes/forms/. */
  formRef: string | undefined;
  /** `camunda:formRefBinding`; the engine takes `latest` when it is missing. */
  formRefBinding: string | undefined;
  /** `camunda:formKey`: an embedded or external form, which Tasklist does not render as a Camunda Form. */
  formKey: string | undefined;
  candidateGroups: string | undefined;
  dueDate: string | undefined;
}

export interface DecisionUse {
  activityId: string;
  processId: string;
  /** `camunda:decisionRef`: the id of a decision in processes/shared/*.dmn. */
  decisionRef: string;
}

export interface BpmnSummary {
  file: string;
  processIds: string[];
  /** Per process: its `camunda:historyTimeToLive`, without which the engine refuses the deployment. */
  historyTimeToLive: Record<string, string | undefined>;
  topicUses: TopicUse[];
  /** Every form id a user task links with `camunda:formRef`. */
  formRefs: string[];
  userTasks: UserTaskInfo[];
  decisions: DecisionUse[];
  /**
   * Tasks nothing here runs: service and send tasks that are not external tasks with a topic (this project runs
   * no Java delegates), business rule tasks with neither a decisionRef nor a topic.
   */
  unimplementedTasks: string[];
  /** Every code any error boundary or error event-subprocess start event in the file catches. */
  caughtErrorCodes: string[];
  hasDiagram: boolean;
  /** Flow elements Modeler would not draw because no BPMNShape or BPMNEdge refers to them. */
  elementsWithoutDi: string[];
  executionPlatform: string | undefined;
  executionPlatformVersion: string | undefined;
  /** Import warnings of bpmn-moddle, e.g. unknown elements or broken references. */
  warnings: string[];
  /** Per process: the topics of the tasks its none start event leads to directly. */
  firstTopics: Record<string, string[]>;
}

/** The loose view of a moddle element this module needs; bpmn-moddle's own types stop at the package border. */
interface El {
  $type: string;
  id?: string;
  name?: string;
  $attrs?: Record<string, string>;
  flowElements?: El[];
  eventDefinitions?: El[];
  attachedToRef?: El;
  triggeredByEvent?: boolean;
  errorRef?: El;
  errorCode?: string;
  bpmnElement?: El;
  plane?: El;
  planeElement?: El[];
  rootElements?: El[];
  diagrams?: El[];
  outgoing?: El[];
  targetRef?: El;
  get(name: string): unknown;
}

/** Every file with the extension below root, sorted; element templates are for Modeler and never deployed. */
export function filesUnder(root: string, extension: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'element-templates') found.push(...filesUnder(full, extension));
    } else if (entry.name.endsWith(extension)) found.push(full);
  }
  return found.sort();
}

export function loadProcessFiles(root = 'processes'): ProcessFiles {
  return { bpmn: filesUnder(root, '.bpmn'), dmn: filesUnder(root, '.dmn'), form: filesUnder(root, '.form') };
}

export function formIdOf(file: string): string {
  return (JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id;
}

/** The ids of the decisions a DMN file defines, which a business rule task's `camunda:decisionRef` names. */
export function decisionIdsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/<(?:[\w-]+:)?decision\b[^>]*?\bid="([^"]+)"/g)].map((m) => m[1]!);
}

/** Whether a list of caught codes (of a file or of one external task) handles the given code. */
export function catchesError(caughtErrorCodes: readonly string[], code: string): boolean {
  return caughtErrorCodes.includes(CATCH_ALL) || caughtErrorCodes.includes(code);
}

function camunda(el: El | undefined, name: string): string | undefined {
  const value = el?.get(`camunda:${name}`);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The topic of an element the engine runs as an external task: a task with camunda:type="external", or a message throw event whose definition is one. */
function externalTopic(el: El): string | undefined {
  const carrier = el.$type === 'bpmn:IntermediateThrowEvent' || el.$type === 'bpmn:EndEvent'
    ? el.eventDefinitions?.find((d) => d.$type === 'bpmn:MessageEventDefinition')
    : el;
  return camunda(carrier, 'type') === 'external' ? (camunda(carrier, 'topic') ?? '') : undefined;
}

function errorCodesCaughtBy(event: El): string[] {
  return (event.eventDefinitions ?? [])
    .filter((d) => d.$type === 'bpmn:ErrorEventDefinition')
    .map((d) => d.errorRef?.errorCode || CATCH_ALL);
}

function isEventSubProcess(el: El): boolean {
  return el.$type === 'bpmn:SubProcess' && el.triggeredByEvent === true;
}

const TASKS_WITH_IMPLEMENTATION = ['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask'];

/** Errors propagate outwards, so each scope hands what it catches down to the elements inside it. */
function readScope(scope: El, processId: string, inherited: string[], summary: BpmnSummary): void {
  const flow = scope.flowElements ?? [];
  const caughtInScope = [
    ...inherited,
    ...flow.filter(isEventSubProcess).flatMap((sub) => (sub.flowElements ?? []).filter((e) => e.$type === 'bpmn:StartEvent').flatMap(errorCodesCaughtBy)),
  ];
  for (const el of flow) {
    const activityId = el.id ?? '';
    if (el.$type === 'bpmn:BoundaryEvent' || (el.$type === 'bpmn:StartEvent' && isEventSubProcess(scope))) {
      summary.caughtErrorCodes.push(...errorCodesCaughtBy(el));
    }
    const caught = [...caughtInScope, ...flow.filter((b) => b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef === el).flatMap(errorCodesCaughtBy)];
    const topic = externalTopic(el);
    if (topic) {
      const name = typeof el.name === 'string' ? el.name.replace(/\s+/g, ' ').trim() : undefined;
      summary.topicUses.push({ topic, activityId, processId, name, caughtErrorCodes: [...new Set(caught)] });
    }
    const decisionRef = el.$type === 'bpmn:BusinessRuleTask' ? camunda(el, 'decisionRef') : undefined;
    if (decisionRef) summary.decisions.push({ activityId, processId, decisionRef });
    if (TASKS_WITH_IMPLEMENTATION.includes(el.$type) && !topic && !decisionRef) summary.unimplementedTasks.push(activityId);
    if (el.$type === 'bpmn:UserTask') {
      const formRef = camunda(el, 'formRef');
      if (formRef) summary.formRefs.push(formRef);
      summary.userTasks.push({
        activityId,
        formRef,
        formRefBinding: camunda(el, 'formRefBinding'),
        formKey: camunda(el, 'formKey'),
        candidateGroups: camunda(el, 'candidateGroups'),
        dueDate: camunda(el, 'dueDate'),
      });
    }
    if (el.flowElements) readScope(el, processId, caught, summary);
  }
}

function allFlowElements(scope: El): El[] {
  return (scope.flowElements ?? []).flatMap((el) => [el, ...allFlowElements(el)]);
}

function firstTopics(process: El): string[] {
  const starts = (process.flowElements ?? []).filter((e) => e.$type === 'bpmn:StartEvent' && !(e.eventDefinitions ?? []).length);
  const targets = starts.flatMap((s) => (s.outgoing ?? []).map((flow) => flow.targetRef).filter((t): t is El => t !== undefined));
  return targets.map(externalTopic).filter((t): t is string => Boolean(t));
}

export async function readBpmn(file: string): Promise<BpmnSummary> {
  const moddle = new BpmnModdle({ camunda: camundaSchema });
  const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, 'utf8'));
  const definitions = rootElement as El;
  const processes = (definitions.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process');
  const diagrams = definitions.diagrams ?? [];
  const drawn = new Set(diagrams.flatMap((d) => d.plane?.planeElement ?? []).map((di) => di.bpmnElement));
  const summary: BpmnSummary = {
    file,
    processIds: processes.map((p) => p.id ?? ''),
    historyTimeToLive: Object.fromEntries(processes.map((p) => [p.id ?? '', camunda(p, 'historyTimeToLive')])),
    topicUses: [],
    formRefs: [],
    userTasks: [],
    decisions: [],
    unimplementedTasks: [],
    caughtErrorCodes: [],
    hasDiagram: diagrams.length > 0,
    // Data objects are drawn through their references, never themselves.
    elementsWithoutDi: processes.flatMap(allFlowElements).filter((el) => el.$type !== 'bpmn:DataObject' && !drawn.has(el)).map((el) => el.id ?? el.$type),
    executionPlatform: definitions.$attrs?.['modeler:executionPlatform'],
    executionPlatformVersion: definitions.$attrs?.['modeler:executionPlatformVersion'],
    warnings: warnings.map((w) => w.message),
    firstTopics: Object.fromEntries(processes.map((p) => [p.id ?? '', firstTopics(p)])),
  };
  for (const process of processes) readScope(process, process.id ?? '', [], summary);
  summary.formRefs = [...new Set(summary.formRefs)];
  summary.caughtErrorCodes = [...new Set(summary.caughtErrorCodes)];
  return summary;
}
