/** Finds a JDK the Camunda 8.9 distribution can run on (21 to 25), or says plainly why there is none. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const MIN_JAVA = 21;
export const MAX_JAVA = 25;

export interface Jdk {
  home: string;
  major: number;
}

export class JdkNotFoundError extends Error {}

/** Parses the major version from `java -version` output ("17.0.15", "21", "25-ea", old "1.8.0_392"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

function probe(home: string): Jdk | undefined {
  const java = path.join(home, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  // `java -version` writes to stderr.
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const major = parseJavaMajor(`${r.stderr ?? ''}${r.stdout ?? ''}`);
  return major === undefined ? undefined : { home, major };
}

export function findJdk(javaHome: string | undefined, jvmRoot = '/usr/lib/jvm'): Jdk {
  const suitable = (j: Jdk): boolean => j.major >= MIN_JAVA && j.major <= MAX_JAVA;
  const tried: string[] = [];
  if (javaHome) {
    const j: Jdk | undefined = probe(javaHome);
    if (j && suitable(j)) return j;
    tried.push(`JAVA_HOME=${javaHome} (${j ? `Java ${j.major}` : 'no java found'})`);
  }
  const candidates = existsSync(jvmRoot)
    ? readdirSync(jvmRoot)
        .map((name) => probe(path.join(jvmRoot, name)))
        .filter((j): j is Jdk => !!j)
    : [];
  const best = candidates.filter((c) => suitable(c)).sort((a, b) => b.major - a.major)[0];
  if (best) return best;
  tried.push(...candidates.map((c) => `${c.home} (Java ${c.major})`));
  throw new JdkNotFoundError(
    `No JDK ${MIN_JAVA} to ${MAX_JAVA} found for the Camunda engine. Tried: ${tried.join(', ') || `nothing under ${jvmRoot}`}. ` +
      'Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it.',
  );
}
