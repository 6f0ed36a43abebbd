// The upstream stopped and started again under load, with health checks every second: customers
// get the trouble page (never a raw error or a reset), an incident opens with its update and the
// linked component goes to major outage, webhooks are queued; once it is back, all of that is
// undone, the incident resolved with the measured duration, and the outage counts what it held.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startLoad, type LoadOutcome } from '../helpers/load.js';

const INTERVAL_MS = 1000;
const DOWN_AFTER = 2;
const UP_AFTER = 2;
const ENV = {
  SITE_NAME: 'Example Shop',
  HEALTHCHECK_PATH: '/healthz',
  HEALTHCHECK_INTERVAL_S: String(INTERVAL_MS / 1000),
  HEALTHCHECK_DOWN_AFTER: String(DOWN_AFTER),
  HEALTHCHECK_UP_AFTER: String(UP_AFTER),
  HEALTHCHECK_TIMEOUT_MS: '500',
  // Only the active checks judge here; passive detection has its own test.
  HEALTHCHECK_REQUEST_FAILURES: '0',
};
// The checks run on second marks: the last one of a run may come up to an interval late, the
// judgement reaches the snapshot through a notice, and the job's transaction takes a moment.
const WITHIN_DOWN_MS = (DOWN_AFTER + 1) * INTERVAL_MS + 1500;
const WITHIN_UP_MS = (UP_AFTER + 1) * INTERVAL_MS + 1500;

let db: TestDatabase;
let gw: TestGateway;
let app: http.Server;
let port: number;

/** A small application that can be stopped and started again on the same port. */
function createApp(): http.Server {
  const server = http.createServer(function application(req, res) {
    res.setHeader('content-type', 'text/plain');
    res.end(req.url === '/healthz' ? 'ok' : `hello from ${req.url}`);
  });
  server.keepAliveTimeout = 60_000;
  return server;
}

async function startApp(): Promise<void> {
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
}

async function stopApp(): Promise<void> {
  const closed = new Promise((resolve) => app.close(resolve));
  app.closeAllConnections();
  await closed;
}

async function rows<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(sql, params)).rows;
}

before(async () => {
  db = await createTestDatabase();
  app = createApp();
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  port = (app.address() as AddressInfo).port;
  gw = await startGateway(db.url, `http://127.0.0.1:${port}`, ENV);
});

after(async () => {
  await gw?.close();
  if (app.listening) await stopApp();
  await db?.drop();
  await stopTestServer();
});

