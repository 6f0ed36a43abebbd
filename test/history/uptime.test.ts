// The 90-day uptime bars, end to end: status changes recorded by migration 006's trigger, read in one
// query by the gateway, shown under each component on the status page and as JSON. The trigger
// stamps now(), so the past is written as backdated rows, before the gateway starts and reads them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pruneStatusChanges } from '../../src/history/uptime-load.js';
import { api, makeToken } from '../helpers/admin.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TODAY = Math.floor(Date.now() / DAY) * DAY;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DATE_TEXT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const textOf = (ms: number) => DATE_TEXT.format(ms);

let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;
const ids: Record<string, string> = {};

async function backdate(component: string, changes: [number, string][]): Promise<void> {
  await db.query('DELETE FROM component_status_changes WHERE component_id = $1', [ids[component]]);
  for (const [at, status] of changes) {
    await db.query('INSERT INTO component_status_changes (component_id, status, from_at) VALUES ($1, $2, $3)', [ids[component], status, new Date(at)]);
  }
}

before(async () => {
  db = await createTestDatabase();
  const { rows } = await db.query<{ id: string; name: string }>("INSERT INTO components (name, position) VALUES ('API', 1), ('Billing', 2) RETURNING id::text, name");
  for (const row of rows) ids[row.name] = row.id;
  // API: 30 days old; two days ago a 30-minute major outage; yesterday an hour of major outage
  // inside a two-hour maintenance window that names it, which is maintenance, not downtime.
  await backdate('API', [
    [TODAY - 30 * DAY, 'operational'],
    [TODAY - 2 * DAY + 10 * HOUR, 'major_outage'],
    [TODAY - 2 * DAY + 10.5 * HOUR, 'operational'],
    [TODAY - DAY + 8 * HOUR, 'major_outage'],
    [TODAY - DAY + 9 * HOUR, 'operational'],
  ]);
  const window = await db.query<{ id: string }>(
    `INSERT INTO windows (title, starts_at, ends_at, lifecycle, started_at, completed_at) VALUES ('Database upgrade', $1, $2, 'completed', $1, $2) RETURNING id::text`,
    [new Date(TODAY - DAY + 7.5 * HOUR), new Date(TODAY - DAY + 9.5 * HOUR)],
  );
  await db.query('INSERT INTO window_components (window_id, component_id) VALUES ($1, $2)', [window.rows[0]!.id, ids.API]);
  // Billing: created at noon nine days ago, so it has ten days of record, today included.
  await backdate('Billing', [[TODAY - 9 * DAY + 12 * HOUR, 'operational']]);
  upstream = await startUpstream();
  gw = await startGateway(db.url, upstream.url);
});

