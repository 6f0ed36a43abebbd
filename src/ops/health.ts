// Liveness, readiness and metrics for orchestrators and Prometheus, under /_gateway/.

import express from 'express';
import type { SnapshotStore } from '../snapshot/store.js';
import type { Metrics } from './metrics.js';

export interface Lifecycle {
  draining: boolean;
}

export function createHealthRouter(store: SnapshotStore, metrics: Metrics, lifecycle: Lifecycle): express.Router {
  const router = express.Router();

  router.get('/healthz', function healthz(_req, res) {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  // Ready means "decides requests correctly": a snapshot is loaded and we are not draining.
  // A lost database alone does not make a replica unready, since it keeps deciding from its
  // snapshot; failing every replica at once would turn a database blip into an outage.
  // `?strict` is for checks that must also see the database up.
  router.get('/readyz', function readyz(req, res) {
    const status = store.status();
    const strict = req.query.strict !== undefined;
    const ready = status.loaded && !lifecycle.draining && (!strict || status.connected);
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: ready ? 'ready' : 'not_ready',
        draining: lifecycle.draining,
        database: status.connected ? 'up' : 'down',
        snapshot: { loaded: status.loaded, age_seconds: status.ageMs === null ? null : Math.round(status.ageMs / 100) / 10 },
        last_error: status.lastError,
      });
  });

  router.get('/metrics', async function metricsText(_req, res, next) {
    try {
      res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  return router;
}
