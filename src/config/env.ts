/** The only reader of process.env: one zod schema, every key documented with its unit and default. */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.string().url();

/** Each key: [schema, one-line doc]. The README's configuration table is checked against this list. */
export const ENV_DOCS = {
  NODE_ENV:
    'development | test | production. Production forbids generated tokens and the local engine logins (orchestrator, demo). Default development.',
  HOST: 'Address the HTTP API binds to. Default 127.0.0.1.',
  PORT: 'Port of the HTTP API. Default 3000.',
  API_TOKENS:
    'Bearer tokens and their roles, optionally bound to one jobcenter, e.g. "t1=EZ+SC@cottbus,t2=TL,t3=ADMIN". Roles: EZ, SC, POST, LG, BI, IFK, TL, ADMIN. Unset on loopback outside production: tokens are generated and printed.',
  DATABASE_URL: 'PostgreSQL URL for the store. Unset: embedded PGlite in DATA_DIR/store.',
  DATA_DIR: 'Folder for local state (store, engine data, logs). Default .data.',
  ENGINE_SOURCE_DIR:
    'Folder of the engine host sources (pom.xml); its jar is built into target/ there. Default engine.',
  ENGINE_URL:
    'REST API of an existing Operaton engine, e.g. http://engine:8080/engine-rest; several, comma-separated, for a cluster (the API and the workers stay on one node and move to the next when it stops answering). Unset: `npm start` builds and starts the local engine host from engine/.',
  ENGINE_USER:
    'Technical engine user of the API and the workers (HTTP Basic on /engine-rest). Default orchestrator, allowed only for the local engine outside production.',
  ENGINE_PASSWORD:
    'Password of ENGINE_USER. Default orchestrator, allowed only for the local engine outside production.',
  ENGINE_ADMIN_USER:
    'Engine administrator: Cockpit/Admin login, and the provisioning of groups and the technical user. Default demo (local engine only).',
  ENGINE_ADMIN_PASSWORD: 'Password of ENGINE_ADMIN_USER. Default demo (local engine, loopback, outside production).',
  ENGINE_PORT: 'Port of the local engine host (REST, Cockpit, Tasklist, Admin), bound to 127.0.0.1. Default 8080.',
  ENGINE_DATABASE_URL:
    'JDBC URL of the local engine host database, e.g. jdbc:postgresql://127.0.0.1:5432/engine. Unset: an H2 file in DATA_DIR/engine.',
  ENGINE_DATABASE_USER: 'User of ENGINE_DATABASE_URL. Default sa (H2).',
  ENGINE_DATABASE_PASSWORD: 'Password of ENGINE_DATABASE_USER. Default empty.',
  ENGINE_HEAP: 'Maximum Java heap of the local engine host (java -Xmx). Default 512m.',
  ENGINE_HISTORY_LEVEL:
    'History level of the local engine: full | audit | activity | none. Default full (Cockpit shows everything).',
  ENGINE_REST_AUTH_CACHE_SECONDS:
    'Seconds the engine host remembers a successful HTTP Basic login to its REST API (by a hash of the header; failed logins never), so that a request does not check the password and read groups and tenants again: 0 to 3600, 0 checks every request. A changed password or membership reaches the REST API within this time. Default 30.',
  ENGINE_QUERY_INDEXES:
    'false leaves out the indexes the engine host adds to the H2 schema for its own queries (only for comparing with the plain schema in the benchmark). Default true.',
  ENGINE_H2_COMPACT_SECONDS:
    "Seconds between the engine host's compaction passes over its H2 file (H2 only): with WRITE_DELAY=0, which keeps every confirmed commit on disk, H2 itself compacts nothing and the file grows without bound. 0 to 3600, 0 switches it off (only for comparing in the benchmark). Default 10.",
  ENGINE_POSTGRES_CUSTOM_PLANS:
    "false keeps PostgreSQL's cached generic plans for the engine's statements (only for comparing in the benchmark). Default true: the engine host's connections to PostgreSQL plan every statement for its parameters and the tables' current size (plan_cache_mode = force_custom_plan), because a generic plan made while the runtime tables were nearly empty read them by sequential scans and halved the throughput. Unused on H2.",
  ENGINE_START_TIMEOUT_SECONDS: 'How long to wait for the engine to answer. Default 180.',
  ENGINE_RESTART_LIMIT:
    'Unexpected exits of the local engine (failed restarts included) within ENGINE_RESTART_WINDOW_SECONDS at which `npm start` stops restarting it, stops the API and the workers and exits with code 1; 1: never restart. Default 5.',
  ENGINE_RESTART_WINDOW_SECONDS:
    'Window in which ENGINE_RESTART_LIMIT counts the exits of the local engine, in seconds. Default 600.',
  ENGINE_PROVISION:
    'true: at start, create the groups the diagrams name, the teams of the jobcenter settings and the technical user with its authorizations (needs ENGINE_ADMIN_*). Default true for the local engine, false for ENGINE_URL.',
  JAVA_HOME:
    'JDK for the local engine (17 or newer). Unset or too old: java on PATH, then the newest JDK 17+ under /usr/lib/jvm.',
  LOG_LEVEL: 'error | warn | info | debug. Default info.',
  LOG_FORMAT: 'json | pretty. Default pretty in development, json otherwise.',
  WORKER_MAX_TASKS: 'External tasks one worker process holds and runs at once. Default 32.',
  WORKER_LOCK_SECONDS:
    'How long a fetched task stays locked to its worker; the runner extends the lock while the handler runs. Default 30.',
  WORKER_LONG_POLL_SECONDS:
    'How long a fetch-and-lock request waits on the engine for new tasks (long polling). Default 10.',
  SMTP_URL:
    'SMTP server for e-mail, e.g. smtp://127.0.0.1:2525. Unset: e-mail stays in the outbox and the in-app inbox.',
  MAIL_FROM: 'Sender address of e-mails. Default noreply@jobcenter.example.',
  D3_WEBHOOK_URL: 'Where d.3-style notifications are delivered. Unset: inbox only.',
  D3_WEBHOOK_SECRET: 'HMAC-SHA256 key signing d.3 webhook calls. Required when D3_WEBHOOK_URL is set.',
  PROCESSES_DIR: 'Folder with the BPMN, DMN, forms and jobcenter.json settings. Default processes.',
  JOBCENTER_DIRS:
    'Further folders, comma-separated, each holding <jobcenter>/jobcenter.json (and its letters/) to run besides those of PROCESSES_DIR, on the process models deployed from there; their diagrams are not deployed. Default none.',
  WORKSPACE_SESSION_SECRET:
    'Key (at least 32 characters) that signs the staff workspace login cookie; the same on every replica. Unset: in production no workspace; elsewhere a random key per start (logins end at restart).',
  RATE_LIMIT_PER_MINUTE:
    'API requests one client (token or address) may make per minute; 0 switches the limit off. Default 600.',
} as const;

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    API_TOKENS: z.string().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    ENGINE_SOURCE_DIR: z.string().min(1).default('engine'),
    ENGINE_URL: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((u) => u.trim().replace(/\/$/, ''))
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            url
              .regex(/^https?:\/\//, 'must be an http(s) URL')
              // A password in the URL would be printed wherever the engine's address is (logs, banner).
              .refine(
                (u) => !/^https?:\/\/[^/]*@/.test(u),
                'must not carry a user or password: set ENGINE_USER and ENGINE_PASSWORD',
              ),
          )
          .min(1),
      )
      .optional(),
    ENGINE_USER: z.string().min(1).optional(),
    ENGINE_PASSWORD: z.string().min(1).optional(),
    ENGINE_ADMIN_USER: z.string().min(1).optional(),
    ENGINE_ADMIN_PASSWORD: z.string().min(1).optional(),
    ENGINE_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    ENGINE_DATABASE_URL: z
      .string()
      .regex(/^jdbc:(postgresql|h2):/, 'must be a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/engine')
      .optional(),
    ENGINE_DATABASE_USER: z.string().min(1).optional(),
    ENGINE_DATABASE_PASSWORD: z.string().optional(),
    ENGINE_HEAP: z
      .string()
      .regex(/^\d+[mMgG]$/, 'must be a Java heap size such as 512m or 1g')
      .default('512m'),
    ENGINE_HISTORY_LEVEL: z.enum(['full', 'audit', 'activity', 'none']).default('full'),
    // Read by the engine host from the inherited environment; checked here so a wrong value stops `npm start` early.
    ENGINE_REST_AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
    ENGINE_QUERY_INDEXES: z.enum(['true', 'false']).optional(),
    ENGINE_H2_COMPACT_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
    ENGINE_POSTGRES_CUSTOM_PLANS: z.enum(['true', 'false']).optional(),
    ENGINE_START_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(180),
    ENGINE_RESTART_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
    ENGINE_RESTART_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
    ENGINE_PROVISION: bool.optional(),
    JAVA_HOME: z.string().optional(),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    WORKER_MAX_TASKS: z.coerce.number().int().min(1).max(1000).default(32),
    WORKER_LOCK_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
    WORKER_LONG_POLL_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().email().default('noreply@jobcenter.example'),
    D3_WEBHOOK_URL: url.optional(),
    D3_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    PROCESSES_DIR: z.string().min(1).default('processes'),
    JOBCENTER_DIRS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
      )
      .default([]),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    WORKSPACE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .superRefine((env, ctx) => {
    // The well-known local logins exist only for an engine this process starts on loopback, outside production.
    const defaultsAllowed = !env.ENGINE_URL && env.NODE_ENV !== 'production';
    for (const key of ['ENGINE_USER', 'ENGINE_PASSWORD'] as const) {
      if (!env[key] && !defaultsAllowed) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'is required with ENGINE_URL or NODE_ENV=production (the engine REST API needs its own technical user)',
        });
      }
    }
    // Without ENGINE_URL the local engine is created with this administrator; its default demo is for loopback trials.
    if (env.NODE_ENV === 'production' && !env.ENGINE_URL && !env.ENGINE_ADMIN_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENGINE_ADMIN_PASSWORD'],
        message:
          'is required when NODE_ENV=production starts the local engine (its default "demo" is for local use only)',
      });
    }
    if (env.NODE_ENV === 'production' && env.ENGINE_ADMIN_PASSWORD === 'demo') {
      ctx.addIssue({
        code: 'custom',
        path: ['ENGINE_ADMIN_PASSWORD'],
        message: 'must not be the local default "demo" when NODE_ENV=production',
      });
    }
    if (env.ENGINE_PROVISION && env.ENGINE_URL && !(env.ENGINE_ADMIN_USER && env.ENGINE_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENGINE_ADMIN_PASSWORD'],
        message: 'ENGINE_ADMIN_USER and ENGINE_ADMIN_PASSWORD are required when ENGINE_PROVISION=true with ENGINE_URL',
      });
    }
    if (env.D3_WEBHOOK_URL && !env.D3_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['D3_WEBHOOK_SECRET'], message: 'is required when D3_WEBHOOK_URL is set' });
    }
  });

export type Env = z.infer<typeof EnvSchema>;
