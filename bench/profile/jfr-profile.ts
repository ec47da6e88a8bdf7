/**
 * Reads a Java Flight Recorder file (`jcmd <pid> JFR.start`, then `JFR.stop`) and says where the engine's CPU went:
 * the hot methods by self samples, and the share of samples with a cost centre anywhere on the stack (history,
 * authorization checks, SQL, REST, ...), the first matching centre from the top of the stack counting once.
 * The JDK's own `jfr print` does the decoding; this only counts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface JfrShare {
  name: string;
  samples: number;
  percent: number;
}

export interface JfrSummary {
  samples: number;
  hotMethods: JfrShare[];
  costCentres: JfrShare[];
  threads: JfrShare[];
}

/**
 * Cost centres, most specific first: a sample is charged to the first centre in this list with a frame anywhere on
 * its stack, so SQL run to write history counts as history and SQL run for an authorization check as that check.
 */
export const COST_CENTRES: readonly { name: string; frames: readonly string[] }[] = [
  { name: 'authorization checks', frames: ['org.operaton.bpm.engine.impl.persistence.entity.AuthorizationManager'] },
  {
    name: 'history events (producing and writing)',
    frames: ['org.operaton.bpm.engine.impl.history.', 'org.operaton.bpm.engine.impl.persistence.entity.Historic'],
  },
  { name: 'metrics', frames: ['org.operaton.bpm.engine.impl.metrics.'] },
  { name: 'job executor', frames: ['org.operaton.bpm.engine.impl.jobexecutor.'] },
  { name: 'DMN / FEEL', frames: ['org.operaton.bpm.dmn.', 'org.operaton.feel.', 'org.operaton.bpm.model.dmn.'] },
  { name: 'expression language (JUEL)', frames: ['org.operaton.bpm.impl.juel.', 'org.operaton.bpm.engine.impl.el.'] },
  {
    name: 'variables (serialisation, typed values)',
    frames: ['org.operaton.bpm.engine.impl.variable.', 'org.operaton.bpm.engine.variable.', 'org.operaton.spin.'],
  },
  { name: 'external-task fetch and lock', frames: ['org.operaton.bpm.engine.impl.cmd.FetchExternalTasksCmd'] },
  {
    name: 'task and query commands',
    frames: ['org.operaton.bpm.engine.impl.TaskQueryImpl', 'org.operaton.bpm.engine.impl.AbstractQuery'],
  },
  { name: 'flush: SQL (H2)', frames: ['org.h2.'] },
  { name: 'flush: SQL (PostgreSQL driver)', frames: ['org.postgresql.'] },
  { name: 'MyBatis mapping', frames: ['org.apache.ibatis.'] },
  { name: 'connection pool (Hikari)', frames: ['com.zaxxer.hikari.'] },
  {
    name: 'process execution (atomic operations, BPMN behaviour)',
    frames: ['org.operaton.bpm.engine.impl.pvm.', 'org.operaton.bpm.engine.impl.bpmn.'],
  },
  { name: 'other engine commands', frames: ['org.operaton.bpm.engine.impl.'] },
  { name: 'REST resources and JSON (Jackson)', frames: ['org.operaton.bpm.engine.rest.', 'com.fasterxml.jackson.'] },
  {
    name: 'authentication filter (HTTP Basic, identity)',
    frames: ['org.operaton.bpm.engine.rest.security.', 'org.operaton.bpm.webapp.'],
  },
  {
    name: 'HTTP server (Tomcat, Jersey, Spring)',
    frames: [
      'org.apache.catalina.',
      'org.apache.coyote.',
      'org.apache.tomcat.',
      'org.glassfish.jersey.',
      'org.springframework.',
    ],
  },
];

function ranked(m: Map<string, number>, total: number, limit: number): JfrShare[] {
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, samples]) => ({ name, samples, percent: Math.round((samples / total) * 1000) / 10 }));
}

/** `jfr` of the given JDK, else the one on PATH. */
function jfrTool(javaHome?: string): string {
  const own = javaHome ? `${javaHome}/bin/jfr` : undefined;
  return own && existsSync(own) ? own : 'jfr';
}

/**
 * Streams `jfr print`'s text (a recording of a minute holds hundreds of megabytes of stacks, more than one
 * JavaScript string may hold) and counts each sample as its closing bracket passes.
 */
export async function summarizeJfr(
  file: string,
  opts: { javaHome?: string; limit?: number } = {},
): Promise<JfrSummary> {
  const child = spawn(
    jfrTool(opts.javaHome),
    ['print', '--stack-depth', '128', '--events', 'jdk.ExecutionSample', file],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const hot = new Map<string, number>();
  const centres = new Map<string, number>();
  const threads = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let total = 0;
  let thread = '?';
  let frames: string[] | undefined;
  for await (const raw of createInterface({ input: child.stdout })) {
    const line = raw.trim();
    if (line.startsWith('sampledThread = ')) thread = /"([^"]*)"/.exec(line)?.[1] ?? '?';
    else if (line === 'stackTrace = [') frames = [];
    else if (frames && line === ']') {
      if (frames.length > 0) {
        total++;
        add(hot, frames[0]!);
        // Thread pools by their name without the number: http-nio-...-exec, JobExecutor, HikariPool ...
        add(threads, thread.replace(/[-#]?\d+$/, ''));
        const centre = COST_CENTRES.find((c) => frames!.some((n) => c.frames.some((p) => n.startsWith(p))));
        add(centres, centre?.name ?? 'JVM and libraries outside the engine');
      }
      frames = undefined;
    } else if (frames && line !== '...') frames.push(line.replace(/\(.*$/, ''));
  }
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`jfr print ${file} exited with ${code}`);
  const limit = opts.limit ?? 15;
  return {
    samples: total,
    hotMethods: ranked(hot, total, limit),
    costCentres: ranked(centres, total, 30),
    threads: ranked(threads, total, 10),
  };
}
