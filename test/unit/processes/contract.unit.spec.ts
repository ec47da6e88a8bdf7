/**
 * The contract between the diagrams and the workers: the engine only finds out at run time, so this test finds
 * out first. It holds for processes/ with workers/index.ts, and for the walking skeleton in test/fixtures/skeleton
 * with its own two workers, which production never registers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { decisionIdsOf, formIdOf, loadProcessFiles, readBpmn } from '../../../src/processes/load.js';
import type { AnyWorker } from '../../../src/worker-runtime/define-worker.js';
import { workers } from '../../../workers/index.js';
import { workers as skeletonWorkers } from '../../fixtures/skeleton/workers/index.js';
import {
  EXECUTION_PLATFORM,
  EXECUTION_PLATFORM_VERSION,
  historyProblems,
  implementationProblems,
  layoutProblems,
  lint,
  platformProblems,
  uncaughtErrors,
  unknownDecisions,
  unknownForms,
  userTaskProblems,
} from './contract-checks.js';

/** The newest form schema version seen rendering in Operaton 1.0.3's Tasklist (the engine runbook). */
const TASKLIST_FORM_SCHEMA_VERSION = 18;

interface Suite {
  /** Where the diagrams, decisions and forms are; what the engine gets deployed. */
  root: string;
  workers: AnyWorker[];
  /** The folder whose `<type>.ts` files are the workers, one per topic. */
  workersDir: string;
}

const suites: Suite[] = [
  { root: 'processes', workers, workersDir: 'workers' },
  { root: 'test/fixtures/skeleton', workers: skeletonWorkers, workersDir: 'test/fixtures/skeleton/workers' },
];

/** jest refuses an empty table, but an empty list is a valid state here (the skeleton has no decisions): then there is nothing to declare. */
function describeEach(list: string[], title: string, body: (item: string) => void): void {
  if (list.length > 0) describe.each(list)(title, body);
}

// Read before the tests are declared, so every topic and file can name its own test.
const loaded = await Promise.all(
  suites.map(async (suite) => {
    const files = loadProcessFiles(suite.root);
    return { suite, files, summaries: await Promise.all(files.bpmn.map((file) => readBpmn(file))) };
  }),
);

describe.each(loaded.map((l) => [l.suite.root, l] as const))('%s', (_root, { suite, files, summaries }) => {
  const formIds = files.form.map(formIdOf);
  const decisionIds = files.dmn.flatMap(decisionIdsOf);
  const usedTopics = [...new Set(summaries.flatMap((s) => s.topicUses.map((j) => j.topic)))].sort();
  const registeredTypes = suite.workers.map((w) => w.topic);

  describe(`${suite.workersDir} and the topics of the diagrams`, () => {
    it.each(usedTopics)('topic %s has exactly one worker', (type) => {
      const usedBy = summaries.flatMap((s) => s.topicUses.filter((j) => j.topic === type).map((j) => `${s.file}#${j.activityId}`));
      expect({ type, usedBy, workers: registeredTypes.filter((t) => t === type).length }).toEqual({ type, usedBy, workers: 1 });
    });

    it(`registers every worker file in ${suite.workersDir}/`, () => {
      const workerFiles = readdirSync(suite.workersDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
      expect(workerFiles.filter((f) => !registeredTypes.includes(f.slice(0, -'.ts'.length)))).toEqual([]);
    });

    describeEach(registeredTypes, 'worker %s', (type) => {
      const worker = suite.workers.find((w) => w.topic === type);
      const usingDiagrams = summaries.filter((s) => s.topicUses.some((j) => j.topic === type));

      it('is the topic of some task', () => {
        expect(usedTopics).toContain(type);
      });

      it(`lives in ${suite.workersDir}/${type}.ts`, () => {
        expect(existsSync(path.join(suite.workersDir, `${type}.ts`))).toBe(true);
      });

      it('has every error it declares caught wherever its topic is used', () => {
        expect(usingDiagrams.flatMap((s) => uncaughtErrors(s, worker ? [worker] : []).map((p) => `${s.file}: ${p}`))).toEqual([]);
      });
    });
  });

  describe('forms', () => {
    const linked = new Set(summaries.flatMap((s) => s.formRefs));

    it('has one .form file per form id', () => {
      expect(formIds.filter((id, i) => formIds.indexOf(id) !== i)).toEqual([]);
    });

    describeEach(files.form, '%s', (file) => {
      it('is linked by some user task', () => {
        expect({ formId: formIdOf(file), linked: linked.has(formIdOf(file)) }).toEqual({ formId: formIdOf(file), linked: true });
      });

      it('is a Camunda Form Tasklist renders, with id and type on every component and a key on every field', () => {
        type Component = { id?: string; type?: string; key?: string; components?: Component[] };
        const form = JSON.parse(readFileSync(file, 'utf8')) as { type?: string; schemaVersion?: number; components: Component[] };
        const all = (cs: Component[]): Component[] => cs.flatMap((c) => [c, ...all(c.components ?? [])]);
        // Input types of form-js; only these submit a value and so need a key.
        const fields = new Set(['textfield', 'textarea', 'number', 'checkbox', 'checklist', 'radio', 'select', 'taglist', 'datetime', 'filepicker', 'expression']);
        expect(form.type).toBe('default');
        expect(form.schemaVersion).toBeLessThanOrEqual(TASKLIST_FORM_SCHEMA_VERSION);
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

    it(`targets ${EXECUTION_PLATFORM} ${EXECUTION_PLATFORM_VERSION}`, () => {
      expect(platformProblems(summary)).toEqual([]);
    });

    it('gives every process a camunda:historyTimeToLive', () => {
      expect(historyProblems(summary)).toEqual([]);
    });

    it('runs every service and send task on a worker and every business rule task on a decision', () => {
      expect(implementationProblems(summary)).toEqual([]);
    });

    it('gives every user task a Camunda Form, candidate groups and a due date', () => {
      expect(userTaskProblems(summary)).toEqual([]);
    });

    it('links only forms that exist', () => {
      expect(unknownForms(summary, formIds)).toEqual([]);
    });

    it('calls only decisions that exist', () => {
      expect(unknownDecisions(summary, decisionIds)).toEqual([]);
    });

    it('uses meaningful element ids, never ones Modeler generates', () => {
      const generated = [...readFileSync(file, 'utf8').matchAll(/\bid="([A-Za-z]+_[0-9a-z]{7})"/g)].map((m) => m[1]).filter((id) => /\d/.test(id ?? ''));
      expect(generated).toEqual([]);
    });

    it('passes bpmnlint with the project .bpmnlintrc', async () => {
      expect(await lint(file)).toEqual([]);
    });
  });

  describeEach(files.dmn, 'decisions %s', (file) => {
    it(`has a DMN diagram and targets ${EXECUTION_PLATFORM} ${EXECUTION_PLATFORM_VERSION}`, () => {
      const xml = readFileSync(file, 'utf8');
      expect(xml).toMatch(/<(\w+:)?DMNDiagram[\s>]/);
      expect(xml).toContain(`modeler:executionPlatform="${EXECUTION_PLATFORM}"`);
      expect(xml).toContain(`modeler:executionPlatformVersion="${EXECUTION_PLATFORM_VERSION}"`);
    });
  });
});
