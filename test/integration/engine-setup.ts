/**
 * Builds (if needed) and starts the real Operaton engine host once for all integration tests, provisions its
 * groups and technical user, and deploys processes/ with the test fixtures. If the engine cannot be built or
 * started, the run fails here with the reason: nothing is skipped.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';

import { loadConfig } from '../../src/config/load.js';
import { deployAll } from '../../src/engine/deploy.js';
import { createLogger } from '../../src/log/logger.js';
import { ensureEngine } from '../../src/main.js';
import { buildEngineHost } from '../../tools/engine/build.js';
import { technicalClient } from '../support/engine.js';
import { FIXTURE_PROCESSES, integrationEnv, PERSONAL_TEXTS_FILE } from './engine-env.js';

export default async function setup(): Promise<void> {
  const config = loadConfig(integrationEnv);
  const log = createLogger({ level: 'info', format: 'pretty' });
  const started = Date.now();
  // Every run starts from an empty engine database, so the privacy scan after the suite sees this run only.
  if (!config.env.ENGINE_DATABASE_URL && !config.env.ENGINE_URL)
    rmSync(path.join(config.env.DATA_DIR, 'engine', 'h2'), { recursive: true, force: true });
  rmSync(PERSONAL_TEXTS_FILE, { force: true });
  try {
    if (!config.env.ENGINE_URL) {
      await buildEngineHost(log, { engineDir: config.env.ENGINE_SOURCE_DIR, javaHome: config.env.JAVA_HOME });
    }
    const { endpoints, engine } = await ensureEngine(config, log);
    (globalThis as Record<string, unknown>).__ENGINE__ = engine;
    const roots = [config.env.PROCESSES_DIR, ...(existsSync(FIXTURE_PROCESSES) ? [FIXTURE_PROCESSES] : [])];
    await deployAll(technicalClient(endpoints), roots, log, 'integration-tests');
    if (engine) log.info(`Engine cold start (build excluded): ${(engine.coldStartMs / 1000).toFixed(1)} s`);
  } catch (e) {
    throw new Error(
      `The integration tests need the real Operaton engine and it could not be started:\n${(e as Error).message}`,
    );
  }
  log.info(`Engine ready for integration tests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
