/** The places a case can wait at, read from the real diagrams with their German names. */
import { describe, expect, it } from '@jest/globals';

import { readWaitStates } from '../../../src/processes/wait-states.js';

describe('wait states', () => {
  it('lists the user and receive tasks of the Cottbus intake with their names', async () => {
    const states = await readWaitStates('processes/cottbus/neukunde.bpmn');
    const label = (id: string) => states.find((s) => s.activityId === id)?.label;
    expect(label('UserTask_IdCheck')).toBe('ID-Prüfung');
    expect(label('ReceiveTask_DecisionIssued')).toBe('Bescheid erteilt');
    expect(states.every((s) => s.processId === 'neukunde-cottbus')).toBe(true);
    // Service tasks are the workers' and never where a case waits for a person.
    expect(states.some((s) => s.activityId.startsWith('Task_'))).toBe(false);
  });

  it('names the event-based gateway the case waits at, not the events behind it, and keeps equal names apart', async () => {
    const states = await readWaitStates('processes/wuppertal/quer.bpmn');
    const ids = states.map((s) => s.activityId);
    expect(ids).toContain('Gateway_LgDecisionEvents');
    expect(ids).not.toContain('Event_ApprovedInPrinciple');
    expect(states.find((s) => s.activityId === 'Gateway_LgDecisionEvents')!.label).toBe('Entscheidung der LG abwarten');
    const labels = states.map((s) => s.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('Termin in Vertretung buchen (QuEr mit dem Haushaltsvorstand)');
  });
});
