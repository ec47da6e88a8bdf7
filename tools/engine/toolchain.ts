/**
 * The JDK and Maven the engine host needs. On a fresh Debian machine where this process is root, the missing
 * one is installed from Debian's packages (as ../browser/chromium.ts does for Chromium); otherwise the error
 * says which command installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';

import type { Logger } from 'winston';

import { findJdk, type Jdk, JdkNotFoundError } from '../../src/engine/java.js';

const canInstall = () =>
  process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;

function aptInstall(pkg: string, log: Logger): void {
  log.info(`Installing ${pkg} from Debian's packages (once)...`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], {
    stdio: 'ignore',
    timeout: 900_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export function ensureJdk(javaHome: string | undefined, log: Logger): Jdk {
  try {
    return findJdk(javaHome);
  } catch (e) {
    if (!(e instanceof JdkNotFoundError) || !canInstall()) throw e;
    aptInstall('openjdk-17-jdk-headless', log);
    return findJdk(javaHome);
  }
}

export function ensureMaven(log: Logger): string {
  if (spawnSync('mvn', ['--version'], { stdio: 'ignore' }).status === 0) return 'mvn';
  if (canInstall()) {
    aptInstall('maven', log);
    if (spawnSync('mvn', ['--version'], { stdio: 'ignore' }).status === 0) return 'mvn';
  }
  throw new Error(
    'Maven 3.8+ is needed to build the engine host and "mvn" is not on PATH. Install it, e.g. "sudo apt-get install maven".',
  );
}
