// The Health page and API: the upstream's state, the thresholds in force and the outages for every
import { primarySite } from '../../src/sites/site-routes.js';
import os from 'node:os';
// role; what automation may do when it goes down, changed by admins only, validated and audited.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, makeToken, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, API, auditRows, ESCAPED, SCRIPT } from './fixtures.js';

const harness = useGateway({ HEALTHCHECK_PATH: '/healthz', HEALTHCHECK_INTERVAL_S: '30', HEALTHCHECK_DOWN_AFTER: '4', HEALTHCHECK_UP_AFTER: '3', HEALTHCHECK_REQUEST_FAILURES: '25' });
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let viewer: Browser;
const tokens: Record<string, string> = {};
let component: string;

async function settings(): Promise<{ auto_incidents: boolean; upstream_component_id: string | null }> {
  return (await db.query<{ auto_incidents: boolean; upstream_component_id: string | null }>('SELECT auto_incidents, upstream_component_id::text FROM settings')).rows[0]!;
}

before(async () => {
  ({ db, gw } = await harness);
  admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'admin@example.com');
  viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'viewer@example.com');
  for (const role of ['viewer', 'operator', 'admin']) tokens[role] = await makeToken(gw.pool, role as 'viewer', `health-${role}`);
  component = (await db.query<{ id: string }>("INSERT INTO components (name) VALUES ('Storefront') RETURNING id::text")).rows[0]!.id;
  // Pages name components from the snapshot, as every admin page does.
  await waitFor(() => primarySite(gw.store.current())!.components.some((c) => c.id === component), 1000, 'the component reached the snapshot');
  const incident = (await db.query<{ id: string }>("INSERT INTO incidents (title, status, impact, resolved_at) VALUES ('Shop is unavailable', 'resolved', 'major', now()) RETURNING id::text")).rows[0]!.id;
  const outage = (await db.query<{ id: string }>(
    `INSERT INTO outages (started_at, ended_at, detected_by, cause, incident_id, component_id, component_previous)
     VALUES (now() - interval '1 hour', now() - interval '1 hour' + interval '252 seconds', 'health_check', $1, $2, $3, 'operational') RETURNING id::text`,
    [`3 health checks in a row failed: ${SCRIPT}`, incident, component],
  )).rows[0]!.id;
  await db.query('INSERT INTO held_requests (outage_id, count) VALUES ($1, 1234)', [outage]);
  await db.query("INSERT INTO outages (started_at, ended_at, detected_by, cause) VALUES (now() - interval '2 hours', now() - interval '2 hours' + interval '35 seconds', 'requests', 'a run of failed requests')");
});

beforeEach(async () => {
  await db.query('UPDATE settings SET auto_incidents = true, upstream_component_id = NULL');
});

/** The lifecycle job runs every second: wait until it has claimed a tick. */
async function waitForLifecycleTick(): Promise<void> {
  await waitFor(async () => (await db.query("SELECT 1 FROM job_runs WHERE job = 'lifecycle'")).rowCount! > 0, 3000, 'a lifecycle tick');
}

