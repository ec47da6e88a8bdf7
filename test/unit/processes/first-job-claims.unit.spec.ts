/**
 * The API records an application before it starts its process and confirms after; if it stops in between, the
 * first job of the process claims the application for its instance (persons.derive-eligibility-facts), and the
 * start sweep keeps what is claimed. So each jobcenter's process must begin with that task.
 */
import { describe, expect, it } from '@jest/globals';

import { loadJobcenters } from '../../../src/config/load.js';
import { loadProcessFiles, readBpmn } from '../../../src/processes/load.js';

const CLAIMING_JOB = 'persons.derive-eligibility-facts';
const summaries = await Promise.all(loadProcessFiles('processes').bpmn.map((file) => readBpmn(file)));
const { jobcenters } = loadJobcenters('processes');

describe.each([...jobcenters.values()].map((j) => [j.id, j.processId]))('the process of %s (%s)', (_jobcenter, processId) => {
  it(`goes from its start event straight to ${CLAIMING_JOB}, which claims the application`, () => {
    const summary = summaries.find((s) => s.processIds.includes(processId));
    expect(summary).toBeDefined();
    expect(summary!.firstTopics[processId]).toEqual([CLAIMING_JOB]);
  });
});
