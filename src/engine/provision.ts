/**
 * Makes the engine's identity match the diagrams and the jobcenter settings, idempotently and with the
 * administrator's login: a group per staff role and per team (so Tasklist shows each task to its candidate
 * group), the technical user of the API and the workers with only the permissions they need (no user, group or
 * authorization administration), one tenant per jobcenter with its members (provisionTenants), and on a local
 * engine one login per staff role and jobcenter for trying Tasklist.
 */
import type { Logger } from 'winston';

import type { JobcenterSettings } from '../config/jobcenter.js';
import { ROLES } from '../config/roles.js';
import type { Credentials } from './endpoints.js';
import { EngineRequestError, type EngineRestClient } from './rest-client.js';

/** Operaton's resource types (org.operaton.bpm.engine.authorization.Resources). */
export const Resource = {
  APPLICATION: 0,
  FILTER: 5,
  PROCESS_DEFINITION: 6,
  TASK: 7,
  PROCESS_INSTANCE: 8,
  DEPLOYMENT: 9,
  DECISION_DEFINITION: 10,
  DECISION_REQUIREMENTS_DEFINITION: 14,
  HISTORIC_TASK: 19,
  HISTORIC_PROCESS_INSTANCE: 20,
} as const;

export const TECHNICAL_GROUP = 'orchestrator';

export interface Grant {
  groupId: string;
  resourceType: number;
  resourceId: string;
  permissions: string[];
}

export interface ProvisioningPlan {
  groups: { id: string; name: string; type: string }[];
  technicalUser: Credentials;
  grants: Grant[];
  /** Local only: one Tasklist login per staff role and jobcenter (localStaffLogins), password as given. */
  staffLogins: { id: string; password: string; groups: string[] }[];
  /** Tasklist filters every staff group reads, found again by name. */
  filters: TaskFilter[];
}

export interface TaskFilter {
  name: string;
  query: Record<string, unknown>;
  properties: Record<string, unknown>;
  /** The groups granted READ on this filter by its id. */
  groups: string[];
}

/**
 * Tasklist's list shows the variables a filter names: the Vorgangsnummer (process variable `caseNumber`, a
 * reference, no personal data) lets staff find the case in the workspace and in letters. The query is empty like
 * the engine host's "All tasks": the engine shows each user the tasks of their candidate groups.
 */
export const CASE_NUMBER_FILTER = 'Aufgaben mit Vorgangsnummer';

const STAFF_ROLES = ROLES.filter((r) => r !== 'ADMIN');
const ROLE_NAMES: Record<string, string> = {
  EZ: 'Eingangszone',
  SC: 'Servicecenter',
  POST: 'Posteingang',
  LG: 'Leistungsgewährung',
  BI: 'Beratung und Integration',
  IFK: 'Integrationsfachkräfte',
  TL: 'Teamleitungen',
};

export function teamGroupId(teamId: string): string {
  return `team-${teamId}`;
}

/** The group that binds a staff account to one jobcenter in the workspace (src/workspace/login.ts); no grants of its own. */
export function jobcenterGroupId(jobcenterId: string): string {
  return `jobcenter-${jobcenterId}`;
}

