/**
 * Keeps the local engine host running for `npm start`: when its JVM exits without being asked to (an
 * out-of-memory exit under -XX:+ExitOnOutOfMemoryError, a kill), logs the exit once with the last lines of the
 * engine's log and starts it again on the same data after a capped exponential back-off. After too many exits
 * within a window it gives up, so the caller can stop the API and the workers and leave the restart to a
 * service manager. The API and the workers need nothing from here: they reconnect to an engine that comes back.
 */
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from '../log/logger.js';

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One engine process that has started and answered. */
export interface EngineProcess {
  readonly pid: number;
  /** Resolves once the process has exited; never rejects. */
  readonly exited: Promise<EngineExit>;
  /** Asks the process to stop and resolves once it has exited. */
  stop(): Promise<void>;
}

export interface LastExit extends EngineExit {
  pid: number | null;
  at: string;
  /** Why a restart did not come up (then code and signal are null). */
  error?: string;
}

export type EngineProcessState = 'running' | 'restarting' | 'stopping' | 'stopped' | 'gave-up';

/** What /health and /ready report about the local engine process. */
export interface EngineProcessStatus {
  state: EngineProcessState;
  /** Restarts that brought the engine back since `npm start`. */
  restarts: number;
  lastExit: LastExit | null;
}

export interface EngineSupervisorOptions {
  /**
   * Starts the engine again on the same data and resolves once its REST API answers. Rejects when it does not
   * come up or `signal` aborts, and only after the process it spawned has exited.
   */
  launch(signal: AbortSignal): Promise<EngineProcess>;
  /** The last lines of the engine's log, read after an exit. */
  logTail(): Promise<string[]>;
  log: Logger;
  /** The engine is given up at this many exits within `windowMs` (failed restarts count as exits). */
  maxExits: number;
  windowMs: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  /** Rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The pause before a restart: 1 s after the first exit in the window, doubling with each further one, at most 30 s. */
export function restartDelayMs(exitsInWindow: number, firstMs = 1000, maxMs = 30_000): number {
  return Math.min(firstMs * 2 ** Math.max(0, exitsInWindow - 1), maxMs);
}

export class EngineSupervisor {
  readonly gaveUp: Promise<EngineProcessStatus>;
  private current: EngineProcess;
  private state: EngineProcessState = 'running';
  private restarts = 0;
  private lastExit: LastExit | null = null;
  private exits: number[] = [];
  private startedAt: number;
  private stopRequested = false;
  private readonly abort = new AbortController();
  private readonly watching: Promise<void>;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private resolveGaveUp: (status: EngineProcessStatus) => void = () => {};

