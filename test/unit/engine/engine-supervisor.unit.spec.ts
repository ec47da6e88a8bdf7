/**
 * The supervision of the local engine with a fake engine process and a fake clock: back-off, the log line of an
 * exit, giving up after too many exits in the window, and no restart once a stop has begun.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';

import { describe, expect, it } from '@jest/globals';
import winston from 'winston';

import {
  type EngineExit,
  type EngineProcess,
  EngineSupervisor,
  type EngineSupervisorOptions,
  readLastLines,
  restartDelayMs,
} from '../../../src/engine/engine-supervisor.js';

const MINUTE = 60_000;

/** A JVM stand-in: exits when told to crash, or when stopped (as the JVM does on SIGTERM, code 143). */
class FakeEngine implements EngineProcess {
  readonly exited: Promise<EngineExit>;
  hasExited = false;
  stopped = false;
  private resolveExit: (exit: EngineExit) => void = () => {};

  constructor(readonly pid: number) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  crash(exit: EngineExit = { code: null, signal: 'SIGKILL' }): void {
    this.hasExited = true;
    this.resolveExit(exit);
  }

  async stop(): Promise<void> {
    if (!this.hasExited) {
      this.stopped = true;
      this.crash({ code: 143, signal: null });
    }
    await this.exited;
  }
}

interface LogLine {
  level: string;
  message: string;
  event?: string;
  [k: string]: unknown;
}

/** A supervisor over fake engines; sleeping advances the fake clock at once unless `sleep` is given. */
function supervised(overrides: Partial<EngineSupervisorOptions> = {}, launchMs = 20_000) {
  let clock = 1_000_000;
  const delays: number[] = [];
  const lines: LogLine[] = [];
  const engines = [new FakeEngine(100)];
  const exitedBeforeLaunch: boolean[] = [];
  const log = winston.createLogger({
    format: winston.format.json(),
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(JSON.parse(chunk.toString()) as LogLine);
            done();
          },
        }),
      }),
    ],
  });
  const supervisor = new EngineSupervisor(engines[0]!, {
    launch: async () => {
      exitedBeforeLaunch.push(engines.at(-1)!.hasExited);
      clock += launchMs;
      const engine = new FakeEngine(100 + engines.length);
      engines.push(engine);
      return engine;
    },
    logTail: async () => [
      'Started EngineHostApplication in 17.2 seconds',
      'java.lang.OutOfMemoryError: Java heap space',
    ],
    log,
    maxExits: 5,
    windowMs: 10 * MINUTE,
    now: () => clock,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      delays.push(ms);
      clock += ms;
    },
    ...overrides,
  });
  return {
    supervisor,
    engines,
    delays,
    lines,
    exitedBeforeLaunch,
    errors: () => lines.filter((l) => l.level === 'error'),
    advance: (ms: number) => (clock += ms),
    /** Crashes the engine running now and waits until the supervisor has restarted it or given up. */
    async crashAndSettle(exit?: EngineExit) {
      const count = engines.length;
      engines.at(-1)!.crash(exit);
      await until('a restart or giving up', () => engines.length > count || supervisor.status().state === 'gave-up');
    },
  };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await setImmediate();
  }
  throw new Error(`never happened: ${what}`);
}

