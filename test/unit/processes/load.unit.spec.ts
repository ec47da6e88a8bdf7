/** Runs readBpmn and the contract checks on two fixtures, one that keeps the contract and one that breaks it, to prove the checks can fail. */
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CATCH_ALL, readBpmn } from '../../../src/processes/load.js';
import { layoutProblems, platformProblems, uncaughtErrors, unknownForms, userTaskProblems, type WorkerContract } from './contract-checks.js';

const fixture = (name: string) => path.join('test/unit/processes/fixtures', name);

const workers: WorkerContract[] = [
  { type: 'fixture.book-slot', errors: ['NO_SLOT_AVAILABLE'] },
  { type: 'fixture.notify', errors: ['MAIL_REJECTED'] },
];
const existingFormIds = ['fixture-confirm'];

describe('readBpmn', () => {
  it.each([
    {
      fixture: 'valid.bpmn',
      jobTypes: [
        { type: 'fixture.book-slot', elementId: 'Task_BookSlot', processId: 'fixture-valid', caughtErrorCodes: ['NO_SLOT_AVAILABLE'] },
        { type: 'fixture.notify', elementId: 'Task_Notify', processId: 'fixture-valid', caughtErrorCodes: [CATCH_ALL] },
      ],
      formIds: ['fixture-confirm'],
      caughtErrorCodes: ['NO_SLOT_AVAILABLE', CATCH_ALL],
      hasDiagram: true,
      executionPlatformVersion: '8.9.0',
    },
    {
      fixture: 'broken.bpmn',
      jobTypes: [
        { type: 'fixture.book-slot', elementId: 'Task_BookSlot', processId: 'fixture-broken', caughtErrorCodes: [] },
        { type: 'fixture.notify', elementId: 'Task_Notify', processId: 'fixture-broken', caughtErrorCodes: ['NO_SLOT_AVAILABLE'] },
      ],
      formIds: ['no-such-form'],
      caughtErrorCodes: ['NO_SLOT_AVAILABLE'],
      hasDiagram: false,
      executionPlatformVersion: '8.8.0',
    },
  ])('summarises $fixture', async ({ fixture: name, ...expected }) => {
    const summary = await readBpmn(fixture(name));
    expect(summary).toMatchObject(expected);
    expect(summary.warnings).toEqual([]);
  });

  it('describes every user task with what Tasklist needs', async () => {
    expect((await readBpmn(fixture('broken.bpmn'))).userTasks).toEqual([
      { elementId: 'UserTask_NoForm', camundaUserTask: true, formId: undefined, candidateGroups: 'EZ', dueDate: '=dueAt' },
      { elementId: 'UserTask_UnknownForm', camundaUserTask: true, formId: 'no-such-form', candidateGroups: 'EZ', dueDate: '=dueAt' },
    ]);
  });
});

describe('contract checks', () => {
  it.each([
    {
      fixture: 'valid.bpmn',
      problems: { uncaughtErrors: [], userTasks: [], unknownForms: [], layout: [], platform: [] },
    },
    {
      fixture: 'broken.bpmn',
      problems: {
        // Caught at Task_Notify does not help Task_BookSlot: a boundary event only catches what its own activity throws.
        uncaughtErrors: [
          'Task_BookSlot (fixture.book-slot) does not catch NO_SLOT_AVAILABLE',
          'Task_Notify (fixture.notify) does not catch MAIL_REJECTED',
        ],
        userTasks: ['UserTask_NoForm links no form (zeebe:formDefinition formId)'],
        unknownForms: ['form no-such-form is linked but no .form file has that id'],
        layout: expect.arrayContaining(['no bpmndi:BPMNDiagram', 'Task_BookSlot has no BPMNShape or BPMNEdge']),
        platform: ['modeler:executionPlatformVersion is 8.8.0, expected 8.9.x'],
      },
    },
  ])('finds the expected problems in $fixture', async ({ fixture: name, problems }) => {
    const summary = await readBpmn(fixture(name));
    expect({
      uncaughtErrors: uncaughtErrors(summary, workers),
      userTasks: userTaskProblems(summary),
      unknownForms: unknownForms(summary, existingFormIds),
      layout: layoutProblems(summary),
      platform: platformProblems(summary),
    }).toEqual(problems);
  });
});