after(async () => {
  await gw?.close();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

interface JsonDay { date: string; state: string; observed_minutes: number; major_outage_minutes: number; maintenance_minutes: number }
interface JsonComponent { id: string; name: string; uptime_percent: number; days: JsonDay[] }

async function uptimeJson(): Promise<JsonComponent[]> {
  let body = '';
  await waitFor(async () => {
    const res = await request(`${gw.url}/status/api/uptime.json`);
    body = res.body;
    return res.status === 200;
  }, 5000, 'the gateway has read the uptime');
  return JSON.parse(body).components;
}

describe('90-day uptime', () => {
  it('counts a 30-minute major outage on its day, and the percentage over the observed time', async () => {
    const api = (await uptimeJson()).find((c) => c.name === 'API')!;
    assert.equal(api.days.length, 90);
    const outageDay = api.days.find((d) => d.date === dateOf(TODAY - 2 * DAY))!;
    assert.deepEqual([outageDay.state, outageDay.major_outage_minutes, outageDay.observed_minutes], ['critical', 30, 1440]);
    // 1 − 1800 s / (30 days and part of today) rounds down to 99.93 at any time of day.
    assert.equal(api.uptime_percent, 99.93);
    assert.equal(api.days.filter((d) => d.state === 'nodata').length, 59, '31 days of record, today included');
  });

  it('does not count an outage inside a maintenance window that names the component as downtime', async () => {
    const api = (await uptimeJson()).find((c) => c.name === 'API')!;
    const yesterday = api.days.find((d) => d.date === dateOf(TODAY - DAY))!;
    assert.deepEqual([yesterday.state, yesterday.major_outage_minutes, yesterday.maintenance_minutes], ['maintenance', 0, 120]);
  });

  it('shows a component created nine days ago at noon with ten days of record and no data before', async () => {
    const billing = (await uptimeJson()).find((c) => c.name === 'Billing')!;
    const recorded = billing.days.filter((d) => d.state !== 'nodata');
    assert.equal(recorded.length, 10);
    assert.equal(recorded[0]!.date, dateOf(TODAY - 9 * DAY));
    assert.equal(recorded[0]!.observed_minutes, 720, 'half of its first day');
    assert.equal(billing.uptime_percent, 100);
  });

  it('puts the bar under each component on the status page, each day in words, with the percentage', async () => {
    await uptimeJson();
    const page = await request(`${gw.url}/status`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<ol class="uptime__days" aria-label="API uptime, last 90 days"/);
    assert.match(page.body, /<ol class="uptime__days" aria-label="Billing uptime, last 90 days"/);
    const outage = `${textOf(TODAY - 2 * DAY)}: major outage for 30 min`;
    assert.ok(page.body.includes(`title="${outage}"`), 'the day says what happened on hover');
    assert.ok(page.body.includes(`<span class="visually-hidden">${outage}</span>`), 'and to screen readers');
    assert.ok(page.body.includes(`${textOf(TODAY - DAY)}: maintenance for 2 h (maintenance is not counted as downtime)`));
    assert.match(page.body, /99\.93 % uptime/);
    assert.match(page.body, /100\.00 % uptime/);
    assert.equal(page.body.match(/uptime__day--nodata/g)?.length, 59 + 80);
    assert.match(page.body, /<span>90 days ago<\/span>.*<span>Today<\/span>/);
  });

  it('records each status change made through the admin API, and nothing when only the name changes', async () => {
    const token = await makeToken(gw.pool, 'operator', 'uptime');
    const count = async () => Number((await db.query('SELECT count(*) FROM component_status_changes WHERE component_id = $1', [ids.Billing])).rows[0]!.count);
    const before = await count();
    assert.equal((await api(gw.url, token, 'PATCH', `/admin/api/v1/components/${ids.Billing}`, { status: 'partial_outage' })).status, 200);
    assert.equal((await api(gw.url, token, 'PATCH', `/admin/api/v1/components/${ids.Billing}`, { name: 'Billing & invoices' })).status, 200);
    assert.equal(await count(), before + 1);
    const latest = await db.query("SELECT status, from_at > now() - interval '1 minute' AS recent FROM component_status_changes WHERE component_id = $1 ORDER BY id DESC LIMIT 1", [ids.Billing]);
    assert.deepEqual(latest.rows[0], { status: 'partial_outage', recent: true });
    const created = await api(gw.url, token, 'POST', '/admin/api/v1/components', { name: 'Search' });
    assert.equal(created.status, 201);
    const first = await db.query('SELECT status FROM component_status_changes WHERE component_id = $1', [created.body.id]);
    assert.deepEqual(first.rows, [{ status: 'operational' }], 'a new component starts its record');
  });

  it('prunes changes older than the bars, keeping the status each component had when the 90 days began', async () => {
    const { rows } = await db.query<{ id: string }>("INSERT INTO components (name) VALUES ('Old timer') RETURNING id::text");
    ids['Old timer'] = rows[0]!.id;
    await backdate('Old timer', [
      [TODAY - 200 * DAY, 'operational'],
      [TODAY - 150 * DAY, 'major_outage'],
      [TODAY - 120 * DAY, 'degraded_performance'],
      [TODAY - 10 * DAY, 'operational'],
    ]);
    assert.equal(await pruneStatusChanges(gw.pool), 2);
    const kept = await db.query<{ status: string }>('SELECT status FROM component_status_changes WHERE component_id = $1 ORDER BY from_at', [ids['Old timer']]);
    assert.deepEqual(kept.rows.map((row) => row.status), ['degraded_performance', 'operational']);
    const api = await db.query('SELECT count(*)::int AS n FROM component_status_changes WHERE component_id = $1', [ids.API]);
    assert.equal(api.rows[0]!.n, 5, 'changes within the 90 days all stay');
  });
});
