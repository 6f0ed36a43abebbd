// The site an admin page or API call acts in. Every per-site query takes its id from here, so a
// page can only ever read or change the site the request was scoped to.

import type express from 'express';
import { mainSite } from '../sites/site-routes.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { Snapshot } from '../snapshot/types.js';

/** The site's snapshot as of the start of the request; its site.id scopes every query. */
export function siteOf(res: express.Response): Snapshot {
  const site = res.locals.site as Snapshot | undefined;
  if (!site) throw new Error('admin route mounted outside the site scope');
  return site;
}

/** For now: the primary site (the default, or the only one). */
export function createSiteScope(store: SnapshotStore): express.RequestHandler {
  return function scopeToSite(_req, res, next) {
    res.locals.site = mainSite(store.current());
    next();
  };
}

/** Where the current site's admin pages live: ADMIN_PATH, or ADMIN_PATH/sites/<slug>. For redirects and links. */
export function siteBase(res: express.Response): string {
  return res.locals.adminPath as string;
}
