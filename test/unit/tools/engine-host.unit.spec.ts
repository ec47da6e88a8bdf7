import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';
import winston from 'winston';

import { EngineBuildError, ensureEngineHost, sourcesHash } from '../../../tools/engine/engine-host.js';

const log = winston.createLogger({ silent: true });

/** An engine host source tree, and a fake `mvn` that records its calls and writes the jar as Maven would. */
function project(): { dir: string; mvn: string; calls: () => number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-host-'));
  mkdirSync(path.join(dir, 'src', 'main', 'resources'), { recursive: true });
  writeFileSync(path.join(dir, 'pom.xml'), '<project/>');
  writeFileSync(path.join(dir, 'src', 'main', 'resources', 'application.yaml'), 'server: {}\n');
  const mvn = path.join(dir, 'fake-mvn');
  const counter = path.join(dir, 'calls');
  writeFileSync(counter, '');
  writeFileSync(
    mvn,
    `#!/bin/sh\necho x >> ${counter}\nmkdir -p target && echo jar > target/engine-host.jar\necho "Downloaded from central: a"\n`,
  );
  chmodSync(mvn, 0o755);
  return { dir, mvn, calls: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
}

describe('the engine host build', () => {
  it('builds when the jar is missing, reuses it while the sources stay the same, and rebuilds when they change', async () => {
    const { dir, mvn, calls } = project();
    expect(await ensureEngineHost(dir, log, { mvn: () => mvn })).toMatchObject({ built: true });
    expect(await ensureEngineHost(dir, log, { mvn: () => mvn })).toMatchObject({ built: false });
    expect(calls()).toBe(1);

    writeFileSync(path.join(dir, 'src', 'main', 'resources', 'application.yaml'), 'server: { port: 1 }\n');
    expect(await ensureEngineHost(dir, log, { mvn: () => mvn })).toMatchObject({ built: true });
    expect(calls()).toBe(2);
  });

  it('hashes file names and contents, so a renamed file counts as a change', () => {
    const { dir } = project();
    const before = sourcesHash(dir);
    writeFileSync(path.join(dir, 'src', 'main', 'resources', 'other.yaml'), 'server: {}\n');
    expect(sourcesHash(dir)).not.toBe(before);
  });

  it('says what Maven printed last when the build fails', async () => {
    const { dir } = project();
    const failing = path.join(dir, 'failing-mvn');
    writeFileSync(failing, '#!/bin/sh\necho "[ERROR] Could not resolve dependencies"\nexit 1\n');
    chmodSync(failing, 0o755);
    await expect(ensureEngineHost(dir, log, { mvn: () => failing })).rejects.toThrow(EngineBuildError);
    await expect(ensureEngineHost(dir, log, { mvn: () => failing })).rejects.toThrow('Could not resolve dependencies');
  });

  it('names the missing Maven instead of failing obscurely', async () => {
    const { dir } = project();
    await expect(ensureEngineHost(dir, log, { mvn: () => path.join(dir, 'no-such-mvn') })).rejects.toThrow(
      /Maven .* could not be run/,
    );
  });
});
