/** The contract between processes/ and workers/: the engine only finds out at run time, so this test finds out first. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { formIdOf, loadProcessFiles, readBpmn } from '../../../src/processes/load.js';
import { workers } from '../../../workers/index.js';
import { layoutProblems, platformProblems, uncaughtErrors, unknownForms, userTaskProblems } from './contract-checks.js';

const files = loadProcessFiles('processes');
// Read before the tests are declared, so every job type and file can name its own test.
const summaries = await Promise.all(files.bpmn.map((file) => readBpmn(file)));
const formIds = files.form.map(formIdOf);
const usedJobTypes = [...new Set(summaries.flatMap((s) => s.jobTypes.map((j) => j.type)))].sort();
const registeredTypes = workers.map((w) => w.type);

/** jest refuses an empty table, but an empty list is a valid state here (no decisions yet), so it shows as skipped instead. */
function describeEach(list: string[], title: string, body: (item: string) => void): void {
  if (list.length === 0) describe(title.replace('%s', '(none)'), () => it.skip('nothing to check', () => undefined));
  else describe.each(list)(title, body);
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
  moddleExtensions?: Record<string, string>;
}
type Linter = { lint(definitions: unknown): Promise<Record<string, LintReport[]>> };

const lintConfig = JSON.parse(readFileSync('.bpmnlintrc', 'utf8')) as BpmnlintConfig;

/** Every problem bpmnlint reports, warnings included, as "rule at element: message". */
async function lint(file: string): Promise<string[]> {
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

describe('workers/index.ts and the job types in processes/', () => {
  it.each(usedJobTypes)('job type %s has exactly one worker', (type) => {
    const usedBy = summaries.flatMap((s) => s.jobTypes.filter((j) => j.type === type).map((j) => `${s.file}#${j.elementId}`));
    expect({ type, usedBy, workers: registeredTypes.filter((t) => t === type).length }).toEqual({ type, usedBy, workers: 1 });
  });

  it('registers every file in workers/', () => {
    const files = readdirSync('workers').filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(files.filter((f) => !registeredTypes.includes(f.slice(0, -'.ts'.length)))).toEqual([]);
  });

  describeEach(registeredTypes, 'worker %s', (type) => {
    const worker = workers.find((w) => w.type === type);
    const usingDiagrams = summaries.filter((s) => s.jobTypes.some((j) => j.type === type));

    it('is used by some diagram', () => {
      expect(usedJobTypes).toContain(type);
    });

    it(`lives in workers/${type}.ts`, () => {
      expect(existsSync(path.join('workers', `${type}.ts`))).toBe(true);
    });

    it('has every error it declares caught wherever its job type is used', () => {
      expect(usingDiagrams.flatMap((s) => uncaughtErrors(s, worker ? [worker] : []).map((p) => `${s.file}: ${p}`))).toEqual([]);
    });
  });
});

describe('forms', () => {
  const linked = new Set(summaries.flatMap((s) => s.formIds));

  it('has one .form file per form id', () => {
    expect(formIds.filter((id, i) => formIds.indexOf(id) !== i)).toEqual([]);
  });

  describeEach(files.form, '%s', (file) => {
    it('is linked by some diagram', () => {
      expect({ formId: formIdOf(file), linked: linked.has(formIdOf(file)) }).toEqual({ formId: formIdOf(file), linked: true });
    });

    it('is a Camunda 8.9 form with id and type on every component and a key on every field', () => {
      type Component = { id?: string; type?: string; key?: string; components?: Component[] };
      const form = JSON.parse(readFileSync(file, 'utf8')) as { type?: string; executionPlatform?: string; executionPlatformVersion?: string; components: Component[] };
      const all = (cs: Component[]): Component[] => cs.flatMap((c) => [c, ...all(c.components ?? [])]);
      // Input types of form-js; only these submit a value and so need a key.
      const fields = new Set(['textfield', 'textarea', 'number', 'checkbox', 'checklist', 'radio', 'select', 'taglist', 'datetime', 'filepicker', 'expression']);
      expect({ type: form.type, platform: form.executionPlatform, version: form.executionPlatformVersion?.slice(0, 3) }).toEqual({ type: 'default', platform: 'Camunda Cloud', version: '8.9' });
      expect(all(form.components).filter((c) => !c.id || !c.type || (fields.has(c.type) && !c.key))).toEqual([]);
    });
  });
});

describeEach(files.bpmn, '%s', (file) => {
  const summary = summaries[files.bpmn.indexOf(file)]!;

  it('parses without import warnings', () => {
    expect(summary.warnings).toEqual([]);
  });

  it('has a BPMNDiagram that draws every element', () => {
    expect(layoutProblems(summary)).toEqual([]);
  });

  it('targets Camunda 8.9', () => {
    expect(platformProblems(summary)).toEqual([]);
  });

  it('models every user task as a Camunda user task with a form, candidate groups and a due date', () => {
    expect(userTaskProblems(summary)).toEqual([]);
  });

  it('links only forms that exist', () => {
    expect(unknownForms(summary, formIds)).toEqual([]);
  });

  it('uses meaningful element ids, never ones Modeler generates', () => {
    const generated = [...readFileSync(file, 'utf8').matchAll(/\bid="([A-Za-z]+_[0-9a-z]{7})"/g)].map((m) => m[1]).filter((id) => /\d/.test(id ?? ''));
    expect(generated).toEqual([]);
  });

  it('passes bpmnlint with the project .bpmnlintrc', async () => {
    expect(await lint(file)).toEqual([]);
  });
});

describeEach(files.dmn, '%s', (file) => {
  it('has a DMN diagram and targets Camunda 8.9', () => {
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/<(\w+:)?DMNDiagram[\s>]/);
    expect(xml).toMatch(/modeler:executionPlatformVersion="8\.9/);
  });
});
