// Each site's public face: its status page at STATUS_PATH on its own hosts and at STATUS_PATH/<slug>
// on any host, with its own components, name, history, Statuspage JSON, feeds, uptime, badge and
// widget; held requests get their own site's page; a bypass link works on its own site's hosts only.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { signBypassToken } from '../../src/decide/bypass-token.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';

const MARKUP = '<img src=x onerror=alert(1)> Shop & "Co"';
const ESCAPED = '&lt;img src=x onerror=alert(1)&gt; Shop &amp; &#34;Co&#34;';

describe("each site's public face", () => {
  const harness = useGateway({ SITE_NAME: 'Acme', SUPPORT_EMAIL: 'help@acme.test' });
  let db: Awaited<typeof harness>['db'];
  let gw: TestGateway;
  const ids: Record<string, string> = {};

  before(async () => {
    ({ db, gw } = await harness);
    for (const [slug, host] of [['shop', 'shop.test'], ['blog', 'blog.test']] as const) {
      const { rows } = await db.query<{ id: string }>('INSERT INTO sites (slug) VALUES ($1) RETURNING id::text', [slug]);
      ids[slug] = rows[0]!.id;
      await db.query('INSERT INTO site_hosts (host, site_id) VALUES ($1, $2)', [host, rows[0]!.id]);
    }
    ids.default = (await db.query<{ id: string }>("SELECT id::text FROM sites WHERE slug = 'default'")).rows[0]!.id;
    await db.query('UPDATE settings SET site_name = $1 WHERE site_id = $2', [MARKUP, ids.shop]);
    await db.query("INSERT INTO components (name, site_id) VALUES ('Main API', $1), ('Shop cart', $2), ('Blog comments', $3)", [ids.default, ids.shop, ids.blog]);
    await db.query(
      "INSERT INTO incidents (title, status, impact, site_id) VALUES ('Main login trouble', 'investigating', 'minor', $1), ('Cart checkout slow', 'investigating', 'major', $2)",
      [ids.default, ids.shop],
    );
    await waitFor(() => gw.store.current().bySlug.get('shop')?.incidents.length === 1, 2000, 'the gateway has the sites');
  });

  const get = (host: string, path: string, headers: Record<string, string> = {}) =>
    request(`${gw.url}${path}`, { headers: { host, accept: 'text/html', ...headers } });
  const json = async (host: string, path: string) => {
    let res = await get(host, path, { accept: 'application/json' });
    // The public data follows the snapshot; just after a change it may still be loading.
    for (let i = 0; res.status === 503 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      res = await get(host, path, { accept: 'application/json' });
    }
    assert.equal(res.status, 200, res.body);
    return JSON.parse(res.body) as Record<string, any>;
  };

  it("shows each host's own site at STATUS_PATH: its components, incidents and name", async () => {
    const shop = await get('shop.test', '/status');
    assert.equal(shop.status, 200);
    assert.match(shop.body, /Shop cart/);
    assert.match(shop.body, /Cart checkout slow/);
    assert.doesNotMatch(shop.body, /Main API|Main login trouble|Blog comments/);
    const main = await get('www.example.org', '/status');
    assert.match(main.body, /Main API/);
    assert.doesNotMatch(main.body, /Shop cart|Cart checkout slow/);
    assert.match(main.body, /<title>[^<]*Acme status<\/title>/);
  });

  it('escapes a site name with markup everywhere it is printed', async () => {
    const page = await get('shop.test', '/status');
    assert.ok(page.body.includes(ESCAPED), 'the escaped name is on the page');
    assert.ok(!page.body.includes('<img src=x'), 'no markup from the name');
    const badge = await get('shop.test', '/status/badge.svg');
    assert.ok(!badge.body.includes('<img src=x'));
    const widget = await get('shop.test', '/status/widget');
    assert.ok(!widget.body.includes('<img src=x'));
    assert.equal((await json('shop.test', '/status/api/v2/summary.json')).page.name, MARKUP);
  });

  it('gives the default site SITE_NAME and SUPPORT_EMAIL, and another site its slug and no e-mail', async () => {
    const main = await get('www.example.org', '/status');
    assert.match(main.body, /help@acme\.test/);
    const blog = await get('blog.test', '/status');
    assert.match(blog.body, /<title>[^<]*blog status<\/title>/);
    assert.doesNotMatch(blog.body, /help@acme\.test|Acme/);
    assert.equal((await json('blog.test', '/status/api/v2/status.json')).page.name, 'blog');
  });

  it("shows a site at STATUS_PATH/<slug> on any host, its links staying on its slug", async () => {
    const page = await get('www.example.org', '/status/shop');
    assert.equal(page.status, 200);
    assert.match(page.body, /Shop cart/);
    assert.doesNotMatch(page.body, /Main API/);
    assert.match(page.body, /href="\/status\/shop\/history"/);
    assert.match(page.body, /href="\/status\/shop\/history\.rss"/);
    assert.match(page.body, /data-base="\/status\/shop"/);
    // Shared assets stay at STATUS_PATH/assets.
    assert.match(page.body, /href="\/status\/assets\/status\.css"/);
    assert.equal((await get('www.example.org', '/status/assets/status.css')).status, 200);
    const onItsHost = await get('shop.test', '/status');
    assert.match(onItsHost.body, /href="\/status\/history"/);
    assert.match(onItsHost.body, /data-base="\/status"/);
  });

  it("serves each site's Statuspage JSON, by host and by slug", async () => {
    const byHost = await json('shop.test', '/status/api/v2/summary.json');
    assert.deepEqual(byHost.components.map((c: { name: string }) => c.name), ['Shop cart']);
    assert.deepEqual(byHost.incidents.map((i: { name: string }) => i.name), ['Cart checkout slow']);
    assert.equal(byHost.page.url, 'http://shop.test/status');
    const bySlug = await json('www.example.org', '/status/shop/api/v2/summary.json');
    assert.deepEqual(bySlug.components.map((c: { name: string }) => c.name), ['Shop cart']);
    assert.equal(bySlug.page.url, 'http://www.example.org/status/shop');
    assert.notEqual(bySlug.page.id, (await json('www.example.org', '/status/api/v2/summary.json')).page.id);
    const main = await json('www.example.org', '/status/api/v2/incidents.json');
    assert.deepEqual(main.incidents.map((i: { name: string }) => i.name), ['Main login trouble']);
  });

  it("serves each site's feeds with its own incidents and links", async () => {
    const rss = await get('www.example.org', '/status/shop/history.rss');
    assert.equal(rss.status, 200);
    assert.match(rss.body, /Cart checkout slow/);
    assert.doesNotMatch(rss.body, /Main login trouble/);
    assert.match(rss.body, /http:\/\/www\.example\.org\/status\/shop\/history/);
    const atom = await get('www.example.org', '/status/history.atom');
    assert.match(atom.body, /Main login trouble/);
    assert.doesNotMatch(atom.body, /Cart checkout slow/);
  });

  it("draws each site's badge with its name and status, and frames its widget", async () => {
    const shop = await get('www.example.org', '/status/shop/badge.svg');
    assert.match(shop.body, /Partial System Outage/);
    const blog = await get('blog.test', '/status/badge.svg');
    assert.match(blog.body, /blog/);
    assert.match(blog.body, /All Systems Operational/);
    assert.notEqual(shop.headers.etag, blog.headers.etag);
    const widget = await get('www.example.org', '/status/shop/widget');
    assert.match(widget.body, /data-status-path="\/status\/shop"/);
    assert.match(widget.body, /Partial System Outage/);
    assert.equal((await get('www.example.org', '/status/shop/widget.js')).status, 200);
  });

  it("lists each site's components in its uptime and its incidents in its history", async () => {
    await waitFor(async () => (await get('blog.test', '/status/api/uptime.json')).status === 200, 2000, 'uptime loaded');
    const uptime = JSON.parse((await get('blog.test', '/status/api/uptime.json')).body) as { components: { name: string }[] };
    assert.deepEqual(uptime.components.map((c) => c.name), ['Blog comments']);
    const history = await get('www.example.org', '/status/shop/history');
    assert.equal(history.status, 200);
    assert.match(history.body, /Cart checkout slow/);
    assert.doesNotMatch(history.body, /Main login trouble/);
    assert.match(history.body, /href="\/status\/shop"/);
  });

  it("holds a request on a site's host with that site's page, and names its status page in JSON", async () => {
    const { rows } = await db.query<{ id: string }>(
      "INSERT INTO windows (title, site_id) VALUES ('Shop stocktake', $1) RETURNING id::text",
      [ids.shop],
    );
    try {
      await waitFor(() => gw.store.current().bySlug.get('shop')!.windows.length === 1, 2000, 'the window reached the snapshot');
      const held = await get('shop.test', '/cart');
      assert.equal(held.status, 503);
      assert.ok(held.body.includes(`${ESCAPED} is down for maintenance`), 'the held page names the shop');
      assert.match(held.body, /Shop stocktake/);
      assert.doesNotMatch(held.body, /Main API|help@acme\.test/);
      const api = JSON.parse((await get('shop.test', '/cart', { accept: 'application/json' })).body) as { status_url: string; title: string };
      assert.equal(api.title, 'Shop stocktake');
      assert.equal(api.status_url, 'http://shop.test/status');
      assert.equal((await get('blog.test', '/posts')).status, 200);
    } finally {
      await db.query('DELETE FROM windows WHERE id = $1', [rows[0]!.id]);
    }
  });

  it("lets a bypass link through on its own site's hosts only", async () => {
    const { rows } = await db.query<{ id: string; expires_at: Date }>(
      "INSERT INTO bypass_links (expires_at, site_id) VALUES (now() + interval '10 minutes', $1) RETURNING id::text, expires_at",
      [ids.shop],
    );
    const secret = (await db.query<{ value: string }>("SELECT value FROM gateway_secrets WHERE name = 'bypass'")).rows[0]!.value;
    const link = rows[0]!;
    const token = encodeURIComponent(signBypassToken(secret, { linkId: link.id, expiresAt: link.expires_at.getTime() }));
    await waitFor(() => gw.store.current().bySlug.get('shop')!.activeBypassLinks.has(link.id), 2000, 'the link reached the snapshot');
    const own = await get('shop.test', `/_gateway/bypass?token=${token}`);
    assert.equal(own.status, 303);
    assert.ok(own.headers['set-cookie']);
    const other = await get('blog.test', `/_gateway/bypass?token=${token}`);
    assert.equal(other.status, 403);
    assert.equal(other.headers['set-cookie'], undefined);
    assert.equal((await get('www.example.org', `/_gateway/bypass?token=${token}`)).status, 403);
  });
});
