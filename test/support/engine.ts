/**
 * Talking to the real engine as the integration and the fault specs do: the technical user's client, and reading
 * an instance as Cockpit and Tasklist do (its open tasks, its timers, where it waits, its variables, its incidents).
 * A timer is fired by executing its job (`client.executeJob(timer.id)`) after its due date was asserted, never by
 * waiting for it.
 */
import { loadConfig } from '../../src/config/load.js';
import { type EngineEndpoints, engineEndpoints } from '../../src/engine/endpoints.js';
import { onConflictAgain } from '../../src/engine/gateway.js';
import { EngineRequestError, EngineRestClient, type JobItem, type TaskItem } from '../../src/engine/rest-client.js';
import { fromEngineVariables } from '../../src/engine/variables.js';
import { eventually, type Patience } from './eventually.js';

/** The technical user's client (what the API and the workers use). */
export function technicalClient(endpoints: Pick<EngineEndpoints, 'rest' | 'technical'>): EngineRestClient {
  return new EngineRestClient(endpoints.rest, endpoints.technical);
}

/** The engine a test environment names (e.g. `integrationEnv`): its endpoints and the technical user's client. */
export function configuredEngine(env: Record<string, string>): {
  endpoints: EngineEndpoints;
  client: EngineRestClient;
} {
  const endpoints = engineEndpoints(loadConfig(env).env);
  return { endpoints, client: technicalClient(endpoints) };
}

/** The open user tasks of an instance at one activity, once there are at least `count`. */
export function openTasks(
  client: EngineRestClient,
  processInstanceId: string,
  activityId: string,
  count = 1,
): Promise<TaskItem[]> {
  return eventually(`${count} open task(s) ${activityId}`, async () => {
    const tasks = await client.tasks({ processInstanceId, taskDefinitionKey: activityId });
    return tasks.length >= count ? tasks : undefined;
  });
}

/** The timer job waiting at one activity of an instance: assert its due date, then execute it. */
export function timerAt(client: EngineRestClient, processInstanceId: string, activityId: string): Promise<JobItem> {
  return eventually(`the timer ${activityId}`, async () => {
    const jobs = await client.jobs({ processInstanceId, activityId, timers: 'true' });
    return jobs[0];
  });
}

/** The instance's variables as plain values (JSON text left as it is). */
export async function variablesOf(
  client: EngineRestClient,
  processInstanceId: string,
): Promise<Record<string, unknown>> {
  const vars = await client.variableInstances({ processInstanceIdIn: processInstanceId, maxResults: '1000' });
  return fromEngineVariables(Object.fromEntries(vars.map((v) => [v.name, { value: v.value, type: v.type }])));
}

/** Waits until the instance has ended (completed or terminated) and returns its history entry. */
export function ended(client: EngineRestClient, processInstanceId: string, timeoutMs = 60_000) {
  return eventually(
    'the instance to end',
    async () => {
      const h = await client.historicProcessInstance(processInstanceId);
      return h.state === 'ACTIVE' ? undefined : h;
    },
    { timeoutMs },
  );
}

/** Fails fast with the engine's incident when a worker or expression broke, instead of timing out later. */
export async function noIncidents(client: EngineRestClient, processInstanceId: string): Promise<void> {
  const incidents = await client.incidents({ processInstanceId });
  if (incidents.length)
    throw new Error(`Incidents: ${incidents.map((i) => `${i.activityId}: ${i.incidentMessage}`).join('; ')}`);
}

/** Waits until the instance has passed an activity (its history entry has ended), failing fast on an incident. */
export function passed(client: EngineRestClient, processInstanceId: string, activityId: string) {
  return eventually(`the instance to pass ${activityId}`, async () => {
    await noIncidents(client, processInstanceId);
    const done = await client.historicActivities({ processInstanceId, activityId, finished: 'true' });
    return done.length > 0 ? done : undefined;
  });
}

/** The activity ids an instance waits at now (leaf activity instances), sorted; [] once it has ended. */
export async function waitingAt(client: EngineRestClient, processInstanceId: string): Promise<string[]> {
  interface Tree {
    activityId: string;
    childActivityInstances: Tree[];
    childTransitionInstances: { activityId: string }[];
  }
  const tree = await client.request<Tree>('GET', `/process-instance/${processInstanceId}/activity-instances`);
  const leaves: string[] = [];
  const walk = (t: Tree) => {
    for (const tr of t.childTransitionInstances) leaves.push(tr.activityId);
    if (t.childActivityInstances.length === 0 && t.childTransitionInstances.length === 0) leaves.push(t.activityId);
    for (const c of t.childActivityInstances) walk(c);
  };
  walk(tree);
  return leaves.sort();
}

/**
 * Waits until the instance waits at the activity (among others it may wait at). With `failOnIncident` the probe
 * throws on an incident: at once, or (with `retryErrors`) as the last error named if time runs out.
 */
export function waitUntilAt(
  client: EngineRestClient,
  processInstanceId: string,
  activityId: string,
  { failOnIncident = false, ...patience }: Patience & { failOnIncident?: boolean } = {},
): Promise<true> {
  return eventually(
    `${processInstanceId} at ${activityId}`,
    async () => {
      if (failOnIncident) await noIncidents(client, processInstanceId);
      return (await waitingAt(client, processInstanceId)).includes(activityId) ? true : undefined;
    },
    patience,
  );
}

/**
 * Removes the instances a spec started, after it. One already gone (404) is fine; one a worker is still writing to
 * is refused as a concurrent change (ENGINE-03005) and deleted again, as the gateway sends its events again.
 */
export async function deleteInstances(client: EngineRestClient | undefined, ids: Iterable<string>): Promise<void> {
  if (!client) return;
  for (const id of ids)
    await onConflictAgain(() => client.deleteProcessInstance(id)).catch((e: unknown) => {
      if (!(e instanceof EngineRequestError && e.status === 404)) throw e;
    });
}
