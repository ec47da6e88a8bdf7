/**
 * The engine's REST API and web apps on the real engine host: nothing without a login, the technical user of the
 * API and workers can run processes but not administer the engine, staff see only their groups' tasks.
 */
import { describe, expect, it } from '@jest/globals';

import { EngineRequestError, EngineRestClient } from '../../src/engine/rest-client.js';
import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { configuredEngine } from '../support/engine.js';
import { integrationEnv } from './engine-env.js';

const { endpoints, client: technical } = configuredEngine(integrationEnv);
const base = endpoints.rest[0]!;
const web = base.replace(/\/engine-rest$/, '');

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (e) {
    if (e instanceof EngineRequestError) return e.status;
    throw e;
  }
}

describe('engine security', () => {
  it('answers 401 to the REST API without credentials or with a wrong password', async () => {
    for (const path of [
      '/process-definition',
      '/task',
      '/external-task/fetchAndLock',
      '/user',
      '/history/variable-instance',
    ]) {
      const method = path.endsWith('fetchAndLock') ? 'POST' : 'GET';
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{"workerId":"x","maxTasks":1,"topics":[]}' : undefined,
      });
      expect([path, res.status]).toEqual([path, 401]);
    }
    // A user that does not exist: a wrong password for a real one would make the engine hold that login back for
    // a few seconds (its brute-force delay), which would stall the other tests' workers.
    const wrong = new EngineRestClient(endpoints.rest, { user: 'nobody-here', password: 'not-the-password' });
    expect(await statusOf(wrong.version())).toBe(401);
  });

  it('lets the technical user run processes but not administer users, groups or authorizations', async () => {
    expect(await statusOf(technical.request('GET', '/process-definition?key=neukunde-cottbus'))).toBe(200);
    expect(
      await statusOf(
        technical.request('POST', '/authorization/create', {
          type: 1,
          permissions: ['ALL'],
          userId: endpoints.technical.user,
          resourceType: 4,
          resourceId: '*',
        }),
      ),
    ).toBe(403);
    expect(
      await statusOf(technical.request('POST', '/group/create', { id: 'intruders', name: 'x', type: 'WORKFLOW' })),
    ).toBe(403);
    expect(
      await statusOf(
        technical.request('POST', '/user/create', {
          profile: { id: 'mallory' },
          credentials: { password: 'mallory-password' },
        }),
      ),
    ).toBe(403);
    expect(await statusOf(technical.request('PUT', `/group/operaton-admin/members/${endpoints.technical.user}`))).toBe(
      403,
    );
  });

  it('keeps staff out of what is not theirs: no Cockpit for the front desk, no engine administration', async () => {
    const ez = new EngineRestClient(endpoints.rest, { user: 'ez', password: LOCAL_STAFF_PASSWORD });
    expect(await statusOf(ez.request('POST', '/group/create', { id: 'x2', name: 'x', type: 'WORKFLOW' }))).toBe(403);
    expect(await statusOf(ez.request('POST', '/deployment/create'))).not.toBe(200);
    // Application access as the web apps check it: EZ may use Tasklist only, TL Cockpit too.
    const access = async (user: string, app: string) =>
      (await fetch(
        `${base}/authorization/check?permissionName=ACCESS&resourceName=application&resourceType=0&resourceId=${app}`,
        {
          headers: { authorization: `Basic ${Buffer.from(`${user}:${LOCAL_STAFF_PASSWORD}`).toString('base64')}` },
        },
      ).then((r) => r.json())) as { authorized: boolean };
    expect((await access('ez', 'tasklist')).authorized).toBe(true);
    expect((await access('ez', 'cockpit')).authorized).toBe(false);
    expect((await access('ez', 'admin')).authorized).toBe(false);
    expect((await access('tl', 'cockpit')).authorized).toBe(true);
  });

  it('holds a login back after a wrong password, even the right one, until the delay passes or an administrator unlocks it', async () => {
    // Why the technical user's password must stay out of reach: anyone who can reach /engine-rest can lock a login
    // with wrong passwords (a growing delay, a permanent lock after 10 in a row), and a locked technical user stops
    // every worker. An administrator's unlock (Admin, or POST /user/{id}/unlock) lifts it; the technical user cannot.
    const admin = new EngineRestClient(endpoints.rest, endpoints.administrator!);
    const id = `lockout-probe-${Date.now()}`;
    await admin.request('POST', '/user/create', {
      profile: { id, firstName: 'Lockout', lastName: 'Probe' },
      credentials: { password: 'the-right-password' },
    });
    try {
      const right = new EngineRestClient(endpoints.rest, { user: id, password: 'the-right-password' });
      const wrong = new EngineRestClient(endpoints.rest, { user: id, password: 'a-wrong-password' });
      expect(await statusOf(right.version())).toBe(200);
      expect(await statusOf(wrong.version())).toBe(401);
      expect(await statusOf(right.version())).toBe(401);
      expect(await statusOf(technical.request('POST', `/user/${id}/unlock`))).toBe(403);
      await admin.request('POST', `/user/${id}/unlock`);
      expect(await statusOf(right.version())).toBe(200);
    } finally {
      await admin.request('DELETE', `/user/${id}`);
    }
  });

  it('needs a login for the web apps: their API answers 401 without a session', async () => {
    const res = await fetch(`${web}/operaton/api/cockpit/plugin/base/default/process-definition/statistics`);
    expect(res.status).toBe(401);
    const admin = await fetch(`${web}/operaton/api/admin/auth/user/default`);
    expect([401, 404]).toContain(admin.status);
  });
});
