// Renders the status page in its main states, serves them under the production CSP, and takes
// screenshots with Chromium, so the page can be looked at. Not a test: run it by hand with
//   npm run screenshots -- [outDir]
// It reports console errors (CSP refusals among them) and whether the countdown ticks.

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EMPTY_SNAPSHOT, NO_SETTINGS, type Incident, type MaintenanceWindow, type SiteSettings, type Snapshot } from '../src/snapshot/types.js';
import { brandStylesheet } from '../src/status/brand-color.js';
import { createStatusRenderer } from '../src/status/render.js';
import { buildStatusView, type PageState } from '../src/status/view-model.js';

const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:";
// A wordmark to stand in for a customer's logo (Settings: logo URL), served by the fake gateway.
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="172" height="32" viewBox="0 0 172 32">' +
  '<rect x="1" y="4" width="24" height="24" rx="6" fill="#ffb000"/><path d="M7 22l6-12 6 12" stroke="#0a2540" stroke-width="3" fill="none"/>' +
  '<text x="33" y="23" font-family="system-ui, sans-serif" font-size="19" font-weight="700" fill="#ffffff">Acme Shop</text></svg>';
const SETTINGS: SiteSettings = {
  siteName: 'Acme Shop',
  supportEmail: 'support@acme.test',
  logoUrl: '/brand/logo.svg',
  brandColor: '#0a2540',
  footerText: 'Acme Shop GmbH · Example Street 1 · 10115 Berlin\nOrders placed during maintenance are kept and processed afterwards.',
};
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Shot {
  name: string;
  url: string;
  width?: number;
  dark?: boolean;
  noScript?: boolean;
}

