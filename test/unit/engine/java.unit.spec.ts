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
  const noPathJava = path.join(tmpdir(), 'no-such-java');

  it('takes JAVA_HOME when it is 17 or newer', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jvm-'));
    const home = fakeJdk(root, 'my-17', '17.0.15');
    expect(findJdk(home, path.join(root, 'none'), noPathJava)).toEqual({
      home,
      java: path.join(home, 'bin', 'java'),
      major: 17,
    });
  });

  it('passes over a too old JAVA_HOME, then java on PATH, before the JVM root', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jvm-'));
    const old = fakeJdk(root, 'java-11', '11.0.2');
    const onPath = fakeJdk(root, 'on-path', '21.0.4');
    fakeJdk(root, 'temurin-25', '25');
    expect(findJdk(old, root, path.join(onPath, 'bin', 'java')).major).toBe(21);
  });

  it('picks the newest suitable JDK under the JVM root when neither JAVA_HOME nor PATH has one', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jvm-'));
    fakeJdk(root, 'java-11', '11.0.2');
    fakeJdk(root, 'java-17', '17.0.15');
    const newest = fakeJdk(root, 'temurin-25', '25');
    expect(findJdk(undefined, root, noPathJava)).toEqual({
      home: newest,
      java: path.join(newest, 'bin', 'java'),
      major: 25,
    });
  });

  it('says what it tried when nothing fits', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jvm-'));
    const old = fakeJdk(root, 'java-11', '11.0.2');
    expect(() => findJdk(undefined, root, noPathJava)).toThrow(JdkNotFoundError);
    expect(() => findJdk(undefined, root, noPathJava)).toThrow(`${old} (Java 11)`);
  });
});
