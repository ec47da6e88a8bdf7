/**
 * After the whole integration suite: scans every variable the engine keeps (runtime and history), every
 * incident message and business key for the names and birth dates the suite's stores held, and fails the run
 * on a finding; then stops the engine the global setup started.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { RunningEngine } from '../../src/engine/local-engine.js';
import { scanEngine } from '../../src/engine/privacy-scan.js';
import { configuredEngine } from '../support/engine.js';
import { integrationEnv, PERSONAL_TEXTS_FILE } from './engine-env.js';

export default async function teardown(): Promise<void> {
  const engine = (globalThis as Record<string, unknown>).__ENGINE__ as RunningEngine | undefined;
  try {
    const texts = existsSync(PERSONAL_TEXTS_FILE)
      ? readFileSync(PERSONAL_TEXTS_FILE, 'utf8')
          .split('\n')
          .filter(Boolean)
          .flatMap((l) => JSON.parse(l) as string[])
      : [];
    const { endpoints, client } = configuredEngine(integrationEnv);
    const { scanned, findings } = await scanEngine(client, texts);
    process.stdout.write(
      `\nPrivacy scan: ${scanned} variables, incident messages and business keys read, ${texts.length} personal texts looked for, ${findings.length} findings\n`,
    );
    const cases = (
      await client.historicProcessInstances({
        processDefinitionKeyIn: 'neukunde-cottbus,quer-wuppertal',
        maxResults: '1',
      })
    ).length;
    if (cases > 0 && texts.length === 0)
      throw new Error(
        'Privacy scan: applications ran, but their stores left no personal texts to look for (did startSystem().close() run?)',
      );
    // Passwords never reach a log: the engine's log of this run is searched for the technical user's and the admin's.
    const engineLog = path.join(integrationEnv.DATA_DIR!, 'engine', 'engine.log');
    if (!integrationEnv.ENGINE_URL && existsSync(engineLog)) {
      const text = readFileSync(engineLog, 'utf8');
      const secrets = [endpoints.technical.password, endpoints.administrator?.password].filter(
        (p): p is string => !!p && p.length >= 8,
      );
      const leaked = secrets.filter((p) => text.includes(p));
      process.stdout.write(
        `Engine log: ${text.length} characters searched for ${secrets.length} passwords, ${leaked.length} found\n`,
      );
      if (secrets.length === 0)
        throw new Error('Engine log scan: no distinctive password to look for (TECHNICAL_TEST_PASSWORD unset?)');
      if (leaked.length)
        throw new Error(`The engine's log ${engineLog} contains a password of the technical user or the administrator`);
    }
    if (findings.length) {
      throw new Error(
        `The engine holds personal data:\n${findings
          .slice(0, 50)
          .map((f) => `  instance ${f.processInstanceId}, ${f.variable}: ${f.why}`)
          .join('\n')}`,
      );
    }
  } finally {
    await engine?.stop();
  }
}
