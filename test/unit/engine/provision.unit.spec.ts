import { describe, expect, it } from '@jest/globals';

import { loadJobcenters } from '../../../src/config/load.js';
import {
  CASE_NUMBER_FILTER,
  provisioningPlan,
  REGIONAL_LEAD_LOGIN,
  Resource,
  TECHNICAL_GROUP,
  tenantPlan,
} from '../../../src/engine/provision.js';
import { loadProcessFiles, readBpmn } from '../../../src/processes/load.js';

const { jobcenters } = loadJobcenters('processes');
const plan = provisioningPlan(jobcenters.values(), { user: 'orchestrator', password: 'secret' }, 'demo');
const groupIds = new Set(plan.groups.map((g) => g.id));

describe('the engine identity the diagrams need', () => {
  it('has a group for every candidate group a user task names, so Tasklist shows each task to someone', async () => {
    const summaries = await Promise.all(loadProcessFiles('processes').bpmn.map((f) => readBpmn(f)));
    const named = summaries
      .flatMap((s) => s.userTasks.map((t) => t.candidateGroups ?? ''))
      .flatMap((g) =>
        g
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      );
    expect(named.length).toBeGreaterThan(0);
    for (const group of named) {
      if (group.includes('${')) {
        // team-${teamId}: every team of the settings must exist as a group.
        expect(group).toMatch(/^team-\$\{\w+\}$/);
        for (const jc of jobcenters.values()) for (const t of jc.teams) expect(groupIds).toContain(`team-${t.id}`);
      } else {
        expect(groupIds).toContain(group);
      }
    }
  });

  it('has a group per jobcenter, which binds staff to it in the workspace and grants nothing itself', () => {
    for (const jc of jobcenters.values()) expect(groupIds).toContain(`jobcenter-${jc.id}`);
    expect(plan.grants.some((g) => g.groupId.startsWith('jobcenter-'))).toBe(false);
  });

  it('gives the technical user nothing of users, groups, authorizations or the system', () => {
    const technical = plan.grants.filter((g) => g.groupId === TECHNICAL_GROUP);
    expect(technical.map((g) => g.resourceType).sort((a, b) => a - b)).toEqual(
      [
        Resource.PROCESS_DEFINITION,
        Resource.TASK,
        Resource.PROCESS_INSTANCE,
        Resource.DEPLOYMENT,
        Resource.DECISION_DEFINITION,
        Resource.DECISION_REQUIREMENTS_DEFINITION,
        Resource.HISTORIC_TASK,
        Resource.HISTORIC_PROCESS_INSTANCE,
      ].sort((a, b) => a - b),
    );
    for (const adminResource of [1, 2, 3, 4, 11, 12, 21])
      expect(plan.grants.some((g) => g.resourceType === adminResource)).toBe(false);
  });

  it('lets staff into Tasklist only, and team leads read-only into Cockpit', () => {
    const apps = plan.grants.filter((g) => g.resourceType === Resource.APPLICATION);
    expect(new Set(apps.filter((g) => g.resourceId === 'cockpit').map((g) => g.groupId))).toEqual(new Set(['TL']));
    expect(apps.filter((g) => g.resourceId === 'admin')).toEqual([]);
    for (const g of plan.grants.filter((x) => x.groupId === 'TL' && x.resourceType !== Resource.APPLICATION))
      expect(g.permissions.every((p) => p.startsWith('READ'))).toBe(true);
  });

  it('creates local staff logins only when asked to', () => {
    expect(plan.staffLogins.map((l) => l.id).slice(0, 7)).toEqual(['ez', 'sc', 'post', 'lg', 'bi', 'ifk', 'tl']);
    expect(provisioningPlan(jobcenters.values(), { user: 'o', password: 'p' }).staffLogins).toEqual([]);
  });

  it('gives staff a Tasklist filter that shows the Vorgangsnummer, and nothing personal', () => {
    const [filter] = plan.filters;
    expect(filter!.name).toBe(CASE_NUMBER_FILTER);
    expect(filter!.properties.variables).toEqual([{ name: 'caseNumber', label: 'Vorgangsnummer' }]);
    expect([...filter!.groups].sort()).toEqual(
      plan.groups
        .filter((g) => g.type === 'WORKFLOW')
        .map((g) => g.id)
        .sort(),
    );
    expect(filter!.groups).not.toContain(TECHNICAL_GROUP);
    // Tasklist reads a filter's variables through the process instance: without READ_INSTANCE it shows none.
    for (const groupId of filter!.groups)
      expect(
        plan.grants.find((g) => g.groupId === groupId && g.resourceType === Resource.PROCESS_DEFINITION)!.permissions,
      ).toContain('READ_INSTANCE');
  });

  it("binds each local staff login to one jobcenter's group, the short names to the first, and regio-tl to all", () => {
    const [first, ...others] = [...jobcenters.values()];
    const login = (id: string) => plan.staffLogins.find((l) => l.id === id)!;
    expect(login('ez').groups).toEqual(['EZ', `jobcenter-${first!.id}`]);
    expect(login('ifk').groups).toEqual(['IFK', `jobcenter-${first!.id}`, ...first!.teams.map((t) => `team-${t.id}`)]);
    for (const jc of others) {
      expect(login(`${jc.id}-ez`).groups).toEqual(['EZ', `jobcenter-${jc.id}`]);
      expect(login(`${jc.id}-tl`).groups.filter((g) => g.startsWith('jobcenter-'))).toEqual([`jobcenter-${jc.id}`]);
    }
    expect(login(REGIONAL_LEAD_LOGIN).groups.sort()).toEqual(
      ['TL', ...[...jobcenters.keys()].map((id) => `jobcenter-${id}`)].sort(),
    );
  });

  it("makes every jobcenter a tenant whose members are the jobcenter's group and the technical user's group", () => {
    const tenants = tenantPlan(jobcenters.values());
    expect(tenants.tenants.map((t) => t.id)).toEqual([...jobcenters.keys()]);
    for (const jc of jobcenters.values()) {
      const members = tenants.groupMembers.filter((m) => m.tenantId === jc.id).map((m) => m.groupId);
      expect(members.sort()).toEqual([`jobcenter-${jc.id}`, TECHNICAL_GROUP].sort());
    }
    // No staff role group (EZ, TL, ...) spans tenants: that would let a front desk see every jobcenter.
    expect(tenants.groupMembers.some((m) => plan.groups.find((g) => g.id === m.groupId)?.type === 'WORKFLOW')).toBe(
      false,
    );
  });
});
