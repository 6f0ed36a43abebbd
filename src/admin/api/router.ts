// ADMIN_PATH/api/v1: the automation API. Bearer tokens only (no cookies, so no CSRF to guard
// against), JSON in and out, every error JSON with a stable code. Per-site endpoints answer at
// /api/v1/... (a scoped token's own site, else the primary site) and at /api/v1/sites/<slug>/...;
// global ones at /api/v1/... only.

import express from 'express';
import { authenticateToken } from '../../accounts/api-tokens.js';
import type { Pool } from '../../db/pool.js';
import { fromDatabaseError, GatewayError, NotFoundError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { createApiErrorHandler } from '../errors.js';
import type { SiteScope } from '../site-scope.js';
import { mountEndpoints, type Endpoint } from './endpoint.js';

const BEARER = /^Bearer\s+(\S+)$/i;

export interface ApiRouterDeps {
  pool: Pool;
  log: Logger;
  scope: SiteScope;
}

export function createApiRouter({ pool, log, scope }: ApiRouterDeps, endpoints: readonly Endpoint[]): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb', strict: true }));
  router.use(function jsonOnly(req, _res, next) {
    // curl -d sends a form by default: read as no body at all, `duration=20m` would start an
    // open-ended window. A body the API cannot read is refused instead of ignored.
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is('application/json')) {
      return next(new GatewayError('GW_ERR_UNSUPPORTED_MEDIA_TYPE', 415, `the body must be JSON, sent with Content-Type: application/json (got ${req.get('content-type') ?? 'no Content-Type'})`));
    }
    next();
  });

  router.use(async function authenticate(req, res, next) {
    const match = BEARER.exec(req.get('authorization') ?? '');
    try {
      res.locals.actor = match ? await authenticateToken(pool, match[1]!) : undefined;
      // A token that was sent but is not accepted deserves a different answer from none at all.
      res.locals.tokenRefused = match !== null && res.locals.actor === undefined;
      next();
    } catch (err) {
      next(fromDatabaseError(err, 'checking the API token'));
    }
  });

  const globalEndpoints = express.Router();
  mountEndpoints(globalEndpoints, endpoints.filter((definition) => definition.scope === 'global'));
  const siteEndpoints = express.Router();
  mountEndpoints(siteEndpoints, endpoints.filter((definition) => definition.scope !== 'global'));

  function apiNotFound(req: express.Request, _res: express.Response, next: express.NextFunction): void {
    next(new NotFoundError(`no API endpoint ${req.method} ${req.originalUrl.split('?', 1)[0]}: see the reference at ADMIN_PATH/api/docs`));
  }

  // Global first: GET /sites/<slug> reads the site itself, /sites/<slug>/windows acts in it.
  router.use(globalEndpoints);
  router.use('/sites/:site', scope.named, siteEndpoints, apiNotFound);
  router.use(scope.implied, siteEndpoints);

  router.use(apiNotFound);
  router.use(createApiErrorHandler(log));
  return router;
}
