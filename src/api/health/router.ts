/** /health (the process lives), /ready (engine answers and store migrated), /metrics (Prometheus). */
import { Router } from 'express';
import client from 'prom-client';

import type { EngineGateway } from '../../engine/gateway.js';
import type { Store } from '../../store/index.js';

export function healthRouter(engine: EngineGateway, store: Store, metrics: client.Registry): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'UP' });
  });
  router.get('/ready', async (_req, res) => {
    const [engineReady, storeMigrated] = await Promise.all([engine.isReady(), store.isMigrated().catch(() => false)]);
    const ready = engineReady && storeMigrated;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'READY' : 'NOT_READY', engine: engineReady, store: storeMigrated });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
