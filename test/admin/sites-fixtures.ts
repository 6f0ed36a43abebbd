// A second site for the per-area tests: "blog", with one of everything an admin area shows (a
// component in a group, an upcoming window naming it, a series, an incident with an update, a
// bypass link, a webhook, its own settings), written in plain SQL with its site_id, so the tests
// see what the first site's pages and API make of another site's rows.

import { addSite } from '../../src/sites/sites.js';
import { api, makeToken, type ApiResponse } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { API } from './fixtures.js';

export const B_SLUG = 'blog';
export const B_HOST = 'blog.example.com';
// Every title of B carries it: a page or answer that shows it has leaked B.
export const B_MARK = 'Blog-only';

export interface SiteB {
  siteId: string;
  component: string;
  group: string;
  window: string;
  series: string;
  incident: string;
  link: string;
  webhook: string;
}

async function one(db: TestDatabase, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await db.query<{ id: string }>(sql, params);
  return rows[0]!.id;
}

/** Adds the site "blog" with one row of each kind; the default site stays as the test left it. */
export async function addSiteB(db: TestDatabase, gw: TestGateway): Promise<SiteB> {
  const siteId = (await addSite(gw.pool, { slug: B_SLUG, hosts: [B_HOST], upstreamUrl: null })).id;
  const group = await one(db, 'INSERT INTO component_groups (site_id, name, position) VALUES ($1, $2, 0) RETURNING id::text', [siteId, `${B_MARK} group`]);
  const component = await one(db, 'INSERT INTO components (site_id, name, group_id, position) VALUES ($1, $2, $3, 0) RETURNING id::text', [siteId, `${B_MARK} API`, group]);
  const window = await one(
    db,
    `INSERT INTO windows (site_id, title, starts_at, ends_at) VALUES ($1, $2, now() + interval '2 days', now() + interval '2 days 1 hour') RETURNING id::text`,
    [siteId, `${B_MARK} upgrade`],
  );
  await db.query('INSERT INTO window_components (window_id, component_id) VALUES ($1, $2)', [window, component]);
  await db.query('INSERT INTO updates (site_id, window_id, body) VALUES ($1, $2, $3)', [siteId, window, `${B_MARK} window note`]);
  const series = await one(
    db,
    "INSERT INTO window_series (site_id, title, cron, time_zone, duration) VALUES ($1, $2, '0 3 * * *', 'UTC', interval '1 hour') RETURNING id::text",
    [siteId, `${B_MARK} nightly`],
  );
  const incident = await one(db, "INSERT INTO incidents (site_id, title, status) VALUES ($1, $2, 'investigating') RETURNING id::text", [siteId, `${B_MARK} outage`]);
  await db.query("INSERT INTO updates (site_id, incident_id, status, body) VALUES ($1, $2, 'investigating', $3)", [siteId, incident, `${B_MARK} looking`]);
  const link = await one(db, "INSERT INTO bypass_links (site_id, note, expires_at) VALUES ($1, $2, now() + interval '1 day') RETURNING id::text", [siteId, `${B_MARK} link`]);
  const webhook = await one(
    db,
    "INSERT INTO webhooks (site_id, url, description, events, secret) VALUES ($1, 'https://hooks.example.com/blog', $2, '{window.scheduled}', 'whsec_blog-secret') RETURNING id::text",
    [siteId, `${B_MARK} hook`],
  );
  await db.query("UPDATE settings SET site_name = $2, reminder_minutes = 180 WHERE site_id = $1", [siteId, `${B_MARK} name`]);
  return { siteId, component, group, window, series, incident, link, webhook };
}

/**
 * A digest of every row of site B, to show that nothing of it changed. Occurrences of its series
 * are left out: the expansion job may add some at any moment, and no route under test makes them.
 */
export async function fingerprint(db: TestDatabase, siteId: string): Promise<string> {
  const tables = ['components', 'component_groups', 'windows', 'window_series', 'incidents', 'updates', 'bypass_links', 'webhooks', 'settings'];
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await db.query<{ f: string | null }>(
      `SELECT md5(string_agg(to_jsonb(t)::text, ',' ORDER BY to_jsonb(t)::text)) AS f FROM ${table} t
       WHERE site_id = $1${table === 'windows' ? ' AND series_id IS NULL' : ''}`,
      [siteId],
    );
    parts.push(`${table}:${rows[0]!.f}`);
  }
  const links = await db.query<{ f: string | null }>(
    'SELECT md5(string_agg(to_jsonb(x)::text, \',\' ORDER BY x.component_id)) AS f FROM window_components x JOIN windows w ON w.id = x.window_id WHERE w.site_id = $1',
    [siteId],
  );
  parts.push(`window_components:${links.rows[0]!.f}`);
  return parts.join('\n');
}

/** A call to the first site's API, as its member unless another token is given. */
export type SiteACall = (method: string, path: string, body?: unknown, token?: string) => Promise<ApiResponse>;

export interface TwoSites {
  db: TestDatabase;
  gw: TestGateway;
  b: SiteB;
  /** A token of the first (default) site only, with the role asked for. */
  member: string;
  /** A global admin's token, for reaching site B on purpose. */
  globalAdmin: string;
  call: SiteACall;
}

/**
 * A gateway whose default site is A and which also has site B (addSiteB), with a token of A's
 * member and one of a global admin: what every per-area test of two sites starts from.
 */
export function useTwoSites({ role = 'operator', env = {} }: { role?: 'operator' | 'admin'; env?: Record<string, string> } = {}): Promise<TwoSites> {
  return useGateway(env).then(async ({ db, gw }) => {
    const b = await addSiteB(db, gw);
    const member = await makeToken(gw.pool, role, `site-a-${role}`, null, 'default');
    const globalAdmin = await makeToken(gw.pool, 'admin', 'everywhere', null, null);
    const call: SiteACall = (method, path, body, token = member) => api(gw.url, token, method, `${API}${path}`, body);
    return { db, gw, b, member, globalAdmin, call };
  });
}
