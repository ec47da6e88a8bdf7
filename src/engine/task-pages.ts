/**
 * One page of a staff member's open user tasks, sorted and paged by the engine: with thousands of open tasks the
 * workspace reads and joins only the 25 it shows, plus the engine's count, instead of the first 500 of each query.
 */
import type { EngineRestClient, TaskItem } from './rest-client.js';
import { type StaffEngine, type StaffTask, toStaffTask } from './staff.js';

export interface TaskPageQuery {
  userId: string;
  groups: readonly string[];
  /** Only tasks of these process definitions (the jobcenter's process); undefined: of every process. */
  processDefinitionKeys?: readonly string[];
  /**
   * Only tasks of these tenants (the login's jobcenters). The technical user asks and is a member of every
   * tenant, so without this the page and the count would hold every jobcenter's tasks of the same model.
   */
  tenantIds?: readonly string[];
  first: number;
  max: number;
}

export interface TaskPages {
  /** Open tasks of the groups (claimed or not) and those assigned to the user, soonest due first; and how many in all. */
  page(q: TaskPageQuery): Promise<{ total: number; tasks: StaffTask[] }>;
}

export class RestTaskPages implements TaskPages {
  constructor(private readonly client: EngineRestClient) {}

  async page(q: TaskPageQuery): Promise<{ total: number; tasks: StaffTask[] }> {
    // One query for "my groups' tasks or mine" (an or-query), so that the engine can sort and page the union.
    const filter = {
      orQueries: [
        q.groups.length
          ? { candidateGroups: q.groups, includeAssignedTasks: true, assignee: q.userId }
          : { assignee: q.userId },
      ],
      ...(q.processDefinitionKeys?.length ? { processDefinitionKeyIn: q.processDefinitionKeys } : {}),
      ...(q.tenantIds?.length ? { tenantIdIn: q.tenantIds } : {}),
    };
    const [count, tasks] = await Promise.all([
      this.client.request<{ count: number }>('POST', '/task/count', filter),
      this.client.request<(TaskItem & { created?: string | null })[]>(
        'POST',
        `/task?firstResult=${q.first}&maxResults=${q.max}`,
        {
          ...filter,
          sorting: [
            { sortBy: 'dueDate', sortOrder: 'asc' },
            { sortBy: 'created', sortOrder: 'asc' },
          ],
        },
      ),
    ]);
    return {
      total: count.count,
      tasks: tasks.map(toStaffTask),
    };
  }
}

/** Pages over StaffEngine.openTasks, for an engine without the paged query (the unit tests' fake): reads `read` tasks. */
export function taskPagesOver(staff: StaffEngine, read = 500): TaskPages {
  return {
    async page(q) {
      const all = await staff.openTasks(q.userId, q.groups, read);
      const key = (t: StaffTask) => t.due ?? '9999';
      all.sort((a, b) => key(a).localeCompare(key(b)) || (a.created ?? '').localeCompare(b.created ?? ''));
      return { total: all.length, tasks: all.slice(q.first, q.first + q.max) };
    },
  };
}
