// Live updates in a real browser (Debian's Chromium): a reader keeps the status page open while a
// pipeline starts and ends maintenance through the API, and sees it change without a reload; a
// customer held on the application's page is taken back to it as soon as the window ends, well
// before the page's fallback poll would have looked again.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { api, makeToken } from '../helpers/admin.js';
import { artifact, launchChromium } from '../helpers/chromium.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { API } from '../admin/fixtures.js';

const harness = useGateway();
let gw: TestGateway;
let token: string;
let browser: Browser;
let reader: Page;
let customer: Page;
let windowId: string;

before(async () => {
  ({ gw } = await harness);
  token = await makeToken(gw.pool, 'operator');
  await gw.pool.query("INSERT INTO components (name) VALUES ('Checkout'), ('Search')");
  await gw.store.reload();
  browser = await launchChromium();
  reader = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
  customer = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
});

after(() => browser?.close());

/** A mark on the page's window object: it survives DOM changes, never a reload. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
}

/** Waits until the gateway counts `count` open event streams: the pages are listening. */
async function listening(count: number): Promise<void> {
  await waitFor(async () => {
    const metrics = await request(`${gw.url}/_gateway/metrics`);
    return Number(/^intermission_event_streams (\d+)$/m.exec(metrics.body)?.[1]) >= count;
  }, 5000, `${count} open event stream(s)`);
}

async function notReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true);
}

describe('the status page, open while maintenance starts and ends', () => {
  it('shows maintenance within two seconds of the API call, without a reload', async () => {
    await reader.goto(`${gw.url}/status`);
    await reader.getByRole('heading', { name: 'All systems operational' }).waitFor();
    await markPage(reader);
    // A reader's page would have opened its stream long before.
    await listening(1);

    const started = await api(gw.url, token, 'POST', `${API}/windows/start`, { title: 'Search index rebuild', duration: '30m' });
    assert.equal(started.status, 201);
    windowId = started.body.window.id;
    const at = Date.now();
    await reader.getByRole('heading', { name: 'Maintenance in progress' }).waitFor({ timeout: 2000 });
    assert.ok(await notReloaded(reader), 'the page changed in place');
    assert.match(await reader.locator('main').textContent() ?? '', /Search index rebuild/);
    await reader.screenshot({ path: artifact('status-live-maintenance.png'), fullPage: true });
    assert.ok(Date.now() - at < 2000);
  });

  it('shows an update posted through the API in place', async () => {
    const posted = await api(gw.url, token, 'POST', `${API}/windows/${windowId}/updates`, { body: 'Half of the index is rebuilt.' });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    await reader.getByText('Half of the index is rebuilt.').first().waitFor({ timeout: 2000 });
    assert.ok(await notReloaded(reader));
  });

  it('takes a held customer back to their page as soon as the window ends, and the status page says all is well', async () => {
    const held = await customer.goto(`${gw.url}/shop/cart`);
    assert.equal(held?.status(), 503);
    await customer.getByRole('heading', { name: /down for maintenance/ }).waitFor();
    await listening(2);

    const ended = await api(gw.url, token, 'POST', `${API}/windows/${windowId}/end`, {});
    assert.equal(ended.status, 200);
    // The held page's fallback poll is 15 s apart: arriving within 3 s means the event brought it back.
    await customer.getByRole('heading', { name: 'Welcome to the shop' }).waitFor({ timeout: 3000 });
    assert.equal(new URL(customer.url()).pathname, '/shop/cart');

    await reader.getByRole('heading', { name: 'All systems operational' }).waitFor({ timeout: 2000 });
    assert.ok(await notReloaded(reader), 'the status page changed in place');
    await reader.screenshot({ path: artifact('status-live-after.png'), fullPage: true });
  });
});
