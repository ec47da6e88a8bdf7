/**
 * Many jobcenters on one engine, each a tenant: Cottbus and a fixture jobcenter ("Testmandant", Cottbus's settings
 * under another id) run the SAME model with the SAME candidate groups (EZ, TL), so only the tenant keeps them
 * apart. The fixture jobcenter is provisioned as `npm start` provisions any jobcenter (provision, provisionTenants);
 * every check is made with the staff member's own engine login, as Tasklist and Cockpit make it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';

import type { JobcenterSettings } from '../../src/config/jobcenter.js';
import { loadConfig } from '../../src/config/load.js';
import { tokenTable } from '../../src/config/tokens.js';
import { engineEndpoints } from '../../src/engine/endpoints.js';
import { scanEngine } from '../../src/engine/privacy-scan.js';
import {
  localStaffLogins,
  provision,
  provisioningPlan,
  provisionTenants,
  REGIONAL_LEAD_LOGIN,
  tenantPlan,
} from '../../src/engine/provision.js';
import { EngineRequestError, EngineRestClient, type TaskItem } from '../../src/engine/rest-client.js';
import { createLogger } from '../../src/log/logger.js';
import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../tools/browser/chromium.js';
import { aMember, anApplication, today } from '../support/application.js';
import { openTasks } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { bearer, TOKENS } from '../support/tokens.js';
import { logInToWebapp } from '../support/webapp-login.js';
import { integrationEnv } from './engine-env.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(240_000);

const ARTIFACTS = 'test/artifacts';
const MODEL = 'neukunde-cottbus';
/** An EZ token bound to Cottbus, as API_TOKENS binds a jobcenter's front-desk integration. */
const COTTBUS_EZ_TOKEN = 'ez-cottbus-only-0123456789';

const config = loadConfig(integrationEnv);
const cottbus = config.jobcenters.get('cottbus')!;
/** A second jobcenter that runs the Cottbus model: Cottbus's settings under its own id and caseworker ids. */
const testmandant: JobcenterSettings = {
  ...cottbus,
  id: 'testmandant',
  name: 'Jobcenter Testmandant',
  caseworkers: cottbus.caseworkers.map((c) => ({ ...c, id: `tm-${c.id}` })),
};
const jobcenters = new Map([...config.jobcenters, [testmandant.id, testmandant]]);

/** The local login of a role in one jobcenter, as provisioning names it (the short names belong to the first jobcenter). */
function loginOf(role: string, jobcenter: string): string {
  const login = localStaffLogins([...jobcenters.values()], LOCAL_STAFF_PASSWORD).find(
    (l) => l.groups.includes(role) && l.groups.includes(`jobcenter-${jobcenter}`) && l.id !== REGIONAL_LEAD_LOGIN,
  );
  if (!login) throw new Error(`no local ${role} login for ${jobcenter}`);
  return login.id;
}

async function statusOf(call: Promise<unknown>): Promise<number> {
  return (await answerOf(call)).status;
}

async function answerOf(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
    return { status: 200, message: '' };
  } catch (e) {
    if (e instanceof EngineRequestError) return { status: e.status, message: e.message };
    throw e;
  }
}

