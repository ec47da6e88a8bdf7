/**
 * `npm run demo`: sends the demo households (tools/demo/households.ts) to a running `npm start` through the HTTP
 * API as staff would, completes some of their steps, leaves the rest open in Tasklist, and prints where to look.
 *
 * Where and as whom: DEMO_API_URL and DEMO_API_TOKEN (one token with the roles EZ, IFK and LG, or ADMIN); without
 * them the file `npm start` writes with its generated tokens (DATA_DIR/local-api-tokens.json), so each step is
 * done with the token of its role. DEMO_RUN names the run: the same name again resumes it without duplicates
 * (each household's Idempotency-Key is demo-<run>-<household>).
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { berlinDate } from '../src/calendar/index.js';
import { localTokenFile, readLocalTokenFile } from '../src/config/local-token-file.js';
import { type AppView, type DemoHousehold, demoHouseholds, type DemoStep, type StepRole } from './demo/households.js';

const STEP_TIMEOUT_MS = Number(process.env.DEMO_STEP_TIMEOUT_SECONDS ?? 180) * 1000;

class DemoError extends Error {}

interface Target {
  api: string;
  cockpit: string;
  tasklist: string;
  tokenFor(role: StepRole | 'EZ'): string;
  tokenSource: string;
}

function target(env: NodeJS.ProcessEnv): Target {
  const dataDir = env.DATA_DIR ?? '.data';
  const file = readLocalTokenFile(dataDir);
  const api = (env.DEMO_API_URL ?? file?.api ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, '');
  const engineWeb = `http://127.0.0.1:${env.ENGINE_PORT ?? 8080}/operaton/app`;
  const cockpit = file?.cockpit ?? `${engineWeb}/cockpit/default/`;
  const tasklist = file?.tasklist ?? `${engineWeb}/tasklist/default/`;
  if (env.DEMO_API_TOKEN)
    return { api, cockpit, tasklist, tokenFor: () => env.DEMO_API_TOKEN!, tokenSource: 'DEMO_API_TOKEN' };
  if (!file) {
    throw new DemoError(
      `No API token: ${localTokenFile(dataDir)} is missing. Start the system with \`npm start\` (it writes that file with its local tokens), ` +
        'or set DEMO_API_TOKEN (and DEMO_API_URL) for a system started with API_TOKENS.',
    );
  }
  return {
    api,
    cockpit,
    tasklist,
    tokenFor: (role) => {
      const token = file.tokens[role] ?? file.tokens.ADMIN;
      if (!token) throw new DemoError(`${localTokenFile(dataDir)} has no ${role} or ADMIN token`);
      return token;
    },
    tokenSource: localTokenFile(dataDir),
  };
}

async function call(
  t: Target,
  role: StepRole | 'EZ',
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${t.api}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${t.tokenFor(role)}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new DemoError(
      `The API at ${t.api} is not reachable (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}). Start it with \`npm start\` and wait for its banner, or set DEMO_API_URL.`,
    );
  }
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (res.status === 401)
    throw new DemoError(
      `The API at ${t.api} refused the token from ${t.tokenSource} (401): tokens from an earlier \`npm start\`? Use the current run's, or set DEMO_API_TOKEN.`,
    );
  return { status: res.status, json };
}

async function ready(t: Target): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${t.api}/ready`);
  } catch (e) {
    throw new DemoError(
      `The API at ${t.api} is not reachable (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}). Start it with \`npm start\` and wait for its banner, or set DEMO_API_URL.`,
    );
  }
  if (res.status !== 200)
    throw new DemoError(
      `The API at ${t.api} is not ready (${res.status}: ${await res.text()}); is the engine still starting?`,
    );
}

async function read(t: Target, id: string): Promise<AppView> {
  const r = await call(t, 'EZ', 'GET', `/api/v1/applications/${id}`);
  if (r.status !== 200)
    throw new DemoError(`Reading application ${id} answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json as AppView;
}

/** Sends a step once the process waits for it (409 until then); a step a previous run did is left alone. */
async function runStep(t: Target, id: string, step: DemoStep): Promise<'done' | 'already'> {
  const until = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const app = await read(t, id);
    if (step.done(app)) return 'already';
    const body = step.body(app);
    if (body) {
      const r = await call(t, step.role, 'POST', `/api/v1/applications/${id}/events/${step.event}`, body);
      if (r.status === 202) return 'done';
      if (r.status !== 409)
        throw new DemoError(`${step.event} for ${id} answered ${r.status}: ${JSON.stringify(r.json)}`);
    }
    if (Date.now() > until)
      throw new DemoError(
        `${step.event} for ${id}: the process did not get there within ${STEP_TIMEOUT_MS / 1000} s (are the workers running? see Cockpit for incidents)`,
      );
    await sleep(1000);
  }
}

