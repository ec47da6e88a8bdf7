/** Runs readBpmn and the contract checks on two fixtures, one that keeps the contract and one that breaks it, to prove the checks can fail. */
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { CATCH_ALL, decisionIdsOf, readBpmn } from '../../../src/processes/load.js';
import {
  historyProblems,
  implementationProblems,
  layoutProblems,
  lint,
  platformProblems,
  uncaughtErrors,
  unknownDecisions,
  unknownForms,
  userTaskProblems,
  type WorkerContract,
} from './contract-checks.js';

const fixture = (name: string) => path.join('test/unit/processes/fixtures', name);

const workers: WorkerContract[] = [
  { topic: 'fixture.book-slot', errors: ['NO_SLOT_AVAILABLE'] },
  { topic: 'fixture.notify', errors: ['MAIL_REJECTED'] },
  { topic: 'fixture.announce', errors: [] },
];
const existingFormIds = ['fixture-confirm'];
const existingDecisionIds = decisionIdsOf(fixture('fixture-decision.dmn'));

describe('readBpmn', () => {
  it.each([
    {
      fixture: 'valid.bpmn',
      processIds: ['fixture-valid'],
      historyTimeToLive: { 'fixture-valid': 'P180D' },
      topicUses: [
        { topic: 'fixture.book-slot', activityId: 'Task_BookSlot', processId: 'fixture-valid', name: 'Termin buchen', caughtErrorCodes: ['NO_SLOT_AVAILABLE'] },
        { topic: 'fixture.notify', activityId: 'Task_Notify', processId: 'fixture-valid', name: 'Benachrichtigen', caughtErrorCodes: [CATCH_ALL] },
        // A message throw event whose definition is an external task runs on a worker like a service task.
        { topic: 'fixture.announce', activityId: 'Event_Announce', processId: 'fixture-valid', name: 'Termin angekündigt', caughtErrorCodes: [] },
      ],
      formRefs: ['fixture-confirm'],
      decisions: [{ activityId: 'Rule_Decide', processId: 'fixture-valid', decisionRef: 'fixture-decision' }],
      unimplementedTasks: [],
      caughtErrorCodes: ['NO_SLOT_AVAILABLE', CATCH_ALL],
      hasDiagram: true,
      elementsWithoutDi: [],
      executionPlatform: 'Camunda Platform',
      executionPlatformVersion: '7.24.0',
      firstTopics: { 'fixture-valid': [] },
    },
    {
      fixture: 'broken.bpmn',
      processIds: ['fixture-broken'],
      historyTimeToLive: { 'fixture-broken': undefined },
      topicUses: [
        { topic: 'fixture.book-slot', activityId: 'Task_BookSlot', processId: 'fixture-broken', name: 'Termin buchen', caughtErrorCodes: [] },
        { topic: 'fixture.notify', activityId: 'Task_Notify', processId: 'fixture-broken', name: 'Benachrichtigen', caughtErrorCodes: ['NO_SLOT_AVAILABLE'] },
      ],
      formRefs: ['no-such-form'],
      decisions: [{ activityId: 'Rule_UnknownDecision', processId: 'fixture-broken', decisionRef: 'no-such-decision' }],
      unimplementedTasks: ['Task_JavaDelegate'],
      caughtErrorCodes: ['NO_SLOT_AVAILABLE'],
      hasDiagram: false,
      executionPlatform: 'Camunda Cloud',
      executionPlatformVersion: '8.9.0',
      firstTopics: { 'fixture-broken': ['fixture.book-slot'] },
    },
  ])('summarises $fixture', async ({ fixture: name, ...expected }) => {
    const summary = await readBpmn(fixture(name));
    expect(summary).toMatchObject(expected);
    expect(summary.warnings).toEqual([]);
  });

  it('describes every user task with what Tasklist needs', async () => {
    expect((await readBpmn(fixture('valid.bpmn'))).userTasks).toEqual([
      { activityId: 'UserTask_Confirm', formRef: 'fixture-confirm', formRefBinding: 'latest', formKey: undefined, candidateGroups: 'EZ', dueDate: '${dueAt}' },
    ]);
    expect((await readBpmn(fixture('broken.bpmn'))).userTasks).toEqual([
      { activityId: 'UserTask_NoForm', formRef: undefined, formRefBinding: undefined, formKey: 'embedded:app:forms/ohne.html', candidateGroups: undefined, dueDate: undefined },
      { activityId: 'UserTask_UnknownForm', formRef: 'no-such-form', formRefBinding: 'deployment', formKey: undefined, candidateGroups: 'EZ', dueDate: '${dueAt}' },
    ]);
  });

  it('reads the first topics after the start event of the walking skeleton', async () => {
    expect((await readBpmn('test/fixtures/skeleton/walking-skeleton.bpmn')).firstTopics).toEqual({ 'walking-skeleton': ['skeleton.record-visit'] });
  });
});

