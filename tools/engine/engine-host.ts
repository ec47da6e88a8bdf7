/**
 * Builds the Operaton engine host (engine/, a small Spring Boot application) through Maven when its jar is
 * missing or its sources changed since the last build; later starts reuse the jar.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Logger } from 'winston';

export class EngineBuildError extends Error {}

export interface EngineHostBuild {
  jar: string;
  built: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else out.push(full);
  }
  return out.sort();
}

/** A hash over pom.xml and everything under src/: a changed dependency or setting rebuilds the jar. */
export function sourcesHash(engineDir: string): string {
  const hash = createHash('sha256');
  for (const file of [path.join(engineDir, 'pom.xml'), ...sourceFiles(path.join(engineDir, 'src'))]) {
    hash.update(path.relative(engineDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function runMaven(mvn: string, cwd: string, jdkHome: string | undefined, log: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(mvn, ['-B', '-DskipTests', 'package'], {
      cwd,
      env: { ...process.env, ...(jdkHome ? { JAVA_HOME: jdkHome } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    let downloads = 0;
    let lastReport = Date.now();
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString().replace(ANSI, '').split(/\r?\n/)) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (line.includes('Downloaded from')) downloads++;
        if (Date.now() - lastReport > 3000) {
          lastReport = Date.now();
          log.info(`Building the engine host: ${downloads} artifacts downloaded so far...`);
        }
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) =>
      reject(
        new EngineBuildError(
          `Maven ("${mvn}") could not be run: ${e.message}. Install Maven 3.8+ (e.g. "apt-get install maven") and put mvn on PATH.`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new EngineBuildError(`Building the engine host failed (mvn exit ${code}). Last lines:\n${tail.join('\n')}`),
        );
    });
  });
}

export async function ensureEngineHost(
  engineDir: string,
  log: Logger,
  opts: { jdkHome?: string; mvn?: () => string } = {},
): Promise<EngineHostBuild> {
  const dir = path.resolve(engineDir);
  const jar = path.join(dir, 'target', 'engine-host.jar');
  const stamp = path.join(dir, 'target', 'sources.sha256');
  const hash = sourcesHash(dir);
  if (existsSync(jar) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return { jar, built: false };
  log.info(
    existsSync(jar)
      ? 'Engine host sources changed: rebuilding with Maven...'
      : 'Building the engine host with Maven (the first build downloads about 290 artifacts)...',
  );
  const started = Date.now();
  await runMaven(opts.mvn?.() ?? 'mvn', dir, opts.jdkHome, log);
  if (!existsSync(jar)) throw new EngineBuildError(`Maven finished but ${jar} is missing`);
  writeFileSync(stamp, `${hash}\n`);
  log.info(`Engine host built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${jar}`);
  return { jar, built: true };
}
