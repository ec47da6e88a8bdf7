/**
 * A small client for Operaton's REST API (/engine-rest) with HTTP Basic credentials: what the API, the
 * deployment, the provisioning, the privacy scan and the tests need. With several base URLs (a cluster), a
 * node that does not answer is passed over for the next.
 */
import type { Credentials } from './endpoints.js';
import { type EngineVariable, toEngineVariables } from './variables.js';

/** The engine did not answer at all: callers turn this into 503. */
export class EngineUnavailableError extends Error {}

/** The engine answered with an error: `status`, the engine's exception type and its own message. */
export class EngineRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly engineType?: string,
    /** The engine's whole answer, e.g. a ParseException's `details` per deployed resource. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface TaskItem {
  id: string;
  name: string | null;
  taskDefinitionKey: string;
  processInstanceId: string;
  executionId: string;
  assignee: string | null;
  due: string | null;
  formKey: string | null;
  /** The Camunda Form the task links with `camunda:formRef` (Operaton's REST API names the field operatonFormRef). */
  operatonFormRef?: { key: string; binding: string; version: number | null } | null;
  camundaFormRef?: { key: string; binding: string; version: number | null } | null;
  /** The jobcenter the record belongs to (its engine tenant); null for records of no jobcenter. */
  tenantId?: string | null;
}

export interface ProcessInstanceItem {
  id: string;
  businessKey: string | null;
  definitionId: string;
  ended: boolean;
  suspended: boolean;
  /** The jobcenter the record belongs to (its engine tenant); null for records of no jobcenter. */
  tenantId?: string | null;
}

export interface HistoricProcessInstanceItem {
  id: string;
  businessKey: string | null;
  processDefinitionKey: string;
  state: 'ACTIVE' | 'SUSPENDED' | 'COMPLETED' | 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED';
  endTime: string | null;
  /** The jobcenter the record belongs to (its engine tenant); null for records of no jobcenter. */
  tenantId?: string | null;
}

export interface VariableInstanceItem {
  id: string;
  name: string;
  type: string;
  value: unknown;
  processInstanceId: string | null;
  activityInstanceId?: string | null;
}

export interface JobItem {
  id: string;
  dueDate: string | null;
  processInstanceId: string;
  retries: number;
  exceptionMessage: string | null;
  /** The jobcenter the record belongs to (its engine tenant); null for records of no jobcenter. */
  tenantId?: string | null;
}

export interface IncidentItem {
  id: string;
  processInstanceId: string;
  activityId: string;
  incidentType: string;
  incidentMessage: string | null;
  /** The jobcenter the record belongs to (its engine tenant); null for records of no jobcenter. */
  tenantId?: string | null;
}

export interface ExternalTaskItem {
  id: string;
  topicName: string;
  activityId: string;
  processInstanceId: string;
  retries: number | null;
  errorMessage: string | null;
  lockExpirationTime: string | null;
  workerId: string | null;
  /** The jobcenter the record belongs to (its engine tenant); null for records of no jobcenter. */
  tenantId?: string | null;
}

export interface GroupMembershipCandidate {
  groupId: string | null;
  userId: string | null;
  type: string;
}

function connectionRefused(e: unknown): boolean {
  return ((e as Error).cause as { code?: unknown } | undefined)?.code === 'ECONNREFUSED';
}

export class EngineRestClient {
  private readonly auth: string;
  private next = 0;

  constructor(
    private readonly bases: readonly string[],
    credentials: Credentials,
    private readonly timeoutMs = 30_000,
  ) {
    if (bases.length === 0) throw new Error('EngineRestClient needs at least one base URL');
    this.auth = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  }