describe('an outage under load', () => {
  it('serves the trouble page within the thresholds, opens and resolves an incident, and restores the component', async () => {
    const component = (await rows<{ id: string }>("INSERT INTO components (name, status) VALUES ('Storefront', 'degraded_performance') RETURNING id::text"))[0]!.id;
    await db.query('UPDATE settings SET upstream_component_id = $1', [component]);
    await db.query(
      "INSERT INTO webhooks (url, events, secret) VALUES ('http://127.0.0.1:9/hook', '{incident.updated,component.status_changed}', 'a-secret-of-sixteen-chars')",
    );

    const load = startLoad(gw.url, { concurrency: 8, pathFor: (n) => `/shop/${n}` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stoppedAt = Date.now();
    await stopApp();
    await waitFor(() => primarySite(gw.store.current())!.upstream.state === 'down', WITHIN_DOWN_MS + 1000, 'the gateway judged the upstream down');
    const downAt = Date.now();
    assert.ok(downAt - stoppedAt <= WITHIN_DOWN_MS, `judged down ${downAt - stoppedAt} ms after the stop`);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // What a customer sees now: the trouble page, 503, with a Retry-After.
    const page = await request(`${gw.url}/shop/cart`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 503);
    assert.equal(page.headers['retry-after'], '5');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /unexpected trouble/i);
    const json = await request(`${gw.url}/api/orders`, { headers: { accept: 'application/json' } });
    assert.equal(json.status, 503);
    assert.equal(JSON.parse(json.body).status, 'unavailable');

    const [outage] = await rows<{ id: string; detected_by: string; cause: string; incident_id: string; component_previous: string; ended_at: Date | null }>(
      'SELECT id::text, detected_by, cause, incident_id::text, component_previous, ended_at FROM outages',
    );
    assert.equal(outage!.detected_by, 'health_check');
    assert.match(outage!.cause, /2 health checks in a row failed: ECONNREFUSED/);
    assert.equal(outage!.ended_at, null);
    assert.equal(outage!.component_previous, 'degraded_performance');
    const [incident] = await rows<{ title: string; status: string; impact: string }>('SELECT title, status, impact FROM incidents WHERE id = $1', [outage!.incident_id]);
    assert.deepEqual(incident, { title: 'Example Shop is unavailable', status: 'investigating', impact: 'major' });
    const [opening] = await rows<{ body: string; created_by: string }>('SELECT body, created_by FROM updates WHERE incident_id = $1', [outage!.incident_id]);
    assert.match(opening!.body, /Example Shop is not responding \(2 health checks in a row failed: ECONNREFUSED\)/);
    assert.equal(opening!.created_by, 'system');
    assert.deepEqual(await rows('SELECT component_id::text FROM incident_components WHERE incident_id = $1', [outage!.incident_id]), [{ component_id: component }]);
    assert.equal((await rows<{ status: string }>('SELECT status FROM components WHERE id = $1', [component]))[0]!.status, 'major_outage');
    const events = (await rows<{ type: string }>('SELECT type FROM events ORDER BY id')).map((e) => e.type);
    assert.ok(events.includes('incident.updated') && events.includes('component.status_changed'), events.join(','));
    const deliveries = await rows<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries');
    assert.ok(deliveries[0]!.n >= 2, 'a delivery for each event the webhook wants');
    assert.match((await request(`${gw.url}/_gateway/metrics`)).body, /intermission_upstream_up\{site="default"\} 0/);

    const restartedAt = Date.now();
    await startApp();
    await waitFor(() => primarySite(gw.store.current())!.upstream.state === 'up', WITHIN_UP_MS + 1000, 'the gateway judged the upstream back');
    assert.ok(Date.now() - restartedAt <= WITHIN_UP_MS, `judged back ${Date.now() - restartedAt} ms after the restart`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const outcomes = await load.stop();

    assertNoRawErrors(outcomes, { stoppedAt, downAt, restartedAt });

    const [ended] = await rows<{ ended_at: Date | null; started_at: Date }>('SELECT started_at, ended_at FROM outages WHERE id = $1', [outage!.id]);
    assert.ok(ended!.ended_at, 'the outage ended');
    const [resolved] = await rows<{ status: string; resolved_at: Date | null }>('SELECT status, resolved_at FROM incidents WHERE id = $1', [outage!.incident_id]);
    assert.equal(resolved!.status, 'resolved');
    assert.ok(resolved!.resolved_at);
    const [closing] = await rows<{ body: string; status: string }>('SELECT body, status FROM updates WHERE incident_id = $1 ORDER BY id DESC LIMIT 1', [outage!.incident_id]);
    assert.equal(closing!.status, 'resolved');
    const seconds = Math.round((ended!.ended_at!.getTime() - ended!.started_at.getTime()) / 1000);
    assert.equal(closing!.body, `Example Shop is back: it was unavailable for ${seconds} s.`);
    assert.equal((await rows<{ status: string }>('SELECT status FROM components WHERE id = $1', [component]))[0]!.status, 'degraded_performance');

    const audit = await rows<{ actor: string; action: string }>("SELECT DISTINCT actor, action FROM audit_log WHERE action LIKE 'upstream.%' ORDER BY action");
    assert.deepEqual(audit, [{ actor: 'system', action: 'upstream.down' }, { actor: 'system', action: 'upstream.up' }]);

    // Every gateway adds its count every few seconds: the load's 503s and the two requests above.
    const answered = outcomes.filter((o) => o.status === 503).length + 2;
    const held = async () => Number((await rows<{ count: string }>('SELECT count FROM held_requests WHERE outage_id = $1', [outage!.id]))[0]?.count ?? 0);
    await waitFor(async () => (await held()) >= answered, 7000, `held requests flushed: the load saw ${answered} answered 503s`);
    assert.equal(await held(), answered);
    assert.equal((await request(`${gw.url}/shop/after`)).status, 200);
  });
});

/** Every request got an answer: the application's, or the trouble page (502 before the judgement, 503 after). */
function assertNoRawErrors(outcomes: LoadOutcome[], at: { stoppedAt: number; downAt: number; restartedAt: number }): void {
  assert.ok(outcomes.length > 100, `${outcomes.length} requests under load`);
  const failed = outcomes.filter((o) => o.status === 0);
  assert.deepEqual(failed.slice(0, 3), [], `${failed.length} requests got no HTTP answer`);
  for (const o of outcomes) assert.ok([200, 502, 503].includes(o.status), `status ${o.status}`);
  // Once judged down (and the snapshot reloaded), nothing is forwarded to the dead upstream any more.
  const lateTrouble = outcomes.filter((o) => o.status === 502 && o.sentAt > at.downAt + 100);
  assert.equal(lateTrouble.length, 0, 'no 502 once the upstream was judged down');
  assert.ok(outcomes.some((o) => o.status === 503 && o.sentAt < at.restartedAt), 'the trouble page was served');
  assert.ok(outcomes.every((o) => o.status !== 503 || o.sentAt > at.stoppedAt), 'no trouble before the stop');
  assert.equal(outcomes.at(-1)!.status, 200, 'back to the application at the end');
}
