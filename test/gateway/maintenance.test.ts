import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { signBypassToken } from '../../src/decide/bypass-token.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;

const HTML = { accept: 'text/html,application/xhtml+xml' };

async function openWindow(columns: Record<string, unknown> = {}): Promise<string> {
  const values = { title: 'Database upgrade', message: 'Back soon.', ends_at: new Date(Date.now() + 30 * 60_000), ...columns };
  const names = Object.keys(values);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO windows (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(values),
  );
  await waitFor(() => primarySite(gw.store.current())!.windows.some((w) => w.id === rows[0]!.id), 1000, 'window reached the snapshot');
  return rows[0]!.id;
}

before(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  gw = await startGateway(db.url, upstream.url, { SUPPORT_EMAIL: 'help@example.com', SITE_NAME: 'Example Shop' });
});

afterEach(async () => {
  await db.query('DELETE FROM windows');
  await waitFor(() => primarySite(gw.store.current())!.windows.length === 0, 1000, 'windows cleared');
});

after(async () => {
  await gw.close();
  await upstream.close();
  await db.drop();
  await stopTestServer();
});

describe('maintenance', () => {
  it('takes effect within a second of a plain SQL insert, and ends as fast', async () => {
    assert.equal((await request(`${gw.url}/`)).status, 200);
    const { rows } = await db.query<{ id: string }>("INSERT INTO windows (title) VALUES ('Now') RETURNING id");
    const heldAfter = await waitFor(async () => (await request(`${gw.url}/`)).status === 503, 1000, 'held after insert');
    await db.query('UPDATE windows SET ended_at = now() WHERE id = $1', [rows[0]!.id]);
    const backAfter = await waitFor(async () => (await request(`${gw.url}/`)).status === 200, 1000, 'forwarded after end');
    assert.ok(heldAfter < 1000 && backAfter < 1000);
  });

  it('serves the status page with 503, Retry-After and no-store to browsers', async () => {
    await openWindow({ title: 'Database upgrade', message: 'We are moving to faster disks.' });
    const res = await request(`${gw.url}/account/orders?page=2`, { headers: HTML });
    assert.equal(res.status, 503);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.headers['content-type']!, /^text\/html/);
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(retryAfter > 1790 && retryAfter <= 1800, `Retry-After ${retryAfter}`);
    assert.match(res.body, /Database upgrade/);
    assert.match(res.body, /We are moving to faster disks\./);
    assert.match(res.body, /help@example\.com/);
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(upstream.seen.some((r) => r.url.startsWith('/account/orders')), false, 'a held request reached the upstream');
  });

  it('recomputes Retry-After when a window is extended', async () => {
    const id = await openWindow();
    await db.query("UPDATE windows SET ends_at = now() + interval '2 hours' WHERE id = $1", [id]);
    await waitFor(async () => Number((await request(`${gw.url}/`)).headers['retry-after']) > 7000, 1000, 'Retry-After follows the new end');
  });

  it('answers JSON to clients that do not ask for HTML', async () => {
    await openWindow({ message: 'Back soon.' });
    const res = await request(`${gw.url}/api/items`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 503);
    assert.match(res.headers['content-type']!, /^application\/json/);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    assert.equal(body.status, 'maintenance');
    assert.equal(body.message, 'Back soon.');
    assert.equal(typeof body.ends_at, 'string');
    assert.equal(body.retry_after, Number(res.headers['retry-after']));
    assert.equal(body.status_url, `${gw.url}/status`);
  });

  it('sends no Retry-After and a null end for an open-ended window', async () => {
    await openWindow({ ends_at: null });
    const res = await request(`${gw.url}/`);
    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], undefined);
    assert.equal(JSON.parse(res.body).ends_at, null);
  });

  it('answers HEAD with the same headers and no body', async () => {
    await openWindow();
    const res = await request(`${gw.url}/`, { method: 'HEAD', headers: HTML });
    assert.equal(res.status, 503);
    assert.ok(Number(res.headers['retry-after']) > 0);
    assert.ok(Number(res.headers['content-length']) > 0);
    assert.equal(res.body, '');
  });

  it('refuses a WebSocket upgrade with 503 before upgrading', async () => {
    await openWindow();
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/live`);
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('upgraded during maintenance')));
      ws.once('error', () => undefined);
    });
    assert.equal(status, 503);
  });

  it('redirects to the status page with a safe return path in redirect mode', async () => {
    await openWindow({ response: 'redirect' });
    const res = await request(`${gw.url}/cart?item=1`, { headers: HTML });
    assert.equal(res.status, 307);
    assert.equal(res.headers.location, '/status?return_to=%2Fcart%3Fitem%3D1');
    const evil = await request(`${gw.url}//evil.example/x`, { headers: HTML });
    assert.equal(evil.status, 307);
    assert.equal(evil.headers.location, '/status');
    const page = await request(`${gw.url}${res.headers.location}`, { headers: HTML });
    assert.equal(page.status, 200);
  });

  it('lets reads through a read-only window and holds writes', async () => {
    await openWindow({ mode: 'read_only' });
    assert.equal((await request(`${gw.url}/products`)).status, 200);
    assert.equal((await request(`${gw.url}/products`, { method: 'HEAD' })).status, 200);
    assert.equal((await request(`${gw.url}/orders`, { method: 'POST', body: '{}' })).status, 503);
    assert.equal((await request(`${gw.url}/orders/1`, { method: 'DELETE' })).status, 503);
  });

  it('holds only the paths and hosts a scoped window covers', async () => {
    await openWindow({ path_prefixes: ['/api'], hosts: ['shop.example.com'] });
    assert.equal((await request(`${gw.url}/api/x`, { headers: { host: 'shop.example.com' } })).status, 503);
    assert.equal((await request(`${gw.url}/api/x`, { headers: { host: 'other.example.com' } })).status, 200);
    assert.equal((await request(`${gw.url}/home`, { headers: { host: 'shop.example.com' } })).status, 200);
    assert.equal((await request(`${gw.url}/x/../api/x`, { headers: { host: 'shop.example.com' } })).status, 503);
  });

  it('always forwards allowed paths', async () => {
    await openWindow();
    assert.equal((await request(`${gw.url}/.well-known/acme-challenge/token`)).status, 200);
  });

  it('serves its own status page and health routes during maintenance', async () => {
    await openWindow();
    assert.equal((await request(`${gw.url}/status`, { headers: HTML })).status, 200);
    assert.equal((await request(`${gw.url}/_gateway/healthz`)).status, 200);
  });

  it('opens and closes a scheduled window on time without a reload', async () => {
    const startsAt = Date.now() + 1500;
    await openWindow({ starts_at: new Date(startsAt), ends_at: new Date(startsAt + 1000) });
    const version = gw.store.current().version;
    assert.equal((await request(`${gw.url}/`)).status, 200);
    await waitFor(async () => (await request(`${gw.url}/`)).status === 503, 2500, 'window opened');
    assert.ok(Date.now() >= startsAt, 'opened early');
    assert.ok(Date.now() - startsAt < 300, `opened ${Date.now() - startsAt} ms late`);
    await waitFor(async () => (await request(`${gw.url}/`)).status === 200, 1500, 'window closed');
    assert.ok(Date.now() - (startsAt + 1000) < 300, 'closed late');
    // The timer bumps the version at each transition so cached pages are re-rendered.
    assert.ok(gw.store.current().version >= version + 2);
  });
});

