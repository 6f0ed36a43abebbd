// An operator of site A can neither see nor change anything of site B, through any page or API
// endpoint. The routes are walked from the admin areas themselves (every endpoint, every page
// route in the routers' stacks), so a route added later is checked too, and one whose parameter
// the test cannot fill with one of B's objects fails the test until it is taught the kind.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type express from 'express';
import { adminAreas } from '../../src/admin/areas.js';
import type { Endpoint } from '../../src/admin/api/endpoint.js';
import { createLogger } from '../../src/log.js';
import { api, csrfOf, makeToken, makeUser, signedIn, siteIdOf, type Browser } from '../helpers/admin.js';
import { waitFor } from '../helpers/gateway.js';
import { useGateway, type Harness } from '../helpers/harness.js';

const harness = useGateway();
const ADMIN = '/admin';
const API = `${ADMIN}/api/v1`;
// Every object of B carries it: a page or answer that shows it has leaked B.
const MARK = 'Bee-only';

interface Route {
  method: string;
  path: string;
  /** Per-site routes answer under /sites/<slug> too; global ones do not. */
  site: boolean;
}

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every route of a pages router, nested routers included. */
function pageRoutes(router: express.Router, site: boolean): Route[] {
  const routes: Route[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) routes.push({ method: method.toUpperCase(), path: layer.route.path, site });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return routes;
}

// Which of B's objects a parameter names, by the path segment before it.
const KINDS: Record<string, string> = {
  windows: 'window', series: 'series', components: 'component', groups: 'group', 'component-groups': 'group',
  incidents: 'incident', 'bypass-links': 'link', webhooks: 'webhook', users: 'user', tokens: 'token', sites: 'site',
  sessions: 'session',
};