export function provisioningPlan(
  jobcenters: Iterable<JobcenterSettings>,
  technicalUser: Credentials,
  staffPassword?: string,
): ProvisioningPlan {
  const all = [...jobcenters];
  const teams = all.flatMap((jc) =>
    jc.teams.map((t) => ({ id: teamGroupId(t.id), name: `${jc.name}: ${t.name ?? t.id}`, type: 'WORKFLOW' })),
  );
  const groups = [
    ...STAFF_ROLES.map((r) => ({ id: r, name: ROLE_NAMES[r] ?? r, type: 'WORKFLOW' })),
    ...teams,
    ...all.map((jc) => ({ id: jobcenterGroupId(jc.id), name: jc.name, type: 'JOBCENTER' })),
    { id: TECHNICAL_GROUP, name: 'Orchestrator (API and workers)', type: 'SYSTEM' },
  ];
  const staffGroups = groups.filter((g) => g.type === 'WORKFLOW').map((g) => g.id);
  const grants: Grant[] = [
    // The API starts instances, completes tasks, correlates messages, evaluates decisions, deploys; the workers
    // fetch and complete external tasks. Nothing of users, groups, authorizations or the system.
    ...[
      Resource.PROCESS_DEFINITION,
      Resource.PROCESS_INSTANCE,
      Resource.TASK,
      Resource.DEPLOYMENT,
      Resource.DECISION_DEFINITION,
      Resource.DECISION_REQUIREMENTS_DEFINITION,
      Resource.HISTORIC_TASK,
      Resource.HISTORIC_PROCESS_INSTANCE,
    ].map((resourceType) => ({ groupId: TECHNICAL_GROUP, resourceType, resourceId: '*', permissions: ['ALL'] })),
    // Staff see Tasklist and its "All tasks" filter; the engine itself grants them the tasks of their candidate groups.
    ...staffGroups.flatMap((groupId) => [
      { groupId, resourceType: Resource.APPLICATION, resourceId: 'tasklist', permissions: ['ACCESS'] },
      { groupId, resourceType: Resource.FILTER, resourceId: '*', permissions: ['READ'] },
      // READ_INSTANCE: Tasklist reads the variables a filter shows (the Vorgangsnummer) through the process
      // instance; they hold ids, dates, enums and flags only, never personal data.
      { groupId, resourceType: Resource.PROCESS_DEFINITION, resourceId: '*', permissions: ['READ', 'READ_INSTANCE'] },
      { groupId, resourceType: Resource.DEPLOYMENT, resourceId: '*', permissions: ['READ'] },
    ]),
    // Team leads watch the instances in Cockpit, read-only.
    { groupId: 'TL', resourceType: Resource.APPLICATION, resourceId: 'cockpit', permissions: ['ACCESS'] },
    {
      groupId: 'TL',
      resourceType: Resource.PROCESS_DEFINITION,
      resourceId: '*',
      permissions: ['READ', 'READ_INSTANCE', 'READ_HISTORY', 'READ_TASK'],
    },
    { groupId: 'TL', resourceType: Resource.PROCESS_INSTANCE, resourceId: '*', permissions: ['READ'] },
    { groupId: 'TL', resourceType: Resource.HISTORIC_PROCESS_INSTANCE, resourceId: '*', permissions: ['READ'] },
    {
      groupId: 'TL',
      resourceType: Resource.DECISION_DEFINITION,
      resourceId: '*',
      permissions: ['READ', 'READ_HISTORY'],
    },
  ];
  const staffLogins = staffPassword ? localStaffLogins(all, staffPassword) : [];
  const filters: TaskFilter[] = [
    {
      name: CASE_NUMBER_FILTER,
      query: { sorting: [{ sortBy: 'dueDate', sortOrder: 'asc' }] },
      properties: {
        description: 'Offene Aufgaben Ihrer Gruppen mit Vorgangsnummer, nach Fälligkeit',
        // After the engine host's "All tasks", which stays the list Tasklist opens with.
        priority: 10,
        refresh: false,
        variables: [{ name: 'caseNumber', label: 'Vorgangsnummer' }],
      },
      groups: staffGroups,
    },
  ];
  return { groups, technicalUser, grants, staffLogins, filters };
}

/** The local supervisor's login: team lead (TL) of every jobcenter, like a regional M&I lead over several. */
export const REGIONAL_LEAD_LOGIN = 'regio-tl';

/**
 * Local trial logins, one per staff role and jobcenter, each in its jobcenter's group (which makes it a member of
 * that tenant): the first jobcenter's keep the short names the README documents (`ez`, `tl`, ...), every other
 * jobcenter's are `<jobcenter>-<role>` (`wuppertal-ez`). `regio-tl` leads every jobcenter's teams.
 */
export function localStaffLogins(
  jobcenters: readonly JobcenterSettings[],
  password: string,
): ProvisioningPlan['staffLogins'] {
  const perJobcenter = jobcenters.flatMap((jc, i) =>
    STAFF_ROLES.map((r) => ({
      id: i === 0 ? r.toLowerCase() : `${jc.id}-${r.toLowerCase()}`,
      password,
      // A role's login also belongs to that role's teams, so a placement officer sees the team tasks too.
      groups: [
        r,
        jobcenterGroupId(jc.id),
        ...(r === 'IFK' || r === 'BI' ? jc.teams.map((t) => teamGroupId(t.id)) : []),
      ],
    })),
  );
  const regional = jobcenters.length
    ? [{ id: REGIONAL_LEAD_LOGIN, password, groups: ['TL', ...jobcenters.map((jc) => jobcenterGroupId(jc.id))] }]
    : [];
  return [...perJobcenter, ...regional];
}