describe('decisionIdsOf', () => {
  it('reads the ids of the decisions a DMN file defines', () => {
    expect(existingDecisionIds).toEqual(['fixture-decision']);
  });
});

describe('contract checks', () => {
  it.each([
    {
      fixture: 'valid.bpmn',
      problems: { uncaughtErrors: [], userTasks: [], unknownForms: [], unknownDecisions: [], implementation: [], layout: [], platform: [], history: [] },
    },
    {
      fixture: 'broken.bpmn',
      problems: {
        // Caught at Task_Notify does not help Task_BookSlot: a boundary event only catches what its own activity throws.
        uncaughtErrors: [
          'Task_BookSlot (fixture.book-slot) does not catch NO_SLOT_AVAILABLE',
          'Task_Notify (fixture.notify) does not catch MAIL_REJECTED',
        ],
        userTasks: [
          'UserTask_NoForm links no Camunda Form (camunda:formRef)',
          'UserTask_NoForm has camunda:formKey="embedded:app:forms/ohne.html", which Tasklist does not render as a Camunda Form',
          'UserTask_NoForm has no candidate groups (camunda:candidateGroups)',
          'UserTask_NoForm has no due date (camunda:dueDate)',
          'UserTask_UnknownForm binds its form by deployment, expected camunda:formRefBinding="latest"',
        ],
        unknownForms: ['form no-such-form is linked but no .form file has that id'],
        unknownDecisions: ['Rule_UnknownDecision calls decision no-such-decision, which no .dmn file defines'],
        implementation: ['Task_JavaDelegate is neither an external task with a camunda:topic nor a business rule task with a camunda:decisionRef'],
        layout: expect.arrayContaining(['no bpmndi:BPMNDiagram', 'Task_BookSlot has no BPMNShape or BPMNEdge']),
        platform: ['modeler:executionPlatform is Camunda Cloud 8.9.0, expected Camunda Platform 7.24.0'],
        history: ['process fixture-broken has no camunda:historyTimeToLive'],
      },
    },
  ])('finds the expected problems in $fixture', async ({ fixture: name, problems }) => {
    const summary = await readBpmn(fixture(name));
    expect({
      uncaughtErrors: uncaughtErrors(summary, workers),
      userTasks: userTaskProblems(summary),
      unknownForms: unknownForms(summary, existingFormIds),
      unknownDecisions: unknownDecisions(summary, existingDecisionIds),
      implementation: implementationProblems(summary),
      layout: layoutProblems(summary),
      platform: platformProblems(summary),
      history: historyProblems(summary),
    }).toEqual(problems);
  });
});

describe('bpmnlint with the project .bpmnlintrc', () => {
  it('passes the valid fixture', async () => {
    expect(await lint(fixture('valid.bpmn'))).toEqual([]);
  });

  it('applies the Camunda 7.24 rules: a process without history time to live is reported', async () => {
    expect(await lint(fixture('broken.bpmn'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^camunda-compat\/history-time-to-live at fixture-broken: /), expect.stringMatching(/^no-bpmndi at Task_BookSlot: /)]),
    );
  });
});
