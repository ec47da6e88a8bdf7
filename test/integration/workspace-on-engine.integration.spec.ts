/**
 * The staff workspace on the real engine: the provisioned local front-desk login `ez` logs in with its Tasklist
 * password (checked by Operaton's identity service, no password of ours), sees the ID check of a fresh Cottbus
 * application with the applicant's name from the store, claims it and gives it back, in the engine's own task.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';

import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { aMember, anApplication, today } from '../support/application.js';
import { openTasks } from '../support/engine.js';
import { AUTH } from '../support/tokens.js';
import { startSystem, type System } from './system.js';

jest.setTimeout(180_000);

describe('workspace on the real engine', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  it('lets ez log in with the engine account, see the ID check with the name, and claim it', async () => {
    // Arrange: a fresh application at the front desk, waiting in the ID check.
    const familyName = `Arbeitsplatz${Date.now().toString(36)}`;
    const created = await request(system.app)
      .post('/api/v1/applications')
      .set(AUTH.ADMIN)
      .send(anApplication({ applicationDate: today(), members: [aMember({ givenName: 'Wiebke', familyName })] }));
    expect(created.status).toBe(201);
    const instance = created.body.processInstanceId as string;
    const [task] = await openTasks(system.client, instance, 'UserTask_IdCheck');
    expect(task).toBeDefined();

    // Act: log in as ez and open the task list.
    const agent = request.agent(system.app);
    const login = await agent
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'ez', passwort: LOCAL_STAFF_PASSWORD });
    expect(login.status).toBe(303);
    const list = await agent.get('/arbeitsplatz/aufgaben');
    expect(list.status).toBe(200);

    // Assert: the row of this task names the applicant, from the store.
    const row = new RegExp(`<tr data-task="${task!.id}">[\\s\\S]*?</tr>`).exec(list.text)?.[0];
    expect(row).toBeDefined();
    expect(row).toContain(`${familyName}, Wiebke`);
    expect(row).toContain('ID-Prüfung');
    expect(row).toMatch(/CO-\d{4}-\d{5}/);

    // Claim: the engine's task is now ez's; then give it back.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)![1]!;
    const claimed = await agent
      .post(`/arbeitsplatz/aufgaben/${task!.id}/uebernehmen`)
      .type('form')
      .send({ _csrf: csrf });
    expect(claimed.status).toBe(303);
    const [afterClaim] = await system.client.tasks({
      processInstanceId: instance,
      taskDefinitionKey: 'UserTask_IdCheck',
    });
    expect(afterClaim!.assignee).toBe('ez');
    await agent.post(`/arbeitsplatz/aufgaben/${task!.id}/zurueckgeben`).type('form').send({ _csrf: csrf }).expect(303);
    const [afterUnclaim] = await system.client.tasks({
      processInstanceId: instance,
      taskDefinitionKey: 'UserTask_IdCheck',
    });
    expect(afterUnclaim!.assignee).toBeNull();

    // The Neukunden list finds the case by where it stands in the engine, and says so in German.
    const atIdCheck = await agent
      .get('/arbeitsplatz/neukunden')
      .query({ stand: 'UserTask_IdCheck', suche: familyName });
    expect(atIdCheck.status).toBe(200);
    expect(atIdCheck.text).toContain('1 Vorgang gefunden');
    const caseRow = new RegExp(`<td>${familyName}, Wiebke</td>[\\s\\S]*?</tr>`).exec(atIdCheck.text)![0];
    expect(caseRow).toContain('<td>ID-Prüfung</td>');
    const elsewhere = await agent
      .get('/arbeitsplatz/neukunden')
      .query({ stand: 'UserTask_Arbeitspaket', suche: familyName });
    expect(elsewhere.text).toContain('0 Vorgänge gefunden');

    // The case page shows the name; the engine holds none of it.
    const caseId = created.body.id as string;
    const casePage = await agent.get(`/arbeitsplatz/neukunden/${caseId}`);
    expect(casePage.status).toBe(200);
    expect(casePage.text).toContain(`${familyName}, Wiebke`);
    const variables = await system.client.variableInstances({ processInstanceIdIn: instance });
    expect(JSON.stringify(variables)).not.toContain(familyName);

    // Last, as a wrong password makes the engine hold back this user's next logins for a while (login throttling).
    const wrong = await request(system.app)
      .post('/arbeitsplatz/anmelden')
      .type('form')
      .send({ benutzer: 'ez', passwort: 'not-the-password' });
    expect(wrong.status).toBe(401);
  });
});
