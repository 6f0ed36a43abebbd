// STATUS_PATH/history over real sockets and a real PostgreSQL: incidents and windows made through the
// admin API, grouped by month, each with its timeline and how long it took against the plan; paging,
// escaping, and a bad `before` refused with a page that says what is wrong.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request, type Response } from '../helpers/http.js';
import { API, ESCAPED, SCRIPT } from '../admin/fixtures.js';
import { reportIncident, setUpIncidents, type IncidentComponents } from '../admin/incidents-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let token: string;
let components: IncidentComponents;

before(async () => {
  ({ db, gw } = await harness);
  ({ components, operatorToken: token } = await setUpIncidents(db, gw));
});

/** The first moment of the month `back` months before this one, in UTC. */
function monthStart(back: number): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1);
}
const monthKey = (back: number) => new Date(monthStart(back)).toISOString().slice(0, 7);
const monthLabel = (back: number) => new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(monthStart(back));

/** `ago` before now, but never before this month began, so it stays in this month's group. */
function earlierThisMonth(ago: number): number {
  return Math.max(Date.now() - ago, monthStart(0) + MINUTE);
}

/** The history page once the gateway's snapshot has caught up with the writes just made. */
async function history(query = ''): Promise<Response> {
  await gw.store.reload();
  return request(`${gw.url}/status/history${query}`, { headers: { accept: 'text/html' } });
}

/** The HTML of one article, by its anchor. */
function article(html: string, anchor: string): string {
  const start = html.indexOf(`id="${anchor}"`);
  assert.ok(start > 0, `the page has #${anchor}`);
  return html.slice(start, html.indexOf('</article>', start));
}