describe('bypass', () => {
  async function bypassLink(minutes = 10): Promise<{ id: string; token: string }> {
    const { rows } = await db.query<{ id: string; expires_at: Date }>(
      "INSERT INTO bypass_links (expires_at) VALUES (now() + $1 * interval '1 minute') RETURNING id, expires_at",
      [minutes],
    );
    const secret = (await db.query<{ value: string }>("SELECT value FROM gateway_secrets WHERE name = 'bypass'")).rows[0]!.value;
    const id = rows[0]!.id;
    await waitFor(() => primarySite(gw.store.current())!.activeBypassLinks.has(id), 1000, 'link reached the snapshot');
    return { id, token: signBypassToken(secret, { linkId: id, expiresAt: rows[0]!.expires_at.getTime() }) };
  }

  it('sets a cookie from a bypass link that lets its holder through, until revoked', async () => {
    await openWindow();
    const link = await bypassLink();
    const opened = await request(`${gw.url}/_gateway/bypass?token=${encodeURIComponent(link.token)}&next=%2Fdashboard`);
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.location, '/dashboard');
    const cookie = opened.headers['set-cookie']![0]!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    const cookieHeader = cookie.split(';', 1)[0]!;
    assert.equal((await request(`${gw.url}/dashboard`, { headers: { cookie: cookieHeader } })).status, 200);
    assert.equal((await request(`${gw.url}/dashboard`)).status, 503);

    await db.query('UPDATE bypass_links SET revoked_at = now() WHERE id = $1', [link.id]);
    await waitFor(async () => (await request(`${gw.url}/dashboard`, { headers: { cookie: cookieHeader } })).status === 503, 1000, 'revoked');
  });

  it('accepts the token in the X-Intermission-Bypass header', async () => {
    await openWindow();
    const link = await bypassLink();
    assert.equal((await request(`${gw.url}/`, { headers: { 'x-intermission-bypass': link.token } })).status, 200);
  });

  it('refuses an invalid bypass link and never redirects off-site', async () => {
    assert.equal((await request(`${gw.url}/_gateway/bypass?token=v1.x.y.z`)).status, 403);
    const link = await bypassLink();
    const opened = await request(`${gw.url}/_gateway/bypass?token=${encodeURIComponent(link.token)}&next=%2F%2Fevil.example`);
    assert.equal(opened.headers.location, '/');
  });

  it('lets allowlisted addresses through, and only trusts X-Forwarded-For from trusted proxies', async () => {
    const trusting = await startGateway(db.url, upstream.url, { BYPASS_CIDRS: '198.51.100.0/24', TRUSTED_PROXIES: 'loopback' });
    const untrusting = await startGateway(db.url, upstream.url, { BYPASS_CIDRS: '198.51.100.0/24' });
    try {
      await openWindow();
      await waitFor(() => primarySite(trusting.store.current())!.windows.length > 0 && primarySite(untrusting.store.current())!.windows.length > 0, 1000, 'both saw it');
      const viaProxy = { 'x-forwarded-for': '198.51.100.7' };
      assert.equal((await request(`${trusting.url}/`, { headers: viaProxy })).status, 200);
      assert.equal((await request(`${trusting.url}/`, { headers: { 'x-forwarded-for': '203.0.113.1' } })).status, 503);
      // The same header sent straight to a gateway that trusts no proxy is a spoof.
      assert.equal((await request(`${untrusting.url}/`, { headers: viaProxy })).status, 503);
      // A client cannot prepend an allowlisted address in front of its real one.
      assert.equal((await request(`${trusting.url}/`, { headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' } })).status, 503);
    } finally {
      await trusting.close();
      await untrusting.close();
    }
  });
});
