// The uptime bars and the history page in a real browser (Debian's Chromium), wide and at a phone's
// 390 px: times in the reader's zone, a day's words on hover, and a history page that stays put
// (the status page's script there must neither poll nor reload). Screenshots go to /tmp/shots/ and
// artifacts/screenshots for people to look at.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { artifact, launchChromium } from '../helpers/chromium.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const SHOTS = '/tmp/shots';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TODAY = Math.floor(Date.now() / DAY) * DAY;

let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;
let browser: Browser;

async function insert(sql: string, params: unknown[]): Promise<string> {
  return (await db.query<{ id: string }>(`${sql} RETURNING id::text`, params)).rows[0]!.id;
}

/** Past statuses as backdated rows: the trigger stamps now(), and these days are gone. */
async function history(component: string, changes: [number, string][]): Promise<void> {
  await db.query('DELETE FROM component_status_changes WHERE component_id = $1', [component]);
  for (const [at, status] of changes) {
    await db.query('INSERT INTO component_status_changes (component_id, status, from_at) VALUES ($1, $2, $3)', [component, status, new Date(at)]);
  }
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  db = await createTestDatabase();
  const api = await insert("INSERT INTO components (name, description, position) VALUES ('API', 'Public REST API', 1)", []);
  const checkout = await insert("INSERT INTO components (name, position) VALUES ('Checkout', 2)", []);
  const search = await insert("INSERT INTO components (name, position) VALUES ('Search', 3)", []);
  await history(api, [
    [TODAY - 120 * DAY, 'operational'],
    [TODAY - 40 * DAY + 9 * HOUR, 'major_outage'], [TODAY - 40 * DAY + 10 * HOUR, 'operational'],
    [TODAY - 12 * DAY + 14 * HOUR, 'partial_outage'], [TODAY - 12 * DAY + 16 * HOUR, 'operational'],
    [TODAY - 3 * DAY + 2 * HOUR, 'degraded_performance'], [TODAY - 3 * DAY + 3 * HOUR, 'operational'],
  ]);
  await history(checkout, [[TODAY - 120 * DAY, 'operational'], [TODAY - 60 * DAY + HOUR, 'major_outage'], [TODAY - 60 * DAY + 3 * HOUR, 'operational']]);
  await history(search, [[TODAY - 9 * DAY + 12 * HOUR, 'operational']]);
  const window = await insert(
    "INSERT INTO windows (title, starts_at, ends_at, lifecycle, started_at, completed_at) VALUES ('Database upgrade', $1, $2, 'completed', $1, $3)",
    [new Date(TODAY - 20 * DAY + 2 * HOUR), new Date(TODAY - 20 * DAY + 3 * HOUR), new Date(TODAY - 20 * DAY + 3 * HOUR + 12 * MINUTE)],
  );
  await db.query('INSERT INTO window_components (window_id, component_id) VALUES ($1, $2)', [window, checkout]);
  await db.query("INSERT INTO updates (window_id, body, created_at) VALUES ($1, 'Starting the upgrade.', $2)", [window, new Date(TODAY - 20 * DAY + 2 * HOUR)]);
  const incident = await insert(
    "INSERT INTO incidents (title, status, impact, created_at, resolved_at) VALUES ('Checkout payments failing', 'resolved', 'critical', $1, $2)",
    [new Date(TODAY - 60 * DAY + HOUR), new Date(TODAY - 60 * DAY + 3 * HOUR)],
  );
  await db.query('INSERT INTO incident_components (incident_id, component_id) VALUES ($1, $2)', [incident, checkout]);
  await db.query(
    `INSERT INTO updates (incident_id, status, body, created_at) VALUES
       ($1, 'investigating', 'Payments are failing for some customers; we are looking into it.', $2),
       ($1, 'identified', 'Our payment provider had an outage; we switched to the backup.', $3),
       ($1, 'resolved', 'Payments work again. Sorry for the trouble.', $4)`,
    [incident, new Date(TODAY - 60 * DAY + HOUR), new Date(TODAY - 60 * DAY + 2 * HOUR), new Date(TODAY - 60 * DAY + 3 * HOUR)],
  );
  upstream = await startUpstream();
  gw = await startGateway(db.url, upstream.url, { SITE_NAME: 'Acme' });
  await waitFor(async () => (await request(`${gw.url}/status/api/uptime.json`)).status === 200, 5000, 'the uptime is read');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await gw?.close();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}`, fullPage: true });
  await page.screenshot({ path: artifact(name), fullPage: true });
}

describe('uptime bars and history in a browser', () => {
  for (const [width, suffix] of [[1280, 'wide'], [390, 'phone']] as const) {
    it(`shows 90 day cells per component that fit the page at ${width} px, each telling its day on hover`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'Europe/Paris' });
      const page = await context.newPage();
      await page.goto(`${gw.url}/status`);
      assert.equal(await page.locator('ol.uptime__days').count(), 3);
      assert.equal(await page.locator('ol.uptime__days').first().locator('li').count(), 90);
      const bar = await page.locator('ol.uptime__days').first().boundingBox();
      assert.ok(bar && bar.x >= 0 && bar.x + bar.width <= width, `the bar fits in ${width} px: ${JSON.stringify(bar)}`);
      const cell = await page.locator('ol.uptime__days').first().locator('li').last().boundingBox();
      assert.ok(cell && cell.width >= 1.5, `a day is wide enough to see: ${cell?.width}`);
      assert.match((await page.locator('.uptime__day--major').first().getAttribute('title')) ?? '', /partial outage for 2 h/);
      assert.equal(await page.getByRole('link', { name: 'Incident and maintenance history' }).count(), 1);
      await shoot(page, `status-uptime-${suffix}.png`);
      await context.close();
    });

    it(`shows the history by month at ${width} px, times in the reader's zone`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'Europe/Paris' });
      const page = await context.newPage();
      await page.goto(`${gw.url}/status/history`);
      const times = await page.locator('time[data-local]').allTextContents();
      assert.ok(times.length > 0 && times.every((t) => !t.includes(' UTC,')), `localized: ${times.slice(0, 2)}`);
      await shoot(page, `history-${suffix}.png`);
      await context.close();
    });
  }

  it('leaves the history page alone: no polling, no reload, no event stream', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${gw.url}/status/history`);
    await page.waitForLoadState('load');
    const later: string[] = [];
    page.on('request', (req) => later.push(req.url()));
    let navigations = 0;
    page.on('framenavigated', () => (navigations += 1));
    // Ten minutes of the page's timers, run at once.
    await page.clock.runFor(10 * MINUTE);
    await page.waitForTimeout(300);
    assert.deepEqual(later, []);
    assert.equal(navigations, 0);
    await context.close();
  });
});
