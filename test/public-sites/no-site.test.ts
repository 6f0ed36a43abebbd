// Without a default site, a host no site names gets the 404 page on STATUS_PATH too, for every page,
// document and stream under it; the shared assets and STATUS_PATH/<slug> still work on that host.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';

describe('status pages of a host no site answers', () => {
  const harness = useGateway();
  let gw: TestGateway;

  before(async () => {
    const { db, gw: started } = await harness;
    gw = started;
    await db.query("UPDATE sites SET is_default = false WHERE slug = 'default'");
    await db.query("INSERT INTO site_hosts (host, site_id) SELECT 'main.test', id FROM sites WHERE slug = 'default'");
    await waitFor(() => gw.store.current().fallback === null && gw.store.current().exact.has('main.test'), 2000, 'no default site any more');
  });

  const get = (host: string, path: string, accept = 'text/html') => request(`${gw.url}${path}`, { headers: { host, accept } });

  it('answers STATUS_PATH with the same 404 page as forwarded traffic, naming the host escaped', async () => {
    const page = await get('<b>unknown</b>.test', '/status');
    assert.equal(page.status, 404);
    assert.match(page.body, /No site at this address/);
    assert.ok(!page.body.includes('<b>unknown</b>'), 'the host is escaped');
    assert.equal(page.body, (await get('<b>unknown</b>.test', '/somewhere')).body);
    const api = await get('unknown.test', '/status', 'application/json');
    assert.equal(api.status, 404);
    assert.equal(JSON.parse(api.body).status, 'not_found');
  });

  it('answers every page, document and stream under STATUS_PATH with 404', async () => {
    for (const path of ['/status/history', '/status/api/v2/summary.json', '/status/history.rss', '/status/events', '/status/badge.svg', '/status/widget', '/status/api/uptime.json']) {
      const res = await get('unknown.test', path, '*/*');
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body, /Our service/, path);
    }
  });

  it("still serves the shared assets and a site's page by its slug on that host", async () => {
    assert.equal((await get('unknown.test', '/status/assets/status.css')).status, 200);
    const bySlug = await get('unknown.test', '/status/default');
    assert.equal(bySlug.status, 200);
    assert.match(bySlug.body, /Our service status/);
    assert.equal((await get('main.test', '/status')).status, 200);
  });
});