  get baseUrl(): string {
    return this.bases[this.next % this.bases.length]!;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let lastError: Error | undefined;
    // Each request tries every node once, from the one in use; concurrent requests share only that pointer.
    const first = this.next % this.bases.length;
    for (let attempt = 0; attempt < this.bases.length; attempt++) {
      const index = (first + attempt) % this.bases.length;
      const base = this.bases[index]!;
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: this.auth,
            accept: 'application/json',
            ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
          },
          body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        // This node is away: try the next one of the cluster, if any.
        lastError = new EngineUnavailableError(
          `The engine at ${base} does not answer (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message})`,
        );
        // Move off this node, unless a request that failed at the same time already did: many requests failing
        // together must not step the pointer round the cluster and back onto the dead node.
        if (this.next % this.bases.length === index) this.next = index + 1;
        // A POST (start an instance, complete a task) that reached the node before the connection broke or timed
        // out may have been carried out: another node would do it a second time. Only a refused connection
        // is sure to have done nothing; the caller gets the others as "unavailable" and settles them itself.
        if (method === 'POST' && !connectionRefused(e)) throw lastError;
        continue;
      }
      const text = await res.text();
      if (!res.ok) {
        let detail = text;
        let type: string | undefined;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
          const problem = parsed as { message?: string; type?: string };
          detail = problem.message ?? text;
          type = problem.type;
        } catch {
          // not JSON: keep the text
        }
        throw new EngineRequestError(
          res.status,
          `${method} ${path.split('?')[0]} answered ${res.status}: ${detail}`,
          type,
          parsed,
        );
      }
      return (text ? JSON.parse(text) : undefined) as T;
    }
    throw lastError ?? new EngineUnavailableError('The engine does not answer');
  }

  version(): Promise<{ version: string }> {
    return this.request('GET', '/version');
  }

  /** One deployment of many files; with duplicate filtering, unchanged resources make no new version. */
  deploy(
    name: string,
    files: { name: string; content: string | Buffer }[],
  ): Promise<{ id: string; deployedProcessDefinitions: Record<string, unknown> | null }> {
    const form = new FormData();
    form.append('deployment-name', name);
    form.append('deployment-source', 'jobcenter-orchestrator');
    form.append('enable-duplicate-filtering', 'true');
    form.append('deploy-changed-only', 'true');
    for (const f of files)
      form.append(f.name, new Blob([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)]), f.name);
    return this.request('POST', '/deployment/create', form);
  }

  startProcess(key: string, businessKey: string, variables: Record<string, unknown>): Promise<ProcessInstanceItem> {
    return this.request('POST', `/process-definition/key/${encodeURIComponent(key)}/start`, {
      businessKey,
      variables: toEngineVariables(variables),
    });
  }

  processInstances(query: Record<string, string>): Promise<ProcessInstanceItem[]> {
    return this.request('GET', `/process-instance?${new URLSearchParams(query)}`);
  }

  deleteProcessInstance(id: string): Promise<void> {
    return this.request('DELETE', `/process-instance/${id}?skipCustomListeners=true&skipIoMappings=true`);
  }

  historicProcessInstances(query: Record<string, string>): Promise<HistoricProcessInstanceItem[]> {
    return this.request('GET', `/history/process-instance?${new URLSearchParams(query)}`);
  }

  historicProcessInstance(id: string): Promise<HistoricProcessInstanceItem> {
    return this.request('GET', `/history/process-instance/${id}`);
  }

  historicActivities(
    query: Record<string, string>,
  ): Promise<{ activityId: string; activityType: string; endTime: string | null; canceled: boolean }[]> {
    return this.request('GET', `/history/activity-instance?${new URLSearchParams(query)}`);
  }

  tasks(query: Record<string, string>): Promise<TaskItem[]> {
    return this.request('GET', `/task?${new URLSearchParams(query)}`);
  }

  /** A variable as the task sees it: its own scope first, then the enclosing ones (the multi-instance iteration's). */
  async taskVariable(taskId: string, name: string): Promise<EngineVariable | undefined> {
    try {
      return await this.request<EngineVariable>(
        'GET',
        `/task/${taskId}/variables/${encodeURIComponent(name)}?deserializeValue=false`,
      );
    } catch (e) {
      if (e instanceof EngineRequestError && e.status === 404) return undefined;
      throw e;
    }
  }

  completeTask(taskId: string, variables: Record<string, unknown>): Promise<void> {
    return this.request('POST', `/task/${taskId}/complete`, { variables: toEngineVariables(variables) });
  }

  taskCandidates(taskId: string): Promise<GroupMembershipCandidate[]> {
    return this.request('GET', `/task/${taskId}/identity-links?type=candidate`);
  }

  executions(query: Record<string, string>): Promise<{ id: string; processInstanceId: string; ended: boolean }[]> {
    return this.request('GET', `/execution?${new URLSearchParams(query)}`);
  }

  correlateMessage(
    messageName: string,
    to: { processInstanceId: string } | { businessKey: string },
    variables: Record<string, unknown>,
  ): Promise<unknown> {
    return this.request('POST', '/message', {
      messageName,
      ...to,
      processVariables: toEngineVariables(variables),
      resultEnabled: true,
    });
  }

  evaluateDecision(key: string, variables: Record<string, unknown>): Promise<Record<string, EngineVariable>[]> {
    return this.request('POST', `/decision-definition/key/${encodeURIComponent(key)}/evaluate`, {
      variables: toEngineVariables(variables),
    });
  }

  variableInstances(query: Record<string, string>): Promise<VariableInstanceItem[]> {
    return this.request('GET', `/variable-instance?${new URLSearchParams({ deserializeValues: 'false', ...query })}`);
  }

  historicVariableInstances(query: Record<string, string>): Promise<VariableInstanceItem[]> {
    return this.request(
      'GET',
      `/history/variable-instance?${new URLSearchParams({ deserializeValues: 'false', ...query })}`,
    );
  }

  historicIncidents(query: Record<string, string>): Promise<IncidentItem[]> {
    return this.request('GET', `/history/incident?${new URLSearchParams(query)}`);
  }

  incidents(query: Record<string, string>): Promise<IncidentItem[]> {
    return this.request('GET', `/incident?${new URLSearchParams(query)}`);
  }

  jobs(query: Record<string, string>): Promise<JobItem[]> {
    return this.request('GET', `/job?${new URLSearchParams(query)}`);
  }

  /** Runs a job (a timer) now, synchronously: the tests' way to let a deadline pass without waiting for it. */
  executeJob(id: string): Promise<void> {
    return this.request('POST', `/job/${id}/execute`);
  }

  externalTasks(query: Record<string, string>): Promise<ExternalTaskItem[]> {
    return this.request('GET', `/external-task?${new URLSearchParams(query)}`);
  }
}
