// The whole flow in a real browser (Debian's Chromium): an SRE signs in, starts maintenance,
// extends it, posts an update and ends it, while a customer in a second browser context is held
// on the status page and then taken back to the application without touching anything.
// Screenshots of what each of them saw are kept in artifacts/screenshots.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeUser, PASSWORD } from '../helpers/admin.js';
import { artifact, launchChromium } from '../helpers/chromium.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let browser: Browser;
let sreContext: BrowserContext;
let customerContext: BrowserContext;

before(async () => {
  ({ db, gw } = await harness);
  await makeUser(gw.pool, 'sre@example.com', 'operator');
  browser = await launchChromium();
  sreContext = await browser.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } });
  customerContext = await browser.newContext({ viewport: { width: 1024, height: 800 } });
});

after(() => browser?.close());

async function flash(page: Page): Promise<string> {
  return (await page.locator('.flash').first().textContent()) ?? '';
}

describe('an SRE runs maintenance while a customer watches', () => {
  let sre: Page;
  let customer: Page;

  it('signs in and sees that traffic is forwarded', async () => {
    sre = await sreContext.newPage();
    await sre.goto(`${gw.url}/admin`);
    assert.match(sre.url(), /\/admin\/login/);
    await sre.getByLabel('Email').fill('sre@example.com');
    await sre.getByLabel('Password').fill(PASSWORD);
    await sre.getByRole('button', { name: 'Sign in' }).click();
    await sre.waitForURL(`${gw.url}/admin`);
    assert.match(await sre.locator('.state').textContent() ?? '', /Traffic is forwarded/);
  });

  it('starts maintenance in two clicks, and the customer gets the status page', async () => {
    await sre.getByLabel('Title').fill('Database upgrade');
    await sre.getByRole('button', { name: 'Start maintenance…' }).click();
    await sre.getByRole('button', { name: 'Yes, start now' }).click();
    await sre.waitForURL(`${gw.url}/admin`);
    assert.match(await flash(sre), /Maintenance started/);
    assert.match(await sre.locator('.state').textContent() ?? '', /Traffic is held/);

    customer = await customerContext.newPage();
    const deadline = Date.now() + 1000;
    let status = 0;
    while (status !== 503 && Date.now() < deadline) status = (await customer.goto(`${gw.url}/shop/cart`))?.status() ?? 0;
    assert.equal(status, 503);
    assert.match(await customer.locator('h1').textContent() ?? '', /down for maintenance/);
    assert.match(await customer.content(), /Database upgrade/);
    await customer.screenshot({ path: artifact('customer-held.png'), fullPage: true });
  });

  it('extends by 15 minutes from the dashboard', async () => {
    const before = await db.query<{ ends_at: Date }>('SELECT ends_at FROM windows');
    await sre.getByRole('button', { name: /Extend “Database upgrade” by 15 minutes/ }).click();
    assert.match(await flash(sre), /now ends/);
    const after = await db.query<{ ends_at: Date }>('SELECT ends_at FROM windows');
    assert.equal(after.rows[0]!.ends_at.getTime() - before.rows[0]!.ends_at.getTime(), 15 * 60_000);
    await sre.screenshot({ path: artifact('admin-dashboard-held.png'), fullPage: true });
  });

  it('lets the SRE open the application past maintenance, in their own browser only', async () => {
    const checking = await sreContext.newPage();
    await checking.goto(`${gw.url}/admin`);
    await checking.getByRole('button', { name: 'Open the application past maintenance' }).click();
    await checking.waitForURL(`${gw.url}/`);
    assert.equal((await checking.goto(`${gw.url}/shop/cart`))?.status(), 200);
    await checking.getByRole('heading', { name: 'Welcome to the shop' }).waitFor();
    await checking.close();
    assert.equal((await customer.reload())?.status(), 503, 'the customer is still held');
  });

  it('posts an update, and it shows on the status page', async () => {
    await sre.getByRole('link', { name: 'Database upgrade' }).first().click();
    await sre.getByLabel(/Post an update/).fill('Tables copied; checking the indexes now.');
    await sre.getByRole('button', { name: 'Post update' }).click();
    assert.match(await flash(sre), /Update posted/);
    await sre.screenshot({ path: artifact('admin-window.png'), fullPage: true });

    const statusPage = await customerContext.newPage();
    await statusPage.goto(`${gw.url}/status`);
    assert.match(await statusPage.content(), /Tables copied; checking the indexes now\./);
    await statusPage.screenshot({ path: artifact('status-page-during.png'), fullPage: true });
    await statusPage.close();
  });

  it('ends maintenance after a confirmation, and the customer\'s page returns to the application by itself', async () => {
    await sre.getByRole('link', { name: 'Dashboard' }).click();
    await sre.getByRole('button', { name: /End “Database upgrade” now/ }).click();
    await sre.getByRole('button', { name: 'Yes, end now' }).click();
    assert.match(await flash(sre), /Ended “Database upgrade”/);
    assert.match(await sre.locator('.state').textContent() ?? '', /Traffic is forwarded/);
    await sre.screenshot({ path: artifact('admin-dashboard-forwarding.png'), fullPage: true });

    // The held page checks its own URL again on a timer; no reload from the test.
    await customer.getByRole('heading', { name: 'Welcome to the shop' }).waitFor({ timeout: 20_000 });
    assert.equal(new URL(customer.url()).pathname, '/shop/cart');
  });
});
