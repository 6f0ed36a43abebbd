// The admin area at ADMIN_PATH: server-rendered pages for people and, under /api/v1, the JSON API
// for pipelines. Pages need a session (and a CSRF token to post); the API needs a bearer token.
// Each site's pages and endpoints answer at ADMIN_PATH/... (the primary site, or a scoped token's
// own) and at ADMIN_PATH/sites/<slug>/... (see site-scope.ts). Nothing here is cached.

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
import { createSessionLoader, locals } from './session.js';
import { adminAreas } from './areas.js';
import { createSiteScope, siteChoices } from './site-scope.js';

export function createAdminApp(deps: AdminDeps, viewsDir: string): express.Router {
  const { config, pool, log } = deps;
  const adminPath = config.adminPath;
  const router = express.Router();
  const areas = adminAreas(deps);
  const scope = createSiteScope(deps);

  router.use(function neverCache(_req, res, next) {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(createPageLocals(deps));
  router.use('/assets', express.static(path.join(viewsDir, 'assets'), { fallthrough: false, index: false }));
  router.use('/api/v1', createApiRouter({ pool, log, scope }, areas.flatMap((area) => area.endpoints ?? [])));

  const sessionPolicy = { idleTimeoutMs: config.sessionIdleTimeoutMs, maxAgeMs: config.sessionMaxAgeMs };
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use(createSessionLoader(pool, sessionPolicy));
  router.use(createFlashReader(adminPath));
  router.use(createSignInRouter({ pool, adminPath, sessionPolicy }));

  // Everything below needs a signed-in user, and a valid CSRF token to post.
  router.use(requireRole('viewer'), checkCsrf);
  router.use(function listSites(_req, res, next) {
    // For the nav of global pages; a site's pages list them again with theirs marked.
    res.locals.siteChoices = siteChoices(deps.store.current(), locals(res).actor!, adminPath, undefined);
    next();
  });
  for (const area of areas) if (area.globalPages) router.use(area.globalPages);

  // One router of every site's pages, mounted twice: with the site in the URL, and without.
  const sitePages = express.Router();
  for (const area of areas) if (area.pages) sitePages.use(area.pages);
  router.use('/sites/:site', scope.named, sitePages, pageNotFound);
  router.use(scope.implied, sitePages);

  function pageNotFound(req: express.Request, _res: express.Response, next: express.NextFunction): void {
    next(new NotFoundError(`there is no admin page at ${req.originalUrl.split('?', 1)[0]}`));
  }
  router.use(pageNotFound);
  router.use(createPageErrorHandler(adminPath, log));
  return router;
}
