/**
 * The workspace's view of the engine's task forms, against a loopback HTTP server that answers as Operaton does:
 * a form linked with formRef is named `operatonFormRef` (Camunda 7 said `camundaFormRef`), and only then is the
 * deployed form read; completing sends typed variables.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { EngineRestClient } from '../../../src/engine/rest-client.js';
import { RestStaffEngine } from '../../../src/engine/staff.js';

const DEPLOYED = { id: 'cottbus-id-check', components: [] };
const seen: { method: string; url: string; body: string }[] = [];
let server: Server;
let staff: RestStaffEngine;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body });
      const answer: Record<string, unknown> = {
        '/engine-rest/task/operaton/form': {
          key: null,
          operatonFormRef: { key: 'cottbus-id-check', binding: 'latest', version: null },
          contextPath: null,
        },
        '/engine-rest/task/camunda/form': { key: 'camunda-forms:deployment:cottbus-id-check.form' },
        '/engine-rest/task/plain/form': { key: null, contextPath: null },
        '/engine-rest/task/operaton/deployed-form': DEPLOYED,
        '/engine-rest/task/camunda/deployed-form': DEPLOYED,
      };
      const path = req.url!.split('?')[0]!;
      if (path.endsWith('/form-variables'))
        return res.end(JSON.stringify({ relocation: { type: 'Boolean', value: true } }));
      if (path.endsWith('/complete')) return res.writeHead(204).end();
      if (!(path in answer)) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer[path]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`;
  staff = new RestStaffEngine(new EngineRestClient([base], { user: 'u', password: 'p' }, 5_000), [base]);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('RestStaffEngine and task forms', () => {
  it("reads the deployed form of a task linked by Operaton's formRef or a camunda-forms key", async () => {
    await expect(staff.taskForm('operaton')).resolves.toEqual(DEPLOYED);
    await expect(staff.taskForm('camunda')).resolves.toEqual(DEPLOYED);
  });

  it('has no form for a task without a deployed one, or a task that is gone', async () => {
    await expect(staff.taskForm('plain')).resolves.toBeUndefined();
    await expect(staff.taskForm('gone')).resolves.toBeUndefined();
    expect(seen.some((s) => s.url.startsWith('/engine-rest/task/plain/deployed-form'))).toBe(false);
  });

  it('reads only the variables asked for, and completes with typed variables', async () => {
    await expect(staff.taskVariables('operaton', ['relocation'])).resolves.toEqual({ relocation: true });
    expect(seen.at(-1)!.url).toContain('variableNames=relocation');
    await staff.complete('operaton', { identityVerified: true, receivedOn: '2026-11-20', count: 2 });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({
      variables: {
        identityVerified: { value: true, type: 'Boolean' },
        receivedOn: { value: '2026-11-20', type: 'String' },
        count: { value: 2, type: 'Integer' },
      },
    });
  });
});
