/**
 * What the workspace asks the engine about cases and tasks, with a fake of the REST client at the boundary: where
 * instances wait (paged to the end, in a stable order) and one page of a staff member's open tasks.
 */
import { describe, expect, it } from '@jest/globals';

import { RestCasePositions } from '../../../src/engine/positions.js';
import type { EngineRestClient } from '../../../src/engine/rest-client.js';
import { RestTaskPages } from '../../../src/engine/task-pages.js';

interface Call {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/** Answers POST /process-instance from a list of instance ids, honouring firstResult and maxResults. */
function fakeClient(instances: string[], answer?: (call: Call) => unknown) {
  const calls: Call[] = [];
  const client = {
    async request(method: string, path: string, body: Record<string, unknown>) {
      calls.push({ method, path, body });
      if (answer) return answer({ method, path, body });
      const q = new URL(path, 'http://x').searchParams;
      const first = Number(q.get('firstResult') ?? 0);
      return instances.slice(first, first + Number(q.get('maxResults'))).map((id) => ({ id }));
    },
  } as unknown as EngineRestClient;
  return { client, calls };
}

describe('RestCasePositions', () => {
  it('reads every page of the instances at an activity, in a stable order, until a short page', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `pi-${i}`);
    const { client, calls } = fakeClient(ids);
    const found = await new RestCasePositions(client, 3).instancesAt(['UserTask_IdCheck'], ['neukunde-cottbus']);
    expect(found).toEqual(ids);
    expect(calls.map((c) => c.path)).toEqual([
      '/process-instance?firstResult=0&maxResults=3',
      '/process-instance?firstResult=3&maxResults=3',
      '/process-instance?firstResult=6&maxResults=3',
    ]);
    expect(calls[0]!.body).toEqual({
      activityIdIn: ['UserTask_IdCheck'],
      processDefinitionKeyIn: ['neukunde-cottbus'],
      sorting: [{ sortBy: 'instanceId', sortOrder: 'asc' }],
    });
  });

  it('asks one more page when the last page is exactly full', async () => {
    const { client, calls } = fakeClient(['a', 'b', 'c', 'd']);
    expect(await new RestCasePositions(client, 2).instancesAt(['X'])).toEqual(['a', 'b', 'c', 'd']);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.body).not.toHaveProperty('processDefinitionKeyIn');
  });

  it('asks nothing for no activity, and maps each instance of a page to every activity it waits at', async () => {
    const { client, calls } = fakeClient([], ({ body }) =>
      (body.activityIdIn as string[])[0] === 'A' ? [{ id: 'p1' }, { id: 'p2' }] : [{ id: 'p1' }],
    );
    const positions = new RestCasePositions(client);
    expect(await positions.instancesAt([])).toEqual([]);
    expect(calls).toHaveLength(0);
    const at = await positions.positionsOf(['p1', 'p2', 'p3'], ['A', 'B']);
    expect(at).toEqual(
      new Map([
        ['p1', ['A', 'B']],
        ['p2', ['A']],
      ]),
    );
    expect(calls.map((c) => c.body.processInstanceIds)).toEqual([
      ['p1', 'p2', 'p3'],
      ['p1', 'p2', 'p3'],
    ]);
  });
});

describe('RestTaskPages', () => {
  it("lets the engine sort, page and count my groups' tasks or mine in one or-query", async () => {
    const { client, calls } = fakeClient([], ({ path }) =>
      path === '/task/count'
        ? { count: 5000 }
        : [
            {
              id: 't1',
              name: 'ID-Prüfung',
              taskDefinitionKey: 'UserTask_IdCheck',
              processInstanceId: 'p1',
              assignee: null,
              due: null,
            },
          ],
    );
    const page = await new RestTaskPages(client).page({
      userId: 'ez',
      groups: ['EZ', 'team-u25'],
      processDefinitionKeys: ['neukunde-cottbus'],
      first: 475,
      max: 25,
    });
    expect(page.total).toBe(5000);
    expect(page.tasks.map((t) => t.id)).toEqual(['t1']);
    const list = calls.find((c) => c.path.startsWith('/task?'))!;
    expect(list.path).toBe('/task?firstResult=475&maxResults=25');
    expect(list.body).toEqual({
      orQueries: [{ candidateGroups: ['EZ', 'team-u25'], includeAssignedTasks: true, assignee: 'ez' }],
      processDefinitionKeyIn: ['neukunde-cottbus'],
      sorting: [
        { sortBy: 'dueDate', sortOrder: 'asc' },
        { sortBy: 'created', sortOrder: 'asc' },
      ],
    });
    const count = calls.find((c) => c.path === '/task/count')!;
    expect(count.body).not.toHaveProperty('sorting');
    expect(count.body.orQueries).toEqual(list.body.orQueries);
  });

  it("asks for the login's tenants only, since the technical user asking is a member of every tenant", async () => {
    const { client, calls } = fakeClient([], ({ path }) => (path === '/task/count' ? { count: 5 } : []));
    await new RestTaskPages(client).page({
      userId: 'ez',
      groups: ['EZ'],
      processDefinitionKeys: ['neukunde-cottbus'],
      tenantIds: ['cottbus'],
      first: 0,
      max: 25,
    });
    for (const call of calls) expect(call.body.tenantIdIn).toEqual(['cottbus']);
    expect(calls).toHaveLength(2);
  });
});
