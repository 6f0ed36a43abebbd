// What a site's admin can do to one user of the team from their page: edit their name and role
// in the site (a downgrade after a confirmation), take them out of the team (after a
// confirmation), make a new invite link; and a global admin: disable (after a confirmation) or
// enable them, and give or take the global admin flag.

import type express from 'express';
import { ROLE_DESCRIPTIONS } from '../../accounts/roles.js';
import { getMember, type Member } from '../../accounts/site-members.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { requireGlobalAdmin, requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { actorOf, confirmed, formError, formFields, isFormError } from '../form.js';
import { emptyBody, parseInput } from '../validation.js';
import { editSchema, globalAdminSchema } from './input.js';
import { userId } from './json.js';
import { who, type ChangeResult, type UserChanges, type UserOperations } from './operations.js';
import type { UserPageRenderers } from './pages.js';
import { isDowngrade } from './view.js';

/** Adds the routes to pages itself (not a nested router), so every route can be listed from it. */
export function addUserActionPages(pages: express.Router, deps: AdminDeps, ops: UserOperations, render: UserPageRenderers): void {
  const { pool, config } = deps;
  const member = (res: express.Response, raw: unknown) => getMember(pool, siteOf(res).site.id, userId(raw));

  function renderConfirm(res: express.Response, user: Member, page: { heading: string; lines: string[]; action: string; confirmLabel: string; hidden?: [string, string][] }): void {
    res.render('admin/confirm', { title: page.heading, nav: '/users', hidden: [], danger: true, cancelHref: `${siteBase(res)}/users/${user.id}`, ...page });
  }

  /** Makes the change; a fixable refusal (last admin, yourself) is shown on the user's page. */
  async function change(res: express.Response, user: Member, changes: UserChanges): Promise<ChangeResult | undefined> {
    try {
      return await ops.change(actorOf(res), siteOf(res).site.id, user.id, changes);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await render.detail(res, err.status, user, undefined, formError(err));
      return undefined;
    }
  }

  /** After changing their own role, the actor's session is gone: send them to sign in again. */
  function afterChange(res: express.Response, result: ChangeResult, text: string): void {
    const actor = actorOf(res);
    if (result.signedOut && actor.kind === 'user' && actor.id === result.user.id) {
      // Straight to the sign-in form: any other page would redirect there and use up the message on the way.
      return redirectWith(res, config.adminPath, '/login', { kind: 'notice', text: 'Your role changed: sign in again to go on.' });
    }
    redirectWith(res, siteBase(res), `/users/${result.user.id}`, { kind: 'notice', text });
  }

  pages.post('/users/:id', requireRole('admin'), async function editUser(req, res) {
    const user = await member(res, req.params.id);
    const values = formFields(req);
    let input;
    try {
      input = parseInput(editSchema, values);
    } catch (err) {
      if (!isFormError(err)) throw err;
      return render.detail(res, err.status, user, values, formError(err));
    }
    if (user.role !== null && isDowngrade(user.role, input.role) && !confirmed(req)) {
      const self = actorOf(res).id === user.id && actorOf(res).kind === 'user';
      return renderConfirm(res, user, {
        heading: `Make ${who(user)} ${input.role === 'viewer' ? 'a viewer' : 'an operator'}?`,
        lines: [
          `They are ${user.role === 'admin' ? 'an admin' : 'an operator'} now. As ${input.role}, they ${ROLE_DESCRIPTIONS[input.role]}.`,
          self ? 'This is you: you will be signed out at once, and no longer reach users, API tokens or settings.' : 'They are signed out everywhere at once, and sign in again with the new role.',
        ],
        action: `${siteBase(res)}/users/${user.id}`,
        confirmLabel: `Yes, make them ${input.role}`,
        hidden: [['name', input.name], ['role', input.role]],
      });
    }
    const result = await change(res, user, { name: input.name, role: input.role });
    if (!result) return;
    const roleChanged = result.user.role !== result.before.role;
    afterChange(res, result, roleChanged ? `${who(result.user)} is now ${result.user.role}: they were signed out, and sign in again with it.` : `Saved ${who(result.user)}.`);
  });

  pages.post('/users/:id/disable', requireRole('admin'), requireGlobalAdmin, async function disableUser(req, res) {
    const user = await member(res, req.params.id);
    parseInput(emptyBody, formFields(req));
    if (!confirmed(req)) {
      return renderConfirm(res, user, {
        heading: `Disable ${who(user)}?`,
        lines: [
          'They can no longer sign in, and are signed out everywhere at once. What they did stays in the audit log, and you can enable the account again later.',
          'API tokens belong to no one person: revoke any they used under API tokens.',
        ],
        action: `${siteBase(res)}/users/${user.id}/disable`,
        confirmLabel: 'Yes, disable',
      });
    }
    const result = await change(res, user, { disabled: true });
    if (result) afterChange(res, result, `Disabled ${who(result.user)}: they are signed out and cannot sign in.`);
  });

  pages.post('/users/:id/enable', requireRole('admin'), requireGlobalAdmin, async function enableUser(req, res) {
    const user = await member(res, req.params.id);
    parseInput(emptyBody, formFields(req));
    const result = await change(res, user, { disabled: false });
    if (!result) return;
    const pending = !result.user.hasPassword ? ' They still have to choose a password: make a new invite link if theirs has expired.' : '';
    afterChange(res, result, `Enabled ${who(result.user)}: they can sign in again.${pending}`);
  });

  pages.post('/users/:id/global-admin', requireRole('admin'), requireGlobalAdmin, async function setGlobalAdmin(req, res) {
    const user = await member(res, req.params.id);
    const values = formFields(req);
    let on;
    try {
      on = parseInput(globalAdminSchema, values).global_admin;
    } catch (err) {
      if (!isFormError(err)) throw err;
      return render.detail(res, err.status, user, undefined, formError(err));
    }
    const result = await change(res, user, { global_admin: on });
    if (result) afterChange(res, result, on ? `${who(result.user)} is a global admin now: they manage sites and users, and are an admin in every site.` : `${who(result.user)} is no longer a global admin.`);
  });

  pages.post('/users/:id/remove', requireRole('admin'), async function removeFromTeam(req, res) {
    const user = await member(res, req.params.id);
    parseInput(emptyBody, formFields(req));
    if (!confirmed(req)) {
      const self = actorOf(res).kind === 'user' && actorOf(res).id === user.id;
      return renderConfirm(res, user, {
        heading: `Take ${who(user)} out of the team?`,
        lines: [
          'They lose their role here at once. Their account stays, with their roles elsewhere, and you can add them again later.',
          ...(self ? ['This is you: you will no longer reach these pages.'] : []),
        ],
        action: `${siteBase(res)}/users/${user.id}/remove`,
        confirmLabel: 'Yes, take them out',
      });
    }
    try {
      await ops.remove(actorOf(res), siteOf(res).site.id, user.id);
    } catch (err) {
      if (!isFormError(err)) throw err;
      return render.detail(res, err.status, user, undefined, formError(err));
    }
    redirectWith(res, siteBase(res), '/users', { kind: 'notice', text: `${who(user)} is no longer in the team.` });
  });

  pages.post('/users/:id/invite', requireRole('admin'), async function newInviteLink(req, res) {
    const user = await member(res, req.params.id);
    parseInput(emptyBody, formFields(req));
    try {
      render.invited(req, res, await ops.newInviteLink(actorOf(res), siteOf(res).site.id, user.id), false);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await render.detail(res, err.status, user, undefined, formError(err));
    }
  });
}
