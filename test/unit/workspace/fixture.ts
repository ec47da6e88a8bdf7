/**
 * The workspace under test: a real in-memory store with cases of two jobcenters, and a fake of the engine's
 * identity and task service at the boundary (accounts with passwords and groups, open user tasks, claims).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { Express } from 'express';
import winston from 'winston';

import { buildApp } from '../../../src/api/app.js';
import { calendarsFor } from '../../../src/calendar/calendars.js';
import { loadJobcenters } from '../../../src/config/load.js';
import type { EngineGateway } from '../../../src/engine/gateway.js';
import type { CasePositions } from '../../../src/engine/positions.js';
import { EngineUnavailableError } from '../../../src/engine/rest-client.js';
import type { StaffAccount, StaffEngine, StaffTask } from '../../../src/engine/staff.js';
import type { Store } from '../../../src/store/index.js';
import { openMemoryStore } from '../../support/memory-store.js';
import { testTokens } from '../../support/tokens.js';

export const SECRET = 'workspace-test-secret-0123456789abcdef';
export const NOW = new Date('2026-11-23T10:00:00+01:00');

export class FakeStaffEngine implements StaffEngine {
  readonly accounts = new Map<string, { password: string; groups: string[] }>();
  readonly tasks: (StaffTask & { candidateGroups: string[] })[] = [];

  async verify(userId: string, password: string): Promise<StaffAccount | undefined> {
    const a = this.accounts.get(userId);
    return a && a.password === password ? { userId, groups: a.groups } : undefined;
  }
  async openTasks(userId: string, groups: readonly string[]): Promise<StaffTask[]> {
    return this.tasks.filter((t) => t.assignee === userId || t.candidateGroups.some((g) => groups.includes(g)));
  }
  async task(taskId: string) {
    return this.tasks.find((t) => t.id === taskId);
  }
  async claim(taskId: string, userId: string): Promise<void> {
    const t = this.tasks.find((x) => x.id === taskId)!;
    if (t.assignee) throw new Error('already claimed');
    t.assignee = userId;
  }
  async unclaim(taskId: string): Promise<void> {
    this.tasks.find((x) => x.id === taskId)!.assignee = null;
  }
  /** Task id -> its deployed form (JSON) and the variables it sees. */
  readonly forms = new Map<string, unknown>();
  readonly variables = new Map<string, Record<string, unknown>>();
  readonly completed: { taskId: string; assignee: string | null; variables: Record<string, unknown> }[] = [];
  async taskForm(taskId: string): Promise<unknown> {
    return this.tasks.some((t) => t.id === taskId) ? this.forms.get(taskId) : undefined;
  }
  async taskVariables(taskId: string, names: readonly string[]): Promise<Record<string, unknown>> {
    const all = this.variables.get(taskId) ?? {};
    return Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k)));
  }
  async complete(taskId: string, variables: Record<string, unknown>): Promise<void> {
    const i = this.tasks.findIndex((t) => t.id === taskId);
    if (i < 0) throw new Error('no such task');
    this.completed.push({ taskId, assignee: this.tasks[i]!.assignee, variables });
    this.tasks.splice(i, 1);
  }
}

/** The engine's answer to "who waits where": process instance id -> the activity ids it waits at. */
export class FakeCasePositions implements CasePositions {
  readonly at = new Map<string, string[]>();
  /** Every call of instancesAt, so a test can see what was asked. */
  readonly asked: { activityIds: readonly string[]; keys?: readonly string[] }[] = [];
  away = false;

  async instancesAt(activityIds: readonly string[], keys?: readonly string[]): Promise<string[]> {
    this.asked.push({ activityIds, keys });
    if (this.away) throw new EngineUnavailableError('engine away (test)');
    return [...this.at].filter(([, a]) => a.some((x) => activityIds.includes(x))).map(([id]) => id);
  }
  async positionsOf(ids: readonly string[], activityIds: readonly string[]): Promise<Map<string, string[]>> {
    if (this.away) throw new EngineUnavailableError('engine away (test)');
    return new Map(
      ids.flatMap((id) => {
        const a = (this.at.get(id) ?? []).filter((x) => activityIds.includes(x));
        return a.length ? [[id, a] as [string, string[]]] : [];
      }),
    );
  }
}

/** One of our Camunda Forms as the engine would hand it out. */
export const formFile = (name: string): unknown => JSON.parse(readFileSync(`processes/forms/${name}.form`, 'utf8'));

export interface SeededCase {
  id: string;
  processInstanceId: string;
  caseNumber: string;
}

