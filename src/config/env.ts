/** The only reader of process.env: one zod schema, every key documented with its unit and default. */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.string().url();

/** Each key: [schema, one-line doc]. The README's configuration table is checked against this list. */
export const ENV_DOCS = {
  NODE_ENV: 'development | test | production. Production forbids generated tokens and engine clock control. Default development.',
  HOST: 'Address the HTTP API binds to. Default 127.0.0.1.',
  PORT: 'Port of the HTTP API. Default 3000.',
  API_TOKENS: 'Bearer tokens and their roles, optionally bound to one jobcenter, e.g. "t1=EZ+SC@cottbus,t2=TL,t3=ADMIN". Roles: EZ, SC, POST, LG, BI, IFK, TL, ADMIN. Unset on loopback outside production: tokens are generated and printed.',
  DATABASE_URL: 'PostgreSQL URL for the store. Unset: embedded PGlite in DATA_DIR/store.',
  DATA_DIR: 'Folder for local state (store, engine data, logs). Default .data.',
  ENGINE_DIR: 'Folder for the downloaded Camunda distribution. Default .engine.',
  CAMUNDA_VERSION: 'Camunda distribution fetched through Maven (io.camunda:camunda-zeebe:<version>:tar.gz). Default 8.9.26.',
  ZEEBE_ADDRESS: 'gRPC address of an existing engine (host:port). Set together with CAMUNDA_REST_ADDRESS: no local engine is started.',
  CAMUNDA_REST_ADDRESS: 'REST address of an existing engine, e.g. http://127.0.0.1:8080.',
  CAMUNDA_USER: 'User for the engine REST API and the web apps. Default demo.',
  CAMUNDA_PASSWORD: 'Password of CAMUNDA_USER. Default demo.',
  ENGINE_CLOCK_CONTROL: 'true: start the local engine with a controllable clock (tests, demos). Refused in production. Default false.',
  ENGINE_START_TIMEOUT_SECONDS: 'How long to wait for the local engine to become ready. Default 300.',
  JAVA_HOME: 'JDK for the local engine (21 to 25). Unset or too old: the newest JDK 21+ under /usr/lib/jvm is used.',
  LOG_LEVEL: 'error | warn | info | debug. Default info.',
  LOG_FORMAT: 'json | pretty. Default pretty in development, json otherwise.',
  WORKER_MAX_JOBS: 'Jobs one worker type holds at once. Default 32.',
  SMTP_URL: 'SMTP server for e-mail, e.g. smtp://127.0.0.1:2525. Unset: e-mail stays in the outbox and the in-app inbox.',
  MAIL_FROM: 'Sender address of e-mails. Default noreply@jobcenter.example.',
  D3_WEBHOOK_URL: 'Where d.3-style notifications are delivered. Unset: inbox only.',
  D3_WEBHOOK_SECRET: 'HMAC-SHA256 key signing d.3 webhook calls. Required when D3_WEBHOOK_URL is set.',
  PROCESSES_DIR: 'Folder with the BPMN, DMN, forms and jobcenter.json settings. Default processes.',
  RATE_LIMIT_PER_MINUTE: 'API requests one client (token or address) may make per minute; 0 switches the limit off. Default 600.',
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
    ENGINE_DIR: z.string().min(1).default('.engine'),
    CAMUNDA_VERSION: z
      .string()
      .regex(/^8\.\d+\.\d+(-[\w.]+)?$/, 'must be a Camunda 8 version such as 8.9.26')
      .default('8.9.26'),
    ZEEBE_ADDRESS: z
      .string()
      .regex(/^[\w.-]+:\d+$/, 'must be host:port')
      .optional(),
    CAMUNDA_REST_ADDRESS: url.optional(),
    CAMUNDA_USER: z.string().min(1).default('demo'),
    CAMUNDA_PASSWORD: z.string().default('demo'),
    ENGINE_CLOCK_CONTROL: bool.default(false),
    ENGINE_START_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(300),
    JAVA_HOME: z.string().optional(),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    WORKER_MAX_JOBS: z.coerce.number().int().min(1).max(1000).default(32),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().email().default('noreply@jobcenter.example'),
    D3_WEBHOOK_URL: url.optional(),
    D3_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    PROCESSES_DIR: z.string().min(1).default('processes'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.ZEEBE_ADDRESS) !== Boolean(env.CAMUNDA_REST_ADDRESS)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.ZEEBE_ADDRESS ? 'CAMUNDA_REST_ADDRESS' : 'ZEEBE_ADDRESS'],
        message: 'ZEEBE_ADDRESS and CAMUNDA_REST_ADDRESS are set together or not at all',
      });
    }
    if (env.ENGINE_CLOCK_CONTROL && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['ENGINE_CLOCK_CONTROL'], message: 'is refused when NODE_ENV=production' });
    }
    if (env.D3_WEBHOOK_URL && !env.D3_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['D3_WEBHOOK_SECRET'], message: 'is required when D3_WEBHOOK_URL is set' });
    }
  });

export type Env = z.infer<typeof EnvSchema>;
