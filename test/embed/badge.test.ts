// STATUS_PATH/badge.svg as another site shows it: real gateway, real PostgreSQL, changes made
// through the real automation API. The badge must say what the status page says, in words.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { BADGE_COLORS } from '../../src/embed/badge.js';
import { clearComponents } from '../admin/components-fixtures.js';
import { API } from '../admin/fixtures.js';
import { clearWindows } from '../admin/windows-fixtures.js';
import { api, makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request, type Response } from '../helpers/http.js';
import { parseBadge, type ParsedBadge } from './svg.js';

const harness = useGateway({ SITE_NAME: 'Acme Shop' });
let db: TestDatabase;
let gw: TestGateway;
let operator: string;

before(async () => {
  ({ db, gw } = await harness);
  operator = await makeToken(gw.pool, 'operator', 'status-bot');
});

beforeEach(async () => {
  await clearComponents(db);
  await clearWindows(db, gw);
  await waitFor(() => primarySite(gw.store.current())!.components.length === 0, 1000, "no component in the gateway's snapshot");
});

function badge(query = '', headers: Record<string, string> = {}): Promise<Response> {
  return request(`${gw.url}/status/badge.svg${query}`, { headers: { accept: 'image/svg+xml,image/*', ...headers } });
}

/** Waits (the snapshot reloads on NOTIFY) until the badge's accessible name is `title`. */
async function badgeSays(title: string, query = ''): Promise<ParsedBadge> {
  let last: ParsedBadge | undefined;
  await waitFor(async () => (last = await parseBadge((await badge(query)).body)).title === title, 2000, `the badge says "${title}" (last: "${last?.title}")`);
  return last!;
}

function call(method: string, path: string, body?: unknown) {
  return api(gw.url, operator, method, `${API}${path}`, body);
}

describe('the status badge', () => {
  it('is an SVG that parses as XML and says the site and its status in words', async () => {
    const res = await badge();
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'image/svg+xml; charset=utf-8');
    const parsed = await parseBadge(res.body);
    assert.equal(parsed.title, 'Acme Shop: All Systems Operational');
    assert.equal(parsed.ariaLabel, 'Acme Shop: All Systems Operational');
    assert.deepEqual(parsed.texts, ['Acme Shop', 'All Systems Operational']);
    assert.ok(parsed.rectFills.includes(BADGE_COLORS.none), 'green');
  });

  it('can be shown on any site: cross-origin resource policy, CORS, and a short public cache', async () => {
    const res = await badge('', { origin: 'https://blog.example.org' });
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['cache-control'], 'public, max-age=30');
    const page = await request(`${gw.url}/status`);
    assert.equal(page.headers['cross-origin-resource-policy'], 'same-origin', 'the status page itself stays same-origin');
  });

  it('says "Major Service Outage" in red once a component has a major outage', async () => {
    const created = await call('POST', '/components', { name: 'Checkout', status: 'operational' });
    assert.equal(created.status, 201);
    await badgeSays('Acme Shop: All Systems Operational');
    const changed = await call('PATCH', `/components/${created.body.id}`, { status: 'major_outage' });
    assert.equal(changed.status, 200);
    const parsed = await badgeSays('Acme Shop: Major Service Outage');
    assert.equal(parsed.texts[1], 'Major Service Outage');
    assert.ok(parsed.rectFills.includes(BADGE_COLORS.critical), `red, got ${parsed.rectFills.join(' ')}`);
  });

  it('says "Service Under Maintenance" in blue while a window is in force, and all clear once it ends', async () => {
    const started = await call('POST', '/windows/start', { title: 'Database upgrade', duration: '20m' });
    assert.equal(started.status, 201);
    const parsed = await badgeSays('Acme Shop: Service Under Maintenance');
    assert.ok(parsed.rectFills.includes(BADGE_COLORS.maintenance), 'blue');
    assert.equal((await call('POST', `/windows/${started.body.window.id}/end`, {})).status, 200);
    await badgeSays('Acme Shop: All Systems Operational');
  });

  it('answers 304 to a matching If-None-Match, and a new ETag once the status changes', async () => {
    const first = await badge();
    const etag = first.headers.etag!;
    assert.match(etag, /^"[\w-]+"$/, 'a strong ETag');
    const again = await badge('', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    assert.equal((await badge('?style=plastic', { 'if-none-match': etag })).status, 200, 'another style is another badge');

    await call('POST', '/components', { name: 'Search', status: 'degraded_performance' });
    await badgeSays('Acme Shop: Minor Service Outage');
    const changed = await badge('', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
  });

  it('takes a label and a style from the query', async () => {
    const parsed = await parseBadge((await badge('?label=API%20status&style=for-the-badge')).body);
    // for-the-badge writes its text, and its accessible name, in capitals.
    assert.equal(parsed.title, 'API STATUS: ALL SYSTEMS OPERATIONAL');
    assert.deepEqual(parsed.texts, ['API STATUS', 'ALL SYSTEMS OPERATIONAL']);
    const bare = await parseBadge((await badge('?label=')).body);
    assert.equal(bare.title, 'All Systems Operational');
  });

  it('refuses a style it does not have with 400, naming style and the styles allowed', async () => {
    const res = await badge('?style=social');
    assert.equal(res.status, 400);
    assert.equal(res.headers['access-control-allow-origin'], '*', 'the page that asked can read why');
    const { error } = JSON.parse(res.body);
    assert.equal(error.code, 'GW_ERR_VALIDATION');
    assert.match(error.message, /^style "social" is not a badge style: use one of flat, flat-square, plastic, for-the-badge$/);
  });

  it('refuses a label over 40 characters with 400, naming label', async () => {
    const res = await badge(`?label=${'x'.repeat(41)}`);
    assert.equal(res.status, 400);
    assert.match(JSON.parse(res.body).error.message, /label is too long: at most 40 characters/);
  });
});
