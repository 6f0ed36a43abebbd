// From a Host header to the site that answers it, in memory: an exact name first, then a wildcard
// one label up (*.example.com covers a.example.com, not a.b.example.com, as an ingress does), then
// the default site. Two map lookups whatever the number of sites.

import { EMPTY_SNAPSHOT, type Snapshot, type SiteSnapshots } from '../snapshot/types.js';

export function routeHost(snapshots: SiteSnapshots, host: string): Snapshot | null {
  const exact = snapshots.exact.get(host);
  if (exact !== undefined) return exact;
  if (snapshots.wildcard.size > 0) {
    const dot = host.indexOf('.');
    const wildcard = dot > 0 ? snapshots.wildcard.get(host.slice(dot + 1)) : undefined;
    if (wildcard !== undefined) return wildcard;
  }
  return snapshots.fallback;
}

/** Indexes the sites' snapshots by slug, id and host. */
export function indexSites(version: number, loadedAt: number, sites: readonly Snapshot[]): SiteSnapshots {
  const exact = new Map<string, Snapshot>();
  const wildcard = new Map<string, Snapshot>();
  let fallback: Snapshot | null = null;
  for (const site of sites) {
    for (const host of site.site.hosts) {
      if (host.startsWith('*.')) wildcard.set(host.slice(2), site);
      else exact.set(host, site);
    }
    if (site.site.isDefault) fallback = site;
  }
  return {
    version,
    loadedAt,
    sites,
    bySlug: new Map(sites.map((site) => [site.site.slug, site])),
    byId: new Map(sites.map((site) => [site.site.id, site])),
    exact,
    wildcard,
    fallback,
  };
}

/** The same sites under a new version: a window opened or closed, so pages rendered before are stale. */
export function withVersion(snapshots: SiteSnapshots, version: number): SiteSnapshots {
  return indexSites(version, snapshots.loadedAt, snapshots.sites.map((site) => ({ ...site, version })));
}

/**
 * The site a single-site setup means when it names none: the default one, else the only one.
 * Null when there are several and none is the default.
 */
export function primarySite(snapshots: SiteSnapshots): Snapshot | null {
  return snapshots.fallback ?? (snapshots.sites.length === 1 ? snapshots.sites[0]! : null);
}

/** Before the first load: the one default site, with nothing in it. */
export const EMPTY_SNAPSHOTS: SiteSnapshots = indexSites(0, 0, [EMPTY_SNAPSHOT]);

