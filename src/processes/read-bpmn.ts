/**
 * Reads the diagrams under processes/ with bpmn-moddle and the Zeebe extensions, and lists what the project
 * must agree with: job types, linked forms, user-task settings, caught error codes, layout and platform.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';

const zeebeSchema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('zeebe-bpmn-moddle/resources/zeebe.json'), 'utf8'));

export interface JobTypeUse {
  type: string;
  elementId: string;
  processId: string;
}

export interface UserTaskInfo {
  elementId: string;
  camundaUserTask: boolean;
  formId?: string;
  candidateGroups?: string;
  dueDate?: string;
}

export interface BpmnSummary {
  file: string;
  processIds: string[];
  jobTypes: JobTypeUse[];
  userTasks: UserTaskInfo[];
  caughtErrorCodes: string[];
  catchesAllErrors: boolean;
  hasDiagram: boolean;
  executionPlatformVersion?: string;
  warnings: string[];
}

type El = { $type: string; id?: string; get(name: string): any; [k: string]: any };

function extensions(el: El): El[] {
  return (el.extensionElements?.values ?? []) as El[];
}

function walk(el: El, visit: (el: El, processId: string) => void, processId: string): void {
  visit(el, processId);
  for (const child of (el.flowElements ?? []) as El[]) walk(child, visit, processId);
}

export async function readBpmn(file: string): Promise<BpmnSummary> {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, 'utf8'));
  const defs = rootElement as unknown as El;
  const summary: BpmnSummary = {
    file,
    processIds: [],
    jobTypes: [],
    userTasks: [],
    caughtErrorCodes: [],
    catchesAllErrors: false,
    hasDiagram: (defs.diagrams ?? []).length > 0,
    executionPlatformVersion: defs.$attrs?.['modeler:executionPlatformVersion'],
    warnings: warnings.map((w: { message: string }) => w.message),
  };
  for (const process of (defs.rootElements ?? []).filter((e: El) => e.$type === 'bpmn:Process') as El[]) {
    summary.processIds.push(process.id!);
    walk(process, (el, processId) => {
      const ext = extensions(el);
      const taskDefinition = ext.find((x) => x.$type === 'zeebe:TaskDefinition');
      if (taskDefinition) summary.jobTypes.push({ type: taskDefinition.type, elementId: el.id!, processId });
      if (el.$type === 'bpmn:UserTask') {
        summary.userTasks.push({
          elementId: el.id!,
          camundaUserTask: ext.some((x) => x.$type === 'zeebe:UserTask'),
          formId: ext.find((x) => x.$type === 'zeebe:FormDefinition')?.formId,
          candidateGroups: ext.find((x) => x.$type === 'zeebe:AssignmentDefinition')?.candidateGroups,
          dueDate: ext.find((x) => x.$type === 'zeebe:TaskSchedule')?.dueDate,
        });
      }
      for (const def of (el.eventDefinitions ?? []) as El[]) {
        if (def.$type !== 'bpmn:ErrorEventDefinition' || el.$type === 'bpmn:EndEvent') continue;
        const code = def.errorRef?.errorCode;
        if (code) summary.caughtErrorCodes.push(code);
        else summary.catchesAllErrors = true;
      }
    }, process.id!);
  }
  return summary;
}

export function formIdOf(file: string): string {
  return (JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id;
}

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
