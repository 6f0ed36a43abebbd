// The users pages, for a site's admins: the site's team, the invite form and its one-time link,
// and one user's page (their facts and what can be done to them, see action-pages.ts).

import express from 'express';
import { inviteExpiries } from '../../accounts/setup-tokens.js';
import { getMember, listMembers, type Member } from '../../accounts/site-members.js';
import type { AdminDeps } from '../deps.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, pageZone, type FormValues } from '../form.js';
import { formatTime } from '../time-zone.js';
import { parseInput } from '../validation.js';
import { addUserActionPages } from './action-pages.js';
import { inviteSchema } from './input.js';
import { inviteUrl, userId } from './json.js';
import type { InviteResult, UserOperations } from './operations.js';
import { ROLE_CHOICES, userView } from './view.js';
import { fromNow } from '../../status/time-text.js';

type FormErrorLocals = { message: string; field?: string } | undefined;

export interface UserPageRenderers {
  /** One user's page, with the edit form holding `values` and maybe an error about them. */
  detail(res: express.Response, status: number, user: Member, values?: FormValues, error?: FormErrorLocals): Promise<void>;
  /** The one time an invite link is shown. */
  invited(req: express.Request, res: express.Response, result: InviteResult, fresh: boolean): void;
}

export function createUserPages(deps: AdminDeps, ops: UserOperations): express.Router {
  const { pool, config, now } = deps;
  const pages = express.Router();

  function renderInviteForm(res: express.Response, status: number, values: FormValues, error?: FormErrorLocals): void {
    res.status(status).render('admin/users/new', { title: 'Invite someone', nav: '/users', roles: ROLE_CHOICES, ...formLocals(values, error) });
  }

  const render: UserPageRenderers = {
    async detail(res, status, user, values, error) {
      const zone = pageZone(res.req, res);
      const expiries = await inviteExpiries(pool);
      const actor = actorOf(res);
      res.status(status).render('admin/users/detail', {
        title: user.email,
        nav: '/users',
        zone,
        person: userView(user, zone, now(), expiries.get(user.id)),
        self: actor.kind === 'user' && actor.id === user.id,
        roles: ROLE_CHOICES,
        globalAdmin: actor.globalAdmin,
        ...formLocals(values ?? { name: user.name, role: user.role ?? 'admin' }, error),
      });
    },

    invited(req, res, { user, token, expiresAt }, fresh) {
      const zone = pageZone(req, res);
      if (token === null) {
        return redirectWith(res, siteBase(res), `/users/${user.id}`, { kind: 'notice', text: `${user.email} had an account already: they are in the team now, as ${user.role}.` });
      }
      res.status(201).render('admin/users/invited', {
        title: `Invite link for ${user.email}`,
        nav: '/users',
        person: userView(user, zone, now(), expiresAt),
        expiresText: formatTime(expiresAt, zone),
        expiresRelative: fromNow(expiresAt, now()),
        fresh,
        link: inviteUrl(req, config, token),
      });
    },
  };

  pages.get('/users', requireRole('admin'), async function userList(req, res) {
    const zone = pageZone(req, res);
    const [users, expiries] = await Promise.all([listMembers(pool, siteOf(res).site.id), inviteExpiries(pool)]);
    const at = now();
    res.render('admin/users/list', { title: 'Users', nav: '/users', zone, roles: ROLE_CHOICES, people: users.map((user) => userView(user, zone, at, expiries.get(user.id))) });
  });

  pages.get('/users/new', requireRole('admin'), function inviteForm(_req, res) {
    renderInviteForm(res, 200, { role: 'viewer' });
  });

  pages.post('/users', requireRole('admin'), async function invite(req, res, next) {
    const values = formFields(req);
    try {
      const result = await ops.invite(actorOf(res), siteOf(res).site.id, parseInput(inviteSchema, values));
      // Rendered, not redirected to: the link is not stored anywhere it could be shown from again.
      render.invited(req, res, result, true);
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderInviteForm(res, err.status, values, formError(err));
    }
  });

  pages.get('/users/:id', requireRole('admin'), async function userPage(req, res) {
    await render.detail(res, 200, await getMember(pool, siteOf(res).site.id, userId(req.params.id)));
  });

  addUserActionPages(pages, deps, ops, render);
  return pages;
}
