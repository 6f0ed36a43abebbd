// The widget as a customer meets it: a page on another site (its own server, its own origin, a
// strict CSP of its own) carries the script tag, and Debian's Chromium shows the iframe. Changes
// made through the automation API reach the open widget without a reload. Screenshots of the page
// are kept in artifacts/screenshots.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { API } from '../admin/fixtures.js';
import { api, makeToken } from '../helpers/admin.js';
import { artifact, launchChromium } from '../helpers/chromium.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';

const harness = useGateway({ SITE_NAME: 'Acme Shop' });
let gw: TestGateway;
let operator: string;
let browser: Browser;
let site: http.Server;
let siteUrl: string;
let componentId: string;

/** The other site's page: the script tag in a sentence, the badge in every style next to it. */
function blogPage(gateway: string, scriptAttributes: string): string {
  const styles = ['flat', 'flat-square', 'plastic', 'for-the-badge'];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme blog</title></head>
<body>
<h1>Acme blog</h1>
<p id="before">Is the shop up? Here is what its status page says:</p>
<script id="embed" src="${gateway}/status/widget.js" async ${scriptAttributes}></script>
<p id="after">The badges, as a README shows them:</p>
<p>${styles.map((style) => `<img src="${gateway}/status/badge.svg?style=${style}" alt="Acme Shop status">`).join(' ')}</p>
</body></html>`;
}

before(async () => {
  ({ gw } = await harness);
  operator = await makeToken(gw.pool, 'operator', 'status-bot');
  const created = await api(gw.url, operator, 'POST', `${API}/components`, { name: 'Checkout', status: 'operational' });
  assert.equal(created.status, 201);
  componentId = created.body.id;

  site = http.createServer(function blog(req, res) {
    const url = new URL(req.url ?? '/', 'http://blog.invalid');
    const attributes = url.searchParams.get('attributes') ?? '';
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // A careful site: scripts, frames and images only from the status page's origin, no inline style.
      'content-security-policy': `default-src 'none'; script-src ${gw.url}; frame-src ${gw.url}; img-src ${gw.url}`,
    });
    res.end(blogPage(gw.url, attributes));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  // Another host name as well as another port: the widget is a third-party frame here.
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
});

function setStatus(status: string) {
  return api(gw.url, operator, 'PATCH', `${API}/components/${componentId}`, { status });
}

async function openBlog(attributes = ''): Promise<{ page: Page; widget: Frame }> {
  const page = await browser.newPage({ viewport: { width: 760, height: 300 }, deviceScaleFactor: 2 });
  await page.goto(`${siteUrl}/?attributes=${encodeURIComponent(attributes)}`);
  const frame = await page.waitForSelector('iframe');
  const widget = (await frame.contentFrame())!;
  await widget.waitForSelector('[data-description]');
  return { page, widget };
}

function shown(widget: Frame): Promise<string> {
  return widget.evaluate(() => `${document.body.className}: ${document.querySelector('[data-description]')!.textContent}`);
}

function until(widget: Frame, text: string): Promise<unknown> {
  return widget.waitForFunction((expected) => document.querySelector('[data-description]')!.textContent === expected, text, { timeout: 10_000 });
}

describe('the widget on another site', () => {
  it('puts a small, titled, borderless iframe of the status page where the async script tag is', async () => {
    const { page, widget } = await openBlog();
    const frame = await page.evaluate(() => {
      const iframe = document.querySelector('iframe')!;
      return {
        afterScript: iframe.previousElementSibling?.id,
        beforeNext: iframe.nextElementSibling?.id,
        src: iframe.src,
        title: iframe.title,
        border: getComputedStyle(iframe).borderTopWidth,
        width: iframe.getBoundingClientRect().width,
        height: iframe.getBoundingClientRect().height,
      };
    });
    assert.equal(frame.afterScript, 'embed');
    assert.equal(frame.beforeNext, 'after');
    assert.equal(frame.src, `${gw.url}/status/widget`);
    assert.equal(frame.title, 'Service status');
    assert.equal(frame.border, '0px');
    assert.deepEqual([frame.width, frame.height], [240, 40]);

    assert.equal(await shown(widget), 'sev-none: All Systems Operational');
    // The last words are for screen readers only: the link leaves the reader's page.
    assert.equal(await widget.locator('.widget__site').textContent(), 'Acme Shop status (opens in a new tab)');
    const link = widget.getByRole('link');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener');
    assert.equal(new URL((await link.getAttribute('href'))!, widget.url()).href, `${gw.url}/status`);
    await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
    await page.screenshot({ path: artifact('widget-embedded.png') });
    await page.close();
  });

  it('changes its words and colour without a reload when a component has a major outage', async () => {
    const { page, widget } = await openBlog();
    await widget.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    assert.equal((await setStatus('major_outage')).status, 200);
    await until(widget, 'Major Service Outage');
    assert.equal(await shown(widget), 'sev-critical: Major Service Outage');
    assert.equal(await widget.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce), true, 'the same document, not reloaded');
    assert.equal(await widget.title(), 'Acme Shop status: Major Service Outage');
    await page.close();

    // A new visitor (a fresh browser cache: the badge may be kept for 30 s) sees the same on the badges.
    const fresh = await openBlog();
    assert.equal(await shown(fresh.widget), 'sev-critical: Major Service Outage');
    await fresh.page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
    await fresh.page.screenshot({ path: artifact('widget-embedded-outage.png') });
    await fresh.page.close();
    assert.equal((await setStatus('operational')).status, 200);
  });

  it('polls status.json instead, every data-refresh-ms, when its event stream fails', async () => {
    const page = await browser.newPage({ viewport: { width: 760, height: 300 }, deviceScaleFactor: 2 });
    // The stream refused from the start, as by a proxy that does not pass it.
    let refused = 0;
    await page.route('**/status/events*', (route) => (refused++, route.abort()));
    await page.goto(`${siteUrl}/?attributes=${encodeURIComponent('data-refresh-ms="1000" data-theme="dark"')}`);
    const widget = (await (await page.waitForSelector('iframe')).contentFrame())!;
    await widget.waitForSelector('[data-description]');
    assert.match(widget.url(), /\/status\/widget\?theme=dark&refresh_ms=1000$/);
    assert.ok(refused >= 1, 'the widget tried the stream first');

    assert.equal((await setStatus('partial_outage')).status, 200);
    await until(widget, 'Partial System Outage');
    assert.equal(await shown(widget), 'sev-major: Partial System Outage');
    await page.screenshot({ path: artifact('widget-embedded-dark.png') });
    await page.close();
    assert.equal((await setStatus('operational')).status, 200);
  });
});
