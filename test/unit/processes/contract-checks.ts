/** The contract checks on one diagram, as plain functions returning problems, so the fixture test can prove each of them fails. */
import { catchesError, type BpmnSummary } from '../../../src/processes/load.js';

/** The part of a worker the contract looks at; lets fixtures bring fake workers. */
export interface WorkerContract {
  type: string;
  errors: readonly string[];
}

/** A BPMN error nobody catches becomes an incident, so each use of a worker must catch all the worker may throw. */
export function uncaughtErrors(summary: BpmnSummary, workers: readonly WorkerContract[]): string[] {
  return summary.jobTypes.flatMap((use) =>
    workers
      .filter((w) => w.type === use.type)
      .flatMap((w) => w.errors.filter((code) => !catchesError(use.caughtErrorCodes, code)))
      .map((code) => `${use.elementId} (${use.type}) does not catch ${code}`),
  );
}

export function userTaskProblems(summary: BpmnSummary): string[] {
  return summary.userTasks.flatMap((t) => [
    ...(t.camundaUserTask ? [] : [`${t.elementId} is not a Camunda user task (no zeebe:userTask)`]),
    ...(t.formId ? [] : [`${t.elementId} links no form (zeebe:formDefinition formId)`]),
    ...(t.candidateGroups ? [] : [`${t.elementId} has no candidate groups`]),
    ...(t.dueDate ? [] : [`${t.elementId} has no due date`]),
  ]);
}

export function unknownForms(summary: BpmnSummary, existingFormIds: readonly string[]): string[] {
  return summary.formIds.filter((id) => !existingFormIds.includes(id)).map((id) => `form ${id} is linked but no .form file has that id`);
}

/** Modeler opens a file without layout, but shows an empty canvas or loses the elements that have none. */
export function layoutProblems(summary: BpmnSummary): string[] {
  return [
    ...(summary.hasDiagram ? [] : ['no bpmndi:BPMNDiagram']),
    ...summary.elementsWithoutDi.map((id) => `${id} has no BPMNShape or BPMNEdge`),
  ];
}

export function platformProblems(summary: BpmnSummary): string[] {
  return summary.executionPlatformVersion?.startsWith('8.9')
    ? []
    : [`modeler:executionPlatformVersion is ${summary.executionPlatformVersion ?? 'missing'}, expected 8.9.x`];
}