describe('one engine, a tenant per jobcenter, two jobcenters on the same model', () => {
  let system: System;
  let browser: Browser | undefined;
  const own = (user: string) => new EngineRestClient(system.endpoints.rest, { user, password: LOCAL_STAFF_PASSWORD });
  const cases: Record<'cottbus' | 'testmandant', { id: string; instance: string; task: TaskItem }> = {} as never;

  beforeAll(async () => {
    const log = createLogger({ level: 'warn', format: 'json' });
    // What `npm start` does for every jobcenter in its settings, here for the fixture jobcenter too.
    const endpoints = engineEndpoints(config.env);
    const admin = new EngineRestClient(endpoints.rest, endpoints.administrator!);
    await provision(admin, provisioningPlan(jobcenters.values(), endpoints.technical, LOCAL_STAFF_PASSWORD), log);
    await provisionTenants(admin, tenantPlan(jobcenters.values()), log);
    system = await startSystem({
      jobcenters,
      tokens: tokenTable({
        [TOKENS.ADMIN]: ['ADMIN'],
        [COTTBUS_EZ_TOKEN]: { roles: ['EZ'], jobcenter: 'cottbus' },
      }),
    });
    // Arrange: one front-desk application in each jobcenter, both waiting in the same ID check of the same model.
    for (const jobcenter of ['cottbus', 'testmandant'] as const) {
      const created = await request(system.app)
        .post('/api/v1/applications')
        .set(bearer(TOKENS.ADMIN))
        .send(
          anApplication({
            jobcenter,
            applicationDate: today(),
            members: [aMember({ givenName: 'Mandantin', familyName: `Tenant${jobcenter}${Date.now().toString(36)}` })],
          }),
        );
      expect(created.status).toBe(201);
      const instance = created.body.processInstanceId as string;
      const [task] = await openTasks(system.client, instance, 'UserTask_IdCheck');
      cases[jobcenter] = { id: created.body.id as string, instance, task: task! };
    }
  });
  afterAll(async () => {
    await browser?.close();
    for (const c of Object.values(cases)) await system?.client.deleteProcessInstance(c.instance).catch(() => undefined);
    await system?.close();
  });

  it('runs both on the one shared definition and gives instance, tasks, external tasks, jobs, decisions and history the jobcenter as tenant', async () => {
    const a = await system.client.request<{ definitionId: string; tenantId: string | null }>(
      'GET',
      `/process-instance/${cases.cottbus.instance}`,
    );
    const b = await system.client.request<{ definitionId: string; tenantId: string | null }>(
      'GET',
      `/process-instance/${cases.testmandant.instance}`,
    );
    expect(a.definitionId).toBe(b.definitionId);
    expect(a.tenantId).toBe('cottbus');
    expect(b.tenantId).toBe('testmandant');
    for (const [tenant, c] of Object.entries(cases)) {
      const instance = c.instance;
      expect(c.task.tenantId).toBe(tenant);
      expect((await system.client.historicProcessInstance(instance)).tenantId).toBe(tenant);
      const external = await system.client.request<{ tenantId: string | null }[]>(
        'GET',
        `/history/external-task-log?processInstanceId=${instance}`,
      );
      expect(external.length).toBeGreaterThan(0);
      expect(new Set(external.map((e) => e.tenantId))).toEqual(new Set([tenant]));
      // The MDS timers on the case's scope are the engine's jobs.
      const jobs = await eventually('the MDS timers', async () => {
        const found = await system.client.jobs({ processInstanceId: instance });
        return found.length ? found : undefined;
      });
      expect(new Set(jobs.map((j) => j.tenantId))).toEqual(new Set([tenant]));
      // The shared Neukunde decision resolved for the tenant's instance, and its history belongs to the tenant.
      const decisions = await system.client.request<{ decisionDefinitionKey: string; tenantId: string | null }[]>(
        'GET',
        `/history/decision-instance?processInstanceId=${instance}`,
      );
      expect(decisions.map((d) => d.decisionDefinitionKey)).toContain('neukunde');
      expect(new Set(decisions.map((d) => d.tenantId))).toEqual(new Set([tenant]));
    }
  });

  it('keeps tenants and memberships as engine objects Admin lists, and the technical user out of the administrators', async () => {
    const admin = new EngineRestClient(system.endpoints.rest, system.endpoints.administrator!);
    const tenantsOf = async (query: Record<string, string>) =>
      (await admin.request<{ id: string }[]>('GET', `/tenant?${new URLSearchParams(query)}`)).map((t) => t.id).sort();
    expect(await tenantsOf({ groupMember: 'jobcenter-testmandant' })).toEqual(['testmandant']);
    expect(await tenantsOf({ userMember: REGIONAL_LEAD_LOGIN, includingGroupsOfUser: 'true' })).toEqual(
      expect.arrayContaining(['cottbus', 'testmandant']),
    );
    expect(await tenantsOf({ groupMember: 'orchestrator' })).toEqual(
      expect.arrayContaining(['cottbus', 'testmandant']),
    );
    // The technical user reaches the tenants through memberships, not by being an administrator (who passes the check).
    const groups = await admin.request<{ id: string }[]>(
      'GET',
      `/group?${new URLSearchParams({ member: system.endpoints.technical.user })}`,
    );
    expect(groups.map((g) => g.id)).toEqual(['orchestrator']);
  });

  it("resolves the ID check's shared Camunda Form for each jobcenter's front desk", async () => {
    for (const jobcenter of ['cottbus', 'testmandant'] as const) {
      const form = await own(loginOf('EZ', jobcenter)).request<{ components?: unknown[] }>(
        'GET',
        `/task/${cases[jobcenter].task.id}/deployed-form`,
      );
      expect(form.components?.length).toBeGreaterThan(0);
    }
  });

  it("gives a front desk none of the other jobcenter's tasks through /engine-rest, and lets it complete none", async () => {
    for (const [mine, other] of [
      ['cottbus', 'testmandant'],
      ['testmandant', 'cottbus'],
    ] as const) {
      const frontDesk = own(loginOf('EZ', mine));
      const visible = await frontDesk.tasks({ processDefinitionKey: MODEL, maxResults: '1000' });
      const ids = visible.map((t) => t.id);
      expect(ids).toContain(cases[mine].task.id);
      expect(ids).not.toContain(cases[other].task.id);
      expect(new Set(visible.map((t) => t.tenantId))).toEqual(new Set([mine]));
      expect(await statusOf(frontDesk.request('GET', `/task/${cases[other].task.id}`))).toBe(404);
      // Refused by the tenant check itself (ENGINE-13034, answered as 500), not by a missing group.
      const complete = await answerOf(frontDesk.completeTask(cases[other].task.id, {}));
      expect(complete.status).toBeGreaterThanOrEqual(400);
      expect(complete.message).toMatch(/belongs to no authenticated tenant/);
      const claim = await answerOf(frontDesk.request('POST', `/task/${cases[other].task.id}/claim`, { userId: 'x' }));
      expect(claim.status).toBeGreaterThanOrEqual(400);
      expect(claim.message).toMatch(/belongs to no authenticated tenant/);
    }
    // The other's task is still open and unclaimed.
    const [still] = await system.client.tasks({ processInstanceId: cases.testmandant.instance });
    expect(still?.id).toBe(cases.testmandant.task.id);
    expect(still?.assignee).toBeNull();
  });

  it('shows a team lead only their instances and history (what Cockpit reads), and the regional lead both', async () => {
    const seen = async (user: string) => {
      const client = own(user);
      const q = new URLSearchParams({ processDefinitionKey: MODEL, maxResults: '10000' });
      const running = await client.request<{ id: string; tenantId: string | null }[]>('GET', `/process-instance?${q}`);
      const history = await client.request<{ id: string; tenantId: string | null }[]>(
        'GET',
        `/history/process-instance?${q}`,
      );
      return {
        running: running.map((p) => p.id),
        history: history.map((p) => p.id),
        tenants: new Set([...running, ...history].map((p) => p.tenantId)),
      };
    };
    const lead = await seen(loginOf('TL', 'cottbus'));
    expect(lead.running).toContain(cases.cottbus.instance);
    expect(lead.history).toContain(cases.cottbus.instance);
    expect(lead.running).not.toContain(cases.testmandant.instance);
    expect(lead.history).not.toContain(cases.testmandant.instance);
    expect(lead.tenants).toEqual(new Set(['cottbus']));
    const otherLead = await seen(loginOf('TL', 'testmandant'));
    expect(otherLead.running).toEqual([cases.testmandant.instance]);
    expect(otherLead.tenants).toEqual(new Set(['testmandant']));
    const regional = await seen(REGIONAL_LEAD_LOGIN);
    for (const c of Object.values(cases)) {
      expect(regional.running).toContain(c.instance);
      expect(regional.history).toContain(c.instance);
    }
  });

  it("shows a front desk in Tasklist its own jobcenter's ID check and not the other's", async () => {
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
    const logIn = async (user: string): Promise<Page> => {
      const page = await (
        await browser!.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
      ).newPage();
      await logInToWebapp(page, system.endpoints.tasklist, user);
      await page.getByText('All tasks').first().waitFor({ timeout: 60_000 });
      return page;
    };
    const page = await logIn(loginOf('EZ', 'testmandant'));
    // Its own task opens with the shared form...
    await page.goto(`${system.endpoints.tasklist}#/?task=${cases.testmandant.task.id}`);
    const identity = page.getByLabel('Identität anhand des Ausweisdokuments geprüft');
    await identity.waitFor({ timeout: 60_000 });
    // ...and "All tasks" counts exactly what the engine grants this login: no Cottbus task among them.
    const granted = await own(loginOf('EZ', 'testmandant')).request<{ count: number }>('GET', '/task/count');
    expect(granted.count).toBe(1);
    let shown = '';
    const listed = await eventually('the filter count', async () => {
      // The filter's name and its count sit in separate elements (the count maybe with its brackets drawn by
      // CSS): read the text of the filter list as a whole.
      shown = (await page.evaluate(() => document.body.textContent ?? '')).replace(/\s+/g, ' ');
      const n = /All tasks[ (]*(\d+)/.exec(shown)?.[1];
      return n === undefined ? undefined : Number(n);
    }).catch((e: unknown) => {
      writeFileSync(`${ARTIFACTS}/tasklist-tenant-text.txt`, shown);
      throw e;
    });
    expect(listed).toBe(granted.count);
    await page.screenshot({ path: `${ARTIFACTS}/tasklist-tenant-own.png` });
    // The other jobcenter's task, opened by its link, shows no form.
    await page.goto(`${system.endpoints.tasklist}#/?task=${cases.cottbus.task.id}`);
    await page.waitForTimeout(3000);
    await page.reload();
    await page.waitForTimeout(3000);
    expect(await page.getByLabel('Identität anhand des Ausweisdokuments geprüft').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/tasklist-tenant-other.png` });
    await page.context().close();
  });

  it("lists a team lead in Cockpit only their jobcenter's instances of the shared definition, and the regional lead both", async () => {
    browser ??= await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
    const { definitionId } = await system.client.request<{ definitionId: string }>(
      'GET',
      `/process-instance/${cases.cottbus.instance}`,
    );
    /** The instances Cockpit's instance list of the shared definition shows this login (newest first, one page). */
    const listedInCockpit = async (user: string, waitFor: string, screenshot: string): Promise<string[]> => {
      const page = await (
        await browser!.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
      ).newPage();
      await logInToWebapp(page, `${system.endpoints.cockpit}#/process-definition/${definitionId}/runtime`, user);
      // The list has loaded once the login's own newest instance is in it; every row links to its instance.
      await page.locator(`a[href*="#/process-instance/${waitFor}"]`).first().waitFor({ timeout: 120_000 });
      const hrefs = await page
        .locator('a[href*="#/process-instance/"]')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      await page.screenshot({ path: `${ARTIFACTS}/${screenshot}` });
      await page.context().close();
      return [
        ...new Set(hrefs.map((h) => /#\/process-instance\/([^/?]+)/.exec(h)?.[1]).filter((id) => !!id)),
      ] as string[];
    };

    const lead = await listedInCockpit(loginOf('TL', 'cottbus'), cases.cottbus.instance, 'cockpit-tenant-lead.png');
    expect(lead).toContain(cases.cottbus.instance);
    expect(lead).not.toContain(cases.testmandant.instance);
    // Not one row of another jobcenter, whatever else the engine holds from earlier tests.
    const tenants = await Promise.all(
      lead.map(
        async (id) =>
          (await system.client.request<{ tenantId: string | null }>('GET', `/process-instance/${id}`)).tenantId,
      ),
    );
    expect(new Set(tenants)).toEqual(new Set(['cottbus']));

    // The same list for the regional lead shows the other jobcenter's instance too: the page would show it if allowed.
    const regional = await listedInCockpit(
      REGIONAL_LEAD_LOGIN,
      cases.testmandant.instance,
      'cockpit-tenant-regional.png',
    );
    expect(regional).toEqual(expect.arrayContaining([cases.cottbus.instance, cases.testmandant.instance]));
  });

  it("answers the other jobcenter's case with 404 in the workspace and in the API", async () => {
    const agent = request.agent(system.app);
    await agent
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: loginOf('EZ', 'cottbus'), passwort: LOCAL_STAFF_PASSWORD })
      .expect(303);
    await agent.get(`/arbeitsplatz/neukunden/${cases.cottbus.id}`).expect(200);
    await agent.get(`/arbeitsplatz/neukunden/${cases.testmandant.id}`).expect(404);
    await agent.get(`/arbeitsplatz/aufgaben/${cases.testmandant.task.id}`).expect(404);
    const list = await agent.get('/arbeitsplatz/aufgaben').expect(200);
    expect(list.text).toContain(`data-task="${cases.cottbus.task.id}"`);
    expect(list.text).not.toContain(`data-task="${cases.testmandant.task.id}"`);

    const regional = request.agent(system.app);
    await regional
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: REGIONAL_LEAD_LOGIN, passwort: LOCAL_STAFF_PASSWORD })
      .expect(303);
    for (const c of Object.values(cases)) await regional.get(`/arbeitsplatz/neukunden/${c.id}`).expect(200);

    const api = (id: string) => request(system.app).get(`/api/v1/applications/${id}`).set(bearer(COTTBUS_EZ_TOKEN));
    expect((await api(cases.cottbus.id)).status).toBe(200);
    expect((await api(cases.testmandant.id)).status).toBe(404);
  });

  it("keeps both jobcenters' people out of the engine (privacy scan)", async () => {
    const people = await system.store.db.selectFrom('persons').select(['given_name', 'family_name']).execute();
    expect(people.length).toBeGreaterThanOrEqual(2);
    const { scanned, findings } = await scanEngine(
      system.client,
      people.flatMap((p) => [p.given_name, p.family_name]),
    );
    expect(scanned).toBeGreaterThan(0);
    expect(findings).toEqual([]);
  });
});