  constructor(
    first: EngineProcess,
    private readonly opts: EngineSupervisorOptions,
  ) {
    this.current = first;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms, signal) => sleep(ms, undefined, { signal }));
    this.startedAt = this.now();
    this.gaveUp = new Promise((resolve) => (this.resolveGaveUp = resolve));
    this.watching = this.watch();
  }

  status(): EngineProcessStatus {
    return { state: this.state, restarts: this.restarts, lastExit: this.lastExit && { ...this.lastExit } };
  }

  /**
   * A stop has begun: an exit from now on belongs to it and is not restarted, and a pending restart is called
   * off. Called first thing when stopping, before the workers drain: Ctrl-C reaches the engine's JVM too (one
   * process group), and it may exit long before the engine's own stop comes.
   */
  expectExit(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    if (this.state !== 'gave-up') this.state = 'stopping';
    this.abort.abort();
  }

  /** Stops the engine for good; resolves once no engine process of ours runs. */
  async stop(): Promise<void> {
    this.expectExit();
    await Promise.all([this.current.stop(), this.watching]);
    if (this.state === 'stopping') this.state = 'stopped';
  }

  private async watch(): Promise<void> {
    for (;;) {
      const engine = this.current;
      const exit = await engine.exited;
      if (this.stopRequested) {
        this.opts.log.info('Engine stopped', { event: 'engine-stopped', pid: engine.pid, ...exit });
        return;
      }
      const uptimeSeconds = Math.round((this.now() - this.startedAt) / 1000);
      this.state = 'restarting';
      this.recordExit({ ...exit, pid: engine.pid });
      this.opts.log.error('The engine process exited unexpectedly', {
        event: 'engine-exit',
        pid: engine.pid,
        code: exit.code,
        signal: exit.signal,
        uptimeSeconds,
        exitsInWindow: this.exitsInWindow(),
        restartLimit: this.opts.maxExits,
        logTail: await this.tail(),
      });
      if (!(await this.restart())) return;
    }
  }

  /** Starts the engine again after the back-off until it answers; false when stopping or giving up. */
  private async restart(): Promise<boolean> {
    const downSince = this.now();
    for (;;) {
      if (this.stopRequested) return false;
      const exitsInWindow = this.exitsInWindow();
      if (exitsInWindow >= this.opts.maxExits) {
        this.giveUp(exitsInWindow);
        return false;
      }
      const delayMs = restartDelayMs(exitsInWindow, this.opts.firstDelayMs, this.opts.maxDelayMs);
      this.state = 'restarting';
      this.opts.log.warn('Restarting the engine on its data', {
        event: 'engine-restarting',
        inSeconds: delayMs / 1000,
        exitsInWindow,
      });
      try {
        await this.sleep(delayMs, this.abort.signal);
      } catch {
        return false;
      }
      try {
        this.current = await this.opts.launch(this.abort.signal);
      } catch (e) {
        if (this.stopRequested) return false;
        const error = (e as Error).message;
        this.recordExit({ code: null, signal: null, pid: null, error });
        this.opts.log.error('The engine did not come back', {
          event: 'engine-restart-failed',
          error,
          exitsInWindow: this.exitsInWindow(),
          restartLimit: this.opts.maxExits,
          logTail: await this.tail(),
        });
        continue;
      }
      // The launch may have answered just as a stop began: that stop may already have passed the old process by.
      if (this.stopRequested) {
        await this.current.stop();
        return false;
      }
      this.restarts++;
      this.startedAt = this.now();
      this.state = 'running';
      this.opts.log.info('Engine restarted', {
        event: 'engine-restarted',
        pid: this.current.pid,
        restarts: this.restarts,
        downSeconds: Math.round((this.now() - downSince) / 100) / 10,
      });
      return true;
    }
  }

  private giveUp(exitsInWindow: number): void {
    this.state = 'gave-up';
    this.opts.log.error('The engine exited too often: not restarting it again', {
      event: 'engine-gave-up',
      exitsInWindow,
      windowSeconds: this.opts.windowMs / 1000,
      restarts: this.restarts,
      lastExit: this.lastExit,
    });
    this.resolveGaveUp(this.status());
  }

  private recordExit(exit: Omit<LastExit, 'at'>): void {
    const at = this.now();
    this.exits.push(at);
    this.lastExit = { ...exit, at: new Date(at).toISOString() };
  }

  private exitsInWindow(): number {
    const since = this.now() - this.opts.windowMs;
    this.exits = this.exits.filter((at) => at > since);
    return this.exits.length;
  }

  private async tail(): Promise<string[]> {
    return this.opts.logTail().catch((e: unknown) => [`(engine log not readable: ${(e as Error).message})`]);
  }
}

/** The last `count` non-empty lines of a log file, read from its last 64 KiB; each cut to 500 characters. */
export async function readLastLines(file: string, count: number, maxBytes = 65_536): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    // A read that starts inside the file starts inside a line.
    if (length < size) lines.shift();
    return lines
      .filter((l) => l.trim())
      .slice(-count)
      .map((l) => (l.length > 500 ? `${l.slice(0, 500)}…` : l));
  } finally {
    await handle.close();
  }
}
