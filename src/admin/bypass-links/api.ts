// The Bypass links endpoints of the automation API: list, read, create (the secret URL comes back
// once) and revoke. The same operations as the pages.

import { z } from 'zod';
import { getBypassLink, listBypassLinks } from '../../maintenance/bypass-links.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createLinkSchema } from './input.js';
import { createdLinkJsonSchema, linkId, linkJson, linkJsonSchema } from './json.js';
import type { BypassLinkOperations } from './operations.js';

const TAG = 'Bypass links';

export function createBypassLinkEndpoints({ pool, now }: AdminDeps, ops: BypassLinkOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/bypass-links', tag: TAG, role: 'viewer',
      summary: 'List bypass links',
      description: 'Active links first (soonest to expire first), then expired and revoked ones, latest first. Their secret URLs are never shown again.',
      response: z.object({ links: z.array(linkJsonSchema) }),
      async handler({ site }) {
        const at = now();
        return { links: (await listBypassLinks(pool, site.site.id)).map((link) => linkJson(link, at)) };
      },
    }),
    endpoint({
      method: 'get', path: '/bypass-links/:id', tag: TAG, role: 'viewer',
      summary: 'Read a bypass link',
      response: linkJsonSchema,
      async handler({ params, site }) {
        return linkJson(await getBypassLink(pool, site.site.id, linkId(params.id)), now());
      },
    }),
    endpoint({
      method: 'post', path: '/bypass-links', tag: TAG, role: 'operator', status: 201,
      summary: 'Create a bypass link',
      description:
        'A secret link that lets whoever opens it past maintenance, until it expires or is revoked. duration reads like 30m, 2h or 7d ' +
        '(default 1h, at most 30d); paths limits it to some path prefixes (default: every path); note says what it is for. ' +
        'The url in the answer is shown only here: share it like a password. It points at PUBLIC_URL, or else at the address this request reached, ' +
        "when that host is one of the site's (a link works on its own site's hosts only); otherwise at the site's first host name.",
      body: createLinkSchema,
      response: createdLinkJsonSchema,
      async handler({ body, actor, req, site }) {
        const { link, url } = await ops.create(actor, site, body, req);
        return { ...linkJson(link, now()), url };
      },
    }),
    endpoint({
      method: 'delete', path: '/bypass-links/:id', tag: TAG, role: 'operator',
      summary: 'Revoke a bypass link',
      description: 'Whoever holds it is stopped within a second, on every gateway. 409 if it was already revoked.',
      body: emptyBody,
      response: linkJsonSchema,
      async handler({ params, actor, site }) {
        return linkJson(await ops.revoke(actor, site.site.id, linkId(params.id)), now());
      },
    }),
  ];
}
