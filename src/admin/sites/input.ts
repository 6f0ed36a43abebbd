// The zod schemas of site operations, shared by the pages and the API, over the checks of
// src/sites/site-input.ts so the CLI, a form and a pipeline get the same messages.

import { z } from 'zod';
import { parseSiteHosts, parseSlug, parseUpstream } from '../../sites/site-input.js';
import { checkbox, checked } from '../validation.js';

/** Host names from JSON (an array) or a form (separated by commas, spaces or lines). */
function parseHostsInput(value: string | string[], field: string): string[] {
  const items = Array.isArray(value) ? value : value.split(/[\s,]+/);
  return parseSiteHosts(items.map((host) => host.trim()).filter(Boolean), field);
}

const hosts = z
  .union([z.string().max(20_000), z.array(z.string().max(2000)).max(200)])
  .transform(checked(parseHostsInput, 'hosts'));

// Empty or null: the gateway's UPSTREAM_URL.
const upstream = z
  .string()
  .max(2000)
  .nullable()
  .transform((raw, ctx) => (raw === null || raw.trim() === '' ? null : checked(parseUpstream, 'upstream')(raw, ctx)));

export const createSiteSchema = z.strictObject({
  slug: z.string().max(200).transform(checked(parseSlug, 'slug')),
  hosts: hosts.optional().transform((value) => value ?? []),
  upstream: upstream.optional().transform((value) => value ?? null),
  default: checkbox,
});

/** PATCH: only the fields given change; hosts given replace the site's names. */
export const patchSiteSchema = z
  .strictObject({
    hosts: hosts.optional(),
    upstream: upstream.optional(),
    default: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .refine((input) => input.hosts !== undefined || input.upstream !== undefined || input.default !== undefined, {
    message: 'nothing to change: give at least one of hosts, upstream or default',
  });

/** The edit form: every field, as a form sends it. */
export const editSiteSchema = z.strictObject({
  hosts: hosts.optional().transform((value) => value ?? []),
  upstream: upstream.optional().transform((value) => value ?? null),
  default: checkbox,
});
