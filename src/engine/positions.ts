/**
 * Where cases stand in the engine, asked as the technical user: which process instances wait at an activity, and at
 * which activities a handful of instances wait. Only ids go out and come back; the names stay in the store.
 */
import type { EngineRestClient } from './rest-client.js';

export interface CasePositions {
  /** Every process instance waiting at one of these activities now, over all pages of the engine's answer. */
  instancesAt(activityIds: readonly string[], processDefinitionKeys?: readonly string[]): Promise<string[]>;
  /** Of these instances, the activities (among `activityIds`) each waits at; an instance elsewhere is left out. */
  positionsOf(processInstanceIds: readonly string[], activityIds: readonly string[]): Promise<Map<string, string[]>>;
}

/** Large enough that 5,000 waiting cases take five calls, small enough that one answer stays well under a megabyte. */
const PAGE = 1000;

export class RestCasePositions implements CasePositions {
  constructor(
    private readonly client: EngineRestClient,
    private readonly pageSize = PAGE,
  ) {}

  async instancesAt(activityIds: readonly string[], processDefinitionKeys?: readonly string[]): Promise<string[]> {
    if (activityIds.length === 0) return [];
    const body = {
      activityIdIn: activityIds,
      ...(processDefinitionKeys?.length ? { processDefinitionKeyIn: processDefinitionKeys } : {}),
      // A stable order, so that the pages neither skip nor repeat an instance while nothing changes.
      sorting: [{ sortBy: 'instanceId', sortOrder: 'asc' }],
    };
    const ids = new Set<string>();
    for (let first = 0; ; first += this.pageSize) {
      const page = await this.client.request<{ id: string }[]>(
        'POST',
        `/process-instance?firstResult=${first}&maxResults=${this.pageSize}`,
        body,
      );
      for (const p of page) ids.add(p.id);
      if (page.length < this.pageSize) break;
    }
    return [...ids];
  }

  /** One query per activity over the page's instances: bounded by the diagram, not by the number of rows. */
  async positionsOf(
    processInstanceIds: readonly string[],
    activityIds: readonly string[],
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (processInstanceIds.length === 0 || activityIds.length === 0) return out;
    const answers = await Promise.all(
      activityIds.map(async (activityId) => ({
        activityId,
        instances: await this.client.request<{ id: string }[]>(
          'POST',
          `/process-instance?maxResults=${processInstanceIds.length}`,
          { processInstanceIds, activityIdIn: [activityId] },
        ),
      })),
    );
    for (const { activityId, instances } of answers)
      for (const { id } of instances) out.set(id, [...(out.get(id) ?? []), activityId]);
    return out;
  }
}