function fixtures(now: number): { snapshot: Snapshot; upgrade: MaintenanceWindow; openEnded: MaintenanceWindow } {
  const base: Pick<MaintenanceWindow, 'endedAt' | 'mode' | 'response' | 'pathPrefixes' | 'hosts' | 'lifecycle' | 'verifyUpstream'> = {
    endedAt: null,
    lifecycle: 'scheduled',
    verifyUpstream: false,
    mode: 'block',
    response: 'render',
    pathPrefixes: [],
    hosts: [],
  };
  const upgrade: MaintenanceWindow = {
    ...base,
    id: 'w-upgrade',
    title: 'Database upgrade to PostgreSQL 17',
    message: 'We are moving our main database to new hardware. Your data is safe; sign-ins and checkout are paused until we are done.',
    startsAt: now - 35 * MINUTE,
    endsAt: now + 25 * MINUTE,
    componentIds: ['api', 'checkout'],
  };
  const openEnded: MaintenanceWindow = {
    ...base,
    id: 'w-open',
    title: 'Emergency network maintenance',
    message: 'Our hosting provider is replacing a faulty switch.',
    startsAt: now - 12 * MINUTE,
    endsAt: null,
    componentIds: ['website', 'api'],
  };
  const emailIncident: Incident = {
    id: 'i-email',
    title: 'Order confirmation emails are delayed',
    status: 'identified',
    impact: 'major',
    createdAt: now - 50 * MINUTE,
    resolvedAt: null,
    componentIds: ['email'],
    updates: [
      { id: 'iu2', windowId: null, incidentId: 'i-email', status: 'identified', subjectTitle: 'Order confirmation emails are delayed', body: 'Our email provider is throttling us. We are moving the queue to a second provider.\nNo emails are lost; they will arrive late.', createdAt: now - 9 * MINUTE },
      { id: 'iu1', windowId: null, incidentId: 'i-email', status: 'investigating', subjectTitle: 'Order confirmation emails are delayed', body: 'Some order confirmations arrive up to an hour late. We are looking into it.', createdAt: now - 50 * MINUTE },
    ],
  };
  const searchIncident: Incident = {
    id: 'i-search',
    title: 'Search results missing new products',
    status: 'resolved',
    impact: 'minor',
    createdAt: now - 30 * HOUR,
    resolvedAt: now - 26 * HOUR,
    componentIds: ['search'],
    updates: [
      { id: 'su2', windowId: null, incidentId: 'i-search', status: 'resolved', subjectTitle: 'Search results missing new products', body: 'The index has caught up; new products show in search again.', createdAt: now - 26 * HOUR },
      { id: 'su1', windowId: null, incidentId: 'i-search', status: 'investigating', subjectTitle: 'Search results missing new products', body: 'Products added today do not show up in search yet.', createdAt: now - 30 * HOUR },
    ],
  };
  const snapshot: Snapshot = {
    ...EMPTY_SNAPSHOT,
    version: 42,
    loadedAt: now,
    windows: [
      upgrade,
      { ...base, id: 'w-cdn', title: 'CDN certificate rotation', message: 'No downtime expected; a few requests may be slower.', startsAt: now + 26 * HOUR, endsAt: now + 27 * HOUR, componentIds: ['website'] },
      { ...base, id: 'w-search', title: 'Search index rebuild', message: '', startsAt: now + 4 * 24 * HOUR, endsAt: null, componentIds: ['search'], mode: 'read_only' },
    ],
    settings: SETTINGS,
    componentGroups: [
      { id: 'g-shop', name: 'Shop', position: 1 },
      { id: 'g-messaging', name: 'Messaging', position: 2 },
    ],
    components: [
      { id: 'website', name: 'Website', description: 'www.acme.test and the customer dashboard', status: 'operational', position: 1, groupId: null },
      { id: 'api', name: 'Public API', description: 'REST and webhooks', status: 'operational', position: 2, groupId: null },
      { id: 'checkout', name: 'Checkout', description: 'Payments and order placement', status: 'operational', position: 1, groupId: 'g-shop' },
      { id: 'search', name: 'Search', description: '', status: 'degraded_performance', position: 2, groupId: 'g-shop' },
      { id: 'email', name: 'Email notifications', description: 'Order confirmations and password resets', status: 'partial_outage', position: 1, groupId: 'g-messaging' },
      { id: 'sms', name: 'SMS', description: '', status: 'operational', position: 2, groupId: 'g-messaging' },
    ],
    incidents: [emailIncident, searchIncident],
    pastWindows: [
      { id: 'w-past-1', title: 'Payment provider switch', kind: 'maintenance', startsAt: now - 26 * HOUR, plannedEndsAt: now - 25 * HOUR, completedAt: now - 24.8 * HOUR, heldRequests: 18342 },
      { id: 'w-past-2', title: 'Nightly backup window', kind: 'maintenance', startsAt: now - 3 * 24 * HOUR, plannedEndsAt: now - 3 * 24 * HOUR + 30 * MINUTE, completedAt: now - 3 * 24 * HOUR + 30 * MINUTE, heldRequests: 0 },
    ],
    updates: [
      emailIncident.updates[0]!,
      { id: 'u3', windowId: 'w-upgrade', incidentId: null, status: null, subjectTitle: upgrade.title, body: 'Data copy finished. We are now checking the new database before switching traffic over.', createdAt: now - 4 * MINUTE },
      emailIncident.updates[1]!,
      { id: 'u2', windowId: 'w-upgrade', incidentId: null, status: null, subjectTitle: upgrade.title, body: 'Halfway there: 60% of the data has been copied.', createdAt: now - 18 * MINUTE },
      { id: 'u1', windowId: 'w-upgrade', incidentId: null, status: null, subjectTitle: upgrade.title, body: 'Maintenance has started. The site is read-only for a moment, then offline.', createdAt: now - 35 * MINUTE },
      ...searchIncident.updates,
    ],
  };
  return { snapshot, upgrade, openEnded };
}

