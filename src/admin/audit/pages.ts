// The audit log page, for every signed-in user: newest first, filtered by who, kind and action,
// a page at a time (older entries through ?before=<id>), each entry with the fields it changed.

import express from 'express';
import { hasRole } from '../../accounts/roles.js';
import { auditFacets, listAuditEntries } from '../../audit/audit-log.js';
import type { AdminDeps } from '../deps.js';
import { pageZone } from '../form.js';
import { requireRole } from '../guards.js';
import { locals } from '../session.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { auditQuery, DEFAULT_PAGE_SIZE, type AuditQuery } from './input.js';
import { auditEntryView, kindLabel } from './view.js';

/** ?actor=…&kind=… for links that keep the filters, with `extra` added. */
function queryString(filters: Omit<AuditQuery, 'all_sites'>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of ['actor', 'kind', 'action', 'limit'] as const) {
    const value = filters[name];
    if (value !== undefined) params.set(name, String(value));
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function createAuditPages({ pool, store, config }: AdminDeps): express.Router {
  const pages = express.Router();

  pages.get('/audit', requireRole('viewer'), async function auditPage(req, res) {
    // zone is the page's own (see pageZone); the rest are the filters the API takes too.
    const { zone: _zone, ...asked } = req.query;
    const { all_sites: askedAll, ...filters } = parseInput(auditQuery, asked);
    const zone = pageZone(req, res);
    const actor = locals(res).actor!;
    const isAdmin = hasRole(actor.role, 'admin');
    // Every site's entries, with a site column: for global admins, when there is more than one site.
    const snapshots = store.current();
    const offerAll = actor.globalAdmin && snapshots.sites.length > 1;
    const allSites = askedAll && actor.globalAdmin;
    const siteId = allSites ? null : siteOf(res).site.id;
    const [page, facets] = await Promise.all([
      listAuditEntries(pool, { ...filters, siteId, limit: filters.limit ?? DEFAULT_PAGE_SIZE }),
      auditFacets(pool, siteId),
    ]);
    const slugOf = (id: string | null) => (id === null ? '—' : snapshots.byId.get(id)?.site.slug ?? `#${id} (removed)`);
    // Every site's entries link to the object's page in its own site (none once the site is gone).
    const pageOf = (siteId: string | null, href: string | null): string | null => {
      if (href === null || siteId === null || siteId === siteOf(res).site.id) return href && `${siteBase(res)}${href}`;
      const other = snapshots.byId.get(siteId);
      return other ? `${config.adminPath}/sites/${other.site.slug}${href}` : null;
    };
    const extra: Record<string, string> = allSites ? { all_sites: 'true' } : {};
    // A filter typed into the URL may name a value not seen yet: keep it selectable.
    const withAsked = (seen: string[], value: string | undefined) => (value === undefined || seen.includes(value) ? seen : [value, ...seen]);
    res.render('admin/audit/list', {
      title: 'Audit log',
      nav: '/audit',
      zone,
      filters,
      filtered: filters.actor !== undefined || filters.kind !== undefined || filters.action !== undefined,
      actors: withAsked(facets.actors, filters.actor),
      kinds: withAsked(facets.kinds, filters.kind).map((kind) => ({ value: kind, label: kindLabel(kind) })),
      actions: withAsked(facets.actions, filters.action),
      entries: page.entries.map((entry) => {
        const view = auditEntryView(entry, zone, isAdmin);
        return { ...view, href: pageOf(entry.siteId, view.href), site: slugOf(entry.siteId) };
      }),
      allSites,
      offerAll,
      olderHref: page.nextBefore === null ? null : `/audit${queryString(filters, { ...extra, before: page.nextBefore })}`,
      newestHref: filters.before === undefined ? null : `/audit${queryString(filters, extra)}`,
    });
  });

  return pages;
}
