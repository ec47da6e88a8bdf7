/** Finds the process resources under processes/ and reads from each diagram what workers, forms and the engine must agree with. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/** Stands in a list of caught error codes for an error catch event without a code: Zeebe lets it catch every error. */
export const CATCH_ALL = '*';

export interface ProcessFiles {
  bpmn: string[];
  dmn: string[];
  form: string[];
}

export interface JobTypeUse {
  type: string;
  elementId: string;
  processId: string;
  /** The element's name in the diagram (German, as staff say it). */
  name?: string;
  /** Codes an error thrown by this element's job would be caught by: its own boundary events and those of every enclosing scope. */
  caughtErrorCodes: string[];
}

export interface UserTaskInfo {
  elementId: string;
  /** False for a job-worker user task, which Tasklist and the engine treat differently. */
  camundaUserTask: boolean;
  formId: string | undefined;
  candidateGroups: string | undefined;
  dueDate: string | undefined;
}

export interface BpmnSummary {
  file: string;
  processIds: string[];
  jobTypes: JobTypeUse[];
  formIds: string[];
  userTasks: UserTaskInfo[];
  /** Every code any error boundary or error event-subprocess start event in the file catches. */
  caughtErrorCodes: string[];
  hasDiagram: boolean;
  /** Flow elements Modeler would not draw because no BPMNShape or BPMNEdge refers to them. */
  elementsWithoutDi: string[];
  executionPlatformVersion: string | undefined;
  /** Import warnings of bpmn-moddle, e.g. unknown elements or broken references. */
  warnings: string[];
  /** Per process: the job types of the tasks its none start event leads to directly. */
  firstJobTypes: Record<string, string[]>;
}

/** The loose view of a moddle element this module needs; bpmn-moddle's own types stop at the package border. */
interface El {
  $type: string;
  id?: string;
  $attrs?: Record<string, string>;
  flowElements?: El[];
  eventDefinitions?: El[];
  extensionElements?: { values?: El[] };
  attachedToRef?: El;
  triggeredByEvent?: boolean;
  errorRef?: El;
  errorCode?: string;
  bpmnElement?: El;
  plane?: El;
  planeElement?: El[];
  rootElements?: El[];
  diagrams?: El[];
  [attribute: string]: unknown;
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

/** Whether a list of caught codes (of a file or of one job) handles the given code. */
export function catchesError(caughtErrorCodes: readonly string[], code: string): boolean {
  return caughtErrorCodes.includes(CATCH_ALL) || caughtErrorCodes.includes(code);
}

function extension(el: El, type: string): El | undefined {
  return el.extensionElements?.values?.find((x) => x.$type === type);
}

function attribute(el: El | undefined, name: string): string | undefined {
  const value = el?.[name];
  return typeof value === 'string' ? value : undefined;
}

function errorCodesCaughtBy(event: El): string[] {
  return (event.eventDefinitions ?? [])
    .filter((d) => d.$type === 'bpmn:ErrorEventDefinition')
    .map((d) => d.errorRef?.errorCode || CATCH_ALL);
}

function isEventSubProcess(el: El): boolean {
  return el.$type === 'bpmn:SubProcess' && el.triggeredByEvent === true;
}

/** Errors propagate outwards, so each scope hands what it catches down to the elements inside it. */
function readScope(scope: El, processId: string, inherited: string[], summary: BpmnSummary): void {
  const flow = scope.flowElements ?? [];
  const caughtInScope = [
    ...inherited,
    ...flow.filter(isEventSubProcess).flatMap((sub) => (sub.flowElements ?? []).filter((e) => e.$type === 'bpmn:StartEvent').flatMap(errorCodesCaughtBy)),
  ];
  for (const el of flow) {
    const elementId = el.id ?? '';
    if (el.$type === 'bpmn:BoundaryEvent' || (el.$type === 'bpmn:StartEvent' && isEventSubProcess(scope))) {
      summary.caughtErrorCodes.push(...errorCodesCaughtBy(el));
    }
    const caught = [...caughtInScope, ...flow.filter((b) => b.$type === 'bpmn:BoundaryEvent' && b.attachedToRef === el).flatMap(errorCodesCaughtBy)];
    const type = attribute(extension(el, 'zeebe:TaskDefinition'), 'type');
    if (type !== undefined) summary.jobTypes.push({ type, elementId, processId, name: typeof el.name === 'string' ? el.name.replace(/\s+/g, ' ').trim() : undefined, caughtErrorCodes: [...new Set(caught)] });
    const formId = attribute(extension(el, 'zeebe:FormDefinition'), 'formId');
    if (formId !== undefined) summary.formIds.push(formId);
    if (el.$type === 'bpmn:UserTask') {
      summary.userTasks.push({
        elementId,
        camundaUserTask: extension(el, 'zeebe:UserTask') !== undefined,
        formId,
        candidateGroups: attribute(extension(el, 'zeebe:AssignmentDefinition'), 'candidateGroups'),
        dueDate: attribute(extension(el, 'zeebe:TaskSchedule'), 'dueDate'),
      });
    }
    if (el.flowElements) readScope(el, processId, caught, summary);
  }
}

function allFlowElements(scope: El): El[] {
  return (scope.flowElements ?? []).flatMap((el) => [el, ...allFlowElements(el)]);
}

function firstJobTypes(process: El): string[] {
  const starts = (process.flowElements ?? []).filter((e) => e.$type === 'bpmn:StartEvent' && !(e.eventDefinitions ?? []).length);
  const targets = starts.flatMap((s) => ((s.outgoing as El[] | undefined) ?? []).map((flow) => flow.targetRef as El));
  return targets.flatMap((t) => (t.extensionElements?.values ?? []).filter((v) => v.$type === 'zeebe:TaskDefinition').map((v) => String(v.type)));
}

export async function readBpmn(file: string): Promise<BpmnSummary> {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, 'utf8'));
  const definitions = rootElement as El;
  const processes = (definitions.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process');
  const diagrams = definitions.diagrams ?? [];
  const drawn = new Set(diagrams.flatMap((d) => d.plane?.planeElement ?? []).map((di) => di.bpmnElement));
  const summary: BpmnSummary = {
    file,
    processIds: processes.map((p) => p.id ?? ''),
    jobTypes: [],
    formIds: [],
    userTasks: [],
    caughtErrorCodes: [],
    hasDiagram: diagrams.length > 0,
    // Data objects are drawn through their references, never themselves.
    elementsWithoutDi: processes.flatMap(allFlowElements).filter((el) => el.$type !== 'bpmn:DataObject' && !drawn.has(el)).map((el) => el.id ?? el.$type),
    executionPlatformVersion: definitions.$attrs?.['modeler:executionPlatformVersion'],
    warnings: warnings.map((w) => w.message),
    firstJobTypes: Object.fromEntries(processes.map((p) => [p.id ?? '', firstJobTypes(p)])),
  };
  for (const process of processes) readScope(process, process.id ?? '', [], summary);
  summary.formIds = [...new Set(summary.formIds)];
  summary.caughtErrorCodes = [...new Set(summary.caughtErrorCodes)];
  return summary;
}
