/**
 * After the whole integration suite: scans every variable of every process instance on the engine for names,
 * birth dates and personal variable names (issue 6 §5) and fails the run on a finding; then stops the engine the
 * global setup started (an external engine is left alone).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { engineEndpoints } from '../../src/engine/endpoints.js';
import type { RunningEngine } from '../../src/engine/local-engine.js';
import { scanVariables } from '../../src/engine/privacy-scan.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { integrationEnv } from './engine-env.js';

export default async function teardown(): Promise<void> {
  const engine = (globalThis as Record<string, unknown>).__ENGINE__ as RunningEngine | undefined;
  try {
    const file = path.join(integrationEnv.DATA_DIR!, 'personal-texts.jsonl');
    const texts = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).flatMap((l) => JSON.parse(l) as string[]) : [];
    const client = new EngineRestClient(engineEndpoints(loadConfig(integrationEnv).env));
    const { scanned, findings } = await scanVariables(client, texts);
    process.stdout.write(`\nPrivacy scan: ${scanned} process variables read, ${texts.length} personal texts looked for, ${findings.length} findings\n`);
    if (findings.length) {
      throw new Error(`Process variables hold personal data:\n${findings.slice(0, 50).map((f) => `  instance ${f.processInstanceKey}, ${f.variable}: ${f.why}`).join('\n')}`);
    }
  } finally {
    await engine?.stop();
  }
}
