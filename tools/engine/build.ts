/**
 * `npm run engine:build` (and the first step of `npm start`, `npm run engine` and the test setups): installs a
 * JDK and Maven on a fresh Debian machine where it may, and builds the Operaton engine host (engine/) when its
 * jar is missing or its sources changed. Production code only runs the jar; building it is development tooling.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Logger } from 'winston';

import { createLogger } from '../../src/log/logger.js';
import { type EngineHostBuild, ensureEngineHost } from './engine-host.js';
import { ensureJdk, ensureMaven } from './toolchain.js';

export async function buildEngineHost(
  log: Logger,
  opts: { engineDir?: string; javaHome?: string } = {},
): Promise<EngineHostBuild> {
  const jdk = ensureJdk(opts.javaHome, log);
  return ensureEngineHost(opts.engineDir ?? 'engine', log, {
    jdkHome: jdk.home || undefined,
    mvn: () => ensureMaven(log),
  });
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  const log = createLogger({ level: 'info', format: 'pretty' });
  // An engine given by ENGINE_URL runs elsewhere: nothing to build here.
  if (process.env.ENGINE_URL) {
    log.info('ENGINE_URL is set: the engine runs elsewhere, no local engine host to build.');
  } else {
    buildEngineHost(log, { engineDir: process.env.ENGINE_SOURCE_DIR, javaHome: process.env.JAVA_HOME }).catch(
      (e: unknown) => {
        process.stderr.write(`\n${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  }
}
