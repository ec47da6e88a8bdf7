/**
 * Starts the real engine once for all integration tests and deploys processes/. If the engine cannot be
 * fetched or started, the run fails here with the reason: nothing is skipped.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { deployAll } from '../../src/engine/deploy.js';
import { EngineRestClient } from '../../src/engine/rest-client.js';
import { createLogger } from '../../src/log/logger.js';
import { ensureEngine } from '../../src/main.js';
import { integrationEnv } from './engine-env.js';

export default async function setup(): Promise<void> {
  const config = loadConfig(integrationEnv);
  const log = createLogger({ level: 'info', format: 'pretty' });
  const started = Date.now();
  // The privacy scan after the suite reads the people of this run's stores from here.
  rmSync(path.join(integrationEnv.DATA_DIR!, 'personal-texts.jsonl'), { force: true });
  try {
    const { endpoints, engine } = await ensureEngine(config, log);
    (globalThis as Record<string, unknown>).__ENGINE__ = engine;
    await deployAll(new EngineRestClient(endpoints), config.env.PROCESSES_DIR, log);
  } catch (e) {
    throw new Error(`The integration tests need the real Camunda engine and it could not be started:\n${(e as Error).message}`);
  }
  log.info(`Engine ready for integration tests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
