/** Finds a JDK the Operaton engine host runs on (17 or newer), or says plainly why there is none. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const MIN_JAVA = 17;

export interface Jdk {
  home: string;
  java: string;
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

function probeJava(java: string, home: string): Jdk | undefined {
  // `java -version` writes to stderr.
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (r.error) return undefined;
  const major = parseJavaMajor(`${r.stderr ?? ''}${r.stdout ?? ''}`);
  return major === undefined ? undefined : { home, java, major };
}

function probeHome(home: string): Jdk | undefined {
  const java = path.join(home, 'bin', 'java');
  return existsSync(java) ? probeJava(java, home) : undefined;
}

/** JAVA_HOME first, then `java` on PATH, then the newest JDK under /usr/lib/jvm. */
export function findJdk(
  javaHome: string | undefined,
  jvmRoot = '/usr/lib/jvm',
  pathJava: string | undefined = 'java',
): Jdk {
  const suitable = (j: Jdk | undefined): boolean => !!j && j.major >= MIN_JAVA;
  const tried: string[] = [];
  if (javaHome) {
    const j: Jdk | undefined = probeHome(javaHome);
    if (j && suitable(j)) return j;
    tried.push(`JAVA_HOME=${javaHome} (${j ? `Java ${j.major}` : 'no java found'})`);
  }
  if (pathJava) {
    const j: Jdk | undefined = probeJava(pathJava, '');
    if (j && suitable(j)) return j;
    tried.push(`java on PATH (${j ? `Java ${j.major}` : 'not found'})`);
  }
  const candidates = existsSync(jvmRoot)
    ? readdirSync(jvmRoot)
        .map((name) => probeHome(path.join(jvmRoot, name)))
        .filter((j): j is Jdk => !!j)
    : [];
  const best = candidates.filter(suitable).sort((a, b) => b.major - a.major)[0];
  if (best) return best;
  tried.push(...candidates.map((c) => `${c.home} (Java ${c.major})`));
  throw new JdkNotFoundError(
    `No JDK ${MIN_JAVA} or newer found for the Operaton engine host. Tried: ${tried.join(', ') || `nothing under ${jvmRoot}`}. ` +
      'Install one (e.g. "apt-get install openjdk-17-jdk-headless" or Temurin 21) and set JAVA_HOME to it.',
  );
}
