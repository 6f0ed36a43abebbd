// The API tokens endpoints of the automation API, for admin tokens: list, read, create (the one
// time the secret is shown) and revoke. The same operations as the pages.

import { z } from 'zod';
import { getApiToken, listApiTokens } from '../../accounts/api-tokens.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createTokenSchema } from './input.js';
import { createdTokenSchema, tokenId, tokenJson, tokenJsonSchema } from './json.js';
import type { TokenOperations } from './operations.js';

const TAG = 'API tokens';

export function createTokenEndpoints({ pool, now }: AdminDeps, ops: TokenOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/tokens', tag: TAG, role: 'admin',
      summary: 'List API tokens',
      description: 'Live tokens first, newest first; the secrets are never listed, only their first characters (prefix).',
      response: z.object({ tokens: z.array(tokenJsonSchema) }),
      async handler() {
        return { tokens: (await listApiTokens(pool)).map((token) => tokenJson(token, now())) };
      },
    }),
    endpoint({
      method: 'get', path: '/tokens/:id', tag: TAG, role: 'admin',
      summary: 'Read an API token',
      response: tokenJsonSchema,
      async handler({ params }) {
        return tokenJson(await getApiToken(pool, tokenId(params.id)), now());
      },
    }),
    endpoint({
      method: 'post', path: '/tokens', tag: TAG, role: 'admin', status: 201,
      summary: 'Create an API token',
      description:
        'name, role (viewer, operator or admin) and expires_in: a duration such as 30d (at most 365d), or "none" (the default) for no expiry. ' +
        'The secret is in this response only: the gateway keeps a hash of it.',
      body: createTokenSchema,
      response: createdTokenSchema,
      async handler({ body, actor }) {
        const { token, secret } = await ops.create(actor, body);
        return { token: tokenJson(token, now()), secret };
      },
    }),
    endpoint({
      method: 'delete', path: '/tokens/:id', tag: TAG, role: 'admin',
      summary: 'Revoke an API token',
      description: 'It gets 401 from its next call on. Revoking a revoked token changes nothing and answers the same.',
      body: emptyBody,
      response: z.object({ token: tokenJsonSchema }),
      async handler({ params, actor }) {
        return { token: tokenJson(await ops.revoke(actor, tokenId(params.id)), now()) };
      },
    }),
  ];
}