export async function seedCase(
  store: Store,
  c: {
    jobcenter: string;
    head: [string, string];
    member?: [string, string];
    channel?: string;
    applicationDate?: string;
    deadline?: {
      due: string;
      status: 'open' | 'met' | 'breached' | 'not-applicable';
      kind?: 'first-consultation' | 'decision';
      team?: string;
      caseworker?: string;
    };
    /** The head's case holder (persons.caseworker_id), as the Wuppertal workers set it. */
    caseHolder?: string;
    bg?: string;
    kd?: string;
  },
): Promise<SeededCase> {
  const id = randomUUID();
  const processInstanceId = randomUUID();
  await store.db
    .insertInto('applications')
    .values({
      id,
      jobcenter: c.jobcenter,
      channel: c.channel ?? 'EZ',
      application_date: c.applicationDate ?? '2026-11-16',
      status: 'in-progress',
      new_customer: true,
      not_new_reason: null,
      process_instance_key: processInstanceId,
      idempotency_key: null,
      flags: '{}',
      created_by: 'test',
    })
    .execute();
  const headId = randomUUID();
  await store.db
    .insertInto('persons')
    .values([
      {
        id: headId,
        jobcenter: c.jobcenter,
        application_id: id,
        role: 'head',
        given_name: c.head[0],
        family_name: c.head[1],
        birth_date: '1988-05-04',
        erwerbsfaehig: true,
        new_customer: true,
        not_new_reason: null,
        kd_number: c.kd ?? null,
        caseworker_id: c.caseHolder ?? null,
      },
      ...(c.member
        ? [
            {
              id: randomUUID(),
              jobcenter: c.jobcenter,
              application_id: id,
              role: 'member' as const,
              given_name: c.member[0],
              family_name: c.member[1],
              birth_date: '2015-02-01',
              erwerbsfaehig: false,
              new_customer: null,
              not_new_reason: null,
              kd_number: null,
            },
          ]
        : []),
    ])
    .execute();
  if (c.bg) {
    const kd = c.kd ?? `kd-${id}`;
    await store.db
      .insertInto('customers')
      .values({
        kd_number: kd,
        jobcenter: c.jobcenter,
        identity_key: `identity-${id}`,
        legal_sphere: 'SGB II',
        care: 'main',
        caseworker_id: 'av-u25-01',
        team: 'u25',
      })
      .execute();
    await store.db
      .insertInto('households')
      .values({ bg_number: c.bg, jobcenter: c.jobcenter, head_kd_number: kd })
      .execute();
    await store.db.insertInto('application_households').values({ application_id: id, bg_number: c.bg }).execute();
  }
  if (c.deadline)
    await store.db
      .insertInto('deadlines')
      .values({
        jobcenter: c.jobcenter,
        application_id: id,
        person_id: headId,
        kind: c.deadline.kind ?? 'first-consultation',
        due_date: c.deadline.due,
        breach_at: new Date(`${c.deadline.due}T23:00:00Z`),
        status: c.deadline.status,
        met_on: c.deadline.status === 'met' ? c.deadline.due : null,
        breached_at: null,
        team: c.deadline.team ?? 'u25',
        caseworker_id: c.deadline.caseworker ?? 'av-u25-01',
      })
      .execute();
  const { case_number } = await store.db
    .selectFrom('applications')
    .select('case_number')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, processInstanceId, caseNumber: case_number };
}

export async function workspaceApp(opts: { allowUnbound?: boolean } = {}): Promise<{
  app: Express;
  store: Store;
  staff: FakeStaffEngine;
  positions: FakeCasePositions;
}> {
  const store = await openMemoryStore();
  const { jobcenters } = loadJobcenters('processes');
  const staff = new FakeStaffEngine();
  const positions = new FakeCasePositions();
  const app = buildApp({
    engine: {} as EngineGateway,
    store,
    calendars: calendarsFor(jobcenters),
    jobcenters,
    tokens: testTokens('TL'),
    log: winston.createLogger({ silent: true }),
    now: () => NOW,
    workspace: { staff, positions, sessionSecret: SECRET, allowUnbound: opts.allowUnbound ?? false },
  });
  return { app, store, staff, positions };
}

/** Open first-consultation deadlines without an appointment, for a team, due on one day, on one case of its own. */
export async function seedOpenDeadlines(
  store: Store,
  d: { jobcenter: string; team: string; caseworkerId: string; due: string; count: number },
): Promise<void> {
  const c = await seedCase(store, { jobcenter: d.jobcenter, head: ['Anna', 'Müller'] });
  await store.db
    .insertInto('deadlines')
    .values(
      Array.from({ length: d.count }, () => ({
        jobcenter: d.jobcenter,
        application_id: c.id,
        person_id: randomUUID(),
        kind: 'first-consultation' as const,
        due_date: d.due,
        breach_at: new Date(`${d.due}T23:00:00Z`),
        met_on: null,
        breached_at: null,
        team: d.team,
        caseworker_id: d.caseworkerId,
      })),
    )
    .execute();
}