function renderPages(now: number): Map<string, { status: number; html: string }> {
  const renderer = createStatusRenderer({ viewsDir: VIEWS_DIR });
  const { snapshot, upgrade, openEnded } = fixtures(now);
  const options = { siteName: 'Acme Shop', supportEmail: 'support@acme.test', statusPath: '/status' };
  const page = (s: Snapshot, state: PageState) => renderer.render(buildStatusView(s, now, state, options));
  const calm: Snapshot = { ...snapshot, windows: snapshot.windows.slice(1) };
  // Past its end, held until the application passes a health check.
  const verifying: MaintenanceWindow = { ...upgrade, endsAt: now - 2 * MINUTE, verifyUpstream: true, lifecycle: 'verifying' };
  const withVerifying: Snapshot = { ...snapshot, windows: [verifying, ...snapshot.windows.slice(1)] };
  const withOpen: Snapshot = { ...snapshot, windows: [openEnded, ...snapshot.windows.slice(1)], updates: [] };
  const allGood: Snapshot = {
    ...calm,
    components: calm.components.map((c) => ({ ...c, status: 'operational' as const })),
    incidents: calm.incidents.filter((i) => i.resolvedAt !== null),
    updates: [],
  };
  // Without Settings: the name and email from the environment, no logo, no brand colour.
  const plain: Snapshot = { ...calm, settings: NO_SETTINGS };
  const lightBrand: Snapshot = { ...calm, settings: { ...SETTINGS, brandColor: '#ffd33d', logoUrl: null } };
  return new Map([
    ['/maintenance', { status: 503, html: page(snapshot, { kind: 'maintenance', windows: [upgrade] }) }],
    ['/verifying', { status: 503, html: page(withVerifying, { kind: 'maintenance', windows: [verifying] }) }],
    ['/open-ended', { status: 503, html: page(withOpen, { kind: 'maintenance', windows: [openEnded] }) }],
    ['/trouble', { status: 502, html: page(calm, { kind: 'trouble', status: 502 }) }],
    ['/status', { status: 200, html: page(calm, { kind: 'status' }) }],
    ['/all-good', { status: 200, html: page(allGood, { kind: 'status' }) }],
    ['/plain', { status: 200, html: page(plain, { kind: 'status' }) }],
    ['/light-brand', { status: 200, html: page(lightBrand, { kind: 'status' }) }],
  ]);
}

const APP_PAGE = '<!doctype html><html lang="en"><title>Your page</title><h1>Your page</h1></html>';

/** The gateway, faked: pages by path; any other path is held (redirect mode) until `open` is set. */
function serve(pages: Map<string, { status: number; html: string }>, held: { open: boolean }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Cache-Control', 'no-store');
    const asset = /^\/status\/assets\/(status\.(css|js))$/.exec(url.pathname);
    const brand = /^\/status\/assets\/brand\/([0-9a-f]{6})\.css$/.exec(url.pathname);
    const page = pages.get(url.pathname);
    if (brand) {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
      res.end(brandStylesheet(brand[1]!));
    } else if (url.pathname === '/brand/logo.svg') {
      res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
      res.end(LOGO_SVG);
    } else if (asset) {
      res.writeHead(200, { 'Content-Type': asset[2] === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' });
      res.end(fs.readFileSync(path.join(VIEWS_DIR, 'assets', asset[1] ?? '')));
    } else if (page && !(held.open && page.status !== 200)) {
      res.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page.html);
    } else if (held.open) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(APP_PAGE);
    } else {
      res.writeHead(307, { Location: `/status?return_to=${encodeURIComponent(url.pathname)}` });
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Where the reader ends up once the window is over, with the page's clock run 16 s ahead. */
async function landsOn(browser: Browser, origin: string, url: string, held: { open: boolean }): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install();
  held.open = false;
  await page.goto(origin + url, { waitUntil: 'networkidle' });
  const link = await page.locator('[data-return]').isVisible();
  held.open = true;
  await page.clock.runFor(16_000);
  await page.waitForTimeout(500);
  const landed = `${new URL(page.url()).pathname} "${await page.title()}"${link ? ' (return link shown)' : ''}`;
  held.open = false;
  await context.close();
  return landed;
}

/** While still held, a poll brings a new end time and update into the page without a reload. */
async function swapsInUpdates(browser: Browser, origin: string, pages: Map<string, { status: number; html: string }>): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(origin + '/maintenance', { waitUntil: 'networkidle' });
  await page.evaluate(() => { (window as unknown as { marker: boolean }).marker = true; });
  const before = pages.get('/maintenance');
  const later = renderPages(Date.now() + 30 * MINUTE).get('/maintenance');
  if (before && later) pages.set('/maintenance', later);
  await page.clock.runFor(16_000);
  await page.waitForTimeout(500);
  const endsAt = await page.locator('body').getAttribute('data-ends-at');
  const kept = await page.evaluate(() => (window as unknown as { marker?: boolean }).marker === true);
  const countdown = await page.locator('[data-countdown]').first().textContent();
  if (before) pages.set('/maintenance', before);
  await context.close();
  return `swap while held: no reload=${kept}, data-ends-at=${endsAt}, countdown "${countdown}"`;
}

