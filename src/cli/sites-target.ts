// Where `intermission sites` does its work: straight on the gateway's database (src/sites/sites.ts,
// each change one audited transaction in the shell user's name), or through a remote gateway's
// sites API (ADMIN_PATH/api/v1/sites, a global admin's token). Both answer the same shapes.

import { z } from 'zod';
import { writeAs, type Queryable } from '../audit/write-as.js';
import type { Pool } from '../db/pool.js';
import { GatewayError } from '../errors.js';
import { addSite, listSites, removeSite, updateSite, type NewSite, type SiteChanges } from '../sites/sites.js';
import type { ApiClient } from './api-client.js';
import type { Cli } from './context.js';

export interface CliSite {
  slug: string;
  hosts: string[];
  /** null: the gateway's UPSTREAM_URL. */
  upstream: string | null;
  isDefault: boolean;
}

/** What went with a removed site, table by table; null when the remote gateway does not say. */
export type RemovedWith = Record<string, number> | null;

export interface SitesTarget {
  list(): Promise<CliSite[]>;
  add(input: NewSite): Promise<CliSite>;
  update(slug: string, changes: SiteChanges): Promise<CliSite>;
  remove(slug: string): Promise<{ site: CliSite; removed: RemovedWith }>;
}

function fromRecord(record: { slug: string; hosts: string[]; upstreamUrl: string | null; isDefault: boolean }): CliSite {
  return { slug: record.slug, hosts: record.hosts, upstream: record.upstreamUrl, isDefault: record.isDefault };
}

// What a site holds, counted before it goes (ON DELETE CASCADE takes them with it), so the command
// can say what was removed. Labels are what the output calls them.
const HELD = [
  ['window', 'windows'],
  ['recurring series', 'window_series'],
  ['component', 'components'],
  ['incident', 'incidents'],
  ['webhook', 'webhooks'],
  ['bypass link', 'bypass_links'],
  ['member', 'site_members'],
  ['API token', 'api_tokens'],
] as const;

async function countHeld(db: Queryable, slug: string): Promise<Record<string, number>> {
  const counts = HELD.map(([label, table]) => `(SELECT count(*) FROM ${table} t WHERE t.site_id = s.id)::int AS "${label}"`).join(', ');
  const { rows } = await db.query<Record<string, number>>(`SELECT ${counts} FROM sites s WHERE s.slug = $1`, [slug]);
  return rows[0] ?? {};
}

export function createDatabaseSitesTarget(cli: Cli, pool: Pool): SitesTarget {
  return {
    async list() {
      return (await listSites(pool)).map(fromRecord);
    },
    async add(input) {
      return fromRecord(await writeAs(pool, cli.actor, 'site.create', (client) => addSite(client, input), `adding site ${input.slug}`));
    },
    async update(slug, changes) {
      return fromRecord(await writeAs(pool, cli.actor, 'site.update', (client) => updateSite(client, slug, changes), `changing site ${slug}`));
    },
    async remove(slug) {
      return writeAs(pool, cli.actor, 'site.delete', async function removeWithCounts(client) {
        const removed = await countHeld(client, slug);
        return { site: fromRecord(await removeSite(client, slug)), removed };
      }, `removing site ${slug}`);
    },
  };
}

const siteJson = z.object({ slug: z.string(), hosts: z.array(z.string()), upstream: z.string().nullable(), default: z.boolean() });
// The API may wrap one site ({ site }) or answer it bare; either reads the same.
const oneSite = z.union([z.object({ site: siteJson }).transform((body) => body.site), siteJson]);
const siteList = z.union([z.object({ sites: z.array(siteJson) }).transform((body) => body.sites), z.array(siteJson)]);

function fromJson(json: z.infer<typeof siteJson>): CliSite {
  return { slug: json.slug, hosts: json.hosts, upstream: json.upstream, isDefault: json.default };
}

export function createRemoteSitesTarget(api: ApiClient): SitesTarget {
  async function expect<S extends z.ZodType>(schema: S, what: string, answer: Promise<unknown>): Promise<z.output<S>> {
    const result = schema.safeParse(await answer);
    if (result.success) return result.data;
    throw new GatewayError(
      'GW_ERR_UNEXPECTED_ANSWER',
      502,
      `the answer from ${api.apiUrl} to ${what} is not one of the Intermission API: check --url and --admin-path, and that the gateway runs this CLI's version`,
    );
  }
  const path = (slug: string) => `/sites/${encodeURIComponent(slug)}`;

  return {
    async list() {
      return (await expect(siteList, 'GET /sites', api.get('/sites'))).map(fromJson);
    },
    async add(input) {
      const body = { slug: input.slug, hosts: input.hosts, upstream: input.upstreamUrl, default: input.isDefault ?? false };
      return fromJson(await expect(oneSite, 'POST /sites', api.post('/sites', body)));
    },
    async update(slug, changes) {
      const body = {
        ...(changes.hosts === undefined ? {} : { hosts: changes.hosts }),
        ...(changes.upstreamUrl === undefined ? {} : { upstream: changes.upstreamUrl }),
        ...(changes.isDefault === undefined ? {} : { default: changes.isDefault }),
      };
      return fromJson(await expect(oneSite, `PATCH ${path(slug)}`, api.patch(path(slug), body)));
    },
    async remove(slug) {
      // Read first: the answer to DELETE may be empty, and the command says what was removed.
      const site = fromJson(await expect(oneSite, `GET ${path(slug)}`, api.get(path(slug))));
      await api.delete(path(slug));
      return { site, removed: null };
    },
  };
}