/**
 * One Operaton tenant per jobcenter (tenant id = jobcenter id, which the engine host's tenant-id provider gives each
 * instance from its `jobcenter` start variable) and who is a member: the jobcenter's group, so its staff see
 * its tasks, instances and history and nothing of another's, and the technical user's group, so the API and
 * the workers act for every jobcenter. The technical user is no administrator (an administrator would pass the
 * tenant check without memberships).
 */
export interface TenantPlan {
  tenants: { id: string; name: string }[];
  groupMembers: { tenantId: string; groupId: string }[];
}

export function tenantPlan(jobcenters: Iterable<Pick<JobcenterSettings, 'id' | 'name'>>): TenantPlan {
  const all = [...jobcenters];
  return {
    tenants: all.map((jc) => ({ id: jc.id, name: jc.name })),
    groupMembers: all.flatMap((jc) => [
      { tenantId: jc.id, groupId: jobcenterGroupId(jc.id) },
      { tenantId: jc.id, groupId: TECHNICAL_GROUP },
    ]),
  };
}

/**
 * Creates the missing tenants and memberships. It reads what is there in a few queries (all tenants, then the
 * tenants of each group) rather than one per object, so 400 jobcenters take seconds at every start, not minutes.
 */
export async function provisionTenants(admin: EngineRestClient, plan: TenantPlan, log: Logger): Promise<number> {
  const listTenants = async (query: Record<string, string> = {}) =>
    new Set(
      (
        await admin.request<{ id: string }[]>(
          'GET',
          `/tenant?${new URLSearchParams({ maxResults: '100000', ...query })}`,
        )
      ).map((t) => t.id),
    );
  // What the listings say is missing is created straight away; a refusal is success when another replica was
  // quicker (the object is there now), else an error.
  const createMissing = async (create: () => Promise<unknown>, there: () => Promise<boolean>) => {
    try {
      await create();
      return 1;
    } catch (e) {
      if (e instanceof EngineRequestError && (await there())) return 0;
      throw e;
    }
  };
  let created = 0;
  const existing = await listTenants();
  for (const t of plan.tenants) {
    if (existing.has(t.id)) continue;
    created += await createMissing(
      () => admin.request('POST', '/tenant/create', t),
      () => exists(admin, `/tenant/${encodeURIComponent(t.id)}`),
    );
  }
  const byGroup = new Map<string, string[]>();
  for (const m of plan.groupMembers) byGroup.set(m.groupId, [...(byGroup.get(m.groupId) ?? []), m.tenantId]);
  for (const [groupId, tenantIds] of byGroup) {
    const memberOf = await listTenants({ groupMember: groupId });
    for (const tenantId of tenantIds) {
      if (memberOf.has(tenantId)) continue;
      created += await createMissing(
        () =>
          admin.request('PUT', `/tenant/${encodeURIComponent(tenantId)}/group-members/${encodeURIComponent(groupId)}`),
        async () => (await listTenants({ groupMember: groupId, id: tenantId })).has(tenantId),
      );
    }
  }
  log.info(
    `Engine tenants provisioned: ${plan.tenants.length} tenants, ${plan.groupMembers.length} group memberships (${created} created now)`,
  );
  return created;
}

/**
 * Creates what `stillMissing` says is missing. Two replicas of the app may provision the same engine at once;
 * when the create is refused because the other one was quicker, that is success too.
 */
async function createUnlessThere(
  stillMissing: () => Promise<boolean>,
  create: () => Promise<unknown>,
): Promise<boolean> {
  if (!(await stillMissing())) return false;
  try {
    await create();
    return true;
  } catch (e) {
    if (e instanceof EngineRequestError && !(await stillMissing())) return false;
    throw e;
  }
}

async function exists(client: EngineRestClient, path: string): Promise<boolean> {
  try {
    await client.request('GET', path);
    return true;
  } catch (e) {
    if (e instanceof EngineRequestError && e.status === 404) return false;
    throw e;
  }
}

