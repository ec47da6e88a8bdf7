/**
 * Camunda Modeler element templates, one per worker type, made from the worker's own definition (job type,
 * input schema, BPMN errors) and the German task name the diagrams already use, so the catalogue never
 * drifts from the code. `npm run templates` writes them; the contract test checks they are current.
 */
import type { AnyWorker } from '../worker-runtime/define-worker.js';

export const TEMPLATE_SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';

/** Headers a diagram sets on some tasks, offered as editable fields where the worker reads them. */
const HEADERS: Record<string, { key: string; label: string }[]> = {
  'notify.send': [
    { key: 'template', label: 'Vorlage' },
    { key: 'to', label: 'Empfänger (z. B. role:tlEz, team:mailbox, group:EZ, caseworker)' },
    { key: 'cc', label: 'Kopie an' },
    { key: 'channel', label: 'Kanal (email oder d3)' },
  ],
  'deadlines.record-breach': [{ key: 'kind', label: 'Fristart' }],
  'deadlines.record-met': [{ key: 'kind', label: 'Fristart' }],
  'atv.book-first-consultation': [{ key: 'kind', label: 'Terminart' }],
  'atv.record-deputy-booking': [{ key: 'kind', label: 'Terminart' }],
  'documents.issue-application-pack': [{ key: 'template', label: 'Vorlage' }],
  'documents.issue-invitation': [{ key: 'template', label: 'Vorlage' }, { key: 'phoneNoteTemplate', label: 'Vorlage telefonischer Hinweis' }],
  'documents.issue-forwarding-note': [{ key: 'template', label: 'Vorlage' }],
  'applications.record-outcome': [{ key: 'outcome', label: 'Ergebnis (rejected oder approved-in-principle)' }],
};

export function elementTemplate(worker: AnyWorker, germanName: string): Record<string, unknown> {
  const shape = (worker.input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const [system] = worker.type.split('.');
  return {
    $schema: TEMPLATE_SCHEMA,
    name: germanName,
    id: `jobcenter.${worker.type}`,
    version: 1,
    description: worker.description,
    category: { id: `jobcenter-${system}`, name: `Jobcenter: ${system!.toUpperCase()}` },
    appliesTo: ['bpmn:Task'],
    elementType: { value: 'bpmn:ServiceTask' },
    engines: { camunda: '^8.9' },
    groups: [
      { id: 'input', label: 'Eingaben (Prozessvariablen: nur IDs, Daten, Merker)' },
      ...(HEADERS[worker.type] ? [{ id: 'headers', label: 'Einstellungen' }] : []),
    ],
    properties: [
      { type: 'Hidden', value: worker.type, binding: { type: 'zeebe:taskDefinition', property: 'type' } },
      ...Object.keys(shape).map((name) => ({
        label: name,
        description: `Eingabe "${name}" des Workers ${worker.type}`,
        group: 'input',
        type: 'String',
        feel: 'required',
        value: `=${name}`,
        optional: true,
        binding: { type: 'zeebe:input', name },
      })),
      ...(HEADERS[worker.type] ?? []).map((h) => ({
        label: h.label,
        group: 'headers',
        type: 'String',
        optional: true,
        binding: { type: 'zeebe:taskHeader', key: h.key },
      })),
    ],
  };
}

export function templateFile(type: string): string {
  return `processes/element-templates/${type}.json`;
}
