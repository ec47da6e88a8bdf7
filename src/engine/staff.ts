/**
 * The engine as the staff workspace sees it: who a staff member is (the engine's identity service, the same
 * accounts as Tasklist and Cockpit, LDAP in production through Operaton's LDAP plugin), and the user tasks of their
 * groups, claimed and given back in their name. The workspace keeps no passwords and writes no personal data here.
 */
import { EngineRequestError, EngineRestClient, type TaskItem } from './rest-client.js';
import { type EngineVariable, fromEngineVariables, toEngineVariables } from './variables.js';

export interface StaffAccount {
  userId: string;
  groups: string[];
}

export interface StaffTask {
  id: string;
  name: string | null;
  taskDefinitionKey: string;
  processInstanceId: string;
  assignee: string | null;
  created: string | null;
  due: string | null;
}

export interface StaffEngine {
  /** The account and its group ids when the password is right; undefined for an unknown user or a wrong password. */
  verify(userId: string, password: string): Promise<StaffAccount | undefined>;
  /** Open user tasks of these candidate groups (claimed or not) and those assigned to the user, soonest due first. */
  openTasks(userId: string, groups: readonly string[], max: number): Promise<StaffTask[]>;
  /** One open task with its candidate groups; undefined when it is gone (completed, deleted). */
  task(taskId: string): Promise<(StaffTask & { candidateGroups: string[] }) | undefined>;
  claim(taskId: string, userId: string): Promise<void>;
  unclaim(taskId: string): Promise<void>;
  /** The task's Camunda Form as deployed with its process; undefined when the task has none or is gone. */
  taskForm(taskId: string): Promise<unknown>;
  /** These variables as the task sees them (local before process), the ones that exist. */
  taskVariables(taskId: string, names: readonly string[]): Promise<Record<string, unknown>>;
  /** Completes the task with these variables, each typed by its value. */
  complete(taskId: string, variables: Record<string, unknown>): Promise<void>;
}

/** Operaton's user ids are short names; anything else cannot be an account and never reaches the engine. */
export const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;

/** The engine's task as the workspace uses it. */
export const toStaffTask = (t: TaskItem & { created?: string | null }): StaffTask => ({
  id: t.id,
  name: t.name,
  taskDefinitionKey: t.taskDefinitionKey,
  processInstanceId: t.processInstanceId,
  assignee: t.assignee,
  created: t.created ?? null,
  due: t.due,
});

export class RestStaffEngine implements StaffEngine {
  constructor(
    /** The technical user's client: tasks, claims. */
    private readonly client: EngineRestClient,
    private readonly bases: readonly string[],
  ) {}

  /**
   * Asked with the staff member's own login: `GET /identity/groups` checks the password (401 when wrong) and names
   * the groups in one call, and the technical user needs no READ on users or groups (Operaton answers its
   * `POST /identity/verify` with 403 without them). Wrong passwords count towards the engine's login throttling
   * and lock-out for that user, as in Tasklist.
   */
  async verify(userId: string, password: string): Promise<StaffAccount | undefined> {
    if (!USER_ID.test(userId) || !password) return undefined;
    const own = new EngineRestClient(this.bases, { user: userId, password }, 10_000);
    try {
      const answer = await own.request<{ groups: { id: string }[] }>(
        'GET',
        `/identity/groups?${new URLSearchParams({ userId })}`,
      );
      return { userId, groups: answer.groups.map((g) => g.id) };
    } catch (e) {
      if (e instanceof EngineRequestError && (e.status === 401 || e.status === 403)) return undefined;
      throw e;
    }
  }

  async openTasks(userId: string, groups: readonly string[], max: number): Promise<StaffTask[]> {
    const sort = { sortBy: 'dueDate', sortOrder: 'asc', maxResults: String(max) };
    const [ofGroups, mine] = await Promise.all([
      groups.length
        ? this.client.tasks({ candidateGroups: groups.join(','), includeAssignedTasks: 'true', ...sort })
        : Promise.resolve([]),
      this.client.tasks({ assignee: userId, ...sort }),
    ]);
    const byId = new Map<string, StaffTask>();
    for (const t of [...ofGroups, ...mine]) byId.set(t.id, toStaffTask(t));
    return [...byId.values()];
  }

  async task(taskId: string): Promise<(StaffTask & { candidateGroups: string[] }) | undefined> {
    try {
      const t = await this.client.request<TaskItem>('GET', `/task/${encodeURIComponent(taskId)}`);
      const links = await this.client.taskCandidates(taskId);
      return { ...toStaffTask(t), candidateGroups: links.flatMap((l) => (l.groupId ? [l.groupId] : [])) };
    } catch (e) {
      if (e instanceof EngineRequestError && e.status === 404) return undefined;
      throw e;
    }
  }

  async claim(taskId: string, userId: string): Promise<void> {
    await this.client.request('POST', `/task/${encodeURIComponent(taskId)}/claim`, { userId });
  }

  async unclaim(taskId: string): Promise<void> {
    await this.client.request('POST', `/task/${encodeURIComponent(taskId)}/unclaim`);
  }

  async taskForm(taskId: string): Promise<unknown> {
    const id = encodeURIComponent(taskId);
    try {
      // Our diagrams link forms with camunda:formRef; the engine resolves the binding (latest, deployment,
      // version) to the form it deployed, which is the truth, not the file in processes/forms.
      const form = await this.client.request<{
        key?: string | null;
        operatonFormRef?: unknown;
        camundaFormRef?: unknown;
      }>('GET', `/task/${id}/form`);
      // Operaton names Camunda 7's camundaFormRef and camunda-forms: keys after itself; either means a deployed form.
      const deployed =
        !!(form.operatonFormRef ?? form.camundaFormRef) || /^(operaton|camunda)-forms:/.test(form.key ?? '');
      if (!deployed) return undefined;
      return await this.client.request<unknown>('GET', `/task/${id}/deployed-form`);
    } catch (e) {
      if (e instanceof EngineRequestError && (e.status === 404 || e.status === 400)) return undefined;
      throw e;
    }
  }

  async taskVariables(taskId: string, names: readonly string[]): Promise<Record<string, unknown>> {
    if (!names.length) return {};
    const query = new URLSearchParams({ variableNames: names.join(','), deserializeValues: 'false' });
    const vars = await this.client.request<Record<string, EngineVariable>>(
      'GET',
      `/task/${encodeURIComponent(taskId)}/form-variables?${query}`,
    );
    return fromEngineVariables(vars);
  }

  async complete(taskId: string, variables: Record<string, unknown>): Promise<void> {
    await this.client.request('POST', `/task/${encodeURIComponent(taskId)}/complete`, {
      variables: toEngineVariables(variables),
    });
  }
}