function ensureUser(
  client: EngineRestClient,
  id: string,
  password: string,
  firstName: string,
  lastName: string,
): Promise<boolean> {
  return createUnlessThere(
    async () => !(await exists(client, `/user/${encodeURIComponent(id)}/profile`)),
    () =>
      client.request('POST', '/user/create', {
        profile: { id, firstName, lastName, email: `${id}@jobcenter.example` },
        credentials: { password },
      }),
  );
}

async function ensureMember(client: EngineRestClient, groupId: string, userId: string): Promise<void> {
  // The engine answers a second PUT of the same membership with a persistence error: look first.
  await createUnlessThere(
    async () =>
      (await client.request<{ id: string }[]>('GET', `/group?${new URLSearchParams({ member: userId, id: groupId })}`))
        .length === 0,
    () => client.request('PUT', `/group/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}`),
  );
}

async function ensureGrant(client: EngineRestClient, grant: Grant): Promise<void> {
  const query = new URLSearchParams({
    groupIdIn: grant.groupId,
    resourceType: String(grant.resourceType),
    resourceId: grant.resourceId,
    type: '1',
  });
  const lookUp = () => client.request<{ id: string; permissions: string[] }[]>('GET', `/authorization?${query}`);
  const body = {
    type: 1,
    permissions: grant.permissions,
    groupId: grant.groupId,
    userId: null,
    resourceType: grant.resourceType,
    resourceId: grant.resourceId,
  };
  if (
    await createUnlessThere(
      async () => (await lookUp()).length === 0,
      () => client.request('POST', '/authorization/create', body),
    )
  )
    return;
  const [found] = await lookUp();
  if (found && [...grant.permissions].sort().join() !== [...found.permissions].sort().join())
    await client.request('PUT', `/authorization/${found.id}`, body);
}

/** Creates the filter, or brings one of its name back to the plan; then grants its groups READ on it. */
async function ensureFilter(client: EngineRestClient, filter: TaskFilter): Promise<void> {
  const lookUp = async () =>
    (
      await client.request<{ id: string; query: unknown; properties: unknown }[]>(
        'GET',
        `/filter?${new URLSearchParams({ resourceType: 'Task', name: filter.name })}`,
      )
    )[0];
  const body = {
    resourceType: 'Task',
    name: filter.name,
    owner: null,
    query: filter.query,
    properties: filter.properties,
  };
  await createUnlessThere(
    async () => (await lookUp()) === undefined,
    () => client.request('POST', '/filter/create', body),
  );
  const found = await lookUp();
  if (!found) throw new Error(`The Tasklist filter "${filter.name}" was created but cannot be found`);
  if (
    JSON.stringify(found.properties) !== JSON.stringify(filter.properties) ||
    JSON.stringify((found.query as { sorting?: unknown }).sorting) !== JSON.stringify(filter.query.sorting)
  )
    await client.request('PUT', `/filter/${found.id}`, body);
  for (const groupId of filter.groups)
    await ensureGrant(client, { groupId, resourceType: Resource.FILTER, resourceId: found.id, permissions: ['READ'] });
}

export async function provision(admin: EngineRestClient, plan: ProvisioningPlan, log: Logger): Promise<void> {
  let created = 0;
  for (const g of plan.groups) {
    if (
      await createUnlessThere(
        async () => !(await exists(admin, `/group/${encodeURIComponent(g.id)}`)),
        () => admin.request('POST', '/group/create', g),
      )
    )
      created++;
  }
  if (await ensureUser(admin, plan.technicalUser.user, plan.technicalUser.password, 'Orchestrator', 'Technical user'))
    created++;
  await ensureMember(admin, TECHNICAL_GROUP, plan.technicalUser.user);
  for (const login of plan.staffLogins) {
    if (await ensureUser(admin, login.id, login.password, login.id.toUpperCase(), 'Demo')) created++;
    for (const g of login.groups) await ensureMember(admin, g, login.id);
  }
  for (const grant of plan.grants) await ensureGrant(admin, grant);
  for (const filter of plan.filters) await ensureFilter(admin, filter);
  log.info(
    `Engine identity provisioned: ${plan.groups.length} groups, technical user ${plan.technicalUser.user}, ${plan.grants.length} authorizations (${created} created now)`,
  );
}
