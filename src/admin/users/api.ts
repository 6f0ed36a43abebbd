// The Users endpoints of the automation API: a site's team, for its admins. List, read, invite
// someone new or add someone with an account (the one time an invite link is shown), change name
// or role in the site (disabled and global_admin: global admins only), take out of the team, and
// a new invite link. The same operations as the pages.

import { z } from 'zod';
import { getMember, listMembers } from '../../accounts/site-members.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { inviteSchema, patchSchema } from './input.js';
import { inviteJson, inviteResultSchema, inviteUrl, userId, userJson, userJsonSchema } from './json.js';
import type { UserOperations } from './operations.js';

const TAG = 'Users';

export function createUserEndpoints({ pool, config }: AdminDeps, ops: UserOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/users', tag: TAG, role: 'admin',
      summary: 'List the team',
      description: 'Everyone with a role in this site (and the global admins, who are admins in every site): who can sign in, has an invite pending, or is disabled; disabled users last.',
      response: z.object({ users: z.array(userJsonSchema) }),
      async handler({ site }) {
        return { users: (await listMembers(pool, site.site.id)).map(userJson) };
      },
    }),
    endpoint({
      method: 'get', path: '/users/:id', tag: TAG, role: 'admin',
      summary: 'Read a user of the team',
      response: userJsonSchema,
      async handler({ params, site }) {
        return userJson(await getMember(pool, site.site.id, userId(params.id)));
      },
    }),
    endpoint({
      method: 'post', path: '/users', tag: TAG, role: 'admin', status: 201,
      summary: 'Invite a user, or add one to the team',
      description:
        'Someone new is created without a password, with a one-time link (valid 7 days) with which they choose one. ' +
        'Nothing is emailed: pass the link on. It is shown only in this response. Someone who has an account already joins the team with the role, and invite is null.',
      body: inviteSchema,
      response: inviteResultSchema,
      async handler({ body, actor, req, site }) {
        const { user, token, expiresAt } = await ops.invite(actor, site.site.id, body);
        return { user: userJson(user), invite: token === null ? null : inviteJson(inviteUrl(req, config, token), expiresAt) };
      },
    }),
    endpoint({
      method: 'patch', path: '/users/:id', tag: TAG, role: 'admin',
      summary: 'Change a user of the team',
      description:
        'Changes the fields given: name, role in this site (viewer, operator, admin); and, for global admins only, disabled and global_admin. ' +
        'A role change or disabling signs the user out everywhere. The last active global admin cannot lose the flag or be disabled (409), and a user cannot disable their own account.',
      body: patchSchema,
      response: z.object({ user: userJsonSchema, signed_out: z.boolean().describe('their sessions were ended') }),
      async handler({ params, body, actor, site }) {
        const { user, signedOut } = await ops.change(actor, site.site.id, userId(params.id), body);
        return { user: userJson(user), signed_out: signedOut };
      },
    }),
    endpoint({
      method: 'delete', path: '/users/:id', tag: TAG, role: 'admin',
      summary: 'Take a user out of the team',
      description: 'They lose their role in this site; their account and their roles in other sites stay. A global admin is in every team: take the flag away first (409).',
      body: emptyBody,
      response: z.object({ user: userJsonSchema }),
      async handler({ params, actor, site }) {
        return { user: userJson(await ops.remove(actor, site.site.id, userId(params.id))) };
      },
    }),
    endpoint({
      method: 'post', path: '/users/:id/invite', tag: TAG, role: 'admin', status: 201,
      summary: 'Make a new invite or password reset link',
      description: 'A new one-time link to choose a password, and the user\'s older links stop working. For someone who has not chosen a password yet it is a new invite; for someone who has, a password reset link (their password works until the link is used, and using it signs them out everywhere; for someone who also works in other sites, global admins only). 409 for a disabled user.',
      body: emptyBody,
      response: inviteResultSchema,
      async handler({ params, actor, req, site }) {
        const { user, token, expiresAt } = await ops.newInviteLink(actor, site.site.id, userId(params.id));
        return { user: userJson(user), invite: inviteJson(inviteUrl(req, config, token), expiresAt) };
      },
    }),
  ];
}