describe('the Health page', () => {
  it('shows any signed-in user the state, the last check, the thresholds in force and the outages', async () => {
    await db.query("UPDATE upstream_health SET checked_at = now(), last_error = 'ECONNREFUSED', failures = 1");
    const page = await viewer.get(`${ADMIN}/health`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<a href="\/admin\/health" aria-current="page">Health<\/a>/);
    assert.match(page.body, /Application up/);
    assert.match(page.body, /Failed<\/span> <span class="code">ECONNREFUSED/);
    assert.match(page.body, /1 failed, 0 passed/);
    assert.match(page.body, /GET <code>\/healthz<\/code> every 30 s/);
    assert.match(page.body, /4 failed checks in a row, or 25 failed requests in a row/);
    assert.match(page.body, /3 passed checks in a row/);
    assert.match(page.body, /4 min 12 s/);
    assert.match(page.body, /35 s/);
    assert.match(page.body, /1,234/);
    assert.match(page.body, /Health checks/);
    assert.match(page.body, /Failed requests/);
    assert.match(page.body, /href="\/admin\/incidents\/\d+">#\d+<\/a>/);
    assert.match(page.body, /Component: Storefront/);
    assert.ok(page.body.includes(ESCAPED) && !page.body.includes(SCRIPT), 'the cause is escaped');
    assert.doesNotMatch(page.body, /action="\/admin\/health\/settings"/, 'no form for a viewer');
  });

  it('lists the scheduled jobs with their last run and the gateway that ran it', async () => {
    await waitForLifecycleTick();
    const page = await viewer.get(`${ADMIN}/health`);
    assert.match(page.body, /<h2 id="jobs">Scheduled jobs<\/h2>/);
    const row = /<td><code>lifecycle<\/code><\/td>\s*<td>([^<]+)<span class="muted">\(([^)]+)\)<\/span><\/td>\s*<td>([^<]+)<\/td>/.exec(page.body);
    assert.ok(row, 'a row for the lifecycle job');
    assert.match(row[2]!, /less than a minute ago/);
    assert.equal(row[3], `${os.hostname()}:${process.pid}`, 'ran by this gateway, the only one');
  });

  it('gives admins the form, and saves it: automatic incidents off, the component linked, audited', async () => {
    const page = await admin.get(`${ADMIN}/health`);
    assert.match(page.body, /name="auto_incidents" value="on" checked/);
    assert.match(page.body, new RegExp(`<option value="${component}">Storefront</option>`));
    // An unticked checkbox is not posted: that is "off".
    const res = await admin.submit(`${ADMIN}/health/settings`, { upstream_component_id: component }, `${ADMIN}/health`);
    assert.equal(res.url, `${ADMIN}/health`);
    assert.match(res.body, /automatic incidents are off/);
    assert.deepEqual(await settings(), { auto_incidents: false, upstream_component_id: component });
    assert.match(res.body, new RegExp(`<option value="${component}" selected>Storefront</option>`));
    const [entry] = (await auditRows(db, 'health.settings')).slice(-1);
    assert.equal(entry!.actor, 'user:admin@example.com');
    assert.equal(entry!.after!.auto_incidents, false);

    const again = await admin.submit(`${ADMIN}/health/settings`, { auto_incidents: 'on', upstream_component_id: '' }, `${ADMIN}/health`);
    assert.match(again.body, /an incident is opened by itself/);
    assert.deepEqual(await settings(), { auto_incidents: true, upstream_component_id: null });
  });

  it('refuses a component that does not exist with a 400 naming the field, and writes nothing', async () => {
    const before = (await auditRows(db, 'health.settings')).length;
    const res = await admin.submit(`${ADMIN}/health/settings`, { auto_incidents: 'on', upstream_component_id: '999999' }, `${ADMIN}/health`);
    assert.equal(res.status, 400);
    assert.match(res.body, /upstream_component_id 999999: there is no component #999999/);
    assert.match(res.body, /id="upstream_component_id"[^>]*aria-invalid="true"/);
    assert.equal((await auditRows(db, 'health.settings')).length, before);
    assert.deepEqual(await settings(), { auto_incidents: true, upstream_component_id: null });
  });

  it('refuses the form to anyone but an admin', async () => {
    const operator = await signedIn(gw.pool, gw.url, ADMIN, 'operator');
    const page = await operator.get(`${ADMIN}/health`);
    assert.equal(page.status, 200);
    const csrf = /name="_csrf" value="([^"]*)"/.exec(page.body)![1]!;
    const res = await operator.raw('POST', `${ADMIN}/health/settings`, { _csrf: csrf, auto_incidents: '' });
    assert.equal(res.status, 403);
    assert.equal((await settings()).auto_incidents, true);
  });
});

describe('the Health API', () => {
  it('gives any role the state, the thresholds, the settings and the outages, latest first', async () => {
    await db.query("UPDATE upstream_health SET checked_at = now(), last_error = NULL, successes = 2, failures = 0");
    const res = await api(gw.url, tokens.viewer, 'GET', `${API}/health`);
    assert.equal(res.status, 200);
    assert.equal(res.body.state, 'up');
    assert.equal(res.body.last_check_passed, true);
    assert.equal(res.body.successes, 2);
    assert.deepEqual(res.body.thresholds, { path: '/healthz', interval_seconds: 30, timeout_ms: 2000, down_after: 4, up_after: 3, request_failures: 25 });
    assert.deepEqual(res.body.settings, { auto_incidents: true, upstream_component_id: null });
    assert.equal(res.body.outages.length, 2);
    const [latest, older] = res.body.outages;
    assert.equal(latest.duration_seconds, 252);
    assert.equal(latest.held_requests, 1234);
    assert.equal(latest.detected_by, 'health_check');
    assert.equal(latest.component_id, component);
    assert.equal(older.detected_by, 'requests');
    assert.equal(older.held_requests, 0);
    assert.equal(older.incident_id, null);
  });

  it('lets an admin change the settings, and says when nothing changed', async () => {
    const res = await api(gw.url, tokens.admin, 'PATCH', `${API}/health/settings`, { upstream_component_id: Number(component) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { auto_incidents: true, upstream_component_id: component, changed: true });
    const same = await api(gw.url, tokens.admin, 'PATCH', `${API}/health/settings`, { upstream_component_id: component, auto_incidents: true });
    assert.equal(same.body.changed, false);
    const off = await api(gw.url, tokens.admin, 'PATCH', `${API}/health/settings`, { auto_incidents: false, upstream_component_id: null });
    assert.deepEqual(off.body, { auto_incidents: false, upstream_component_id: null, changed: true });
    assert.deepEqual(await settings(), { auto_incidents: false, upstream_component_id: null });
  });

  it('refuses bad input with a 400 that names the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /nothing to change/],
      [{ auto_incidents: 'maybe' }, /auto_incidents/],
      [{ upstream_component_id: 'storefront' }, /upstream_component_id "storefront" is not a component id/],
      [{ upstream_component_id: '999999' }, /there is no component #999999/],
      [{ auto_incident: true }, /auto_incident is not a field here/],
    ];
    for (const [body, message] of cases) {
      const res = await api(gw.url, tokens.admin, 'PATCH', `${API}/health/settings`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error.message, message);
    }
  });

  it('refuses changes from viewers and operators', async () => {
    for (const role of ['viewer', 'operator']) {
      const res = await api(gw.url, tokens[role], 'PATCH', `${API}/health/settings`, { auto_incidents: false });
      assert.equal(res.status, 403, role);
    }
    assert.equal((await settings()).auto_incidents, true);
  });
});