interface Sent {
  household: DemoHousehold;
  id: string;
  processInstanceId: string | null;
}

async function send(t: Target, run: string, h: DemoHousehold): Promise<Sent> {
  const r = await call(t, 'EZ', 'POST', '/api/v1/applications', h.body, { 'Idempotency-Key': `demo-${run}-${h.key}` });
  // A resumed run gets the first answer again for the same key, also 201.
  if (r.status !== 201)
    throw new DemoError(`The application "${h.title}" answered ${r.status}: ${JSON.stringify(r.json)}`);
  const created = r.json as { id: string; processInstanceId: string | null };
  return { household: h, id: created.id, processInstanceId: created.processInstanceId };
}

function summary(t: Target, sent: Sent[]): string {
  const lines = [
    '',
    'Where to look:',
    `  Workspace  ${t.api}/arbeitsplatz   start here: log in as ez (front desk) or tl (team lead), password demo;`,
    '             "Meine Aufgaben" lists the open tasks with the names, "Neukunden" every case with its Stand and deadlines',
    // The dashboards of the jobcenters the households went to, whichever those are.
    `  Dashboard  ${[...new Set(sent.map((s) => s.household.body.jobcenter))].map((id) => `${t.api}/dashboard/${id}`).join('   ')}`,
    `             the same workspace login, or the TL or EZ token${t.tokenSource.endsWith('.json') ? ` (in ${t.tokenSource})` : ''}; each figure links to its cases`,
    `  Cockpit    ${t.cockpit}   login demo/demo (engine admin, local) or tl/demo (team lead, read-only)`,
    `  Tasklist   ${t.tasklist}   staff logins ez, sc, post, lg, bi, ifk, tl, password demo`,
    '             ez sees the front desk tasks; bi and ifk belong to every team (consultations, deputy bookings)',
    '',
    'The cases (business key = application id):',
  ];
  for (const s of sent) {
    lines.push(`  ${s.household.title}`);
    lines.push(`    application ${s.id}; open: ${s.household.leftOpen}`);
    lines.push(`    ${t.api}/arbeitsplatz/neukunden/${s.id}`);
    if (s.processInstanceId) lines.push(`    ${t.cockpit}#/process-instance/${s.processInstanceId}/runtime`);
  }
  lines.push('', `Next: open ${t.api}/arbeitsplatz and log in as ez / demo (or tl / demo for the team lead's view).`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const t = target(process.env);
  const run = process.env.DEMO_RUN ?? new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  await ready(t);
  const households = demoHouseholds(berlinDate(new Date()));
  process.stdout.write(
    `Demo run ${run} against ${t.api} (tokens: ${t.tokenSource}); DEMO_RUN=${run} npm run demo resumes it without duplicates.\n\n`,
  );
  const sent: Sent[] = [];
  for (const [i, h] of households.entries()) {
    const n = `[${i + 1}/${households.length}]`;
    const s = await send(t, run, h);
    sent.push(s);
    process.stdout.write(
      `${n} ${h.title}: ${h.who}\n      application ${s.id}, process instance ${s.processInstanceId ?? '(none: not a new customer)'}\n`,
    );
    for (const step of h.steps) {
      const outcome = await runStep(t, s.id, step);
      process.stdout.write(
        `      ${outcome === 'done' ? '✓' : '='} ${step.says}${outcome === 'already' ? ' (already in this run)' : ''}\n`,
      );
    }
    process.stdout.write(`      left open: ${h.leftOpen}\n`);
  }
  process.stdout.write(`${summary(t, sent)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `\n${e instanceof DemoError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
