/**
 * The environment integration tests run with: the local engine host on its own port (so a running `npm start`
 * on 8080 is left alone), its own data folder, wiped at the start of each run.
 */
import path from 'node:path';

import { apiTokensSetting } from '../support/tokens.js';

/** The technical user's password on the test engine: distinctive, so a leak into a log is found. */
export const TECHNICAL_TEST_PASSWORD = 'it-technical-7Qx2-not-for-logs';

/** Jobcenters only the tests run (Jobcenter Erfurt, Thuringia, on the Cottbus model): settings and letters, no code. */
export const FIXTURE_JOBCENTERS = 'test/fixtures/jobcenters';

export const integrationEnv: Record<string, string> = {
  NODE_ENV: 'test',
  DATA_DIR: process.env.TEST_DATA_DIR ?? '.data/test',
  ENGINE_PORT: process.env.TEST_ENGINE_PORT ?? '18080',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LOG_FORMAT: 'json',
  API_TOKENS: apiTokensSetting('ADMIN', 'EZ'),
  // A fourth jobcenter that exists only as a folder of settings and letters, run besides the shipped ones.
  JOBCENTER_DIRS: FIXTURE_JOBCENTERS,
  // Short locks, so a task a test abandons comes back within seconds.
  WORKER_LOCK_SECONDS: '10',
  WORKER_LONG_POLL_SECONDS: '5',
  ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
  // A machine busy with other engines may need longer than the default 180 s for a cold start.
  ...(process.env.ENGINE_START_TIMEOUT_SECONDS
    ? { ENGINE_START_TIMEOUT_SECONDS: process.env.ENGINE_START_TIMEOUT_SECONDS }
    : {}),
  // Not the local default, so the scan after the suite can look for it in the engine's log (src: engine-teardown.ts).
  ...(process.env.TEST_ENGINE_URL ? {} : { ENGINE_PASSWORD: TECHNICAL_TEST_PASSWORD }),
  // An engine that already runs (e.g. `npm run engine` in another terminal), provisioned with its local admin.
  ...(process.env.TEST_ENGINE_URL
    ? {
        ENGINE_URL: process.env.TEST_ENGINE_URL,
        ENGINE_USER: 'orchestrator',
        ENGINE_PASSWORD: 'orchestrator',
        ENGINE_ADMIN_USER: process.env.TEST_ENGINE_ADMIN_USER ?? 'demo',
        ENGINE_ADMIN_PASSWORD: process.env.TEST_ENGINE_ADMIN_PASSWORD ?? 'demo',
        ENGINE_PROVISION: 'true',
      }
    : {}),
  ...(process.env.TEST_ENGINE_DATABASE_URL
    ? {
        ENGINE_DATABASE_URL: process.env.TEST_ENGINE_DATABASE_URL,
        ENGINE_DATABASE_USER: process.env.TEST_ENGINE_DATABASE_USER ?? 'postgres',
      }
    : {}),
};

/** Diagrams only the tests deploy: the walking skeleton with its own workers. */
export const FIXTURE_PROCESSES = 'test/fixtures/skeleton';

/** Where each test's store leaves its people's names and birth dates for the privacy scan after the suite. */
export const PERSONAL_TEXTS_FILE = path.join(integrationEnv.DATA_DIR!, 'personal-texts.jsonl');
