import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';
import winston from 'winston';

import { deployAll, DeploymentError } from '../../../src/engine/deploy.js';
import { EngineRequestError, type EngineRestClient } from '../../../src/engine/rest-client.js';

const log = winston.createLogger({ silent: true });

function processesDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'processes-'));
  for (const [file, text] of <[string, string][]>[
    ['cottbus/neukunde.bpmn', '<bpmn/>'],
    ['shared/neukunde.dmn', '<dmn/>'],
    ['forms/id-check.form', '{}'],
    ['element-templates/x.json', '{}'],
    ['cottbus/jobcenter.json', '{}'],
  ]) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('deployAll', () => {
  it('sends every BPMN, DMN and form as one deployment, named by their path inside the folder', async () => {
    const root = processesDir();
    const sent: { name: string; files: string[] }[] = [];
    const client = {
      deploy: async (name: string, files: { name: string }[]) => (
        sent.push({ name, files: files.map((f) => f.name) }),
        { id: 'd1', deployedProcessDefinitions: {} }
      ),
    };
    await deployAll(client as unknown as EngineRestClient, root, log);
    expect(sent).toEqual([
      {
        name: 'jobcenter-orchestrator',
        files: ['shared/neukunde.dmn', 'forms/id-check.form', 'cottbus/neukunde.bpmn'],
      },
    ]);
  });

  it('names the file, line and element of a refusal, with the engine message', async () => {
    const root = processesDir();
    const refusal = new EngineRequestError(
      400,
      'POST /deployment/create answered 400: ENGINE-09005 Could not parse BPMN process.',
      'ParseException',
      {
        details: {
          'cottbus/neukunde.bpmn': {
            errors: [{ message: 'Unknown property used in expression', line: 42, mainElementId: 'Gateway_Channel' }],
          },
        },
      },
    );
    const client = { deploy: async () => Promise.reject(refusal) };
    const failure = deployAll(client as unknown as EngineRestClient, root, log);
    await expect(failure).rejects.toThrow(DeploymentError);
    await expect(deployAll(client as unknown as EngineRestClient, root, log)).rejects.toThrow(
      `${path.join(root, 'cottbus/neukunde.bpmn')}:42 (Gateway_Channel): Unknown property used in expression`,
    );
  });
});
