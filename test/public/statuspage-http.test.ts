// What a poller and a browser widget on another site get over HTTP: a strong ETag and 304 while
// nothing changed, a new ETag after a change, CORS (preflight included), and clear 404 and 405.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { makeToken } from '../helpers/admin.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { waitFor } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { admin, v2 } from './fixtures.js';

const harness = useGateway();
let gw: TestGateway;
let token: string;

before(async () => {
  ({ gw } = await harness);
  token = await makeToken(gw.pool, 'operator', 'http');
});

function assertCrossOrigin(headers: Record<string, string | string[] | undefined>): void {
  assert.equal(headers['access-control-allow-origin'], '*');
  assert.equal(headers['access-control-expose-headers'], 'ETag');
  assert.equal(headers['cross-origin-resource-policy'], 'cross-origin');
}

describe('Statuspage v2 over HTTP', () => {
  it('answers 304 with no body to If-None-Match while nothing changed, and 200 with a new ETag after a change', async () => {
    const first = await v2(gw, 'summary.json');
    assert.equal(first.status, 200);
    const etag = first.headers.etag!;
    assert.match(etag, /^"[\w-]+"$/, 'a strong ETag');
    assert.equal(first.headers['cache-control'], 'public, max-age=10');
    assertCrossOrigin(first.headers);

    const again = await v2(gw, 'summary.json', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assertCrossOrigin(again.headers);
    assert.equal((await v2(gw, 'summary.json', { 'if-none-match': `"other", W/${etag}` })).status, 304, 'a list, and a weak form of the same tag');

    await admin(gw, token, 'POST', '/components', { name: 'Search' });
    let changed = again;
    await waitFor(async () => (changed = await v2(gw, 'summary.json', { 'if-none-match': etag })).status === 200, 3000, 'summary.json changes');
    assert.notEqual(changed.headers.etag, etag);
    assert.deepEqual(changed.json.components.map((c: { name: string }) => c.name), ['Search']);
    assert.equal((await v2(gw, 'summary.json', { 'if-none-match': changed.headers.etag! })).status, 304);
  });

  it('answers a browser preflight for If-None-Match from another origin', async () => {
    const res = await request(`${gw.url}/status/api/v2/summary.json`, {
      method: 'OPTIONS',
      headers: { origin: 'https://widgets.example.net', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.deepEqual(res.headers['access-control-allow-methods']!.split(/,\s*/).sort(), ['GET', 'HEAD', 'OPTIONS']);
    assert.match(res.headers['access-control-allow-headers']!, /if-none-match/i);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await v2(gw, 'status.json');
    const head = await v2(gw, 'status.json', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers.etag, get.headers.etag);
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(get.body)));
  });

  it('answers an unknown document with a 404 that names it, and a write with a 405', async () => {
    const missing = await v2(gw, 'incidents/everything.json');
    assert.equal(missing.status, 404);
    assert.match(missing.json.error.message, /api\/v2\/incidents\/everything\.json/);
    assert.equal(missing.headers['access-control-allow-origin'], '*');
    const post = await v2(gw, 'summary.json', {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD, OPTIONS');
  });

  it('takes the page URL from the Host the client used, and leaves the status page same-origin', async () => {
    const res = await v2(gw, 'status.json', { host: 'status.shop.example' });
    assert.equal(res.json.page.url, 'http://status.shop.example/status');
    const page = await request(`${gw.url}/status`);
    assert.equal(page.headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal(page.headers['access-control-allow-origin'], undefined);
  });
});