describe('isolation between sites', () => {
  let h: Harness;
  let aBrowser: Browser;
  let aToken: string;
  let bIds: Record<string, string>;
  let routes: { api: Route[]; pages: Route[] };

  async function fingerprintOfB(): Promise<string> {
    const b = bIds.siteId!;
    const tables = ['components', 'component_groups', 'windows', 'window_series', 'incidents', 'updates', 'bypass_links', 'webhooks', 'settings', 'site_members', 'api_tokens'];
    const parts: string[] = [];
    for (const table of tables) {
      const { rows } = await h.db.query<{ f: string | null }>(`SELECT md5(string_agg(to_jsonb(t)::text, ',' ORDER BY to_jsonb(t)::text)) AS f FROM ${table} t WHERE site_id = $1`, [b]);
      parts.push(`${table}:${rows[0]!.f}`);
    }
    const { rows } = await h.db.query<{ f: string }>("SELECT md5(to_jsonb(u)::text) AS f FROM users u WHERE email = 'bee@example.com'");
    parts.push(`user:${rows[0]!.f}`, `sites:${(await h.db.query('SELECT slug FROM sites ORDER BY id')).rows.map((r) => r.slug).join(',')}`);
    return parts.join('\n');
  }

  function fill(path: string): string {
    const segments = path.split('/');
    return segments
      .map((segment, i) => {
        if (!segment.startsWith(':')) return segment;
        const kind = KINDS[segments[i - 1] ?? ''];
        const id = kind && bIds[kind];
        assert.ok(id, `route ${path}: the test does not know which of B's objects fills ${segment}: add it to KINDS`);
        return id;
      })
      .join('/');
  }

  before(async () => {
    h = await harness;
    const { db, gw } = h;
    await db.query(`INSERT INTO sites (slug) VALUES ('a'), ('b')`);
    await db.query(`INSERT INTO site_hosts (host, site_id) SELECT 'a.test', id FROM sites WHERE slug = 'a'`);
    await db.query(`INSERT INTO site_hosts (host, site_id) SELECT 'b.test', id FROM sites WHERE slug = 'b'`);
    const b = await siteIdOf(gw.pool, 'b');
    const one = async (sql: string) => (await db.query<{ id: string }>(sql, [b])).rows[0]!.id;
    bIds = {
      siteId: b,
      site: 'b',
      group: await one(`INSERT INTO component_groups (name, site_id) VALUES ('${MARK} group', $1) RETURNING id::text`),
      component: await one(`INSERT INTO components (name, status, site_id) VALUES ('${MARK} API', 'operational', $1) RETURNING id::text`),
      window: await one(`INSERT INTO windows (title, message, starts_at, ends_at, lifecycle, started_at, site_id) VALUES ('${MARK} window', '', now() - interval '1 minute', now() + interval '1 day', 'in_progress', now() - interval '1 minute', $1) RETURNING id::text`),
      series: await one(`INSERT INTO window_series (title, cron, time_zone, duration, site_id) VALUES ('${MARK} series', '0 3 * * 1', 'UTC', interval '1 hour', $1) RETURNING id::text`),
      incident: await one(`INSERT INTO incidents (title, status, impact, site_id) VALUES ('${MARK} incident', 'identified', 'minor', $1) RETURNING id::text`),
      link: await one(`INSERT INTO bypass_links (note, expires_at, site_id) VALUES ('${MARK} link', now() + interval '1 day', $1) RETURNING id::text`),
      webhook: await one(`INSERT INTO webhooks (url, events, secret, site_id) VALUES ('http://127.0.0.1:9/${MARK}', '{window.started}', 'a-secret-of-sixteen-chars', $1) RETURNING id::text`),
      session: 'f'.repeat(64),
    };
    await db.query(`INSERT INTO updates (window_id, body, site_id) VALUES ($2::bigint, '${MARK} update', $1)`, [b, bIds.window]);
    bIds.user = await makeUser(gw.pool, 'bee@example.com', 'admin', { site: 'b', globalAdmin: false });
    await makeToken(gw.pool, 'admin', `${MARK} token`, null, 'b');
    bIds.token = (await db.query<{ id: string }>('SELECT id::text FROM api_tokens WHERE site_id = $1', [b])).rows[0]!.id;
    await waitFor(() => gw.store.current().bySlug.has('b'), 5000, 'the gateway sees the sites');

    aBrowser = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'ay@example.com', { site: 'a', globalAdmin: false });
    aToken = await makeToken(gw.pool, 'operator', 'a-operator', null, 'a');

    const areas = adminAreas({ config: gw.config, pool: gw.pool, store: gw.store, log: createLogger('silent'), upstream: gw.config.upstreamUrl!, now: Date.now });
    const endpoints: Endpoint[] = areas.flatMap((area) => area.endpoints ?? []);
    routes = {
      api: endpoints.map((e) => ({ method: e.method.toUpperCase(), path: e.path, site: e.scope !== 'global' })),
      pages: areas.flatMap((area) => [...(area.pages ? pageRoutes(area.pages, true) : []), ...(area.globalPages ? pageRoutes(area.globalPages, false) : [])]),
    };
    assert.ok(routes.api.length > 40 && routes.pages.length > 40, `the walk found the routes (${routes.api.length} endpoints, ${routes.pages.length} pages)`);
  });

  it('answers 404 for every per-site endpoint under B\'s prefix, and changes nothing of B', async () => {
    const before_ = await fingerprintOfB();
    const leaks: string[] = [];
    for (const route of routes.api.filter((r) => r.site)) {
      const res = await api(h.gw.url, aToken, route.method, `${API}/sites/b${fill(route.path)}`, route.method === 'GET' ? undefined : {});
      if (res.status !== 404) leaks.push(`${route.method} ${route.path}: ${res.status}`);
    }
    if ((await fingerprintOfB()) !== before_) leaks.push('rows of B changed');
    assert.deepEqual(leaks, []);
  });

  it('answers 404 for every per-site page under B\'s prefix, and changes nothing of B', async () => {
    const before_ = await fingerprintOfB();
    const csrf = csrfOf((await aBrowser.get(`${ADMIN}/sites/a`)).body);
    const leaks: string[] = [];
    for (const route of routes.pages.filter((r) => r.site)) {
      const url = `${ADMIN}/sites/b${fill(route.path)}`;
      const res = route.method === 'GET' ? await aBrowser.raw('GET', url) : await aBrowser.raw(route.method, url, { _csrf: csrf, confirm: 'yes' });
      if (res.status !== 404) leaks.push(`${route.method} ${route.path}: ${res.status}`);
    }
    if ((await fingerprintOfB()) !== before_) leaks.push('rows of B changed');
    assert.deepEqual(leaks, []);
  });

  it('neither shows nor changes B\'s objects named by id through A\'s prefix, in the API', async () => {
    const before_ = await fingerprintOfB();
    const leaks: string[] = [];
    for (const route of routes.api) {
      // Creations and lists name no object of B: what they show is checked for B's marks instead.
      const path = `${route.site ? `${API}/sites/a` : API}${fill(route.path)}`;
      const res = await api(h.gw.url, aToken, route.method, path, route.method === 'GET' ? undefined : {});
      const body = JSON.stringify(res.body ?? '');
      const named = route.path.includes(':');
      if (body.includes(MARK)) leaks.push(`${route.method} ${route.path}: shows B (${res.status})`);
      else if (named && ![400, 403, 404].includes(res.status)) leaks.push(`${route.method} ${route.path}: ${res.status}`);
    }
    if ((await fingerprintOfB()) !== before_) leaks.push('rows of B changed');
    assert.deepEqual(leaks, []);
  });

  it('neither shows nor changes B\'s objects named by id through A\'s pages', async () => {
    const before_ = await fingerprintOfB();
    const csrf = csrfOf((await aBrowser.get(`${ADMIN}/sites/a`)).body);
    const leaks: string[] = [];
    for (const route of routes.pages) {
      const url = `${route.site ? `${ADMIN}/sites/a` : ADMIN}${fill(route.path)}`;
      const res = route.method === 'GET' ? await aBrowser.raw('GET', url) : await aBrowser.raw(route.method, url, { _csrf: csrf, confirm: 'yes' });
      const named = route.path.includes(':');
      if (res.body.includes(MARK)) leaks.push(`${route.method} ${route.path}: shows B (${res.status})`);
      else if (named && ![400, 403, 404].includes(res.status)) leaks.push(`${route.method} ${route.path}: ${res.status}`);
    }
    if ((await fingerprintOfB()) !== before_) leaks.push('rows of B changed');
    assert.deepEqual(leaks, []);
  });

  it('lists only the sites A\'s operator works in, and refuses to manage sites', async () => {
    const listed = await api(h.gw.url, aToken, 'GET', `${API}/sites`);
    assert.deepEqual(listed.body.sites.map((s: { slug: string }) => s.slug), ['a']);
    assert.equal((await api(h.gw.url, aToken, 'GET', `${API}/sites/b`)).status, 404);
    assert.equal((await api(h.gw.url, aToken, 'DELETE', `${API}/sites/b`, {})).status, 403);
    assert.equal((await aBrowser.raw('GET', `${ADMIN}/sites`)).status, 403);
  });
});
