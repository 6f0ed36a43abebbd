// Requests reach their site by Host: exact names, *.wildcards one label deep, the default site for
// the rest, and a 404 page when there is no default. Each site forwards to its own upstream and is
// held by its own windows; a new site or host is in force on every gateway within a second.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { indexSites, routeHost } from '../../src/sites/site-routes.js';
import type { Site } from '../../src/snapshot/types.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { snap } from '../helpers/windows.js';

function site(id: string, slug: string, hosts: string[], isDefault = false): Site {
  return { id, slug, upstreamUrl: null, hosts, isDefault };
}

describe('routing a host to its site', () => {
  const main = snap([], { site: site('1', 'main', ['example.com'], true) });
  const shop = snap([], { site: site('2', 'shop', ['shop.example.com', '*.shop.example.com']) });
  const eu = snap([], { site: site('3', 'eu', ['eu.shop.example.com']) });
  const routes = indexSites(1, 0, [main, shop, eu]);

  it('takes an exact name before a wildcard that also covers it', () => {
    assert.equal(routeHost(routes, 'eu.shop.example.com'), eu);
    assert.equal(routeHost(routes, 'shop.example.com'), shop);
  });

  it('lets a wildcard cover one label, not deeper names', () => {
    assert.equal(routeHost(routes, 'us.shop.example.com'), shop);
    assert.equal(routeHost(routes, 'a.us.shop.example.com'), main);
  });

  it('sends names no site holds to the default site, or nowhere without one', () => {
    assert.equal(routeHost(routes, 'unknown.test'), main);
    assert.equal(routeHost(routes, ''), main);
    const noDefault = indexSites(1, 0, [snap([], { site: site('2', 'shop', ['shop.example.com']) })]);
    assert.equal(routeHost(noDefault, 'unknown.test'), null);
  });
});

describe('sites behind one gateway', () => {
  const harness = useGateway();
  let db: Awaited<typeof harness>['db'];
  let gw: TestGateway;
  let main: Upstream;
  let shop: Upstream;
  let second: TestGateway | undefined;

  before(async () => {
    ({ db, gw, upstream: main } = await harness);
    shop = await startUpstream();
    await db.query("INSERT INTO sites (slug, upstream_url) VALUES ('shop', $1)", [shop.url]);
    await db.query("INSERT INTO site_hosts (host, site_id) SELECT h, id FROM sites, unnest(ARRAY['shop.test', '*.shop.test']) h WHERE slug = 'shop'");
    await waitFor(() => gw.store.current().exact.has('shop.test'), 2000, 'the gateway routes shop.test');
  });
  after(async () => {
    await second?.close();
    await shop.close();
  });

  const get = (host: string, path = '/echo', headers: Record<string, string> = {}) => request(`${gw.url}${path}`, { headers: { host, ...headers } });
  const seenBy = (upstream: Upstream, marker: string) => upstream.seen.some((seen) => seen.url.includes(marker));

  it("forwards each site's hosts to its own upstream, keeping the Host header", async () => {
    assert.equal((await get('shop.test', '/echo?to=shop')).status, 200);
    assert.equal((await get('eu.shop.test:8080', '/echo?to=shop-wildcard')).status, 200);
    assert.equal((await get('www.example.org', '/echo?to=main')).status, 200);
    assert.ok(seenBy(shop, 'to=shop') && seenBy(shop, 'to=shop-wildcard'));
    assert.ok(seenBy(main, 'to=main') && !seenBy(shop, 'to=main'));
    assert.equal(shop.seen.find((seen) => seen.url.includes('to=shop-wildcard'))?.headers.host, 'eu.shop.test:8080');
  });

  it("holds only the site whose window is in force", async () => {
    const { rows } = await db.query<{ id: string }>(
      "INSERT INTO windows (title, site_id) SELECT 'Shop upgrade', id FROM sites WHERE slug = 'shop' RETURNING id::text",
    );
    try {
      await waitFor(() => gw.store.current().bySlug.get('shop')!.windows.length === 1, 2000, 'the window reaches the snapshot');
      const held = await get('shop.test', '/', { accept: 'text/html' });
      assert.equal(held.status, 503);
      assert.match(held.body, /Shop upgrade/);
      assert.equal((await get('www.example.org')).status, 200);
    } finally {
      await db.query('DELETE FROM windows WHERE id = $1', [rows[0]!.id]);
    }
  });

  it('answers hosts no site names with a 404 page once there is no default site, and forwards them again with one', async () => {
    await db.query('UPDATE sites SET is_default = false');
    try {
      await waitFor(() => gw.store.current().fallback === null, 2000, 'the default site is gone from the snapshot');
      const page = await get('<b>nowhere</b>.test', '/cart', { accept: 'text/html' });
      assert.equal(page.status, 404);
      assert.match(page.body, /No site at this address/);
      assert.ok(!page.body.includes('<b>nowhere</b>'));
      const json = await get('api.nowhere.test', '/v1/orders', { accept: 'application/json' });
      assert.equal(json.status, 404);
      assert.deepEqual(JSON.parse(json.body), { status: 'not_found', message: 'this gateway serves no site at api.nowhere.test' });
      assert.equal((await get('shop.test')).status, 200, 'named hosts still route');
      const metrics = await request(`${gw.url}/_gateway/metrics`);
      assert.match(metrics.body, /intermission_requests_total\{outcome="no_site"\} [1-9]/);
    } finally {
      await db.query("UPDATE sites SET is_default = true WHERE slug = 'default'");
    }
    await waitFor(() => gw.store.current().fallback !== null, 2000, 'the default site is back');
    assert.equal((await get('nowhere.test')).status, 200);
  });

  it('refuses a WebSocket upgrade for a host no site names', async () => {
    await db.query('UPDATE sites SET is_default = false');
    try {
      await waitFor(() => gw.store.current().fallback === null, 2000, 'the default site is gone from the snapshot');
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${gw.port}/socket`, { headers: { host: 'nowhere.test' } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => resolve(0));
      });
      assert.equal(status, 404);
    } finally {
      await db.query("UPDATE sites SET is_default = true WHERE slug = 'default'");
    }
  });

  it('puts a new host in force on every gateway within a second, with no restart', async () => {
    second = await startGateway(db.url, main.url);
    const started = Date.now();
    await db.query("INSERT INTO site_hosts (host, site_id) SELECT 'checkout.test', id FROM sites WHERE slug = 'shop'");
    for (const gateway of [gw, second]) {
      await waitFor(async () => {
        const res = await request(`${gateway.url}/echo?to=checkout-${gateway.port}`, { headers: { host: 'checkout.test' } });
        return res.status === 200 && seenBy(shop, `to=checkout-${gateway.port}`);
      }, 1000, `gateway on port ${gateway.port} forwards checkout.test to the shop`);
    }
    assert.ok(Date.now() - started < 1000);
  });
});