async function countdownTicks(page: Page): Promise<string> {
  const counter = page.locator('[data-countdown]').first();
  if ((await counter.count()) === 0) return 'no countdown';
  const before = await counter.textContent();
  await page.waitForTimeout(1100);
  const after = await counter.textContent();
  return before === after ? `STUCK at "${before}"` : `ticks: "${before}" -> "${after}"`;
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? '/tmp/intermission-shots';
  fs.mkdirSync(outDir, { recursive: true });
  const htmlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intermission-pages-'));
  const pages = renderPages(Date.now());
  for (const [name, { html }] of pages) fs.writeFileSync(path.join(htmlDir, `${name.slice(1)}.html`), html);

  const held = { open: false };
  const server = await serve(pages, held);
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  const shots: Shot[] = [
    { name: 'maintenance', url: '/maintenance' },
    { name: 'maintenance-no-js', url: '/maintenance', noScript: true },
    { name: 'open-ended', url: '/open-ended' },
    { name: 'verifying', url: '/verifying' },
    { name: 'trouble', url: '/trouble' },
    { name: 'status-mixed', url: '/status' },
    { name: 'status-all-good', url: '/all-good' },
    { name: 'status-no-settings', url: '/plain' },
    { name: 'status-light-brand', url: '/light-brand' },
    { name: 'status-mobile-375', url: '/status', width: 375 },
    { name: 'status-return-to', url: '/cart/checkout' },
    { name: 'maintenance-dark', url: '/maintenance', dark: true },
    { name: 'status-dark', url: '/status', dark: true },
    { name: 'maintenance-mobile-375', url: '/maintenance', width: 375 },
    { name: 'trouble-mobile-320', url: '/trouble', width: 320 },
  ];

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  let problems = 0;
  try {
    for (const shot of shots) {
      const context = await browser.newContext({
        viewport: { width: shot.width ?? 1100, height: shot.width ? 740 : 900 },
        colorScheme: shot.dark ? 'dark' : 'light',
        javaScriptEnabled: !shot.noScript,
        timezoneId: 'Europe/Berlin',
        locale: 'en-GB',
      });
      const page = await context.newPage();
      const messages: string[] = [];
      page.on('console', (msg) => {
        // A held page is served with 503/502 on purpose; Chromium logs that as a failed load.
        if (/status of 50[234]/.test(msg.text())) return;
        if (msg.type() === 'error' || msg.type() === 'warning') messages.push(`${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => messages.push(`pageerror: ${err.message}`));
      await page.goto(origin + shot.url, { waitUntil: 'networkidle' });
      const ticks = shot.noScript ? 'JavaScript off' : await countdownTicks(page);
      const file = path.join(outDir, `${shot.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // A full mobile page is too tall to judge at a glance; the first screen is what a reader sees.
      if (shot.width) await page.screenshot({ path: file.replace(/\.png$/, '-first-screen.png') });
      problems += messages.length;
      console.log(`${file}  [${ticks}]${messages.length ? `\n  ${messages.join('\n  ')}` : '  console clean'}`);
      await context.close();
    }
    const expectations: [string, string][] = [
      ['/maintenance', '/maintenance "Your page"'],
      ['/cart/checkout', '/cart/checkout "Your page"'],
      ['/status?return_to=//evil.test/x', '/status "Acme Shop status"'],
      ['/status?return_to=/%5Cevil.test', '/status "Acme Shop status"'],
      ['/status?return_to=/%09/evil.test', '/status "Acme Shop status"'],
      ['/status?return_to=https://evil.test/', '/status "Acme Shop status"'],
    ];
    console.log(await swapsInUpdates(browser, origin, pages));
    for (const [url, expected] of expectations) {
      const landed = await landsOn(browser, origin, url, held);
      const ok = landed.startsWith(expected);
      if (!ok) problems += 1;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${url} -> ${landed}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`html in ${htmlDir}`);
  if (problems > 0) process.exitCode = 1;
}

await main();
