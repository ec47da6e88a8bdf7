/** Builds the express app; src/main listens. Order: request id, metrics, body limits, public routes, auth, API routes, errors. */
import { randomUUID } from 'node:crypto';

import express, { type Express } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import client from 'prom-client';

import type { Calendars } from '../calendar/calendars.js';
import type { JobcenterSettings } from '../config/jobcenter.js';
import type { TokenTable } from '../config/tokens.js';
import { DASHBOARD_COOKIE, dashboardIndexRouter, dashboardLoginRouter, LOGIN_PATH } from '../dashboard/login.js';
import { dashboardRouter } from '../dashboard/router.js';
import type { EngineProcessStatus } from '../engine/engine-supervisor.js';
import type { EngineGateway } from '../engine/gateway.js';
import type { CasePositions } from '../engine/positions.js';
import type { StaffEngine } from '../engine/staff.js';
import type { TaskPages } from '../engine/task-pages.js';
import { authenticate } from '../http/auth.js';
import { errorHandler, HttpError } from '../http/errors.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/index.js';
import { capacityRouter } from '../workspace/capacity-page.js';
import { logoutRouter, WORKSPACE_LOGIN, workspaceLoginRouter, workspacePrincipal } from '../workspace/login.js';
import { printListRouter } from '../workspace/print-list.js';
import { workspaceRouter } from '../workspace/router.js';
import { applicationsRouter } from './applications/router.js';
import { calendarRouter } from './calendar/router.js';
import { healthRouter } from './health/router.js';
import { inboxRouter } from './inbox/router.js';
import { createRegistry, openApiDocument } from './openapi.js';
import { reportsRouter } from './reports/router.js';

export interface ApiDeps {
  engine: EngineGateway;
  store: Store;
  calendars: Calendars;
  jobcenters: ReadonlyMap<string, JobcenterSettings>;
  tokens: TokenTable;
  log: Logger;
  now?: () => Date;
  /** Requests per minute per client on /api; 0 or unset: no limit (unit tests). */
  rateLimitPerMinute?: number;
  /** Where the dashboard links cases to; default the local engine's web apps. */
  webApps?: { cockpit: string; tasklist: string };
  /** The local engine process `npm start` keeps running (restarts, last exit), for /health and /ready. */
  engineProcess?: () => EngineProcessStatus;
  /**
   * The staff workspace (/arbeitsplatz): the engine's identity and user tasks, and the key that signs its login
   * cookie. Unset: no workspace (API-only tests).
   */
  workspace?: {
    staff: StaffEngine;
    sessionSecret: string;
    allowUnbound: boolean;
    positions?: CasePositions;
    taskPages?: TaskPages;
  };
}

export function buildApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const metrics = new client.Registry();
  client.collectDefaultMetrics({ register: metrics });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [metrics],
  });

  app.use((req, res, next) => {
    res.locals.requestId = randomUUID();
    res.setHeader('X-Request-Id', res.locals.requestId as string);
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });
  app.use(helmet());
  app.use(express.json({ limit: '100kb' }));

  const registry = createRegistry();
  app.use(healthRouter(deps.engine, deps.store, metrics, deps.engineProcess));
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument(registry));
  });

  if (deps.rateLimitPerMinute) {
    // The login form is reachable without a token, so it is limited like the API against guessing.
    app.use(
      ['/api', LOGIN_PATH, WORKSPACE_LOGIN],
      rateLimit({
        windowMs: 60_000,
        limit: deps.rateLimitPerMinute,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        // Per token when there is one: the front desk of a whole office shares one address.
        keyGenerator: (req) => req.headers.authorization ?? ipKeyGenerator(req.ip ?? ''),
        handler: (_req, res) => {
          res.status(429).json({ error: 'Too many requests; slow down', issues: [] });
        },
      }),
    );
  }
  app.use('/api', authenticate(deps.tokens));
  app.use(dashboardLoginRouter(deps.tokens));
  const workspaceAuth = deps.workspace && {
    secret: deps.workspace.sessionSecret,
    jobcenters: deps.jobcenters,
    allowUnbound: deps.workspace.allowUnbound,
    now: deps.now ?? (() => new Date()),
  };
  // Staff logged in to the workspace see the dashboard with that login; others still use a token.
  if (workspaceAuth) app.use('/dashboard', workspacePrincipal(workspaceAuth));
  app.use('/dashboard', authenticate(deps.tokens, { cookie: DASHBOARD_COOKIE, loginPath: LOGIN_PATH }));
  app.use(dashboardIndexRouter(deps.jobcenters));
  app.use(
    dashboardRouter({
      db: deps.store.db,
      calendars: deps.calendars,
      jobcenters: deps.jobcenters,
      now: deps.now ?? (() => new Date()),
      cockpitUrl: deps.webApps?.cockpit ?? 'http://127.0.0.1:8080/operaton/app/cockpit/default/',
      tasklistUrl: deps.webApps?.tasklist ?? 'http://127.0.0.1:8080/operaton/app/tasklist/default/',
    }),
  );
  if (deps.workspace && workspaceAuth) {
    const auth = workspaceAuth;
    app.use(workspaceLoginRouter(auth, deps.workspace.staff));
    app.use(logoutRouter(auth));
    app.use(capacityRouter({ db: deps.store.db, calendars: deps.calendars, auth }));
    app.use(
      workspaceRouter({
        db: deps.store.db,
        staff: deps.workspace.staff,
        positions: deps.workspace.positions,
        taskPages: deps.workspace.taskPages,
        calendars: deps.calendars,
        auth,
        cockpitUrl: deps.webApps?.cockpit ?? 'http://127.0.0.1:8080/operaton/app/cockpit/default/',
        tasklistUrl: deps.webApps?.tasklist ?? 'http://127.0.0.1:8080/operaton/app/tasklist/default/',
      }),
    );
    app.use(printListRouter({ db: deps.store.db, auth }));
  }
  app.use(calendarRouter(deps.calendars, registry));
  app.use(
    applicationsRouter(
      {
        db: deps.store.db,
        engine: deps.engine,
        calendars: deps.calendars,
        jobcenters: deps.jobcenters,
        now: deps.now ?? (() => new Date()),
      },
      registry,
    ),
  );
  app.use(inboxRouter(deps.store.db, registry));
  app.use(reportsRouter(deps.store.db, deps.calendars, deps.jobcenters, deps.now ?? (() => new Date()), registry));

  app.use((req, _res, next) => next(new HttpError(404, `No route ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log));
  return app;
}
