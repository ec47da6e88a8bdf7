import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findJdk, JdkNotFoundError, parseJavaMajor } from '../../../src/engine/java.js';

function fakeJdk(root: string, name: string, version: string): string {
  const home = path.join(root, name);
  mkdirSync(path.join(home, 'bin'), { recursive: true });
  const java = path.join(home, 'bin', 'java');
  // Like the real one, the fake prints its version to stderr.
  writeFileSync(java, `#!/bin/sh\necho 'openjdk version "${version}" 2025-01-01' >&2\n`);
  chmodSync(java, 0o755);
  return home;
}

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21.0.4" 2024-07-16 LTS', 21],
    ['openjdk version "25" 2025-09-16', 25],
    ['java version "1.8.0_392"', 8],
    ['nonsense', undefined],
  ])('%s -> %s', (out, major) => expect(parseJavaMajor(out)).toBe(major));
});

describe('findJdk', () => {
  it('takes JAVA_HOME when it is 21 to 25', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jvm-'));
    const home = fakeJdk(root, 'my-21', '21.0.4');
    expect(findJdk(home, path.join(root, 'none'))).toEqual({ home, major: 21 });
  });

  it('passes over a too old JAVA_HOME and picks the newest suitable JDK under the JVM root', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jvm-'));
    const old = fakeJdk(root, 'java-17', '17.0.15');
    fakeJdk(root, 'temurin-21', '21.0.4');
    const newest = fakeJdk(root, 'temurin-25', '25');
    fakeJdk(root, 'future-26', '26');
    expect(findJdk(old, root)).toEqual({ home: newest, major: 25 });
  });

  it('says what it tried when nothing fits', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jvm-'));
    const old = fakeJdk(root, 'java-17', '17.0.15');
    expect(() => findJdk(undefined, root)).toThrow(JdkNotFoundError);
    expect(() => findJdk(undefined, root)).toThrow(`${old} (Java 17)`);
  });
});
