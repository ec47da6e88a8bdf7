/** Modeler's catalogue: one element template per worker, valid against Camunda's schema and current with the code. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { elementTemplate, templateFile } from '../../../src/processes/element-templates.js';
import { filesUnder, readBpmn, type JobTypeUse } from '../../../src/processes/load.js';
import { workers } from '../../../workers/index.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@camunda/zeebe-element-templates-json-schema/resources/schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
let uses: JobTypeUse[] = [];

beforeAll(async () => {
  uses = (await Promise.all(filesUnder('processes', '.bpmn').map((f) => readBpmn(f)))).flatMap((s) => s.jobTypes);
});

describe.each(workers.map((w) => [w.type, w] as const))('element template %s', (type, worker) => {
  it('exists, is current (npm run templates) and carries the German task name', () => {
    expect(existsSync(templateFile(type))).toBe(true);
    const onDisk = JSON.parse(readFileSync(templateFile(type), 'utf8'));
    const name = uses.find((u) => u.type === type)?.name ?? type;
    expect(onDisk).toEqual(elementTemplate(worker, name));
  });

  it("validates against Camunda's element template schema", () => {
    const template = JSON.parse(readFileSync(templateFile(type), 'utf8'));
    const ok = validate(template);
    expect(ok ? [] : validate.errors).toEqual([]);
  });
});

it('has no template without a worker', () => {
  const files = readdirSync('processes/element-templates').map((f) => f.replace(/\.json$/, ''));
  expect(files.sort()).toEqual(workers.map((w) => w.type).sort());
});
