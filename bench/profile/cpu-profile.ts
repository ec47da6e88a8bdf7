/**
 * Reads a V8 .cpuprofile (as `node --cpu-prof` writes it) and says where the time went: by owner of the code that
 * ran (our file, a package, Node itself, the garbage collector), and by what was on the stack, so time spent in a
 * package on behalf of one of our functions is charged to that function too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Share {
  name: string;
  ms: number;
  /** Of all sampled time, idle included. */
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Where the CPU was when sampled, by owner of the running code. */
  selfByOwner: Share[];
  /** Time with a package anywhere on the stack; a sample counts once per package. */
  onStackByPackage: Share[];
  /** Time with one of our functions on the stack, including what it called; a sample counts once per function. */
  onStackByOurFunction: Share[];
}

const root = path.resolve(import.meta.dirname, '../..');

function fileOf(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
}

/** The package a file belongs to, e.g. "kysely" or "@electric-sql/pglite"; undefined for files outside node_modules. */
function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf('/node_modules/');
  if (at < 0) return file.startsWith('wasm://') ? '@electric-sql/pglite (wasm)' : undefined;
  const parts = file.slice(at + '/node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function ourFile(file: string): string | undefined {
  if (!file.startsWith(root) || file.includes('/node_modules/')) return undefined;
  return path.relative(root, file);
}

function ownerOf(frame: ProfileNode['callFrame']): string {
  if (frame.functionName.startsWith('(') && !frame.url) return frame.functionName;
  const file = fileOf(frame.url);
  return packageOf(file) ?? ourFile(file) ?? (file.startsWith('node:') || !file ? 'node (core)' : file);
}

function ourFunctionOf(frame: ProfileNode['callFrame']): string | undefined {
  const file = ourFile(fileOf(frame.url));
  // No line: under tsx the profile carries the transformed module's lines, which would point nowhere in the source.
  return file ? `${file} ${frame.functionName || '(anonymous)'}` : undefined;
}

function ranked(totals: Map<string, number>, totalMs: number, limit: number): Share[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percent: Math.round((us / 1000 / totalMs) * 1000) / 10 }));
}

export function summarizeCpuProfile(file: string, limit = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  const ours = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  let idleUs = 0;
  let totalUs = 0;

  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    totalUs += us;
    const leaf = byId.get(id)!;
    add(self, ownerOf(leaf.callFrame), us);
    if (leaf.callFrame.functionName === '(idle)') idleUs += us;
    const seenPackages = new Set<string>();
    const seenOurs = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = byId.get(parentOf.get(n.id) ?? -1)) {
      const pkg = packageOf(fileOf(n.callFrame.url));
      if (pkg) seenPackages.add(pkg);
      const fn = ourFunctionOf(n.callFrame);
      if (fn) seenOurs.add(fn);
    }
    for (const p of seenPackages) add(packages, p, us);
    for (const f of seenOurs) add(ours, f, us);
  });

  const totalMs = totalUs / 1000;
  return {
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleUs / 1000),
    selfByOwner: ranked(self, totalMs, limit),
    onStackByPackage: ranked(packages, totalMs, limit),
    onStackByOurFunction: ranked(ours, totalMs, limit),
  };
}
