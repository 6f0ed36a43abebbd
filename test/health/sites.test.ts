// Health per site: two sites, each with its own real upstream. The checks and the forwarded
// requests judge each site's upstream alone; an outage, its incident and the trouble page stay with
// the site whose application failed, and a site whose upstream hangs does not hold the other's check.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { addSite } from '../../src/sites/sites.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';

const ENV = {
  SITE_NAME: 'Example Shop',
  HEALTHCHECK_PATH: '/healthz',
  // Scheduled checks at most once a minute: the tests run checks themselves with runNow.
  HEALTHCHECK_INTERVAL_S: '60',
  HEALTHCHECK_TIMEOUT_MS: '1500',
  HEALTHCHECK_DOWN_AFTER: '2',
  HEALTHCHECK_UP_AFTER: '2',
  HEALTHCHECK_REQUEST_FAILURES: '5',
};
const SHOP = 'shop.example.com';
const BLOG = 'blog.example.com';

interface App {
  server: http.Server;
  url: string;
  /** What /healthz answers ('hang': nothing), and what every other path answers. */
  behaviour: { health: number | 'hang'; pages: number };
}

async function startApp(name: string): Promise<App> {
  const behaviour: App['behaviour'] = { health: 200, pages: 200 };
  const server = http.createServer(function application(req, res) {
    if (req.url === '/healthz') {
      if (behaviour.health === 'hang') return;
      res.statusCode = behaviour.health;
    } else {
      res.statusCode = behaviour.pages;
    }
    res.end(`${name} answers ${res.statusCode}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, behaviour };
}

let db: TestDatabase;
let gw: TestGateway;
let shop: App;
let blog: App;
let shopId: string;
let blogId: string;

async function rows<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(sql, params)).rows;
}

async function check(times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) await gw.automation.runNow('healthcheck');
}

function stateOf(siteId: string): string | undefined {
  return gw.store.current().byId.get(siteId)?.upstream.state;
}

async function get(host: string, path = '/', accept = 'text/html') {
  return request(`${gw.url}${path}`, { headers: { host, accept } });
}

before(async () => {
  db = await createTestDatabase();
  shop = await startApp('shop');
  blog = await startApp('blog');
  gw = await startGateway(db.url, shop.url, ENV);
  shopId = (await rows<{ id: string }>("SELECT id::text FROM sites WHERE slug = 'default'"))[0]!.id;
  await db.query('INSERT INTO site_hosts (host, site_id) VALUES ($1, $2)', [SHOP, shopId]);
  blogId = (await addSite(gw.pool, { slug: 'blog', hosts: [BLOG], upstreamUrl: blog.url })).id;
  await waitFor(() => gw.store.current().sites.length === 2, 2000, 'both sites in the snapshot');
});

afterEach(async () => {
  shop.behaviour.health = blog.behaviour.health = 200;
  shop.behaviour.pages = blog.behaviour.pages = 200;
  await check(2);
  await waitFor(() => stateOf(shopId) === 'up' && stateOf(blogId) === 'up', 2000, 'both sites up again');
});

after(async () => {
  await gw?.close();
  for (const app of [shop, blog]) {
    app?.server.closeAllConnections();
    await new Promise((resolve) => app?.server.close(resolve));
  }
  await db?.drop();
  await stopTestServer();
});

describe('health checks of two sites', () => {
  it("gives the trouble page on the failing site's hosts only, while the other site forwards", async () => {
    blog.behaviour.health = 503;
    await check(2);
    await waitFor(() => stateOf(blogId) === 'down', 2000, 'the blog is judged down');
    assert.equal(stateOf(shopId), 'up');

    const blogPage = await get(BLOG, '/posts');
    assert.equal(blogPage.status, 503);
    assert.match(blogPage.body, /unexpected trouble/i);
    const shopPage = await get(SHOP, '/cart');
    assert.equal(shopPage.status, 200);
    assert.equal(shopPage.body, 'shop answers 200');

    const health = await rows<{ slug: string; state: string; last_error: string | null }>(
      'SELECT s.slug, h.state, h.last_error FROM upstream_health h JOIN sites s ON s.id = h.site_id ORDER BY s.slug',
    );
    assert.deepEqual(health, [
      { slug: 'blog', state: 'down', last_error: 'HTTP 503' },
      { slug: 'default', state: 'up', last_error: null },
    ]);
  });

  it('opens the outage and the automatic incident in the failing site only, named after it, and resolves it there', async () => {
    const [component] = await rows<{ id: string }>("INSERT INTO components (name, site_id) VALUES ('Blog', $1) RETURNING id::text", [blogId]);
    await db.query('UPDATE settings SET upstream_component_id = $2 WHERE site_id = $1', [blogId, component!.id]);
    blog.behaviour.health = 500;
    await check(2);
    const [outage] = await rows<{ site_id: string; incident_id: string; detected_by: string }>(
      'SELECT site_id::text, incident_id::text, detected_by FROM outages WHERE ended_at IS NULL',
    );
    assert.equal(outage!.site_id, blogId);
    assert.equal(outage!.detected_by, 'health_check');
    const [incident] = await rows<{ site_id: string; title: string }>('SELECT site_id::text, title FROM incidents WHERE id = $1', [outage!.incident_id]);
    // The blog has no name in its Settings and is not the primary site: its slug names it, never SITE_NAME.
    assert.deepEqual(incident, { site_id: blogId, title: 'blog is unavailable' });
    assert.equal((await rows<{ status: string }>('SELECT status FROM components WHERE id = $1', [component!.id]))[0]!.status, 'major_outage');
    assert.equal((await rows('SELECT 1 FROM incidents WHERE site_id = $1', [shopId])).length, 0, 'nothing opened in the shop');

    blog.behaviour.health = 200;
    await check(2);
    const [ended] = await rows<{ ended_at: Date | null }>('SELECT ended_at FROM outages WHERE incident_id = $1', [outage!.incident_id]);
    assert.ok(ended!.ended_at);
    assert.equal((await rows<{ status: string }>('SELECT status FROM incidents WHERE id = $1', [outage!.incident_id]))[0]!.status, 'resolved');
    assert.equal((await rows<{ status: string }>('SELECT status FROM components WHERE id = $1', [component!.id]))[0]!.status, 'operational');
    await db.query('UPDATE settings SET upstream_component_id = NULL WHERE site_id = $1', [blogId]);
  });

  it("judges only the site whose forwarded requests keep failing, however many the other's succeed", async () => {
    blog.behaviour.pages = 502;
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await get(BLOG, `/posts/${i}`)).status, 502);
      assert.equal((await get(SHOP, `/items/${i}`)).status, 200);
    }
    await waitFor(() => stateOf(blogId) === 'down', 2000, 'the blog is judged down by its requests');
    assert.equal(stateOf(shopId), 'up');
    const [outage] = await rows<{ site_id: string; cause: string }>('SELECT site_id::text, cause FROM outages WHERE ended_at IS NULL');
    assert.deepEqual(outage, { site_id: blogId, cause: '5 forwarded requests in a row failed, the last with HTTP 502' });
    assert.equal((await get(SHOP, '/items/9')).status, 200);
  });

  it("checks the other site on time while one site's upstream hangs until the timeout", async () => {
    blog.behaviour.health = 'hang';
    const started = Date.now();
    await check(1);
    const took = Date.now() - started;
    assert.ok(took >= 1400, `the run waited for the hanging check (${took} ms)`);
    const [checked] = await rows<{ ms: number }>(
      'SELECT extract(epoch FROM checked_at) * 1000 AS ms FROM upstream_health WHERE site_id = $1',
      [shopId],
    );
    assert.ok(Number(checked!.ms) - started < 700, `the shop was checked ${Number(checked!.ms) - started} ms into the run`);
    const [blogHealth] = await rows<{ last_error: string }>('SELECT last_error FROM upstream_health WHERE site_id = $1', [blogId]);
    assert.match(blogHealth!.last_error, /ETIMEDOUT/);
  });
});