describe('restartDelayMs', () => {
  it('waits 1 s after the first exit, doubling with each further exit in the window, at most 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => restartDelayMs(n))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('EngineSupervisor', () => {
  it('logs one error with the exit signal and the last log lines, and starts the engine again after 1 s', async () => {
    // Arrange
    const s = supervised();

    // Act
    await s.crashAndSettle({ code: null, signal: 'SIGKILL' });

    // Assert
    expect(s.errors()).toHaveLength(1);
    expect(s.errors()[0]).toMatchObject({
      message: 'The engine process exited unexpectedly',
      event: 'engine-exit',
      pid: 100,
      code: null,
      signal: 'SIGKILL',
      exitsInWindow: 1,
      restartLimit: 5,
      logTail: ['Started EngineHostApplication in 17.2 seconds', 'java.lang.OutOfMemoryError: Java heap space'],
    });
    expect(s.delays).toEqual([1000]);
    expect(s.exitedBeforeLaunch).toEqual([true]);
    expect(s.supervisor.status()).toMatchObject({
      state: 'running',
      restarts: 1,
      lastExit: { pid: 100, code: null, signal: 'SIGKILL' },
    });
    expect(s.lines.find((l) => l.event === 'engine-restarted')).toMatchObject({ pid: 101, restarts: 1 });
  });

  it('reports the exit code of an out-of-memory exit', async () => {
    const s = supervised();
    await s.crashAndSettle({ code: 3, signal: null });
    expect(s.errors()[0]).toMatchObject({ code: 3, signal: null });
    expect(s.supervisor.status().lastExit).toMatchObject({ code: 3, signal: null });
  });

  it('backs off 1 s, 2 s, 4 s, 8 s ... up to 30 s while the engine keeps exiting within the window', async () => {
    const s = supervised({ maxExits: 100 });
    for (let i = 0; i < 8; i++) await s.crashAndSettle();
    expect(s.delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(s.supervisor.status().restarts).toBe(8);
  });

  it('gives up at the fifth exit within ten minutes: no fifth restart, one error saying so, gaveUp resolved', async () => {
    // Arrange
    const s = supervised();
    let gaveUp: unknown;
    void s.supervisor.gaveUp.then((status) => (gaveUp = status));

    // Act
    for (let i = 0; i < 5; i++) await s.crashAndSettle();
    await until('gaveUp to resolve', () => gaveUp !== undefined);

    // Assert
    expect(s.engines).toHaveLength(5);
    expect(s.delays).toEqual([1000, 2000, 4000, 8000]);
    expect(gaveUp).toMatchObject({ state: 'gave-up', restarts: 4, lastExit: { pid: 104, signal: 'SIGKILL' } });
    expect(s.supervisor.status().state).toBe('gave-up');
    const gaveUpLines = s.errors().filter((l) => l.event === 'engine-gave-up');
    expect(gaveUpLines).toHaveLength(1);
    expect(gaveUpLines[0]).toMatchObject({ exitsInWindow: 5, windowSeconds: 600, restarts: 4 });
    expect(s.errors().filter((l) => l.event === 'engine-exit')).toHaveLength(5);
  });

  it('keeps restarting when the exits are spread wider than the window, and backs off less again', async () => {
    const s = supervised();
    for (let i = 0; i < 6; i++) {
      await s.crashAndSettle();
      s.advance(4 * MINUTE);
    }
    expect(s.supervisor.status()).toMatchObject({ state: 'running', restarts: 6 });
    // Exits at 0, 4, 8, 12, 16, 20 minutes: never more than three within ten.
    expect(s.delays).toEqual([1000, 2000, 4000, 4000, 4000, 4000]);
  });

  it('honours a configured limit and window', async () => {
    const s = supervised({ maxExits: 2, windowMs: MINUTE });
    await s.crashAndSettle();
    s.advance(2 * MINUTE);
    await s.crashAndSettle();
    expect(s.supervisor.status()).toMatchObject({ state: 'running', restarts: 2 });
    await s.crashAndSettle();
    expect(s.supervisor.status()).toMatchObject({ state: 'gave-up', restarts: 2 });
  });

  it('counts a restart that does not come up as an exit, with its own error line', async () => {
    // Arrange
    let attempts = 0;
    const s = supervised({
      maxExits: 3,
      launch: async () => {
        attempts++;
        throw new Error('The engine at http://127.0.0.1:8080/engine-rest did not answer within 180 s');
      },
    });

    // Act
    await s.crashAndSettle();

    // Assert
    expect(attempts).toBe(2);
    expect(s.delays).toEqual([1000, 2000]);
    expect(s.errors().map((l) => l.event)).toEqual([
      'engine-exit',
      'engine-restart-failed',
      'engine-restart-failed',
      'engine-gave-up',
    ]);
    expect(s.supervisor.status()).toMatchObject({
      state: 'gave-up',
      restarts: 0,
      lastExit: { pid: null, error: expect.stringMatching(/did not answer within 180 s/) },
    });
  });

  it('does not restart after a deliberate stop, and logs no error', async () => {
    const s = supervised();
    await s.supervisor.stop();
    expect(s.engines).toHaveLength(1);
    expect(s.engines[0]!.stopped).toBe(true);
    expect(s.errors()).toEqual([]);
    expect(s.lines.find((l) => l.event === 'engine-stopped')).toMatchObject({ pid: 100, code: 143 });
    expect(s.supervisor.status().state).toBe('stopped');
  });

  it('does not restart an engine that exits after the stop began but before it was asked to (Ctrl-C reaches the JVM too)', async () => {
    const s = supervised();
    s.supervisor.expectExit();
    s.engines[0]!.crash({ code: 130, signal: null });
    await s.supervisor.stop();
    expect(s.engines).toHaveLength(1);
    expect(s.delays).toEqual([]);
    expect(s.errors()).toEqual([]);
  });

  it('calls a pending restart off when a stop comes during the back-off', async () => {
    // Arrange: the back-off only ends by being called off.
    let launched = false;
    const s = supervised({
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal.throwIfAborted();
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        }),
      launch: async () => {
        launched = true;
        return new FakeEngine(999);
      },
    });
    s.engines[0]!.crash();
    await until('the back-off', () => s.supervisor.status().state === 'restarting');

    // Act
    await s.supervisor.stop();

    // Assert
    expect(launched).toBe(false);
    expect(s.errors().map((l) => l.event)).toEqual(['engine-exit']);
  });

  it('stops the engine a restart brought up just as the stop began', async () => {
    // Arrange: the restart's engine answers only after the stop has begun.
    const late = new FakeEngine(200);
    let answer: (() => void) | undefined;
    const s = supervised({
      launch: () => new Promise<EngineProcess>((resolve) => (answer = () => resolve(late))),
    });
    s.engines[0]!.crash();
    await until('the restart under way', () => answer !== undefined);

    // Act
    const stopped = s.supervisor.stop();
    answer!();
    await stopped;

    // Assert
    expect(late.stopped).toBe(true);
    expect(s.supervisor.status()).toMatchObject({ state: 'stopped', restarts: 0 });
  });
});

describe('readLastLines', () => {
  const file = (text: string) => {
    const f = path.join(mkdtempSync(path.join(tmpdir(), 'engine-log-')), 'engine.log');
    writeFileSync(f, text);
    return f;
  };

  it('returns the last lines of the log, blank lines left out', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    expect(await readLastLines(file(`${lines.join('\n')}\n\n`), 20)).toEqual(lines.slice(10));
  });

  it('reads only the end of a long log, never a cut first line, and shortens very long lines', async () => {
    const long = 'x'.repeat(2000);
    const f = file(`${'y'.repeat(100_000)}\n${long}\nlast\n`);
    const tail = await readLastLines(f, 20);
    expect(tail).toEqual([`${'x'.repeat(500)}…`, 'last']);
  });
});
