/**
 * A small client for the engine's REST API v2 (what gRPC cannot do: Camunda user tasks, searches that
 * Operate shows, deployments of forms) and for the actuator (health, clock).
 */
import type { EngineEndpoints } from './endpoints.js';

/** The engine did not answer at all: callers turn this into 503. */
export class EngineUnavailableError extends Error {}

/** The engine answered with an error: `status` and the engine's own message. */
export class EngineRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SearchPage<T> {
  items: T[];
  page: { totalItems: number };
}

export interface UserTaskItem {
  userTaskKey: string;
  elementId: string;
  processInstanceKey: string;
  state: string;
  formKey?: string;
  candidateGroups?: string[];
  dueDate?: string;
}

export interface ProcessInstanceItem {
  processInstanceKey: string;
  processDefinitionId: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident?: boolean;
}

export interface VariableItem {
  name: string;
  value: string;
  processInstanceKey: string;
  scopeKey: string;
}

export interface ElementInstanceItem {
  elementId: string;
  elementInstanceKey: string;
  type: string;
  state: string;
  processInstanceKey: string;
}

export class EngineRestClient {
  private readonly auth: string;

  constructor(
    private readonly endpoints: EngineEndpoints,
    private readonly timeoutMs = 15_000,
  ) {
    this.auth = `Basic ${Buffer.from(`${endpoints.user}:${endpoints.password}`).toString('base64')}`;
  }

  private async request<T>(base: string, method: string, path: string, body?: unknown | FormData): Promise<T> {
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
      throw new EngineUnavailableError(`The engine at ${base} does not answer (${(e as Error).message})`);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      try {
        const problem = JSON.parse(text) as { detail?: string; title?: string; message?: string };
        detail = problem.detail ?? problem.message ?? problem.title ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new EngineRequestError(res.status, `${method} ${path} answered ${res.status}: ${detail}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private rest<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(this.endpoints.rest, method, path, body);
  }

  health(): Promise<{ status: string }> {
    return this.request(this.endpoints.actuator, 'GET', '/actuator/health');
  }

  topology(): Promise<{ brokers: { partitions: { partitionId: number; role: string; health: string }[] }[]; partitionsCount: number }> {
    return this.rest('GET', '/v2/topology');
  }

  async deploy(name: string, content: string): Promise<unknown> {
    const form = new FormData();
    form.append('resources', new Blob([content]), name);
    return this.rest('POST', '/v2/deployments', form);
  }

  createProcessInstance(processDefinitionId: string, variables: Record<string, unknown>): Promise<{ processInstanceKey: string }> {
    return this.rest('POST', '/v2/process-instances', { processDefinitionId, variables });
  }

  cancelProcessInstance(processInstanceKey: string): Promise<void> {
    return this.rest('POST', `/v2/process-instances/${processInstanceKey}/cancellation`, {});
  }

  searchUserTasks(filter: Record<string, unknown>): Promise<SearchPage<UserTaskItem>> {
    return this.rest('POST', '/v2/user-tasks/search', { filter, page: { limit: 100 } });
  }

  searchUserTaskVariables(userTaskKey: string, filter: Record<string, unknown>): Promise<SearchPage<VariableItem>> {
    return this.rest('POST', `/v2/user-tasks/${userTaskKey}/variables/search?truncateValues=false`, { filter, page: { limit: 100 } });
  }

  evaluateDecision(decisionDefinitionId: string, variables: Record<string, unknown>): Promise<{ output: string }> {
    return this.rest('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId, variables });
  }

  completeUserTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void> {
    return this.rest('POST', `/v2/user-tasks/${userTaskKey}/completion`, { variables });
  }

  searchProcessInstances(filter: Record<string, unknown>, limit = 100): Promise<SearchPage<ProcessInstanceItem>> {
    return this.rest('POST', '/v2/process-instances/search', { filter, page: { limit } });
  }

  searchElementInstances(filter: Record<string, unknown>): Promise<SearchPage<ElementInstanceItem>> {
    return this.rest('POST', '/v2/element-instances/search', { filter, page: { limit: 100 } });
  }

  searchVariables(filter: Record<string, unknown>, limit = 1000, after?: string): Promise<SearchPage<VariableItem> & { page: { endCursor?: string } }> {
    return this.rest('POST', '/v2/variables/search?truncateValues=false', { filter, page: { limit, ...(after ? { after } : {}) } });
  }

  publishMessage(name: string, correlationKey: string, variables: Record<string, unknown>, messageId?: string): Promise<unknown> {
    return this.rest('POST', '/v2/messages/publication', { name, correlationKey, variables, timeToLive: 0, ...(messageId ? { messageId } : {}) });
  }

  pinClock(epochMilli: number): Promise<unknown> {
    return this.rest('PUT', '/v2/clock', { timestamp: epochMilli });
  }

  resetClock(): Promise<unknown> {
    return this.rest('POST', '/v2/clock/reset', {});
  }
}
