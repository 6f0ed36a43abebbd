// The site an admin page or API call acts in. Every per-site query takes its id from here, so a
// page can only ever read or change the site the request was scoped to. A site is named by the
// URL (ADMIN_PATH/sites/<slug>/..., ADMIN_PATH/api/v1/sites/<slug>/...); without one, it is a
// scoped token's own site, else the primary site. A site the actor has no role in answers 404,
// exactly as a site that does not exist, so the URLs tell nobody which sites there are.

import type express from 'express';
import { roleIn, type Actor, type Role } from '../accounts/roles.js';
import type { Config } from '../config/config.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../errors.js';
import { primarySite } from '../sites/site-routes.js';
import { isPrimary } from '../status/site.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { SiteSnapshots, Snapshot } from '../snapshot/types.js';
import { locals } from './session.js';

/** The site's snapshot as of the start of the request; its site.id scopes every query. */
export function siteOf(res: express.Response): Snapshot {
  const site = res.locals.site as Snapshot | undefined;
  if (!site) throw new Error('admin route mounted outside the site scope');
  return site;
}

/** Where the current site's admin pages live: ADMIN_PATH, or ADMIN_PATH/sites/<slug>. For redirects and links. */
export function siteBase(res: express.Response): string {
  return res.locals.adminPath as string;
}

/** A site in the switcher of the nav: the sites the actor has a role in. */
export interface SiteChoice {
  slug: string;
  name: string;
  href: string;
  current: boolean;
}

export interface SiteScopeDeps {
  config: Pick<Config, 'adminPath' | 'siteName'>;
  store: SnapshotStore;
}

export interface SiteScope {
  /** For routes under /sites/:site. */
  named: express.RequestHandler;
  /** For routes without a site in the URL. */
  implied: express.RequestHandler;
}

function noSuchSite(slug: string): NotFoundError {
  return new NotFoundError(`there is no site ${slug}`);
}

/** The sites the actor may see, for the switcher; empty with a single site, which is never named. */
export function siteChoices(snapshots: SiteSnapshots, actor: Actor, adminPath: string, current: Snapshot | undefined): SiteChoice[] {
  if (snapshots.sites.length <= 1) return [];
  return snapshots.sites
    .filter((site) => roleIn(actor, site.site.id) !== undefined)
    .map((site) => ({
      slug: site.site.slug,
      name: site.settings.siteName ?? site.site.slug,
      href: `${adminPath}/sites/${site.site.slug}`,
      current: site.site.id === current?.site.id,
    }));
}

export function createSiteScope({ config, store }: SiteScopeDeps): SiteScope {
  function enter(res: express.Response, snapshots: SiteSnapshots, site: Snapshot, actor: Actor, role: Role, base: string): void {
    const scoped: Actor = { ...actor, role };
    res.locals.site = site;
    res.locals.adminPath = base;
    res.locals.actor = scoped;
    // The status page's rule (src/status/site.ts): SITE_NAME names the primary site only.
    res.locals.siteName = site.settings.siteName ?? (isPrimary(snapshots, site) ? config.siteName : site.site.slug);
    res.locals.siteChoices = siteChoices(snapshots, scoped, config.adminPath, site);
    if (res.locals.user) res.locals.user = { ...res.locals.user, role };
  }

  return {
    named: function scopeToNamedSite(req, res, next) {
      const actor = locals(res).actor;
      if (!actor) return next(new UnauthenticatedError(res.locals.tokenRefused ? 'the API token is unknown, revoked or expired' : 'sign in first'));
      const slug = String(req.params.site ?? '');
      const snapshots = store.current();
      const site = snapshots.bySlug.get(slug);
      const role = site && roleIn(actor, site.site.id);
      if (!site || !role) return next(noSuchSite(slug.slice(0, 60)));
      enter(res, snapshots, site, actor, role, `${config.adminPath}/sites/${slug}`);
      next();
    },

    implied: function scopeToImpliedSite(req, res, next) {
      const actor = locals(res).actor;
      // Anonymous: the route's own guard answers (a 401, or the sign-in page).
      if (!actor) return next();
      const snapshots = store.current();
      let site: Snapshot | null | undefined;
      if (actor.kind === 'token' && actor.tokenSiteId) site = snapshots.byId.get(actor.tokenSiteId);
      else site = primarySite(snapshots);
      const role = site && roleIn(actor, site.site.id);
      if (!site || !role) {
        // A person whose sites are all elsewhere lands on the first of theirs, not on a refusal.
        const theirs = req.method === 'GET' && req.path === '/' && actor.kind === 'user'
          ? snapshots.sites.find((candidate) => roleIn(actor, candidate.site.id) !== undefined)
          : undefined;
        if (theirs) return void res.redirect(303, `${config.adminPath}/sites/${theirs.site.slug}`);
        if (!site) {
          return next(new ValidationError(
            `there are several sites and none is the default: name the site, as ${config.adminPath}/sites/<slug>/... (or the CLI's --site <slug>)`,
            'site',
          ));
        }
        return next(noSuchSite(site.site.slug));
      }
      enter(res, snapshots, site, actor, role, config.adminPath);
      next();
    },
  };
}
