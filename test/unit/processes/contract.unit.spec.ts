/**
 * The contract between processes/ and workers/: every job type has exactly one worker and every worker a job
 * type, file names equal types, declared errors are caught, forms exist and are linked, user tasks are Camunda
 * user tasks with form, groups and due date, diagrams have a layout and target 8.9, and bpmnlint passes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { filesUnder, formIdOf, readBpmn, type BpmnSummary } from '../../../src/processes/read-bpmn.js';
import { workers } from '../../../workers/index.js';

const bpmnFiles = filesUnder('processes', '.bpmn');
const formFiles = filesUnder('processes', '.form');
const dmnFiles = filesUnder('processes', '.dmn');
let summaries: BpmnSummary[] = [];

beforeAll(async () => {
  summaries = await Promise.all(bpmnFiles.map((f) => readBpmn(f)));
});

describe('processes and workers agree', () => {
  it('finds the diagrams', () => {
    expect(bpmnFiles).toEqual(expect.arrayContaining(['processes/cottbus/neukunde.bpmn', 'processes/skeleton/walking-skeleton.bpmn']));
  });

  it('has exactly one worker for every job type, and a job type for every worker', () => {
    const used = new Set(summaries.flatMap((s) => s.jobTypes.map((j) => j.type)));
    const registered = workers.map((w) => w.type);
    expect([...used].filter((t) => !registered.includes(t))).toEqual([]);
    expect(registered.filter((t) => !used.has(t))).toEqual([]);
    expect(registered.filter((t, i) => registered.indexOf(t) !== i)).toEqual([]);
  });

  it('names every worker file after its job type and registers every file', () => {
    for (const w of workers) expect(existsSync(path.join('workers', `${w.type}.ts`))).toBe(true);
    const files = readdirSync('workers').filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3));
    expect(files.sort()).toEqual(workers.map((w) => w.type).sort());
  });

  it('catches every BPMN error a worker declares in each diagram that uses the worker', () => {
    const uncaught: string[] = [];
    for (const w of workers) {
      for (const s of summaries.filter((x) => x.jobTypes.some((j) => j.type === w.type))) {
        for (const code of w.errors) if (!s.catchesAllErrors && !s.caughtErrorCodes.includes(code)) uncaught.push(`${w.type}: ${code} in ${s.file}`);
      }
    }
    expect(uncaught).toEqual([]);
  });
});

describe('forms', () => {
  it('links only forms that exist, and every form is linked', () => {
    const formIds = formFiles.map(formIdOf);
    const linked = new Set(summaries.flatMap((s) => s.userTasks.map((t) => t.formId).filter((f): f is string => !!f)));
    expect([...linked].filter((f) => !formIds.includes(f))).toEqual([]);
    expect(formIds.filter((f) => !linked.has(f))).toEqual([]);
  });

  it.each(formFiles)('%s is a Camunda form for 8.9 with ids on every component', (file) => {
    const form = JSON.parse(readFileSync(file, 'utf8')) as { id: string; type: string; executionPlatformVersion: string; components: { id?: string; type?: string }[] };
    expect(form.type).toBe('default');
    expect(form.executionPlatformVersion).toMatch(/^8\.9/);
    const all: { id?: string; type?: string; components?: unknown[] }[] = [];
    const collect = (cs: { id?: string; type?: string; components?: unknown[] }[]) => cs.forEach((c) => (all.push(c), c.components && collect(c.components as never)));
    collect(form.components);
    expect(all.filter((c) => !c.id || !c.type)).toEqual([]);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
  });
});

describe.each(bpmnFiles)('%s', (file) => {
  const summary = () => summaries.find((s) => s.file === file)!;

  it('parses without warnings, has a layout and targets Camunda 8.9', () => {
    expect(summary().warnings).toEqual([]);
    expect(summary().hasDiagram).toBe(true);
    expect(summary().executionPlatformVersion).toMatch(/^8\.9/);
  });

  it('models every human step as a Camunda user task with a form, candidate groups and a due date', () => {
    const incomplete = summary().userTasks.filter((t) => !t.camundaUserTask || !t.formId || !t.candidateGroups || !t.dueDate);
    expect(incomplete).toEqual([]);
  });

  it('uses meaningful element ids, never generated ones', () => {
    const generated = (readFileSync(file, 'utf8').match(/id="[A-Za-z]+_[0-9a-z]{7}"/g) ?? []).filter((id) => /\d/.test(id));
    expect(generated).toEqual([]);
  });

  it('passes bpmnlint with the Camunda 8.9 compatibility rules', () => {
    // The linter's CLI runs in plain Node: bpmnlint is CommonJS over ES-module helpers jest cannot load.
    const result = spawnSync(process.execPath, ['node_modules/bpmnlint/bin/bpmnlint.js', file], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });
});

describe.each(dmnFiles)('%s', (file) => {
  it('has a layout and targets Camunda 8.9', () => {
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/modeler:executionPlatformVersion="8\.9/);
    expect(xml).toMatch(/<dmndi:DMNDI>/);
  });
});
