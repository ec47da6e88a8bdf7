/**
 * `npx tsx bench/profile-api.ts`: the API process of the benchmark under --cpu-prof while POST /api/v1/applications
 * runs at max rate (BENCH_PROFILE_SECONDS, default 10), then where its CPU time went, per request and in shares.
 * The raw profile stays in a temporary folder for Chrome DevTools; the engine is the in-process one unless it answers.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { postApplications } from './api/load.js';
import { startApiServer } from './api/server-process.js';
import { probeEngine } from './engine-probe.js';
import { type Share, summarizeCpuProfile } from './profile/cpu-profile.js';

const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 10);
const dir = mkdtempSync(path.join(os.tmpdir(), 'api-cpu-profile-'));
const engine = await probeEngine();
const server = await startApiServer({
  engine: engine.reachable ? engine.endpoints : null,
  nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
});
let answered = 0;
try {
  // Start-up (migrations, first compiles) is in the profile too; one second of warm-up keeps the first requests' compiles out of the load figures, not out of the profile.
  await postApplications(server, { name: 'warm-up', connections: 10, seconds: 1 });
  const before = await server.stats();
  const load = await postApplications(server, { name: 'profile', connections: 10, seconds });
  answered = (await server.stats()).answered2xx - before.answered2xx;
  console.log(
    `max rate, 10 connections, ${seconds} s: ${load.requestsPerSecond.toFixed(1)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, ${load.non2xx} non-2xx`,
  );
} finally {
  await server.stop();
}

const file = path.join(
  dir,
  readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!,
);
const summary = summarizeCpuProfile(file);
const busyMs = summary.totalMs - summary.idleMs;
console.log(`\nprofile ${file}`);
console.log(
  `${summary.totalMs} ms sampled (start-up and warm-up included), ${summary.idleMs} ms idle; ${answered} applications during the load`,
);
const show = (title: string, shares: Share[]) => {
  console.log(`\n${title}`);
  console.table(
    shares.map((s) => ({
      name: s.name,
      ms: s.ms,
      '% of all': s.percent,
      '% of busy': Math.round((s.ms / busyMs) * 1000) / 10,
    })),
  );
};
show('self time by owner of the running code', summary.selfByOwner);
show('time with the package on the stack', summary.onStackByPackage);
show('time with our function on the stack (what it calls included)', summary.onStackByOurFunction);
