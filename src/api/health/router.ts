/**
 * /health (the process lives), /ready (engine answers and store migrated), /metrics (Prometheus). With a local
 * engine that `npm start` keeps running, both say how often it was restarted and how it last exited.
 */
import { Router } from 'express';
import client from 'prom-client';

import type { EngineProcessStatus } from '../../engine/engine-supervisor.js';
import type { EngineGateway } from '../../engine/gateway.js';
import type { Store } from '../../store/index.js';

export function healthRouter(
  engine: EngineGateway,
  store: Store,
  metrics: client.Registry,
  engineProcess?: () => EngineProcessStatus,
): Router {
  const router = Router();
  const supervised = () => (engineProcess ? { engineProcess: engineProcess() } : {});
  router.get('/health', (_req, res) => {
    res.json({ status: 'UP', ...supervised() });
  });
  router.get('/ready', async (_req, res) => {
    const [engineReady, storeMigrated] = await Promise.all([engine.isReady(), store.isMigrated().catch(() => false)]);
    const ready = engineReady && storeMigrated;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'READY' : 'NOT_READY', engine: engineReady, store: storeMigrated, ...supervised() });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