/** The month section's HTML, by its YYYY-MM key. */
function month(html: string, key: string): string {
  const start = html.indexOf(`id="month-${key}"`);
  assert.ok(start > 0, `the page has the month ${key}`);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('history page', () => {
  it('tells an incident from the API with its impact, components, timeline newest first, and how long it took', async () => {
    const id = await reportIncident(gw, token, { title: 'Checkout errors', impact: 'major', body: 'We are investigating.', component_ids: [Number(components.api)] });
    const post = (body: Record<string, unknown>) => api(gw.url, token, 'POST', `${API}/incidents/${id}/updates`, body);
    assert.equal((await post({ body: 'A bad deploy; rolling back.', status: 'identified' })).status, 201);
    assert.equal((await post({ body: 'Fixed.', issue_fixed: true })).status, 201);
    // The API stamps each write with the time of the request; a measured duration needs known times.
    const start = earlierThisMonth(2 * HOUR);
    await db.query('UPDATE incidents SET created_at = $2, resolved_at = $3 WHERE id = $1', [id, new Date(start), new Date(start + 90 * MINUTE)]);
    await db.query(
      `UPDATE updates SET created_at = $2::timestamptz + CASE body WHEN 'We are investigating.' THEN interval '0' WHEN 'A bad deploy; rolling back.' THEN interval '40 minutes' ELSE interval '90 minutes' END
       WHERE incident_id = $1`,
      [id, new Date(start)],
    );
    const res = await history();
    assert.equal(res.status, 200);
    const html = article(res.body, `incident-${id}`);
    assert.match(html, /Checkout errors/);
    assert.match(html, /Incident · Major impact/);
    assert.match(html, /Affected API/);
    assert.match(html, /Took 1 h 30 min\./);
    const order = ['Fixed.', 'A bad deploy; rolling back.', 'We are investigating.'].map((body) => html.indexOf(body));
    assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!)), `newest update first: ${order}`);
    assert.match(html, /<strong>Resolved<\/strong> · <time datetime="[^"]+" data-local>\d\d:\d\d UTC/);
    assert.match(html, /<strong>Identified<\/strong>/);
  });

  it('tells a window started and ended through the API, measured against the end first announced', async () => {
    const started = await api(gw.url, token, 'POST', `${API}/windows/start`, { title: 'Database upgrade', duration: '1h', component_ids: [components.checkout] });
    assert.equal(started.status, 201);
    const id = started.body.window.id as string;
    assert.equal((await api(gw.url, token, 'POST', `${API}/windows/${id}/updates`, { body: 'Copying the data over.' })).status, 201);
    assert.equal((await api(gw.url, token, 'POST', `${API}/windows/${id}/end`, {})).status, 200);
    await waitFor(async () => (await db.query("SELECT 1 FROM windows WHERE id = $1 AND lifecycle = 'completed'", [id])).rowCount === 1, 5000, 'the window is completed');
    // Planned for an hour, it took 1 h 12 min: the API times the window by the clock, so the
    // times are written here.
    const start = earlierThisMonth(3 * HOUR);
    await db.query(
      `UPDATE windows SET starts_at = $2, started_at = $2, planned_ends_at = $2::timestamptz + interval '1 hour', ends_at = $2::timestamptz + interval '1 hour',
                          ended_at = $2::timestamptz + interval '72 minutes', completed_at = $2::timestamptz + interval '72 minutes' WHERE id = $1`,
      [id, new Date(start)],
    );
    const html = article((await history()).body, `maintenance-${id}`);
    assert.match(html, /Database upgrade/);
    assert.match(html, /<span class="pill">Maintenance<\/span>/);
    assert.match(html, /Affected Checkout/);
    assert.match(html, /Took 1 h 12 min, 12 min longer than planned \(1 h\)\./);
    assert.match(html, /Copying the data over\./);
  });

  it('groups by month, newest first, and says so when a month had nothing', async () => {
    // Months gone by cannot be made through the API, which stamps the present: written by SQL.
    const { rows } = await db.query<{ id: string }>(
      "INSERT INTO incidents (title, status, impact, created_at, resolved_at) VALUES ('Old slowness', 'resolved', 'minor', $1, $2) RETURNING id::text",
      [new Date(monthStart(2) + 3 * 24 * HOUR), new Date(monthStart(2) + 3 * 24 * HOUR + 45 * MINUTE)],
    );
    const res = await history();
    const headings = [...res.body.matchAll(/<h2 id="month-[0-9-]+-h">([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(headings, [monthLabel(0), monthLabel(1), monthLabel(2)]);
    assert.match(month(res.body, monthKey(1)), /No incidents or maintenance reported/);
    assert.doesNotMatch(month(res.body, monthKey(0)), /No incidents or maintenance reported/);
    const old = month(res.body, monthKey(2));
    assert.match(old, new RegExp(`id="incident-${rows[0]!.id}"`));
    assert.match(old, /Incident · Minor impact/);
    assert.match(old, /Took 45 min\./);
  });

  it('pages back with an Older link and forward with a Newer one', async () => {
    await db.query(
      "INSERT INTO incidents (title, status, impact, created_at, resolved_at) VALUES ('Ancient outage', 'resolved', 'critical', $1, $2)",
      [new Date(monthStart(5) + HOUR), new Date(monthStart(5) + 2 * HOUR)],
    );
    const first = await history();
    assert.ok(first.body.includes(`href="/status/history?before=${monthKey(2)}" rel="next">Older`), 'Older leads past the oldest month shown');
    assert.doesNotMatch(first.body, /Newer/);
    const second = await history(`?before=${monthKey(2)}`);
    assert.equal(second.status, 200);
    const headings = [...second.body.matchAll(/<h2 id="month-[0-9-]+-h">([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(headings, [monthLabel(3), monthLabel(4), monthLabel(5)]);
    assert.match(month(second.body, monthKey(5)), /Ancient outage/);
    assert.ok(second.body.includes('href="/status/history" rel="prev">&larr; Newer'), 'Newer leads back to the first page');
    assert.doesNotMatch(second.body, /Older/, 'nothing is older than the oldest month shown');
  });

  it('escapes a title and a body that hold a script', async () => {
    const id = await reportIncident(gw, token, { title: SCRIPT, body: SCRIPT });
    const html = article((await history()).body, `incident-${id}`);
    assert.ok(html.includes(ESCAPED));
    assert.ok(!html.includes(SCRIPT));
  });

  it('refuses a bad before with a 400 page that says what is wrong', async () => {
    const cases: [string, RegExp][] = [
      ['?before=2026-13', /from 01 to 12/],
      ['?before=yesterday', /YYYY-MM, like 2026-03; &#34;yesterday&#34; is not/],
      ['?before=2026-01&before=2026-02', /only once/],
      ['?before=9999-01', /cannot be later than/],
    ];
    for (const [query, message] of cases) {
      const res = await history(query);
      assert.equal(res.status, 400, query);
      assert.match(res.headers['content-type'] ?? '', /text\/html/);
      assert.match(res.body, /This page of the history does not exist/);
      assert.match(res.body, message, query);
      assert.match(res.body, /href="\/status\/history">See the latest history/);
    }
  });

  it('links to the history from the status page', async () => {
    const page = await request(`${gw.url}/status`, { headers: { accept: 'text/html' } });
    assert.match(page.body, /<a href="\/status\/history">Incident and maintenance history<\/a>/);
    const history = await request(`${gw.url}/status/history`, { headers: { accept: 'text/html' } });
    assert.match(history.body, /<a href="\/status">&larr; Current status<\/a>/);
    assert.match(history.body, /<a class="site-name" href="\/status">Our service<\/a>/);
  });
});
