// A second site's status page at STATUS_PATH/<slug> in a real browser: it shows that site, follows
// that site's event stream, and updates itself when that site changes. A screenshot is kept in
// artifacts/screenshots for people to look at.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifact, launchChromium } from '../helpers/chromium.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';

describe("a second site's status page in a browser", () => {
  const harness = useGateway({ SITE_NAME: 'Acme', SUPPORT_EMAIL: 'help@acme.test' });
  let db: Awaited<typeof harness>['db'];
  let gw: TestGateway;
  let browser: Browser;
  let shop: string;

  before(async () => {
    ({ db, gw } = await harness);
    const { rows } = await db.query<{ id: string }>("INSERT INTO sites (slug) VALUES ('shop') RETURNING id::text");
    shop = rows[0]!.id;
    await db.query("INSERT INTO site_hosts (host, site_id) VALUES ('shop.test', $1)", [shop]);
    await db.query("UPDATE settings SET site_name = 'Example Shop', support_email = 'shop@example.test', brand_color = '#7c3aed' WHERE site_id = $1", [shop]);
    await db.query("INSERT INTO components (name, description, position, site_id) VALUES ('Storefront', 'Product pages and search', 1, $1), ('Checkout', 'Cart and payments', 2, $1)", [shop]);
    await db.query("INSERT INTO components (name, site_id) SELECT 'Main API', id FROM sites WHERE slug = 'default'");
    await db.query(
      "INSERT INTO windows (title, message, starts_at, ends_at, site_id) VALUES ('Warehouse system upgrade', 'Orders placed during the upgrade ship a day later.', now() + interval '2 days', now() + interval '2 days 2 hours', $1)",
      [shop],
    );
    await waitFor(() => gw.store.current().bySlug.get('shop')?.components.length === 2, 2000, 'the gateway has the shop');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('shows the site by its slug, hears its changes over its own stream and updates itself', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const streams: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/events')) streams.push(new URL(req.url()).pathname);
    });
    await page.goto(`${gw.url}/status/shop`);
    assert.equal(await page.locator('.site-name').innerText(), 'Example Shop');
    assert.match(await page.locator('main').innerText(), /Storefront/);
    assert.doesNotMatch(await page.locator('main').innerText(), /Main API/);
    assert.equal(await page.locator('.history-link a').getAttribute('href'), '/status/shop/history');
    await page.screenshot({ path: artifact('public-sites-shop.png'), fullPage: true });
    await page.screenshot({ path: '/tmp/brief/public-shop-status.png', fullPage: true }).catch(() => undefined);
    await waitFor(() => streams.length > 0, 3000, 'the page opened its event stream');
    assert.deepEqual([...new Set(streams)], ['/status/shop/events']);

    await db.query("UPDATE components SET status = 'major_outage' WHERE site_id = $1 AND name = 'Checkout'", [shop]);
    await page.locator('h1', { hasText: 'Major outage' }).waitFor({ timeout: 3000 });
    await page.screenshot({ path: '/tmp/brief/public-shop-outage.png', fullPage: true }).catch(() => undefined);
    await page.close();
  });
});
