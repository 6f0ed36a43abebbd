// The sites pages, for global admins: the list with a form to add one, a site's page to change its
// hosts, upstream and default flag, and removing it after a confirmation. Global pages, at
// ADMIN_PATH/sites: each site's own pages are at ADMIN_PATH/sites/<slug>/.

import express from 'express';
import { getSite, listSites, type SiteRecord } from '../../sites/sites.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, type FormValues } from '../form.js';
import { requireGlobalAdmin } from '../guards.js';
import { emptyBody, parseInput } from '../validation.js';
import { createSiteSchema, editSiteSchema } from './input.js';
import type { SiteOperations } from './operations.js';

type FormErrorLocals = { message: string; field?: string } | undefined;

function siteValues(site: SiteRecord): FormValues {
  return { hosts: site.hosts.join('\n'), upstream: site.upstreamUrl ?? '', ...(site.isDefault ? { default: 'on' } : {}) };
}

export function createSitePages(deps: AdminDeps, ops: SiteOperations): express.Router {
  const { pool, config } = deps;
  const pages = express.Router();
  const root = config.adminPath;

  async function renderList(res: express.Response, status: number, values: FormValues, error?: FormErrorLocals): Promise<void> {
    const sites = await listSites(pool);
    res.status(status).render('admin/sites/list', { title: 'Sites', nav: '/sites', sites, root, ...formLocals(values, error) });
  }

  function renderEdit(res: express.Response, status: number, site: SiteRecord, values: FormValues, error?: FormErrorLocals): void {
    res.status(status).render('admin/sites/edit', { title: `Site ${site.slug}`, nav: '/sites', site, root, ...formLocals(values, error) });
  }

  pages.get('/sites', requireGlobalAdmin, async function siteList(_req, res) {
    await renderList(res, 200, {});
  });

  pages.post('/sites', requireGlobalAdmin, async function addSite(req, res) {
    const values = formFields(req);
    try {
      const input = parseInput(createSiteSchema, values);
      const site = await ops.add(actorOf(res), { slug: input.slug, hosts: input.hosts, upstreamUrl: input.upstream, isDefault: input.default });
      redirectWith(res, root, '/sites', { kind: 'notice', text: `Added site ${site.slug}: its pages are at ${root}/sites/${site.slug}, and its hosts route to it within a second.` });
    } catch (err) {
      if (!isFormError(err)) throw err;
      await renderList(res, err.status, values, formError(err));
    }
  });

  pages.get('/sites/:slug/edit', requireGlobalAdmin, async function editPage(req, res) {
    const site = await getSite(pool, String(req.params.slug));
    renderEdit(res, 200, site, siteValues(site));
  });

  pages.post('/sites/:slug/edit', requireGlobalAdmin, async function editSite(req, res) {
    const site = await getSite(pool, String(req.params.slug));
    const values = formFields(req);
    try {
      const input = parseInput(editSiteSchema, values);
      await ops.change(actorOf(res), site.slug, { hosts: input.hosts, upstreamUrl: input.upstream, isDefault: input.default });
      redirectWith(res, root, `/sites/${site.slug}/edit`, { kind: 'notice', text: `Saved site ${site.slug}.` });
    } catch (err) {
      if (!isFormError(err)) throw err;
      renderEdit(res, err.status, site, values, formError(err));
    }
  });

  pages.post('/sites/:slug/remove', requireGlobalAdmin, async function removeSite(req, res) {
    const site = await getSite(pool, String(req.params.slug));
    parseInput(emptyBody, formFields(req));
    if (!confirmed(req)) {
      return res.render('admin/confirm', {
        title: `Remove site ${site.slug}?`,
        nav: '/sites',
        heading: `Remove site ${site.slug}?`,
        lines: [
          'Everything in it goes: components, windows, incidents, webhooks, settings, its team\'s roles there and its API tokens. Its hosts stop routing to it at once.',
          'The audit log keeps what was done. This cannot be undone.',
        ],
        details: [['Hosts', site.hosts.join(', ') || 'none'], ['Upstream', site.upstreamUrl ?? 'UPSTREAM_URL']],
        action: `${root}/sites/${site.slug}/remove`,
        confirmLabel: 'Yes, remove it',
        hidden: [],
        danger: true,
        cancelHref: `${root}/sites/${site.slug}/edit`,
      });
    }
    try {
      await ops.remove(actorOf(res), site.slug);
    } catch (err) {
      if (!isFormError(err)) throw err;
      return renderEdit(res, err.status, site, siteValues(site), formError(err));
    }
    redirectWith(res, root, '/sites', { kind: 'notice', text: `Removed site ${site.slug}.` });
  });

  return pages;
}
