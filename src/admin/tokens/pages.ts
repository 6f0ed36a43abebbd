// The API tokens pages, for a site's admins: the list, the create form and the one page that shows
// a new token's secret, and revoking a token after a confirmation.

import express from 'express';
import { getApiToken, listApiTokens } from '../../accounts/api-tokens.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, pageZone, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { absoluteUrl } from '../users/json.js';
import { ROLE_CHOICES } from '../users/view.js';
import { emptyBody, parseInput } from '../validation.js';
import { createTokenSchema, EXPIRY_CHOICES } from './input.js';
import { tokenId } from './json.js';
import { tokenScope, type TokenOperations } from './operations.js';
import { tokenView } from './view.js';

export function createTokenPages(deps: AdminDeps, ops: TokenOperations): express.Router {
  const { pool, config, now, store } = deps;
  const pages = express.Router();
  const slugOf = (siteId: string) => store.current().byId.get(siteId)?.site.slug ?? siteId;
  // The word "site" appears only where there is more than one.
  const severalSites = () => store.current().sites.length > 1;

  function renderForm(res: express.Response, status: number, values: FormValues, error?: { message: string; field?: string }): void {
    const offerGlobal = severalSites() && actorOf(res).globalAdmin;
    res.status(status).render('admin/tokens/new', { title: 'New API token', nav: '/tokens', roles: ROLE_CHOICES, expiries: EXPIRY_CHOICES, offerGlobal, ...formLocals(values, error) });
  }

  pages.get('/tokens', requireRole('admin'), async function tokenList(req, res) {
    const zone = pageZone(req, res);
    const at = now();
    const tokens = (await listApiTokens(pool, tokenScope(actorOf(res), siteOf(res).site.id))).map((token) => tokenView(token, zone, at, slugOf));
    res.render('admin/tokens/list', {
      title: 'API tokens',
      nav: '/tokens',
      zone,
      showScope: severalSites(),
      live: tokens.filter((token) => token.state === 'active'),
      dead: tokens.filter((token) => token.state !== 'active'),
    });
  });

  pages.get('/tokens/new', requireRole('admin'), function newToken(_req, res) {
    renderForm(res, 200, { role: 'operator', expires_in: '90d' });
  });

  pages.post('/tokens', requireRole('admin'), async function createToken(req, res, next) {
    const values = formFields(req);
    try {
      const { token, secret } = await ops.create(actorOf(res), siteOf(res).site.id, parseInput(createTokenSchema, values));
      // Rendered, not redirected to: the secret is not stored anywhere it could be shown from again.
      // The token's own site is where its calls go unprefixed, so the example needs no site in it.
      res.status(201).render('admin/tokens/created', {
        title: `API token “${token.name}”`, nav: '/tokens', token: tokenView(token, pageZone(req, res), now(), slugOf), secret,
        showScope: severalSites(), apiBase: absoluteUrl(req, config, `${config.adminPath}/api/v1`),
      });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderForm(res, err.status, values, formError(err));
    }
  });

  pages.post('/tokens/:id/revoke', requireRole('admin'), async function revokeToken(req, res) {
    const id = tokenId(req.params.id);
    parseInput(emptyBody, formFields(req));
    const scope = tokenScope(actorOf(res), siteOf(res).site.id);
    const token = tokenView(await getApiToken(pool, scope, id), pageZone(req, res), now(), slugOf);
    if (token.state === 'revoked') {
      return redirectWith(res, siteBase(res), '/tokens', { kind: 'notice', text: `“${token.name}” was already revoked.` });
    }
    if (!confirmed(req)) {
      return res.render('admin/confirm', {
        title: `Revoke “${token.name}”?`,
        nav: '/tokens',
        heading: `Revoke “${token.name}”?`,
        lines: ['Anything still using it (a deploy pipeline, a script) gets 401 from its next call on. This cannot be undone: make a new token instead.'],
        details: [['Token', `${token.prefix}…`], ['Role', token.role], ['Last used', token.lastUsedRelative ? `${token.lastUsedText} (${token.lastUsedRelative})` : token.lastUsedText], ['Created by', token.createdBy]],
        action: `${siteBase(res)}/tokens/${id}/revoke`,
        confirmLabel: 'Yes, revoke',
        hidden: [],
        danger: true,
        cancelHref: `${siteBase(res)}/tokens`,
      });
    }
    const revoked = await ops.revoke(actorOf(res), siteOf(res).site.id, id);
    redirectWith(res, siteBase(res), '/tokens', { kind: 'notice', text: `Revoked “${revoked.name}”: it no longer works.` });
  });

  return pages;
}
