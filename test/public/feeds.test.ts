// The history feeds as a feed reader gets them: RSS 2.0 and Atom that parse, with every incident and
// maintenance, their titles as text (markup included), links to the history page on PUBLIC_URL.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import Parser from 'rss-parser';
import { makeToken } from '../helpers/admin.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { admin, v2, waitForDocument } from './fixtures.js';

const PUBLIC_URL = 'https://status.example.com';
const TRICKY = `Checkout <script>alert(1)</script> & "quotes" 'too' ]]> twice ]]>`;
const harness = useGateway({ PUBLIC_URL, SITE_NAME: 'Acme' });
let gw: TestGateway;
const ids: Record<string, string> = {};

/** What an HTML reader makes of a type="html" title: named and numeric character references decoded. */
const decodeHtml = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');

before(async () => {
  ({ gw } = await harness);
  const token = await makeToken(gw.pool, 'operator', 'feeds');
  ids.tricky = (await admin(gw, token, 'POST', '/incidents', { title: TRICKY, body: 'Body with <b>markup</b> & more.' })).incident.id;
  ids.resolved = (await admin(gw, token, 'POST', '/incidents', { title: 'Slow search', body: 'Fixed.', status: 'resolved' })).incident.id;
  ids.window = (await admin(gw, token, 'POST', '/windows/start', { title: 'Database upgrade', duration: '1h', message: 'Back soon.' })).window.id;
  await waitForDocument(gw, 'scheduled-maintenances.json', (json) => json.scheduled_maintenances.length === 1, 'the window is served');
});

async function feed(path: string, type: string) {
  const res = await v2(gw, path);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], type);
  return { res, parsed: await new Parser().parseString(res.body) };
}

describe('history feeds', () => {
  it('serves RSS 2.0 with every incident and maintenance, linked to the history page', async () => {
    const { parsed } = await feed('/history.rss', 'application/rss+xml; charset=utf-8');
    assert.equal(parsed.title, 'Acme status history');
    assert.equal(parsed.link, `${PUBLIC_URL}/status`);
    assert.equal(parsed.items.length, 3);
    const links = parsed.items.map((item) => item.link).sort();
    assert.deepEqual(links, [
      `${PUBLIC_URL}/status/history#incident-${ids.resolved}`,
      `${PUBLIC_URL}/status/history#incident-${ids.tricky}`,
      `${PUBLIC_URL}/status/history#maintenance-${ids.window}`,
    ].sort());
    const titles = parsed.items.map((item) => item.title!.replace(/\u200b/g, ''));
    assert.ok(titles.includes('Slow search') && titles.includes('Database upgrade'));
    assert.ok(titles.includes(TRICKY), 'markup, ampersands, quotes and "]]>" stay text');
    const tricky = parsed.items.find((item) => item.link!.endsWith(`incident-${ids.tricky}`))!;
    assert.match(tricky['content:encoded'], /Body with &lt;b&gt;markup&lt;\/b&gt; &amp; more\./);
    assert.ok(parsed.items.every((item) => item.pubDate && !Number.isNaN(Date.parse(item.pubDate))));
  });

  it('serves Atom with the same entries, titles as escaped HTML, and self links to both feeds', async () => {
    const { res, parsed } = await feed('/history.atom', 'application/atom+xml; charset=utf-8');
    assert.equal(parsed.items.length, 3);
    const tricky = parsed.items.find((item) => item.link === `${PUBLIC_URL}/status/history#incident-${ids.tricky}`);
    assert.ok(tricky, 'the incident is there');
    assert.equal(decodeHtml(tricky.title!), TRICKY, 'Atom titles are type="html": the reader decodes them back to the text');
    assert.ok(!/<script/i.test(res.body.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')), 'no markup outside CDATA');
    assert.match(res.body, new RegExp(`<link rel="self" href="${PUBLIC_URL}/status/history.atom"/>`));
    const rss = (await v2(gw, '/history.rss')).body;
    assert.match(rss, new RegExp(`<atom:link href="${PUBLIC_URL}/status/history.rss" rel="self"`));
  });

  it('has an ETag and answers 304 while nothing changed', async () => {
    for (const path of ['/history.rss', '/history.atom']) {
      const first = await v2(gw, path);
      assert.equal(first.headers['cache-control'], 'public, max-age=10');
      const again = await v2(gw, path, { 'if-none-match': first.headers.etag! });
      assert.deepEqual([again.status, again.body], [304, '']);
    }
  });

  it('is announced in the status page head', async () => {
    const page = await request(`${gw.url}/status`);
    assert.match(page.body, /<link rel="alternate" type="application\/rss\+xml" title="Acme status history \(RSS\)" href="\/status\/history.rss">/);
    assert.match(page.body, /<link rel="alternate" type="application\/atom\+xml" title="Acme status history \(Atom\)" href="\/status\/history.atom">/);
  });
});
