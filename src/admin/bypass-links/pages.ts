// The bypass links pages: the list (operators can revoke from it, after a confirmation), and the
// form that creates one and then shows its secret URL, once.

import express from 'express';
import { hostName } from '../../decide/paths.js';
import { ConflictError } from '../../errors.js';
import { getBypassLink, listBypassLinks } from '../../maintenance/bypass-links.js';
import { routeHost } from '../../sites/site-routes.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, pageZone, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { emptyBody, parseInput } from '../validation.js';
import { createLinkSchema, DEFAULT_DURATION, SELF_BYPASS_MS, SUGGESTED_DURATIONS } from './input.js';
import { linkId } from './json.js';
import type { BypassLinkOperations } from './operations.js';
import { linkView } from './view.js';

export function createBypassLinkPages(deps: AdminDeps, ops: BypassLinkOperations): express.Router {
  const { pool, now } = deps;
  const pages = express.Router();

  function renderForm(res: express.Response, status: number, values: FormValues, error?: { message: string; field?: string }): void {
    res.status(status).render('admin/bypass-links/new', {
      title: 'New bypass link',
      nav: '/bypass-links',
      durations: SUGGESTED_DURATIONS,
      ...formLocals(values, error),
    });
  }

  pages.get('/bypass-links', requireRole('viewer'), async function linkList(req, res) {
    const zone = pageZone(req, res);
    const at = now();
    const links = (await listBypassLinks(pool, siteOf(res).site.id)).map((link) => linkView(link, zone, at));
    res.render('admin/bypass-links/list', {
      title: 'Bypass links',
      nav: '/bypass-links',
      zone,
      active: links.filter((link) => link.state === 'active'),
      inactive: links.filter((link) => link.state !== 'active'),
    });
  });

  pages.get('/bypass-links/new', requireRole('viewer'), function newLink(_req, res) {
    renderForm(res, 200, { duration: DEFAULT_DURATION });
  });

  pages.post('/bypass-links', requireRole('operator'), async function createLink(req, res, next) {
    const values = formFields(req);
    try {
      const input = parseInput(createLinkSchema, values);
      const { link, url } = await ops.create(actorOf(res), siteOf(res), input, req);
      // Rendered, not redirected to: the secret exists only in this answer (no-store, like every admin page).
      res.status(201).render('admin/bypass-links/created', {
        title: 'Bypass link created',
        nav: '/bypass-links',
        url,
        link: linkView(link, pageZone(req, res), now()),
      });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderForm(res, err.status, values, formError(err));
    }
  });

  // An SRE checking a deploy while customers are held: a link for themselves, opened at once, so
  // the cookie lands in this browser and they arrive at the application. Audited like any link.
  pages.post('/bypass-links/me', requireRole('operator'), async function bypassMe(req, res) {
    parseInput(emptyBody, formFields(req));
    const actor = actorOf(res);
    const site = siteOf(res);
    const { link, url } = await ops.create(actor, site, { note: `${actor.name}, from the admin area`, durationMs: SELF_BYPASS_MS, pathPrefixes: [] }, req);
    // The link opens on the site's own hosts only: from an admin host that is not one of them, go there.
    const here = routeHost(deps.store.current(), hostName(req.get('host')))?.site.id === site.site.id;
    res.redirect(303, here ? `/_gateway/bypass?token=${encodeURIComponent(link.token)}&next=%2F` : `${url}&next=%2F`);
  });

  pages.post('/bypass-links/:id/revoke', requireRole('operator'), async function revokeLink(req, res) {
    const id = linkId(req.params.id);
    if (!confirmed(req)) {
      const link = linkView(await getBypassLink(pool, siteOf(res).site.id, id), pageZone(req, res), now());
      if (link.state === 'revoked') throw new ConflictError(`bypass link ${link.shortId} was already revoked (${link.revokedText})`);
      return res.render('admin/confirm', {
        title: 'Revoke bypass link?',
        nav: '/bypass-links',
        heading: `Revoke bypass link ${link.shortId}?`,
        lines: ['Whoever holds it is stopped within a second and gets the maintenance page again. This cannot be undone: create a new link if they still need one.'],
        details: [
          ['Note', link.note || '—'],
          ['Lets past', link.scope],
          ['Expires', `${link.expiresText} (${link.expiresRelative})`],
          ['Created by', link.createdBy],
        ],
        action: `${siteBase(res)}/bypass-links/${id}/revoke`,
        confirmLabel: 'Yes, revoke it',
        hidden: [],
        danger: true,
        cancelHref: `${siteBase(res)}/bypass-links`,
      });
    }
    const link = await ops.revoke(actorOf(res), siteOf(res).site.id, id);
    redirectWith(res, siteBase(res), '/bypass-links', {
      kind: 'notice',
      text: `Revoked bypass link ${link.id.slice(0, 8)}${link.note ? ` (“${link.note}”)` : ''}: it stops working within a second.`,
    });
  });

  return pages;
}
