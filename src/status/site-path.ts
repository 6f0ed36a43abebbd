// Which site a request under STATUS_PATH is for: STATUS_PATH/<slug>/... names it on any host,
// anything else is the site of the Host header (or the default site). Assets are shared by every
// site. Pure, so the routes answered before express (events, JSON, feeds) and the express ones
// agree on it; no query, two map lookups.

import type http from 'node:http';
import type express from 'express';
import type { Config } from '../config/config.js';
import { hostName } from '../decide/paths.js';
import { routeHost } from '../sites/site-routes.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { SiteSnapshots, Snapshot } from '../snapshot/types.js';
import { isPrimary, siteDefaults, type PublicEnv, type SiteDefaults } from './site.js';

export type StatusTarget =
  /** `base`: the page's own base (STATUS_PATH or STATUS_PATH/<slug>); `rest`: the path after it ('' or '/...'). */
  | { kind: 'site'; snapshot: Snapshot; base: string; rest: string }
  /** STATUS_PATH/assets: the same files for every site, and for the 404 page of unknown hosts. */
  | { kind: 'shared' }
  | { kind: 'no-site'; host: string };

/** Null when the path is not under STATUS_PATH. `path` is normalized and has no query. */
export function statusTarget(snapshots: SiteSnapshots, statusPath: string, path: string, hostHeader: string | undefined): StatusTarget | null {
  if (path !== statusPath && !path.startsWith(`${statusPath}/`)) return null;
  const rest = path.slice(statusPath.length);
  if (rest === '/assets' || rest.startsWith('/assets/')) return { kind: 'shared' };
  const slash = rest.indexOf('/', 1);
  const slug = rest.slice(1, slash === -1 ? undefined : slash);
  // The status page's own sub-paths can never be slugs (RESERVED_SLUGS), so a slug here is a site.
  const named = slug === '' ? undefined : snapshots.bySlug.get(slug);
  if (named !== undefined) return { kind: 'site', snapshot: named, base: `${statusPath}/${slug}`, rest: slash === -1 ? '' : rest.slice(slash) };
  const host = hostName(hostHeader);
  const snapshot = routeHost(snapshots, host);
  return snapshot === null ? { kind: 'no-site', host } : { kind: 'site', snapshot, base: statusPath, rest };
}

/** What every public route of one site needs: its snapshot, its page's base and its fallback names. */
export interface StatusSite {
  snapshot: Snapshot;
  /** STATUS_PATH, or STATUS_PATH/<slug> when the page was reached by its slug; links stay on it. */
  base: string;
  defaults: SiteDefaults;
  /** The default site, or the only one. */
  primary: boolean;
}

export function statusSite(snapshots: SiteSnapshots, target: Extract<StatusTarget, { kind: 'site' }>, env: PublicEnv): StatusSite {
  return {
    snapshot: target.snapshot,
    base: target.base,
    defaults: siteDefaults(snapshots, target.snapshot, env),
    primary: isPrimary(snapshots, target.snapshot),
  };
}

/**
 * The path of a site's page in absolute links (status_url, the JSON's page url, the feeds). With
 * PUBLIC_URL, which is one host, another site's page is its slug's path there; without it, the
 * request's own host already routes to the site, so the page's base does.
 */
export function publicStatusPath(config: Pick<Config, 'publicUrl' | 'statusPath'>, site: Snapshot, primary: boolean, base: string): string {
  return config.publicUrl && !primary ? `${config.statusPath}/${site.site.slug}` : base;
}

export type NoSiteResponder = (req: http.IncomingMessage, res: http.ServerResponse, host: string) => void;

/**
 * For the express routes under STATUS_PATH: finds the site, strips its slug from the URL so the
 * routers below match the same paths for both forms, and keeps the site in res.locals. A host no
 * site answers gets the same 404 page as forwarded traffic.
 */
export function createStatusSiteResolver(env: PublicEnv, store: SnapshotStore, noSite: NoSiteResponder): express.RequestHandler {
  return function resolveStatusSite(req, res, next) {
    const snapshots = store.current();
    // Mounted at STATUS_PATH: req.url is what follows it.
    const query = req.url.indexOf('?');
    const path = env.statusPath + (query === -1 ? req.url : req.url.slice(0, query)).replace(/\/$/, '');
    const target = statusTarget(snapshots, env.statusPath, path, req.headers.host);
    if (target === null || target.kind === 'shared') return next();
    if (target.kind === 'no-site') return noSite(req, res, target.host);
    res.locals.statusSite = statusSite(snapshots, target, env);
    req.url = (target.rest || '/') + (query === -1 ? '' : req.url.slice(query));
    next();
  };
}

/** The site resolved for this request by createStatusSiteResolver. */
export function statusSiteOf(res: express.Response): StatusSite {
  const site = res.locals.statusSite as StatusSite | undefined;
  if (site === undefined) throw new Error('no status site resolved for this request: mount createStatusSiteResolver first');
  return site;
}
