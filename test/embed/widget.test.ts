// STATUS_PATH/widget and STATUS_PATH/widget.js over HTTP: what lets another site frame the widget
// and load the script, what the widget says, and what it refuses. Real gateway, real PostgreSQL.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ESCAPED, SCRIPT } from '../admin/fixtures.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';

const harness = useGateway({ SITE_NAME: 'Acme Shop' });
let db: TestDatabase;
let gw: TestGateway;

before(async () => {
  ({ db, gw } = await harness);
});

function get(path: string, headers: Record<string, string> = {}) {
  return request(`${gw.url}${path}`, { headers: { accept: 'text/html', ...headers } });
}

function directives(csp: string | undefined): Map<string, string> {
  return new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(' ')]));
}

describe('the widget page', () => {
  it('may be framed by any site, and keeps the rest of the content security policy', async () => {
    const res = await get('/status/widget');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-frame-options'], undefined);
    const csp = directives(res.headers['content-security-policy'] as string);
    assert.equal(csp.get('frame-ancestors'), '*');
    assert.equal(csp.get('script-src'), "'self'");
    assert.equal(csp.get('default-src'), "'self'");
    assert.equal(csp.get('connect-src'), "'self'");
  });

  it('leaves every other page of the gateway unframeable', async () => {
    for (const path of ['/status', '/status/badge.svg', '/admin/login']) {
      const res = await get(path);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', path);
      assert.equal(directives(res.headers['content-security-policy'] as string).get('frame-ancestors'), "'self'", path);
    }
  });

  it('shows the status in words and the site name, linking to the status page in a new tab', async () => {
    const { body, headers } = await get('/status/widget');
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    assert.match(body, /<span class="widget__status"[^>]*>All Systems Operational<\/span>/);
    assert.match(body, />Acme Shop status</);
    assert.match(body, /<a class="widget" href="\/status" target="_blank" rel="noopener">/);
    assert.match(body, /<body class="sev-none"/);
  });

  it('refreshes itself every 60 s with JavaScript off, and loads nothing from another site', async () => {
    const { body } = await get('/status/widget');
    assert.match(body, /<noscript><meta http-equiv="refresh" content="60"><\/noscript>/);
    const sources = [...body.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    assert.deepEqual(sources, ['/status/assets/widget-frame.css', '/status/assets/widget-frame.js', '/status']);
    for (const asset of sources.slice(0, 2)) assert.equal((await get(asset)).status, 200, asset);
  });

  it('takes a dark theme and a poll interval, and refuses others with 400 naming them', async () => {
    const dark = await get('/status/widget?theme=dark&refresh_ms=2000');
    assert.match(dark.body, /<html lang="en" class="theme-dark">/);
    assert.match(dark.body, /data-refresh-ms="2000"/);
    const bad = await get('/status/widget?theme=neon');
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).error.message, /^theme "neon" is not a widget theme: use light or dark$/);
    assert.equal(directives(bad.headers['content-security-policy'] as string).get('frame-ancestors'), '*', 'the site owner sees why, in the frame');
    const fast = await get('/status/widget?refresh_ms=10');
    assert.equal(fast.status, 400);
    assert.match(JSON.parse(fast.body).error.message, /refresh_ms must be a whole number of milliseconds from 1000 to 3600000/);
  });

  it('prints a site name from Settings as text, never as markup', async () => {
    await db.query('UPDATE settings SET site_name = $1', [SCRIPT]);
    try {
      await waitFor(() => primarySite(gw.store.current())!.settings.siteName === SCRIPT, 1000, 'the gateway has the new site name');
      const { body } = await get('/status/widget');
      assert.ok(!body.includes(SCRIPT));
      assert.ok(body.includes(`${ESCAPED} status`));
    } finally {
      await db.query('UPDATE settings SET site_name = NULL');
    }
  });
});

describe('the embed script', () => {
  it('is served as JavaScript that any site may load, cached for five minutes', async () => {
    const res = await get('/status/widget.js', { origin: 'https://shop.example.org' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
    assert.match(res.body, /createElement\('iframe'\)/);
    const again = await get('/status/widget.js', { 'if-none-match': res.headers.etag! });
    assert.equal(again.status, 304);
  });
});
