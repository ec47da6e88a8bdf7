/** What the kernel says about a process and the machine: resident memory from /proc/<pid>/status, the load average. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** VmRSS (resident now) and VmHWM (the peak resident size so far) in MB; undefined when the process is gone. */
export function residentMb(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The 1, 5 and 15 minute load averages as /proc/loadavg has them. */
export function loadAverage(): { '1m': number; '5m': number; '15m': number; raw: string } {
  const raw = readFileSync('/proc/loadavg', 'utf8').trim();
  const [a, b, c] = raw.split(/\s+/).map(Number) as [number, number, number];
  return { '1m': a, '5m': b, '15m': c, raw };
}

/** Samples `sample` every `everyMs` until stopped; returns the largest value seen. */
export function peakSampler(sample: () => number | undefined, everyMs = 500): { stop(): number } {
  let peak = 0;
  const take = () => {
    const v = sample();
    if (v !== undefined && Number.isFinite(v)) peak = Math.max(peak, v);
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/** Nearest-rank percentile of an unsorted list; NaN for an empty one. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) a process has used so far, in ms; undefined when it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU used by the engine and by this process between start() and stop(), in ms. */
export function cpuMeter(enginePid: number): { stop(): { engineMs: number; nodeMs: number } } {
  const engine0 = cpuMs(enginePid) ?? Number.NaN;
  const node0 = process.cpuUsage();
  return {
    stop() {
      const node = process.cpuUsage(node0);
      return { engineMs: (cpuMs(enginePid) ?? Number.NaN) - engine0, nodeMs: (node.user + node.system) / 1000 };
    },
  };
}

/** Java heap in use after a full GC, in MB, as the JVM itself reports it (jcmd): resident memory hides what the heap holds. */
export function heapUsedMb(pid: number): number {
  execFileSync('jcmd', [String(pid), 'GC.run'], { stdio: 'ignore' });
  const info = execFileSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8' });
  const used = /used (\d+)K/.exec(info)?.[1];
  if (!used) throw new Error(`No heap figure in jcmd's answer:\n${info}`);
  return Number(used) / 1024;
}
