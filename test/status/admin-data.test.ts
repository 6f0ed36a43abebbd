// What the admin area manages reaches the public status page: settings, component groups,
// incidents and their updates, written here with plain SQL (as any writer could) into a real
// database, seen through a real gateway within a second, and escaped.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request, type Response } from '../helpers/http.js';

const harness = useGateway({ SITE_NAME: 'Env Shop', SUPPORT_EMAIL: 'env@example.com' });
let db: TestDatabase;
let gw: TestGateway;

const HTML = { accept: 'text/html,application/xhtml+xml' };
const EVIL = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
/** ESCAPED, ready to sit inside a regular expression. */
const ESCAPED_RE = ESCAPED.replace(/[()/]/g, '\\$&');

function statusPage(): Promise<Response> {
  return request(`${gw.url}/status`, { headers: HTML });
}

/** Waits until the status page shows `text`, and returns that page; fails after a second. */
async function pageShowing(text: string): Promise<string> {
  let body = '';
  await waitFor(
    async () => {
      body = (await statusPage()).body;
      return body.includes(text);
    },
    1000,
    `the status page shows ${text}`,
  );
  return body;
}

async function insert(table: string, values: Record<string, unknown>): Promise<string> {
  const names = Object.keys(values);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text`,
    Object.values(values),
  );
  return rows[0]!.id;
}

/** The page's text with tags dropped and white space folded, for asserting on what a reader sees. */
function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

before(async () => ({ db, gw } = await harness));

afterEach(async () => {
  await db.query('DELETE FROM incidents; DELETE FROM updates; DELETE FROM components; DELETE FROM component_groups; DELETE FROM windows');
  await db.query('UPDATE settings SET site_name = NULL, support_email = NULL, logo_url = NULL, brand_color = NULL, footer_text = NULL');
  await pageShowing('Env Shop status');
});

describe('the status page shows what the admin area manages', () => {
  it('uses the environment while settings are empty, and settings once written', async () => {
    const before = await pageShowing('Env Shop status');
    assert.match(before, /env@example\.com/);
    assert.doesNotMatch(before, /<img|assets\/brand\//);

    await db.query(
      `UPDATE settings SET site_name = $1, support_email = 'ops@example.com', logo_url = 'https://cdn.example.com/logo.svg',
       brand_color = '#0a2540', footer_text = $2`,
      [`Acme ${EVIL}`, `Acme Inc. ${EVIL}\nBerlin`],
    );
    const body = await pageShowing(`Acme ${ESCAPED} status`);
    assert.ok(!body.includes(EVIL), 'nothing unescaped');
    assert.match(body, new RegExp(`<img class="site-logo" src="https://cdn.example.com/logo.svg" alt="Acme ${ESCAPED_RE}">`));
    assert.match(body, /<a href="mailto:ops@example.com">ops@example.com<\/a>/);
    assert.doesNotMatch(body, /env@example\.com/);
    assert.ok(body.includes(`<p class="colophon__text">Acme Inc. ${ESCAPED}\nBerlin</p>`), 'footer escaped, line break kept');
    assert.match(body, /<link rel="stylesheet" href="\/status\/assets\/brand\/0a2540\.css">/);

    const csp = String((await statusPage()).headers['content-security-policy']);
    assert.match(csp, /img-src 'self' data: https: http:/);
    assert.match(csp, /style-src 'self'/);
  });

  it('serves the brand stylesheet its link names, with a text colour readable on it', async () => {
    const dark = await request(`${gw.url}/status/assets/brand/0a2540.css`);
    assert.equal(dark.status, 200);
    assert.match(String(dark.headers['content-type']), /^text\/css/);
    assert.match(String(dark.headers['cache-control']), /immutable/);
    assert.match(dark.body, /--accent: #0a2540;/);
    assert.match(dark.body, /--on-accent: #ffffff;/);
    assert.match((await request(`${gw.url}/status/assets/brand/ffd33d.css`)).body, /--on-accent: #000000;/);
    for (const bad of ['0A2540.css', 'red.css', '0a2540.js', '0a25400.css', '%3Cscript%3E.css']) {
      assert.equal((await request(`${gw.url}/status/assets/brand/${bad}`)).status, 404, bad);
    }
    // The page's own assets are still served next to it.
    assert.equal((await request(`${gw.url}/status/assets/status.css`)).status, 200);
  });

  it('lists components under their group headings in position order, each group with its worst status', async () => {
    const platform = await insert('component_groups', { name: `Platform ${EVIL}`, position: 2 });
    const payments = await insert('component_groups', { name: 'Payments', position: 1 });
    await insert('component_groups', { name: 'Nothing in it', position: 0 });
    await insert('components', { name: 'Website', position: 1 });
    await insert('components', { name: 'Database', position: 2, group_id: platform, status: 'partial_outage' });
    await insert('components', { name: 'Queue', position: 1, group_id: platform });
    await insert('components', { name: 'Card payments', position: 1, group_id: payments, status: 'degraded_performance' });

    // The last row written: a reload that shows it shows every row before it too.
    const body = await pageShowing('Card payments');
    assert.ok(!body.includes(EVIL));
    // Without the uptime bars, whose words depend on the day the test runs (test/history covers them).
    const section = /<h2 id="components-h">[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';
    const components = text(section.replace(/<div class="uptime">[\s\S]*?<\/div>/g, ''));
    assert.equal(
      components.trim(),
      `Components Website Operational Payments Degraded performance Card payments Degraded performance Platform ${ESCAPED} Partial outage Queue Operational Database Partial outage`,
    );
    assert.doesNotMatch(body, /Nothing in it/);
    assert.match(body, /<h1 id="headline">Partial outage<\/h1>/);
  });

  it('shows an open incident above the components with its updates newest first, and it raises the overall state', async () => {
    const api = await insert('components', { name: 'API', position: 1 });
    const incident = await insert('incidents', { title: `Checkout errors ${EVIL}`, impact: 'critical', status: 'identified' });
    await db.query('INSERT INTO incident_components (incident_id, component_id) VALUES ($1, $2)', [incident, api]);
    await insert('updates', { incident_id: incident, status: 'investigating', body: 'Looking into it.', created_at: new Date(Date.now() - 20 * 60_000) });
    await insert('updates', { incident_id: incident, status: 'identified', body: `Found it ${EVIL}\nRolling back.` });

    const body = await pageShowing('Rolling back.');
    assert.ok(!body.includes(EVIL), 'nothing unescaped');
    assert.match(body, /<h1 id="headline">Major outage<\/h1>/);
    const reading = text(body);
    const incidents = reading.indexOf('Incidents');
    assert.ok(incidents > 0 && incidents < reading.indexOf('Components'), 'incidents come before components');
    assert.match(reading, new RegExp(`Checkout errors ${ESCAPED_RE} Identified Critical impact Affects API Identified · \\S.* Found it ${ESCAPED_RE} Rolling back\\. Investigating · .* Looking into it\\.`));
    // The timeline names the incident of each update and the status it announced.
    assert.match(reading, new RegExp(`Updates .* Incident: Checkout errors ${ESCAPED_RE} · Identified Found it`));
    assert.ok(body.includes(`Found it ${ESCAPED}\nRolling back.`), 'the update keeps its line break');
  });

  it('folds an incident lower once it is resolved, and the overall state recovers', async () => {
    const incident = await insert('incidents', { title: 'Slow search', impact: 'major' });
    await insert('updates', { incident_id: incident, status: 'investigating', body: 'Search is slow.' });
    assert.match(await pageShowing('Slow search'), /<h1 id="headline">Partial outage<\/h1>/);

    await db.query("UPDATE incidents SET status = 'resolved', resolved_at = now() WHERE id = $1", [incident]);
    await insert('updates', { incident_id: incident, status: 'resolved', body: 'Search is fast again.' });
    const body = await pageShowing('Search is fast again.');
    assert.match(body, /<h1 id="headline">All systems operational<\/h1>/);
    assert.doesNotMatch(body, /<h2 id="incidents-h">/);
    assert.match(body, /<h2 id="resolved-h">Recently resolved<\/h2>\s*<details class="card incident incident--resolved"[^>]*>\s*<summary>\s*<span class="incident__summary-title">Slow search<\/span>/);
  });

  it('leaves out incidents resolved more than a week ago', async () => {
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    await insert('incidents', { title: 'Old news', status: 'resolved', created_at: weekAgo, resolved_at: weekAgo });
    await insert('incidents', { title: 'Fresh news', status: 'resolved', resolved_at: new Date() });
    const body = await pageShowing('Fresh news');
    assert.doesNotMatch(body, /Old news/);
  });

  it('names the window of an update even after the window has ended', async () => {
    const window = await insert('windows', { title: 'Disk swap', starts_at: new Date(Date.now() - 3600_000), ends_at: new Date(Date.now() - 60_000) });
    await insert('updates', { window_id: window, body: 'All done.' });
    const body = await pageShowing('All done.');
    assert.match(text(body), /Maintenance: Disk swap All done\./);
  });

  it('gives the maintenance page the same settings, open incidents and groups', async () => {
    await db.query("UPDATE settings SET site_name = 'Acme', footer_text = 'Acme Inc.', logo_url = '/brand/logo.png'");
    const group = await insert('component_groups', { name: 'Storefront', position: 1 });
    await insert('components', { name: 'Cart', group_id: group });
    await insert('incidents', { title: 'Emails delayed', impact: 'minor' });
    await insert('windows', { title: 'Database upgrade', ends_at: new Date(Date.now() + 30 * 60_000) });
    await waitFor(() => primarySite(gw.store.current())!.windows.length === 1 && primarySite(gw.store.current())!.incidents.length === 1, 1000, 'reloaded');

    const held = await request(`${gw.url}/cart`, { headers: HTML });
    assert.equal(held.status, 503);
    assert.match(held.body, /<h1 id="headline">Acme is down for maintenance<\/h1>/);
    assert.match(held.body, /<img class="site-logo" src="\/brand\/logo.png" alt="Acme">/);
    assert.match(held.body, /<p class="colophon__text">Acme Inc.<\/p>/);
    assert.match(held.body, /Emails delayed/);
    assert.match(held.body, /<h3 class="group__name" id="group-\d+">Storefront<\/h3>/);
    assert.match(String(held.headers['content-security-policy']), /img-src 'self' data: https: http:/);
  });

  it('keeps an unsafe logo address off the page', async () => {
    await db.query("UPDATE settings SET site_name = 'Acme', logo_url = 'javascript:alert(1)'");
    const body = await pageShowing('Acme status');
    assert.doesNotMatch(body, /javascript:|<img/);
    assert.match(body, /<a class="site-name" href="\/status">Acme<\/a>/);
  });
});
