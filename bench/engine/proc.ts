/** What the kernel says about a process and the machine: resident memory from /proc/<pid>/status, the load average. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

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

/** CPU time of every process now, in ms by pid (processes that cannot be read are left out). */
function cpuByPid(): Map<number, { ms: number; comm: string }> {
  const all = new Map<number, { ms: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(entry), { ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND, comm });
    } catch {
      // gone between the listing and the read
    }
  }
  return all;
}

/**
 * CPU used by everything that is not the measurement (this process, the engine, PostgreSQL) between start() and
 * stop(), as cores on average: the load average counts the measurement itself, this says whether a neighbour ran.
 */
export function neighbourMeter(enginePid: () => number): { stop(): { cores: number; top: string } } {
  const before = cpuByPid();
  const t0 = performance.now();
  return {
    stop() {
      const after = cpuByPid();
      const seconds = (performance.now() - t0) / 1000;
      const ours = (pid: number, comm: string) => pid === process.pid || pid === enginePid() || comm === 'postgres';
      const byComm = new Map<string, number>();
      let ms = 0;
      for (const [pid, a] of after) {
        if (ours(pid, a.comm)) continue;
        const used = a.ms - (before.get(pid)?.ms ?? 0);
        if (used <= 0) continue;
        ms += used;
        byComm.set(a.comm, (byComm.get(a.comm) ?? 0) + used);
      }
      const top = [...byComm]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 3)
        .map(([comm, used]) => `${comm} ${(used / 1000 / seconds).toFixed(2)}`)
        .join(', ');
      return { cores: ms / 1000 / seconds, top };
    },
  };
}
