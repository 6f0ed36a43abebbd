// A window that verifies the upstream is completed by a check of its own site's application: two
// sites with their own upstreams, one healthy and one not, each window waits for its own.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { addSite } from '../../src/sites/sites.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';

let db: TestDatabase;
let gw: TestGateway;
const apps: http.Server[] = [];
const health = { shop: 200, blog: 503 };
let shopId: string;
let blogId: string;

async function startApp(name: keyof typeof health): Promise<string> {
  const app = http.createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? health[name] : 200;
    res.end(`${name} ${res.statusCode}`);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  apps.push(app);
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

async function lifecycle(id: string): Promise<string> {
  return (await db.query<{ lifecycle: string }>('SELECT lifecycle FROM windows WHERE id = $1', [id])).rows[0]!.lifecycle;
}

async function verifyingWindow(siteId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO windows (site_id, title, starts_at, ends_at, verify_upstream)
     VALUES ($1, 'Upgrade', now(), now() + interval '400 milliseconds', true) RETURNING id::text`,
    [siteId],
  );
  return rows[0]!.id;
}

before(async () => {
  db = await createTestDatabase();
  const shopUrl = await startApp('shop');
  const blogUrl = await startApp('blog');
  gw = await startGateway(db.url, shopUrl, { HEALTHCHECK_PATH: '/healthz', HEALTHCHECK_INTERVAL_S: '0', HEALTHCHECK_REQUEST_FAILURES: '0', VERIFY_TIMEOUT_MS: '60000' });
  shopId = (await db.query<{ id: string }>("SELECT id::text FROM sites WHERE slug = 'default'")).rows[0]!.id;
  blogId = (await addSite(gw.pool, { slug: 'blog', hosts: ['blog.example.com'], upstreamUrl: blogUrl })).id;
  await waitFor(() => gw.store.current().sites.length === 2, 2000, 'both sites in the snapshot');
});

after(async () => {
  await gw?.close();
  for (const app of apps) await new Promise((resolve) => app.close(resolve));
  await db?.drop();
  await stopTestServer();
});

describe('verifying windows of two sites', () => {
  it("completes each window by its own site's health check, and holds the other site's traffic until its own passes", async () => {
    const shopWindow = await verifyingWindow(shopId);
    const blogWindow = await verifyingWindow(blogId);
    await waitFor(async () => (await lifecycle(shopWindow)) === 'completed', 4000, "the shop's window completes: its application passes");
    assert.equal(await lifecycle(blogWindow), 'verifying', "the blog's application still fails its check");
    await waitFor(() => gw.store.current().byId.get(shopId)!.windows.every((window) => window.id !== shopWindow || window.lifecycle === 'completed'), 2000, 'the snapshot knows');
    assert.equal((await request(`${gw.url}/`, { headers: { host: 'blog.example.com' } })).status, 503, 'the blog is still held');
    assert.equal((await request(`${gw.url}/`, { headers: { host: 'shop.example.com' } })).status, 200, 'the shop is open again');

    health.blog = 200;
    await waitFor(async () => (await lifecycle(blogWindow)) === 'completed', 4000, "the blog's window completes once its application passes");
    const { rows } = await db.query<{ site_id: string; body: string }>('SELECT site_id::text, body FROM updates WHERE window_id = $1', [blogWindow]);
    assert.deepEqual(rows.map((row) => row.site_id), [blogId], "the completing update is the blog's");
    assert.match(rows[0]!.body, /passed its health check/);
  });
});
