// The Users endpoints of the automation API, for admin tokens: list, read, invite (the one time
// the link is shown), change name, role or disabled, and a new invite link. The same operations as the pages.

import { z } from 'zod';
import { getUser, listUsers } from '../../accounts/users.js';
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
      summary: 'List users',
      description: 'Everyone who can sign in, has an invite pending, or is disabled; disabled users last.',
      response: z.object({ users: z.array(userJsonSchema) }),
      async handler() {
        return { users: (await listUsers(pool)).map(userJson) };
      },
    }),
    endpoint({
      method: 'get', path: '/users/:id', tag: TAG, role: 'admin',
      summary: 'Read a user',
      response: userJsonSchema,
      async handler({ params }) {
        return userJson(await getUser(pool, userId(params.id)));
      },
    }),
    endpoint({
      method: 'post', path: '/users', tag: TAG, role: 'admin', status: 201,
      summary: 'Invite a user',
      description:
        'Creates the user without a password and returns a one-time link (valid 7 days) with which they choose one. ' +
        'Nothing is emailed: pass the link on. It is shown only in this response.',
      body: inviteSchema,
      response: inviteResultSchema,
      async handler({ body, actor, req }) {
        const { user, token, expiresAt } = await ops.invite(actor, body);
        return { user: userJson(user), invite: inviteJson(inviteUrl(req, config, token), expiresAt) };
      },
    }),
    endpoint({
      method: 'patch', path: '/users/:id', tag: TAG, role: 'admin',
      summary: 'Change a user',
      description:
        'Changes the fields given: name, role (viewer, operator, admin), disabled. A role change or disabling signs the user out everywhere. ' +
        'The last active admin cannot be demoted or disabled (409), and a user cannot disable their own account.',
      body: patchSchema,
      response: z.object({ user: userJsonSchema, signed_out: z.boolean().describe('their sessions were ended') }),
      async handler({ params, body, actor }) {
        const { user, signedOut } = await ops.change(actor, userId(params.id), body);
        return { user: userJson(user), signed_out: signedOut };
      },
    }),
    endpoint({
      method: 'post', path: '/users/:id/invite', tag: TAG, role: 'admin', status: 201,
      summary: 'Make a new invite or password reset link',
      description: 'A new one-time link to choose a password, and the user\'s older links stop working. For someone who has not chosen a password yet it is a new invite; for someone who has, a password reset link (their password works until the link is used, and using it signs them out everywhere). 409 for a disabled user.',
      body: emptyBody,
      response: inviteResultSchema,
      async handler({ params, actor, req }) {
        const { user, token, expiresAt } = await ops.newInviteLink(actor, userId(params.id));
        return { user: userJson(user), invite: inviteJson(inviteUrl(req, config, token), expiresAt) };
      },
    }),
  ];
}
