/** Modeler's catalogue: one element template per worker, valid against Camunda 7's template schema and current with the code. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { z } from 'zod';

import { filesUnder, readBpmn,type TopicUse } from '../../../src/processes/load.js';
import { defineWorker } from '../../../src/worker-runtime/define-worker.js';
import { elementTemplate, inputParameters, propertiesReadBy, PROPERTY_LABELS, templateFile, workerSourceFile } from '../../../tools/processes/element-templates.js';
import { workers } from '../../../workers/index.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@camunda/element-templates-json-schema/resources/schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
/** The schema lets unknown keys through; these are all it defines, so a Camunda 8 key (engines, category) stands out. */
const TEMPLATE_KEYS = Object.keys(schema.definitions.template.allOf[0].properties).concat(Object.keys(schema.definitions.template.properties));
let uses: TopicUse[] = [];

beforeAll(async () => {
  uses = (await Promise.all(filesUnder('processes', '.bpmn').map((f) => readBpmn(f)))).flatMap((s) => s.topicUses);
});

describe.each(workers.map((w) => [w.topic, w] as const))('element template %s', (type, worker) => {
  const read = propertiesReadBy(readFileSync(workerSourceFile(type), 'utf8'));

  it('exists, is current (npm run templates) and carries the German task name', () => {
    expect(existsSync(templateFile(type))).toBe(true);
    const onDisk = JSON.parse(readFileSync(templateFile(type), 'utf8'));
    const name = uses.find((u) => u.topic === type)?.name ?? type;
    expect(onDisk).toEqual(elementTemplate(worker, name, read));
  });

  it("validates against Camunda 7's element template schema, with no key it does not define", () => {
    const template = JSON.parse(readFileSync(templateFile(type), 'utf8'));
    const ok = validate(template);
    expect(ok ? [] : validate.errors).toEqual([]);
    expect(Object.keys(template).filter((k) => !TEMPLATE_KEYS.includes(k))).toEqual([]);
  });

  it('makes the task an external task on its topic', () => {
    const template = JSON.parse(readFileSync(templateFile(type), 'utf8')) as { appliesTo: string[]; properties: { value?: string; binding: { type: string; name?: string } }[] };
    const attribute = (name: string) => template.properties.find((p) => p.binding.type === 'property' && p.binding.name === name)?.value;
    expect({ appliesTo: template.appliesTo, type: attribute('camunda:type'), topic: attribute('camunda:topic') }).toEqual({ appliesTo: ['bpmn:ServiceTask'], type: 'external', topic: type });
  });

  it('labels exactly the extension properties the worker reads', () => {
    expect(Object.keys(PROPERTY_LABELS[type] ?? {}).sort()).toEqual(read.map((p) => p.name).sort());
  });
});

it('has no template without a worker', () => {
  const files = readdirSync('processes/element-templates').map((f) => f.replace(/\.json$/, ''));
  expect(files.sort()).toEqual(workers.map((w) => w.topic).sort());
});

describe('propertiesReadBy', () => {
  it('finds properties read directly and through extensionProperty(), the latter required', () => {
    const source = "const a = extensionProperty(externalTask.properties, 'template'); const b = externalTask.properties.cc ?? ''; const c = externalTask.properties.template;";
    expect(propertiesReadBy(source)).toEqual([{ name: 'template', required: true }, { name: 'cc', required: false }]);
  });
});

describe('inputParameters', () => {
  it('offers required inputs only, and none the worker also returns', () => {
    const worker = defineWorker({
      topic: 'x.y',
      description: 'd',
      input: z.object({ applicationId: z.string(), appointment: z.string(), note: z.string().optional(), days: z.number().default(1) }),
      output: z.object({ appointment: z.string() }),
      errors: [],
      handler: async () => ({ appointment: 'a' }),
    });
    expect(inputParameters(worker)).toEqual(['applicationId']);
  });
});
