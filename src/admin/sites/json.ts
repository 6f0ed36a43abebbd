// How sites read in the API (snake_case, ISO 8601 times in UTC), and the zod schema of that shape
// for the reference.

import { z } from 'zod';
import type { SiteRecord } from '../../sites/sites.js';

export const siteJsonSchema = z.object({
  id: z.string(),
  slug: z.string().describe('in URLs: ADMIN_PATH/sites/<slug>/..., STATUS_PATH/<slug>, the CLI\'s --site'),
  hosts: z.array(z.string()).describe('exact names and *.example.com wildcards (one label deep)'),
  upstream: z.string().nullable().describe('where its requests go; null: the gateway\'s UPSTREAM_URL'),
  default: z.boolean().describe('answers every host no site names'),
  created_at: z.string(),
});

export function siteJson(site: SiteRecord): z.infer<typeof siteJsonSchema> {
  return {
    id: site.id,
    slug: site.slug,
    hosts: site.hosts,
    upstream: site.upstreamUrl,
    default: site.isDefault,
    created_at: new Date(site.createdAt).toISOString(),
  };
}
