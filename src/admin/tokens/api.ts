// The API tokens endpoints of the automation API, for a site's admins: list, read, create (the one
// time the secret is shown) and revoke, in the site. The same operations as the pages.

import { z } from 'zod';
import { getApiToken, listApiTokens } from '../../accounts/api-tokens.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createTokenSchema } from './input.js';
import { createdTokenSchema, tokenId, tokenJson, tokenJsonSchema } from './json.js';
import { tokenScope, type TokenOperations } from './operations.js';

const TAG = 'API tokens';

export function createTokenEndpoints({ pool, now, store }: AdminDeps, ops: TokenOperations): Endpoint[] {
  const slugOf = (siteId: string) => store.current().byId.get(siteId)?.site.slug ?? siteId;
  return [
    endpoint({
      method: 'get', path: '/tokens', tag: TAG, role: 'admin',
      summary: 'List API tokens',
      description: 'The site\'s tokens (for a global admin, also the global ones), live first, newest first; the secrets are never listed, only their first characters (prefix).',
      response: z.object({ tokens: z.array(tokenJsonSchema) }),
      async handler({ actor, site }) {
        return { tokens: (await listApiTokens(pool, tokenScope(actor, site.site.id))).map((token) => tokenJson(token, now(), slugOf)) };
      },
    }),
    endpoint({
      method: 'get', path: '/tokens/:id', tag: TAG, role: 'admin',
      summary: 'Read an API token',
      response: tokenJsonSchema,
      async handler({ params, actor, site }) {
        return tokenJson(await getApiToken(pool, tokenScope(actor, site.site.id), tokenId(params.id)), now(), slugOf);
      },
    }),
    endpoint({
      method: 'post', path: '/tokens', tag: TAG, role: 'admin', status: 201,
      summary: 'Create an API token',
      description:
        'name, role (viewer, operator or admin) in this site and expires_in: a duration such as 30d (at most 365d), or "none" (the default) for no expiry. ' +
        'A global admin may set global: true for a token that acts as admin in every site. ' +
        'The secret is in this response only: the gateway keeps a hash of it.',
      body: createTokenSchema,
      response: createdTokenSchema,
      async handler({ body, actor, site }) {
        const { token, secret } = await ops.create(actor, site.site.id, body);
        return { token: tokenJson(token, now(), slugOf), secret };
      },
    }),
    endpoint({
      method: 'delete', path: '/tokens/:id', tag: TAG, role: 'admin',
      summary: 'Revoke an API token',
      description: 'It gets 401 from its next call on. Revoking a revoked token changes nothing and answers the same.',
      body: emptyBody,
      response: z.object({ token: tokenJsonSchema }),
      async handler({ params, actor, site }) {
        return { token: tokenJson(await ops.revoke(actor, site.site.id, tokenId(params.id)), now(), slugOf) };
      },
    }),
  ];
}
