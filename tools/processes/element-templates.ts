/**
 * Camunda Modeler element templates (Camunda 7 schema), one per worker, made from the worker's own definition
 * (topic, input schema), the extension properties its source reads and the German task name the diagrams
 * already use, so the catalogue never drifts from the code. `npm run templates` writes them; a unit test checks
 * they are current and valid.
 */
import type { z } from 'zod';

import type { AnyWorker } from '../../src/worker-runtime/define-worker.js';

export const TEMPLATE_SCHEMA = 'https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json';

/** What Modeler shows for each extension property a worker reads; the keys must be exactly those its source reads. */
export const PROPERTY_LABELS: Record<string, Record<string, string>> = {
  'notify.send': {
    template: 'Vorlage',
    to: 'Empfänger (z. B. role:tlEz, team:mailbox, group:EZ, caseworker)',
    cc: 'Kopie an',
    channel: 'Kanal (email oder d3)',
  },
  'deadlines.record-breach': { kind: 'Fristart', scope: 'Bereich (case: alle offenen Fristen des Falls)' },
  'deadlines.count-open': { kind: 'Fristart' },
  'deadlines.record-met': { kind: 'Fristart' },
  'atv.book-first-consultation': { kind: 'Terminart' },
  'atv.record-deputy-booking': { kind: 'Terminart' },
  'documents.issue-application-pack': { template: 'Vorlage' },
  'documents.issue-invitation': { template: 'Vorlage', phoneNoteTemplate: 'Vorlage telefonischer Hinweis' },
  'documents.issue-forwarding-note': { template: 'Vorlage' },
  'applications.record-outcome': { outcome: 'Ergebnis (rejected oder approved-in-principle)' },
};

export interface PropertyRead {
  name: string;
  /** Read through `extensionProperty(externalTask.properties, name)`, which raises an incident when the diagram does not set it. */
  required: boolean;
}

/** The extension properties a worker's source reads from `externalTask.properties`, in order of first use. */
export function propertiesReadBy(source: string): PropertyRead[] {
  const found = new Map<string, boolean>();
  for (const m of source.matchAll(/extensionProperty\(\s*externalTask\.properties\s*,\s*'([^']+)'\s*\)|externalTask\.properties\.(\w+)/g)) {
    const name = (m[1] ?? m[2])!;
    found.set(name, (found.get(name) ?? false) || m[1] !== undefined);
  }
  return [...found].map(([name, required]) => ({ name, required }));
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  return (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
}

/**
 * Inputs offered as input parameters: only those the worker cannot do without (an input parameter naming a
 * missing variable fails the task), and none the worker also returns, since its result would land in the
 * task-local parameter and vanish with the task.
 */
export function inputParameters(worker: AnyWorker): string[] {
  const outputs = new Set(Object.keys(shapeOf(worker.output)));
  return Object.entries(shapeOf(worker.input))
    .filter(([name, schema]) => !outputs.has(name) && !schema.safeParse(undefined).success)
    .map(([name]) => name);
}

export function elementTemplate(worker: AnyWorker, germanName: string, propertiesRead: readonly PropertyRead[]): Record<string, unknown> {
  const labels = PROPERTY_LABELS[worker.topic] ?? {};
  const inputs = inputParameters(worker);
  return {
    $schema: TEMPLATE_SCHEMA,
    name: germanName,
    id: `jobcenter.${worker.topic}`,
    version: 1,
    description: worker.description,
    appliesTo: ['bpmn:ServiceTask'],
    groups: [
      ...(inputs.length > 0 ? [{ id: 'input', label: 'Eingaben (Prozessvariablen: nur IDs, Daten, Merker)' }] : []),
      ...(propertiesRead.length > 0 ? [{ id: 'properties', label: 'Einstellungen' }] : []),
    ],
    properties: [
      { type: 'Hidden', value: 'external', binding: { type: 'property', name: 'camunda:type' } },
      { type: 'Hidden', value: worker.topic, binding: { type: 'property', name: 'camunda:topic' } },
      ...inputs.map((name) => ({
        label: name,
        description: `Eingabe "${name}" des Workers ${worker.topic}; ohne Änderung die Prozessvariable gleichen Namens`,
        group: 'input',
        type: 'String',
        value: `\${${name}}`,
        binding: { type: 'camunda:inputParameter', name },
      })),
      ...propertiesRead.map((p) => ({
        label: labels[p.name] ?? p.name,
        group: 'properties',
        type: 'String',
        binding: { type: 'camunda:property', name: p.name },
        ...(p.required ? { constraints: { notEmpty: true } } : {}),
      })),
    ],
  };
}

export function templateFile(type: string): string {
  return `processes/element-templates/${type}.json`;
}

export function workerSourceFile(type: string): string {
  return `workers/${type}.ts`;
}
