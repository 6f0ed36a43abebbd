// The admin area at ADMIN_PATH: server-rendered pages for people and, under /api/v1, the JSON API
// for pipelines. Pages need a session (and a CSRF token to post); the API needs a bearer token.
// Nothing here is cached by browsers or proxies.

import path from 'node:path';
import express from 'express';
import { NotFoundError } from '../errors.js';
import { createApiRouter } from './api/router.js';
import type { AdminDeps } from './deps.js';
import { createPageErrorHandler } from './errors.js';
import { createFlashReader } from './flash.js';
import { checkCsrf, requireRole } from './guards.js';
import { createPageLocals } from './page-locals.js';
import { createSignInRouter } from './sign-in/pages.js';
import { createSessionLoader } from './session.js';
import { adminAreas } from './areas.js';
import { createSiteScope } from './site-scope.js';

export function createAdminApp(deps: AdminDeps, viewsDir: string): express.Router {
  const { config, pool, log } = deps;
  const adminPath = config.adminPath;
  const router = express.Router();
  const areas = adminAreas(deps);

  router.use(function neverCache(_req, res, next) {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(createSiteScope(deps.store));
  router.use(createPageLocals(deps));
  router.use('/assets', express.static(path.join(viewsDir, 'assets'), { fallthrough: false, index: false }));
  router.use('/api/v1', createApiRouter(pool, areas.flatMap((area) => area.endpoints ?? []), log));

  const sessionPolicy = { idleTimeoutMs: config.sessionIdleTimeoutMs, maxAgeMs: config.sessionMaxAgeMs };
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use(createSessionLoader(pool, sessionPolicy));
  router.use(createFlashReader(adminPath));
  router.use(createSignInRouter({ pool, adminPath, sessionPolicy }));

  // Everything below needs a signed-in user, and a valid CSRF token to post.
  router.use(requireRole('viewer'), checkCsrf);
  for (const area of areas) if (area.pages) router.use(area.pages);

  router.use(function pageNotFound(req, _res, next) {
    next(new NotFoundError(`there is no admin page at ${req.originalUrl.split('?', 1)[0]}`));
  });
  router.use(createPageErrorHandler(adminPath, log));
  return router;
}
