/**
 * Entry point: `start` (everything), `engine` (only the local engine, provisioned), `deploy` (processes/ to the
 * engine), `workers [--only 'allegro.*']` (external-task workers as their own service), `privacy-scan` (are
 * there personal data in the engine's variables, history, incidents or business keys?).
 */
import path from 'node:path';

import { parseOnly } from './config/cli-args.js';
import { type AppConfig, ConfigError, loadConfig } from './config/load.js';
import { writeLocalTokenFile } from './config/local-token-file.js';
import { checkLetterTemplates } from './documents/templates.js';
import { engineEndpoints } from './engine/endpoints.js';
import { scanEngine } from './engine/privacy-scan.js';
import { REGIONAL_LEAD_LOGIN } from './engine/provision.js';
import { EngineRestClient } from './engine/rest-client.js';
import { createLogger } from './log/logger.js';
import { LOCAL_STAFF_PASSWORD, start, type StartOptions, stopOnSignals } from './main.js';
import { openStore } from './store/index.js';

function banner(config: AppConfig, running: Awaited<ReturnType<typeof start>>, tokenFile?: string): string {
  const env = config.env;
  const api = `http://${env.HOST}:${env.PORT}`;
  const e = running.endpoints;
  const admin = e.administrator
    ? `${e.administrator.user}/${e.local && e.administrator.password === 'demo' ? 'demo' : '***'}`
    : 'your engine administrator';
  const lines = [
    '',
    'Jobcenter process orchestrator is running.',
    `  API           ${api}   (ready: ${api}/ready)`,
    `  OpenAPI       ${api}/api/v1/openapi.json`,
    config.sessionSecret
      ? `  Workspace     ${api}/arbeitsplatz   (staff and team leads start here: tasks, Neukunden, cases; log in with the engine account${e.local && env.NODE_ENV !== 'production' ? `, locally ez, sc, post, lg, bi, ifk or tl, password ${LOCAL_STAFF_PASSWORD}` : ''})`
      : '  Workspace     not served: set WORKSPACE_SESSION_SECRET (the same on every replica)',
    `  Dashboard     ${[...config.jobcenters.keys()].map((id) => `${api}/dashboard/${id}`).join('  ')}   (team leads: MDS deadlines; TL or EZ token)`,
    `  Cockpit       ${e.cockpit}   (team leads, operations: instances, incidents; login ${admin}${e.local ? `, or tl/demo, ${REGIONAL_LEAD_LOGIN}/demo` : ''})`,
    `  Tasklist      ${e.tasklist}   (front desk and placement staff: claim and complete tasks)`,
    `  Admin         ${e.admin}   (users, groups, authorizations; login ${admin})`,
    `  Engine REST   ${e.rest.join(', ')}   (HTTP Basic; the API and workers log in as ${e.technical.user})`,
  ];
  if (e.local && env.NODE_ENV !== 'production') {
    const [first, ...others] = [...config.jobcenters.values()];
    lines.push(
      `  Staff logins  ez, sc, post, lg, bi, ifk, tl (password ${LOCAL_STAFF_PASSWORD}): ${first?.name ?? 'the first jobcenter'}'s; each sees its group's tasks of its jobcenter in Tasklist`,
      ...others.map((jc) => `                ${jc.id}-ez, ${jc.id}-tl, ... : ${jc.name}'s`),
      `                ${REGIONAL_LEAD_LOGIN}: team lead of every jobcenter (Cockpit)`,
    );
  }
  if (running.engine) lines.push(`  Engine log    ${running.engine.logFile}`);
  if (config.tokensGenerated) {
    lines.push('', 'Local API tokens (this run only; set API_TOKENS to choose your own):');
    for (const [token, { roles }] of config.tokens)
      lines.push(`  ${roles.join('+').padEnd(6)} Authorization: Bearer ${token}`);
    if (tokenFile) lines.push(`  also in ${tokenFile} (owner-only), where \`npm run demo\` reads them`);
  } else {
    lines.push('', 'API tokens: from API_TOKENS (send "Authorization: Bearer <token>").');
  }
  lines.push('', 'Ctrl-C stops everything.');
  return lines.join('\n');
}

/** Looks for every name and birth date the store holds in every variable the engine keeps; exit code 1 on a finding. */
async function privacyScan(config: AppConfig): Promise<void> {
  const store = await openStore({
    databaseUrl: config.env.DATABASE_URL,
    dataDir: path.join(config.env.DATA_DIR, 'store'),
  });
  try {
    const people = await store.db.selectFrom('persons').select(['given_name', 'family_name', 'birth_date']).execute();
    const addresses = await store.db
      .selectFrom('application_addresses')
      .select(['care_of', 'street', 'mailing_care_of', 'mailing_street'])
      .execute();
    // Streets and c/o lines: a postcode or a city alone names no one and would match everywhere.
    const texts = [
      ...people.flatMap((p) => [p.given_name, p.family_name, p.birth_date]),
      ...addresses.flatMap((a) => [a.care_of, a.street, a.mailing_care_of, a.mailing_street]).filter((t) => t !== null),
    ];
    const endpoints = engineEndpoints(config.env);
    const { scanned, findings } = await scanEngine(new EngineRestClient(endpoints.rest, endpoints.technical), texts);
    // The report names instances and variables, never the text that matched: it may be read by anyone.
    process.stdout.write(
      `${scanned} variables, incident messages and business keys read against ${people.length} people: ${findings.length} findings\n`,
    );
    for (const f of findings)
      process.stdout.write(
        `  instance ${f.processInstanceId}, ${f.variable}: ${f.why.startsWith('its value') ? 'contains a name, birth date or address of the store' : f.why}\n`,
      );
    if (findings.length) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const [command = 'start', ...args] = process.argv.slice(2);
  if (command === 'privacy-scan') return privacyScan(loadConfig());
  const modes: Record<string, StartOptions> = {
    start: { engine: true, deploy: true, api: true, workers: true },
    engine: { engine: true, deploy: false, api: false, workers: false },
    deploy: { engine: false, deploy: true, api: false, workers: false },
    workers: { engine: false, deploy: false, api: false, workers: true },
  };
  const mode = modes[command];
  if (!mode) throw new ConfigError([`unknown command "${command}" (use: ${Object.keys(modes).join(', ')})`]);
  const config = loadConfig(process.env, { servesApi: mode.api });
  // A letter template with an unknown placeholder, or none at all, stops the start with its file and line.
  const templateProblems = checkLetterTemplates(config.jobcenters.values());
  if (templateProblems.length) throw new ConfigError(templateProblems);
  const log = createLogger({
    level: config.env.LOG_LEVEL,
    format: config.env.LOG_FORMAT ?? (config.env.NODE_ENV === 'development' ? 'pretty' : 'json'),
  });
  const running = await start(config, log, { ...mode, only: parseOnly(args) });
  if (command === 'deploy') {
    await running.stop();
    return;
  }
  if (command === 'start') {
    const tokenFile = config.tokensGenerated
      ? writeLocalTokenFile(
          config.env.DATA_DIR,
          {
            api: `http://${config.env.HOST}:${config.env.PORT}`,
            cockpit: running.endpoints.cockpit,
            tasklist: running.endpoints.tasklist,
          },
          config.tokens,
        )
      : undefined;
    process.stdout.write(`${banner(config, running, tokenFile)}\n`);
  }
  if (command === 'engine') log.info('Engine running; Ctrl-C stops it.');
  stopOnSignals(running, log);
}

main().catch((e: unknown) => {
  process.stderr.write(`\n${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
