// The express app for the gateway's own routes: the status page, /_gateway/*, and the admin
// area. Forwarded traffic never enters it.

import express from 'express';
import { createAdminApp } from '../admin/app.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import { GatewayError } from '../errors.js';
import { createHistoryRouter } from '../history/history-routes.js';
import type { UptimeData } from '../history/uptime-days.js';
import { createUptimeRouter } from '../history/uptime-routes.js';
import type { Logger } from '../log.js';
import { createHealthRouter, type Lifecycle } from '../ops/health.js';
import type { Metrics } from '../ops/metrics.js';
import type { Follower } from '../snapshot/follower.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { StatusRenderer } from '../status/render.js';
import { createStatusAssets, createStatusRouter } from '../status/routes.js';
import { createStatusSiteResolver } from '../status/site-path.js';
import { createBypassRouter } from './bypass-route.js';
import type { Responder } from './respond.js';
import { createHelmet } from './security-headers.js';

export interface GatewayAppDeps {
  config: Readonly<Config>;
  store: SnapshotStore;
  renderer: StatusRenderer;
  /** For the 404 page of a host no site answers, the same as forwarded traffic gets. */
  responder: Responder;
  metrics: Metrics;
  lifecycle: Lifecycle;
  log: Logger;
  viewsDir: string;
  pool: Pool;
  upstream: URL;
  /** The 90-day uptime under each component, read from the database after changes. */
  uptime: Follower<UptimeData>;
  now?: () => number;
}

export function createGatewayApp({ config, store, renderer, responder, metrics, lifecycle, log, viewsDir, pool, upstream, uptime, now = Date.now }: GatewayAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The admin pages render through express; templates are compiled once, whatever NODE_ENV says.
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.enable('view cache');
  app.set('trust proxy', config.trustProxy);
  app.use(createHelmet());

  app.use('/_gateway', createHealthRouter(store, metrics, lifecycle), createBypassRouter(store, now));
  // Assets are every site's; the rest is one site's, found by slug or Host (src/status/site-path.ts).
  app.use(
    config.statusPath,
    createStatusAssets(viewsDir),
    createStatusSiteResolver(config, store, responder.noSite),
    createHistoryRouter({ store, pool, log: log.child({ module: 'history' }), viewsDir, now }),
    createUptimeRouter(uptime, now),
    createStatusRouter(renderer, viewsDir, now, uptime),
  );
  app.use(config.adminPath, createAdminApp({ config, pool, store, log: log.child({ module: 'admin' }), upstream, now }, viewsDir));

  app.use(function notFound(_req, res) {
    res.status(404).json({ error: { code: 'GW_ERR_NOT_FOUND', message: 'No such page' } });
  });
  app.use(function onError(err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) {
    const known = err instanceof GatewayError ? err : undefined;
    const status = known?.status ?? (err as { status?: number }).status ?? 500;
    if (status >= 500) log.error({ err, path: req.path }, 'gateway route failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json({
      error: { code: known?.code ?? (status === 404 ? 'GW_ERR_NOT_FOUND' : 'GW_ERR_INTERNAL'), message: status >= 500 && !known ? 'Internal error' : (err as Error).message },
    });
  });
  return app;
}
