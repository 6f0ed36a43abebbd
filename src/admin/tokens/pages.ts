// The API tokens pages, for admins only: the list, the create form and the one page that shows a
// new token's secret, and revoking a token after a confirmation.

import express from 'express';
import { getApiToken, listApiTokens } from '../../accounts/api-tokens.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, pageZone, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { absoluteUrl } from '../users/json.js';
import { ROLE_CHOICES } from '../users/view.js';
import { emptyBody, parseInput } from '../validation.js';
import { createTokenSchema, EXPIRY_CHOICES } from './input.js';
import { tokenId } from './json.js';
import type { TokenOperations } from './operations.js';
import { tokenView } from './view.js';

export function createTokenPages(deps: AdminDeps, ops: TokenOperations): express.Router {
  const { pool, config, now } = deps;
  const pages = express.Router();

  function renderForm(res: express.Response, status: number, values: FormValues, error?: { message: string; field?: string }): void {
    res.status(status).render('admin/tokens/new', { title: 'New API token', nav: '/tokens', roles: ROLE_CHOICES, expiries: EXPIRY_CHOICES, ...formLocals(values, error) });
  }

  pages.get('/tokens', requireRole('admin'), async function tokenList(req, res) {
    const zone = pageZone(req, res);
    const at = now();
    const tokens = (await listApiTokens(pool)).map((token) => tokenView(token, zone, at));
    res.render('admin/tokens/list', {
      title: 'API tokens',
      nav: '/tokens',
      zone,
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
      const { token, secret } = await ops.create(actorOf(res), parseInput(createTokenSchema, values));
      // Rendered, not redirected to: the secret is not stored anywhere it could be shown from again.
      res.status(201).render('admin/tokens/created', { title: `API token “${token.name}”`, nav: '/tokens', token: tokenView(token, pageZone(req, res), now()), secret, apiBase: absoluteUrl(req, config, `${config.adminPath}/api/v1`) });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderForm(res, err.status, values, formError(err));
    }
  });

  pages.post('/tokens/:id/revoke', requireRole('admin'), async function revokeToken(req, res) {
    const id = tokenId(req.params.id);
    parseInput(emptyBody, formFields(req));
    const token = tokenView(await getApiToken(pool, id), pageZone(req, res), now());
    if (token.state === 'revoked') {
      return redirectWith(res, config.adminPath, '/tokens', { kind: 'notice', text: `“${token.name}” was already revoked.` });
    }
    if (!confirmed(req)) {
      return res.render('admin/confirm', {
        title: `Revoke “${token.name}”?`,
        nav: '/tokens',
        heading: `Revoke “${token.name}”?`,
        lines: ['Anything still using it (a deploy pipeline, a script) gets 401 from its next call on. This cannot be undone: make a new token instead.'],
        details: [['Token', `${token.prefix}…`], ['Role', token.role], ['Last used', token.lastUsedRelative ? `${token.lastUsedText} (${token.lastUsedRelative})` : token.lastUsedText], ['Created by', token.createdBy]],
        action: `${config.adminPath}/tokens/${id}/revoke`,
        confirmLabel: 'Yes, revoke',
        hidden: [],
        danger: true,
        cancelHref: `${config.adminPath}/tokens`,
      });
    }
    const revoked = await ops.revoke(actorOf(res), id);
    redirectWith(res, config.adminPath, '/tokens', { kind: 'notice', text: `Revoked “${revoked.name}”: it no longer works.` });
  });

  return pages;
}
