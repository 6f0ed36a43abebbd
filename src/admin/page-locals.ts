// What every admin template can use: the paths, the site name, and helpers that ask who is
// signed in when called (the session is loaded after this runs, and error pages need these too).
// The site scope (site-scope.ts) then sets the site's base path, name and role.

import { primarySite } from '../sites/site-routes.js';
import type express from 'express';
import { hasRole, type Role } from '../accounts/roles.js';
import type { AdminDeps } from './deps.js';
import { locals } from './session.js';
import { formatTime } from './time-zone.js';

export function createPageLocals({ config, store }: AdminDeps): express.RequestHandler {
  return function pageLocals(_req, res, next) {
    Object.assign(res.locals, {
      // The current site's base (links and redirects within it); rootPath is for what is global:
      // sign-in, account, sites, assets.
      adminPath: config.adminPath,
      rootPath: config.adminPath,
      statusPath: config.statusPath,
      siteName: primarySite(store.current())?.settings.siteName ?? config.siteName,
      siteChoices: [],
      user: undefined,
      csrfToken: '',
      flash: [],
      nav: '',
      timeZone: 'UTC',
      can: (least: Role) => {
        const { actor } = locals(res);
        return actor !== undefined && hasRole(actor.role, least);
      },
      time: (ms: number | null) => formatTime(ms, locals(res).timeZone),
    });
    next();
  };
}
