// The Sites endpoints of the automation API. Anyone reads the sites they have a role in (a site
// they have none in answers 404, as one that does not exist); global admins add, change and remove
// sites. Global endpoints: at ADMIN_PATH/api/v1/sites only.

import { z } from 'zod';
import { roleIn } from '../../accounts/roles.js';
import { NotFoundError } from '../../errors.js';
import { getSite, listSites } from '../../sites/sites.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createSiteSchema, patchSiteSchema } from './input.js';
import { siteJson, siteJsonSchema } from './json.js';
import type { SiteOperations } from './operations.js';

const TAG = 'Sites';

function slugParam(raw: unknown): string {
  return String(raw ?? '').slice(0, 60);
}

export function createSiteEndpoints({ pool }: AdminDeps, ops: SiteOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/sites', tag: TAG, role: 'viewer', scope: 'global',
      summary: 'List sites',
      description: 'The sites this token (or, for a global token, the gateway) acts in, by slug.',
      response: z.object({ sites: z.array(siteJsonSchema) }),
      async handler({ actor }) {
        const sites = (await listSites(pool)).filter((site) => roleIn(actor, site.id) !== undefined);
        return { sites: sites.map(siteJson) };
      },
    }),
    endpoint({
      method: 'get', path: '/sites/:slug', tag: TAG, role: 'viewer', scope: 'global',
      summary: 'Read a site',
      response: siteJsonSchema,
      async handler({ actor, params }) {
        const slug = slugParam(params.slug);
        const site = await getSite(pool, slug);
        if (roleIn(actor, site.id) === undefined) throw new NotFoundError(`there is no site ${slug}`);
        return siteJson(site);
      },
    }),
    endpoint({
      method: 'post', path: '/sites', tag: TAG, role: 'admin', scope: 'global', globalAdmin: true, status: 201,
      summary: 'Add a site',
      description:
        'slug (lower-case letters, digits, inner dashes), hosts (exact names and *.example.com wildcards), upstream (an http(s) address; null: the gateway\'s UPSTREAM_URL) and default (answers every host no site names; it takes over from the current default). ' +
        'A host another site has is refused (400). The new site routes on every gateway within a second.',
      body: createSiteSchema,
      response: siteJsonSchema,
      async handler({ actor, body }) {
        return siteJson(await ops.add(actor, { slug: body.slug, hosts: body.hosts, upstreamUrl: body.upstream, isDefault: body.default }));
      },
    }),
    endpoint({
      method: 'patch', path: '/sites/:slug', tag: TAG, role: 'admin', scope: 'global', globalAdmin: true,
      summary: 'Change a site',
      description: 'Changes the fields given: hosts (replaces the list), upstream (null: UPSTREAM_URL), default.',
      body: patchSiteSchema,
      response: siteJsonSchema,
      async handler({ actor, params, body }) {
        return siteJson(await ops.change(actor, slugParam(params.slug), { hosts: body.hosts, upstreamUrl: body.upstream, isDefault: body.default }));
      },
    }),
    endpoint({
      method: 'delete', path: '/sites/:slug', tag: TAG, role: 'admin', scope: 'global', globalAdmin: true,
      summary: 'Remove a site',
      description: 'Removes the site and everything in it: components, windows, incidents, webhooks, its team\'s roles there and its tokens. The audit log keeps what was done. The last site cannot be removed (400).',
      body: emptyBody,
      response: z.object({ site: siteJsonSchema }),
      async handler({ actor, params }) {
        return { site: siteJson(await ops.remove(actor, slugParam(params.slug))) };
      },
    }),
  ];
}
