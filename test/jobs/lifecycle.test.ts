// Windows move through scheduled → in_progress → (verifying →) completed by themselves, each step
// announced once as an event, with what actually happened recorded against the plan.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { api, makeToken } from '../helpers/admin.js';
import { API } from '../admin/fixtures.js';

let db: TestDatabase;
let gw: TestGateway;
let app: http.Server;
/** What the application's /healthz answers. */
let healthStatus = 503;

interface LifecycleRow {
  lifecycle: string;
  started_at: Date | null;
  completed_at: Date | null;
  starts_at: Date;
}

async function windowRow(id: string): Promise<LifecycleRow> {
  const { rows } = await db.query<LifecycleRow>('SELECT lifecycle, started_at, completed_at, starts_at FROM windows WHERE id = $1', [id]);
  return rows[0]!;
}

async function eventsOf(id: string): Promise<string[]> {
  const { rows } = await db.query<{ type: string }>("SELECT type FROM events WHERE data -> 'window' ->> 'id' = $1 ORDER BY id", [id]);
  return rows.map((row) => row.type);
}

async function insertWindow(startsInMs: number, lastsMs: number, extra = ''): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO windows (title, starts_at, ends_at${extra ? ', verify_upstream' : ''})
     VALUES ('Database upgrade', now() + $1 * interval '1 millisecond', now() + $2 * interval '1 millisecond'${extra ? ', true' : ''})
     RETURNING id::text`,
    [startsInMs, startsInMs + lastsMs],
  );
  return rows[0]!.id;
}

async function lifecycleBecomes(id: string, state: string, timeoutMs = 4000): Promise<void> {
  await waitFor(async () => (await windowRow(id)).lifecycle === state, timeoutMs, `window ${id} becomes ${state}`);
}

before(async () => {
  db = await createTestDatabase();
  app = http.createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? healthStatus : 200;
    res.end(req.url === '/healthz' ? `health ${healthStatus}` : 'the application');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const upstream = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  // Detection of unplanned downtime off: only the verification of windows looks at /healthz here.
  gw = await startGateway(db.url, upstream, { HEALTHCHECK_PATH: '/healthz', HEALTHCHECK_INTERVAL_S: '0', HEALTHCHECK_REQUEST_FAILURES: '0', VERIFY_TIMEOUT_MS: '3000' });
});

after(async () => {
  await gw?.close();
  await new Promise((resolve) => app?.close(resolve));
  await db?.drop();
  await stopTestServer();
});

describe('the lifecycle of a window', () => {
  it('starts and completes on time, each step announced once, the actual start and end recorded', async () => {
    const id = await insertWindow(1000, 1500);
    assert.equal((await windowRow(id)).lifecycle, 'scheduled');
    await lifecycleBecomes(id, 'in_progress');
    await lifecycleBecomes(id, 'completed');
    const row = await windowRow(id);
    assert.equal(row.started_at?.getTime(), row.starts_at.getTime(), 'it went in force at its start');
    assert.ok(row.completed_at, 'completed at its end');
    assert.deepEqual(await eventsOf(id), ['window.scheduled', 'window.started', 'window.ended']);
  });

  it('completes a cancelled window without starting it', async () => {
    const id = await insertWindow(60_000, 60_000);
    await db.query('UPDATE windows SET ended_at = starts_at WHERE id = $1', [id]);
    await lifecycleBecomes(id, 'completed');
    assert.equal((await windowRow(id)).started_at, null);
    assert.deepEqual(await eventsOf(id), ['window.scheduled', 'window.cancelled']);
  });

  it('keeps customers held after the end until the application passes its health check', async () => {
    healthStatus = 503;
    const id = await insertWindow(0, 800, 'verify');
    await lifecycleBecomes(id, 'verifying');
    const held = await request(`${gw.url}/orders`, { headers: { accept: 'text/html' } });
    assert.equal(held.status, 503, 'still held while verifying');
    assert.equal((await request(`${gw.url}/orders`)).status, 503);
    healthStatus = 200;
    await lifecycleBecomes(id, 'completed');
    await waitFor(async () => (await request(`${gw.url}/orders`)).status === 200, 1000, 'forwarded once the check passed');
    const { rows } = await db.query<{ body: string }>('SELECT body FROM updates WHERE window_id = $1', [id]);
    assert.match(rows[0]!.body, /passed its health check/);
    assert.deepEqual(await eventsOf(id), ['window.started', 'window.ended']);
  });

  it('completes a verifying window after VERIFY_TIMEOUT_MS, saying the check never passed', async () => {
    healthStatus = 503;
    const id = await insertWindow(0, 500, 'verify');
    await lifecycleBecomes(id, 'verifying');
    await lifecycleBecomes(id, 'completed', 6000);
    const row = await windowRow(id);
    const { rows } = await db.query<{ body: string }>('SELECT body FROM updates WHERE window_id = $1', [id]);
    assert.match(rows[0]!.body, /did not pass its health check .*HTTP 503/);
    assert.ok(row.completed_at!.getTime() - row.starts_at.getTime() >= 3500, 'not before the end plus the limit');
    await waitFor(async () => (await request(`${gw.url}/orders`)).status === 200, 1000, 'forwarded after the limit');
  });

  it('lets customers through at once when an operator ends a window that is still verifying', async () => {
    healthStatus = 503;
    const token = await makeToken(gw.pool, 'operator');
    const id = await insertWindow(0, 500, 'verify');
    await lifecycleBecomes(id, 'verifying');
    assert.equal((await request(`${gw.url}/orders`)).status, 503);
    const ended = await api(gw.url, token, 'POST', `${API}/windows/${id}/end`, {});
    assert.equal(ended.status, 200);
    assert.equal(ended.body.window.lifecycle, 'completed');
    assert.ok(ended.body.window.completed_at);
    await waitFor(async () => (await request(`${gw.url}/orders`)).status === 200, 1000, 'forwarded without waiting for the check');
    assert.deepEqual(await eventsOf(id), ['window.started', 'window.ended']);
  });

  it('puts a verifying window back in progress when it is extended, and verifies again at its new end', async () => {
    healthStatus = 503;
    const token = await makeToken(gw.pool, 'operator', 'extender');
    const id = await insertWindow(0, 500, 'verify');
    await lifecycleBecomes(id, 'verifying');
    const extended = await api(gw.url, token, 'POST', `${API}/windows/${id}/extend`, { by: '2s' });
    assert.equal(extended.status, 200);
    assert.equal(extended.body.window.lifecycle, 'in_progress');
    healthStatus = 200;
    await lifecycleBecomes(id, 'completed', 6000);
    const row = await windowRow(id);
    assert.ok(row.completed_at!.getTime() >= Date.parse(extended.body.window.ends_at), 'completed after its new end, not before');
  });
});
