/**
 * Fetches the Camunda distribution (io.camunda:camunda-zeebe:<version>:tar.gz) through Maven into ENGINE_DIR
 * and unpacks it once; later starts reuse it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Logger } from 'winston';

export class DistributionError extends Error {}

export function distributionHome(engineDir: string, version: string): string {
  return path.resolve(engineDir, `camunda-zeebe-${version}`);
}

export function mavenArtifact(version: string): string {
  return `io.camunda:camunda-zeebe:${version}:tar.gz`;
}

/** Bytes of the artifact Maven has written so far into ~/.m2 (its partial file included). */
function downloadedBytes(version: string): number {
  const dir = path.join(homedir(), '.m2', 'repository', 'io', 'camunda', 'camunda-zeebe', version);
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((f) => f.includes('.tar.gz'))
    .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function run(cmd: string, args: string[], onLine: (line: string) => void): Promise<{ code: number; tail: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString().replace(ANSI, '').split(/\r?\n|\r/)) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => reject(new DistributionError(`${cmd} could not be run: ${e.message}. Is it installed and on PATH?`)));
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

export async function ensureDistribution(engineDir: string, version: string, log: Logger, mavenCommand = 'mvn'): Promise<string> {
  const home = distributionHome(engineDir, version);
  if (existsSync(path.join(home, 'bin', 'camunda'))) return home;

  const downloadDir = path.resolve(engineDir, 'download');
  mkdirSync(downloadDir, { recursive: true });
  const archive = path.join(downloadDir, `camunda-zeebe-${version}.tar.gz`);
  if (!existsSync(archive)) {
    log.info(`Fetching ${mavenArtifact(version)} through Maven (about 300 MB, once)...`);
    // Batch mode hides Maven's byte counter; report progress from the growing file in the local repository.
    const progress = setInterval(() => {
      const mb = downloadedBytes(version) / 1e6;
      if (mb > 0) log.info(`  downloading: ${mb.toFixed(0)} MB`);
    }, 5000);
    const result = await run(
      mavenCommand,
      ['-B', '-ntp', '-U', 'dependency:copy', `-Dartifact=${mavenArtifact(version)}`, `-DoutputDirectory=${downloadDir}`],
      () => {},
    ).finally(() => clearInterval(progress));
    if (result.code !== 0 || !existsSync(archive)) {
      const errors = result.tail.filter((l) => l.includes('ERROR')).slice(0, 6).join('\n    ');
      throw new DistributionError(
        `Maven could not fetch ${mavenArtifact(version)} (exit ${result.code}).\n    ${errors || result.tail.slice(-6).join('\n    ')}\n` +
          `  Command: mvn -B -U dependency:copy -Dartifact=${mavenArtifact(version)} -DoutputDirectory=${downloadDir}\n` +
          '  Check that Maven reaches a repository serving this version, or set CAMUNDA_VERSION, or point ZEEBE_ADDRESS and CAMUNDA_REST_ADDRESS at a running engine.',
      );
    }
  }
  log.info(`Unpacking ${path.basename(archive)}...`);
  const unpack = await run('tar', ['-xzf', archive, '-C', path.resolve(engineDir)], () => {});
  if (unpack.code !== 0) {
    rmSync(home, { recursive: true, force: true });
    throw new DistributionError(`Unpacking ${archive} failed: ${unpack.tail.join(' ')}`);
  }
  if (!existsSync(path.join(home, 'bin', 'camunda'))) {
    throw new DistributionError(`${archive} did not contain camunda-zeebe-${version}/bin/camunda (found: ${readdirSync(engineDir).join(', ')})`);
  }
  return home;
}
