// How the upstream is judged: a run of failed requests flips it without waiting for a check, checks
// that alternate never flip it, a window that holds everything is planned downtime, and with
// automatic incidents off customers still get the trouble page but no incident is opened.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import WebSocket from 'ws';
import { signBypassToken } from '../../src/decide/bypass-token.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { openSse } from '../helpers/sse.js';

const ENV = {
  SITE_NAME: 'Example Shop',
  HEALTHCHECK_PATH: '/healthz',
  // Scheduled checks at most once a minute: the tests run checks themselves with runNow.
  HEALTHCHECK_INTERVAL_S: '60',
  HEALTHCHECK_DOWN_AFTER: '2',
  HEALTHCHECK_UP_AFTER: '2',
  HEALTHCHECK_REQUEST_FAILURES: '5',
  TRUSTED_PROXIES: 'loopback',
  BYPASS_CIDRS: '10.0.0.0/8',
};

let db: TestDatabase;
let gw: TestGateway;
let app: http.Server;
/** What the application answers: its /healthz status, and the status of every other path. */
const behaviour = { health: 200, pages: 200, healthCalls: 0, flap: false };

async function rows<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(sql, params)).rows;
}

/** Runs the health check job `times` times, one after the other, as the schedule would. */
async function check(times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) await gw.automation.runNow('healthcheck');
}

async function judgedDown(): Promise<void> {
  await waitFor(() => primarySite(gw.store.current())!.upstream.state === 'down', 2000, 'the snapshot says down');
}

/** Brings the upstream back and waits until every gateway knows it. */
async function recover(): Promise<void> {
  behaviour.health = 200;
  behaviour.pages = 200;
  behaviour.flap = false;
  await check(2);
  await waitFor(() => primarySite(gw.store.current())!.upstream.state === 'up', 2000, 'the snapshot says up');
}

