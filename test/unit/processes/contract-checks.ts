/** The contract checks on one diagram, as plain functions returning problems, so the fixture test can prove each of them fails. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { type BpmnSummary,catchesError } from '../../../src/processes/load.js';

/** The part of a worker the contract looks at; lets fixtures bring fake workers. */
export interface WorkerContract {
  topic: string;
  errors: readonly string[];
}

/** Operaton 1.0.3 is feature complete with Camunda 7.24; Modeler writes this into every diagram it targets at it. */
export const EXECUTION_PLATFORM = 'Camunda Platform';
export const EXECUTION_PLATFORM_VERSION = '7.24.0';

/** A BPMN error nobody catches becomes an incident, so each use of a worker must catch all the worker may throw. */
export function uncaughtErrors(summary: BpmnSummary, workers: readonly WorkerContract[]): string[] {
  return summary.topicUses.flatMap((use) =>
    workers
      .filter((w) => w.topic === use.topic)
      .flatMap((w) => w.errors.filter((code) => !catchesError(use.caughtErrorCodes, code)))
      .map((code) => `${use.activityId} (${use.topic}) does not catch ${code}`),
  );
}

/** What a user task needs so that Tasklist shows it to the right people, with its form and its deadline. */
export function userTaskProblems(summary: BpmnSummary): string[] {
  return summary.userTasks.flatMap((t) => [
    ...(t.formRef ? [] : [`${t.activityId} links no Camunda Form (camunda:formRef)`]),
    ...(t.formKey ? [`${t.activityId} has camunda:formKey="${t.formKey}", which Tasklist does not render as a Camunda Form`] : []),
    // deploy.ts deploys one file per deployment, so a form bound by "deployment" is never found.
    ...(t.formRef && t.formRefBinding !== 'latest' ? [`${t.activityId} binds its form by ${t.formRefBinding ?? 'default'}, expected camunda:formRefBinding="latest"`] : []),
    ...(t.candidateGroups ? [] : [`${t.activityId} has no candidate groups (camunda:candidateGroups)`]),
    ...(t.dueDate ? [] : [`${t.activityId} has no due date (camunda:dueDate)`]),
  ]);
}

export function unknownForms(summary: BpmnSummary, existingFormIds: readonly string[]): string[] {
  return summary.formRefs.filter((id) => !existingFormIds.includes(id)).map((id) => `form ${id} is linked but no .form file has that id`);
}

export function unknownDecisions(summary: BpmnSummary, existingDecisionIds: readonly string[]): string[] {
  return summary.decisions
    .filter((d) => !existingDecisionIds.includes(d.decisionRef))
    .map((d) => `${d.activityId} calls decision ${d.decisionRef}, which no .dmn file defines`);
}

/** Every service and send task is an external task for one of our workers; business rule tasks call a deployed decision. */
export function implementationProblems(summary: BpmnSummary): string[] {
  return summary.unimplementedTasks.map((id) => `${id} is neither an external task with a camunda:topic nor a business rule task with a camunda:decisionRef`);
}

/** Modeler opens a file without layout, but shows an empty canvas or loses the elements that have none. */
export function layoutProblems(summary: BpmnSummary): string[] {
  return [
    ...(summary.hasDiagram ? [] : ['no bpmndi:BPMNDiagram']),
    ...summary.elementsWithoutDi.map((id) => `${id} has no BPMNShape or BPMNEdge`),
  ];
}

export function platformProblems(summary: BpmnSummary): string[] {
  const actual = `${summary.executionPlatform ?? '(no platform)'} ${summary.executionPlatformVersion ?? '(no version)'}`;
  const expected = `${EXECUTION_PLATFORM} ${EXECUTION_PLATFORM_VERSION}`;
  return actual === expected ? [] : [`modeler:executionPlatform is ${actual}, expected ${expected}`];
}

/** The engine refuses to deploy a process without a history time to live. */
export function historyProblems(summary: BpmnSummary): string[] {
  return Object.entries(summary.historyTimeToLive)
    .filter(([, ttl]) => !ttl)
    .map(([processId]) => `process ${processId} has no camunda:historyTimeToLive`);
}

// bpmnlint is CommonJS over ES-module-only helpers (min-dash 5), which jest's module runtime cannot require;
// Node's own require can, so the linter runs outside jest's sandbox, with its own bpmn-moddle.
const nodeRequire = process.getBuiltinModule('node:module').createRequire(path.resolve('package.json'));

interface LintReport {
  id?: string;
  message: string;
  category: string;
}
interface BpmnlintConfig {
  extends?: string | string[];
  moddleExtensions?: Record<string, string>;
}
type Linter = { lint(definitions: unknown): Promise<Record<string, LintReport[]>> };

export const lintConfig = JSON.parse(readFileSync('.bpmnlintrc', 'utf8')) as BpmnlintConfig;

/** Every problem bpmnlint reports with the project .bpmnlintrc, warnings and infos included, as "rule at element: message [category]". */
export async function lint(file: string): Promise<string[]> {
  const { Linter } = nodeRequire('bpmnlint') as { Linter: new (options: { config: unknown; resolver: unknown }) => Linter };
  const NodeResolver = nodeRequire('bpmnlint/lib/resolver/node-resolver.js') as new (options: { require: NodeJS.Require }) => unknown;
  const { BpmnModdle } = nodeRequire('bpmn-moddle') as {
    BpmnModdle: new (packages: Record<string, unknown>) => { fromXML(xml: string): Promise<{ rootElement: unknown; warnings: { message: string }[] }> };
  };
  const extensions = Object.fromEntries(Object.entries(lintConfig.moddleExtensions ?? {}).map(([prefix, schema]) => [prefix, nodeRequire(schema)]));
  const { rootElement, warnings } = await new BpmnModdle(extensions).fromXML(readFileSync(file, 'utf8'));
  const reports = await new Linter({ config: lintConfig, resolver: new NodeResolver({ require: nodeRequire }) }).lint(rootElement);
  return [
    ...warnings.map((w) => `import warning: ${w.message.split('\n')[0]}`),
    ...Object.entries(reports).flatMap(([rule, list]) => list.map((r) => `${rule} at ${r.id ?? '(definitions)'}: ${r.message} [${r.category}]`)),
  ];
}