before(async () => {
  db = await createTestDatabase();
  app = http.createServer(function application(req, res) {
    if (req.url === '/healthz') {
      behaviour.healthCalls += 1;
      res.statusCode = behaviour.flap ? (behaviour.healthCalls % 2 === 0 ? 500 : 200) : behaviour.health;
    } else {
      res.statusCode = behaviour.pages;
    }
    res.end(`answer ${res.statusCode}`);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  gw = await startGateway(db.url, `http://127.0.0.1:${(app.address() as AddressInfo).port}`, ENV);
});

afterEach(async () => {
  if (primarySite(gw.store.current())!.upstream.state === 'down') await recover();
  Object.assign(behaviour, { health: 200, pages: 200, flap: false });
  await db.query('UPDATE settings SET auto_incidents = true');
  await db.query('DELETE FROM windows');
});

after(async () => {
  await gw?.close();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
  await db?.drop();
  await stopTestServer();
});

describe('passive detection', () => {
  it('judges the upstream down after a run of 5xx from forwarded requests, with no health check', async () => {
    behaviour.pages = 502;
    for (let i = 0; i < 5; i += 1) assert.equal((await request(`${gw.url}/orders/${i}`)).status, 502);
    await judgedDown();
    const res = await request(`${gw.url}/orders/6`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 503);
    assert.equal(JSON.parse(res.body).status, 'unavailable');
    const [outage] = await rows<{ detected_by: string; cause: string; incident_id: string | null }>(
      'SELECT detected_by, cause, incident_id::text FROM outages WHERE ended_at IS NULL',
    );
    assert.equal(outage!.detected_by, 'requests');
    assert.equal(outage!.cause, '5 forwarded requests in a row failed, the last with HTTP 502');
    assert.ok(outage!.incident_id, 'an incident was opened');
    // The scheduled check (at each minute's start) may have run meanwhile, and passed: /healthz answers
    // 200. What judged it down were the requests, with no failed check behind it.
    const [health] = await rows<{ failures: number }>('SELECT failures FROM upstream_health');
    assert.equal(health!.failures, 0, 'no active check was needed');

    // Only active checks judge it back; until then even a healthy application gets no traffic.
    behaviour.pages = 200;
    await check(1);
    assert.equal((await request(`${gw.url}/orders/7`)).status, 503);
    await check(1);
    await waitFor(() => primarySite(gw.store.current())!.upstream.state === 'up', 2000, 'back up');
    assert.equal((await request(`${gw.url}/orders/8`)).status, 200);
    const [incident] = await rows<{ status: string }>('SELECT status FROM incidents WHERE id = $1', [outage!.incident_id]);
    assert.equal(incident!.status, 'resolved');
  });

  it('does not judge it down when an answer below 500 breaks the run', async () => {
    for (let round = 0; round < 3; round += 1) {
      behaviour.pages = 500;
      for (let i = 0; i < 4; i += 1) await request(`${gw.url}/flaky`);
      behaviour.pages = 404;
      await request(`${gw.url}/flaky`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(primarySite(gw.store.current())!.upstream.state, 'up');
    assert.equal((await rows('SELECT 1 FROM outages WHERE ended_at IS NULL')).length, 0);
  });
});

describe('active checks', () => {
  it('tells open status pages within a second when the checks judge the application down, and when it is back', async () => {
    const page = await openSse(`${gw.url}/status/events`);
    try {
      await page.next(0, 1000);
      behaviour.health = 503;
      await check(2);
      const judged = Date.now();
      const down = await page.next(1, 1000, (event) => JSON.parse(event.data).indicator === 'critical');
      assert.equal(JSON.parse(down.data).description, 'Major Service Outage');
      assert.ok(down.at - judged < 1000);
      behaviour.health = 200;
      await check(2);
      await page.next(page.events.length, 1000, (event) => JSON.parse(event.data).indicator === 'none');
    } finally {
      page.close();
    }
  });

  it('never flips on checks that alternate between passing and failing', async () => {
    const outagesBefore = (await rows('SELECT 1 FROM outages')).length;
    behaviour.flap = true;
    await check(10);
    const [health] = await rows<{ state: string; checked_at: Date | null; failures: number }>('SELECT state, checked_at, failures FROM upstream_health');
    assert.equal(health!.state, 'up');
    assert.ok(health!.checked_at);
    assert.ok(health!.failures <= 1);
    assert.equal((await rows('SELECT 1 FROM outages')).length, outagesBefore);
    assert.equal((await request(`${gw.url}/page`)).status, 200);
  });

  it('records failed checks while a window holds all traffic, without judging the upstream down', async () => {
    await db.query("INSERT INTO windows (title) VALUES ('Planned work')");
    behaviour.health = 503;
    await check(4);
    const [health] = await rows<{ state: string; last_error: string | null }>('SELECT state, last_error FROM upstream_health');
    assert.deepEqual(health, { state: 'up', last_error: 'HTTP 503' });
    assert.equal((await rows('SELECT 1 FROM outages WHERE ended_at IS NULL')).length, 0);
    behaviour.health = 200;
    await check(1);
  });
});

describe('automatic incidents off', () => {
  it('still serves the trouble page, and opens no incident and changes no component', async () => {
    const component = (await rows<{ id: string }>("INSERT INTO components (name) VALUES ('Shop') RETURNING id::text"))[0]!.id;
    await db.query('UPDATE settings SET auto_incidents = false, upstream_component_id = $1', [component]);
    const incidentsBefore = (await rows('SELECT 1 FROM incidents')).length;
    behaviour.health = 500;
    await check(2);
    await judgedDown();
    const page = await request(`${gw.url}/`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 503);
    assert.match(page.body, /unexpected trouble/i);
    const [outage] = await rows<{ incident_id: string | null; component_id: string | null }>('SELECT incident_id, component_id FROM outages WHERE ended_at IS NULL');
    assert.deepEqual(outage, { incident_id: null, component_id: null });
    assert.equal((await rows('SELECT 1 FROM incidents')).length, incidentsBefore);
    assert.equal((await rows<{ status: string }>('SELECT status FROM components WHERE id = $1', [component]))[0]!.status, 'operational');
    await recover();
    assert.equal((await rows('SELECT 1 FROM outages WHERE ended_at IS NULL')).length, 0);
  });
});

describe('while the upstream is down', () => {
  beforeEach(async () => {
    behaviour.health = 500;
    await check(2);
    await judgedDown();
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await request(`${gw.url}/catalog`, { method: 'HEAD', headers: { accept: 'text/html' } });
    assert.equal(res.status, 503);
    // Two passed checks a minute apart, at most a minute.
    assert.equal(res.headers['retry-after'], '60');
    assert.equal(res.body, '');
  });

  it('refuses a WebSocket upgrade with the same 503 before upgrading', async () => {
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/live`);
    const status = await new Promise<number>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('upgraded')));
      ws.on('error', () => undefined);
    });
    assert.equal(status, 503);
    ws.terminate();
  });

  it('still forwards an allowed path, an allowlisted address and a bypass token, so an SRE can reach the application', async () => {
    assert.equal((await request(`${gw.url}/.well-known/security.txt`)).status, 200);
    assert.equal((await request(`${gw.url}/orders`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status, 200);
    const link = (await rows<{ id: string; expires_at: Date }>("INSERT INTO bypass_links (expires_at) VALUES (now() + interval '10 minutes') RETURNING id::text, expires_at"))[0]!;
    const secret = (await rows<{ value: string }>("SELECT value FROM gateway_secrets WHERE name = 'bypass'"))[0]!.value;
    await waitFor(() => primarySite(gw.store.current())!.activeBypassLinks.has(link.id), 1000, 'the link reached the snapshot');
    const token = signBypassToken(secret, { linkId: link.id, expiresAt: link.expires_at.getTime() });
    assert.equal((await request(`${gw.url}/orders`, { headers: { 'x-intermission-bypass': token } })).status, 200);
    assert.equal((await request(`${gw.url}/orders`)).status, 503);
  });

  it('counts the requests it answered in the metrics', async () => {
    const metrics = (await request(`${gw.url}/_gateway/metrics`)).body;
    assert.match(metrics, /intermission_upstream_up\{site="default"\} 0/);
    assert.match(metrics, /intermission_requests_total\{outcome="unavailable"\} [1-9]/);
  });
});
