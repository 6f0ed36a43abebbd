// Webhook deliveries to real receivers made by the test, through a real gateway and its jobs:
// signed so the receiver can verify them, each event type to the webhooks that chose it, retried
// with growing pauses, given up after the last attempt, never redirected, and stopped by disabling.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../src/notify/signature.js';
import { api, makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { API } from '../admin/fixtures.js';
import { json, startReceiver, type Answer, type Receiver } from './receiver.js';

const RETRY_BASE_MS = 500;
const harness = useGateway({ WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS), WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '2000' });
let db: TestDatabase;
let gw: TestGateway;
let admin: string;
const receivers: Receiver[] = [];

before(async () => {
  ({ db, gw } = await harness);
  admin = await makeToken(gw.pool, 'admin');
});

after(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(answer?: Answer): Promise<Receiver> {
  const made = await startReceiver(answer);
  receivers.push(made);
  return made;
}

async function webhook(url: string, fields: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await api(gw.url, admin, 'POST', `${API}/webhooks`, { url, ...fields });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.webhook.id, secret: res.body.secret };
}

async function sendTest(id: string): Promise<{ event_id: string; delivery_id: string }> {
  const res = await api(gw.url, admin, 'POST', `${API}/webhooks/${id}/test`, {});
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

interface DeliveryRow {
  state: string;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
}

async function delivery(id: string): Promise<DeliveryRow> {
  const { rows } = await db.query<DeliveryRow>('SELECT state, attempts, response_status, last_error FROM webhook_deliveries WHERE id = $1', [id]);
  return rows[0]!;
}

describe('webhook deliveries', () => {
  it('signs each delivery so the receiver can verify it with the secret', async () => {
    const hook = await receiver();
    const { id, secret } = await webhook(hook.url, { description: 'signed' });
    const sent = await sendTest(id);
    await waitFor(() => hook.received.length === 1, 5000, 'the test event arrives');
    const [request] = hook.received;
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['user-agent'], 'intermission-webhooks');
    assert.equal(request!.headers['intermission-event'], 'webhook.test');
    assert.equal(request!.headers['intermission-delivery'], sent.delivery_id);
    const signature = request!.headers['intermission-signature'] as string;
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(verifySignature(secret, signature, request!.body), true, 'verified with the secret');
    assert.equal(verifySignature(`${secret}x`, signature, request!.body), false, 'not with another');
    const body = json(request!);
    assert.deepEqual(Object.keys(body).sort(), ['created_at', 'data', 'id', 'type']);
    assert.equal(body.id, sent.event_id);
    assert.equal(body.type, 'webhook.test');
    assert.equal(body.data.webhook_id, id);
    await waitFor(async () => (await delivery(sent.delivery_id)).state === 'delivered', 3000, 'recorded as delivered');
    assert.deepEqual(await delivery(sent.delivery_id), { state: 'delivered', attempts: 1, response_status: 200, last_error: null });
  });

  it('sends each event type to a webhook that chose it, and none to one that did not', async () => {
    const all = await receiver();
    const componentsOnly = await receiver();
    await webhook(all.url);
    await webhook(componentsOnly.url, { events: ['component.status_changed'] });
    const operator = await makeToken(gw.pool, 'operator', 'events-operator');
    const call = async (method: string, path: string, body: unknown = {}) => {
      const res = await api(gw.url, operator, method, `${API}${path}`, body);
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const later = new Date(Date.now() + 3 * 3600_000).toISOString();
    const scheduled = await call('POST', '/windows', { title: 'Planned', starts_at: later, duration: '1h' });
    await call('DELETE', `/windows/${scheduled.window.id}`);
    const started = await call('POST', '/windows/start', { title: 'Now', duration: '30m' });
    await waitFor(async () => (await db.query("SELECT 1 FROM windows WHERE id = $1 AND lifecycle = 'in_progress'", [started.window.id])).rowCount === 1, 5000, 'the window starts');
    await call('POST', `/windows/${started.window.id}/extend`, { by: '15m' });
    await call('POST', `/windows/${started.window.id}/end`);
    await call('POST', '/incidents', { title: 'Slow checkout', body: 'Looking into it.' });
    const component = await call('POST', '/components', { name: 'API' });
    await call('PATCH', `/components/${component.id}`, { status: 'major_outage' });

    const expected = ['window.scheduled', 'window.cancelled', 'window.started', 'window.extended', 'window.ended', 'incident.updated', 'component.status_changed'];
    const types = () => new Set(all.received.map((request) => request.headers['intermission-event']));
    await waitFor(() => expected.every((type) => types().has(type)), 10_000, `every event type arrives (got ${[...types()].join(', ')})`);
    for (const request of all.received) assert.equal(json(request).type, request.headers['intermission-event']);

    const ended = all.received.map(json).find((body) => body.type === 'window.ended');
    assert.equal(ended.data.window.id, started.window.id);
    assert.equal(ended.data.window.lifecycle, 'completed');
    const extended = all.received.map(json).find((body) => body.type === 'window.extended');
    assert.ok(Date.parse(extended.data.window.ends_at) > Date.parse(extended.data.previous_ends_at));
    const changed = all.received.map(json).find((body) => body.type === 'component.status_changed');
    assert.deepEqual([changed.data.component.name, changed.data.component.status, changed.data.previous_status], ['API', 'major_outage', 'operational']);
    const incident = all.received.map(json).find((body) => body.type === 'incident.updated');
    assert.equal(incident.data.update.body, 'Looking into it.');

    await waitFor(() => componentsOnly.received.length >= 1, 5000, 'the component change arrives');
    assert.deepEqual(componentsOnly.received.map((request) => request.headers['intermission-event']), ['component.status_changed']);
  });

  it('retries a failing receiver with growing pauses, and records every attempt until it is delivered', async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
    const { id } = await webhook(flaky.url);
    const sent = await sendTest(id);
    await waitFor(() => flaky.received.length === 3, 10_000, 'three attempts');
    await waitFor(async () => (await delivery(sent.delivery_id)).state === 'delivered', 3000, 'delivered at the third');
    assert.deepEqual(await delivery(sent.delivery_id), { state: 'delivered', attempts: 3, response_status: 200, last_error: null });
    const [first, second, third] = flaky.received.map((request) => request.at);
    const pauses = [second! - first!, third! - second!];
    assert.ok(pauses[0]! >= RETRY_BASE_MS - 50, `first pause ${pauses[0]} ms is at least the base`);
    assert.ok(pauses[1]! >= 2 * RETRY_BASE_MS - 50, `second pause ${pauses[1]} ms is at least twice the base`);
    assert.equal(new Set(flaky.received.map((request) => request.headers['intermission-delivery'])).size, 1, 'the same delivery each time');
  });

  it('gives up after the last attempt, with the status and what the receiver said', async () => {
    const broken = await receiver(() => 503);
    const { id } = await webhook(broken.url);
    const sent = await sendTest(id);
    await waitFor(async () => (await delivery(sent.delivery_id)).state === 'failed', 10_000, 'failed after three attempts');
    assert.deepEqual(await delivery(sent.delivery_id), { state: 'failed', attempts: 3, response_status: 503, last_error: 'HTTP 503: refused: status 503' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(broken.received.length, 3, 'no fourth attempt');
  });

  it('records an unreachable receiver as having given no answer', async () => {
    const gone = await receiver();
    await gone.close();
    const { id } = await webhook(gone.url);
    const sent = await sendTest(id);
    await waitFor(async () => (await delivery(sent.delivery_id)).attempts >= 1 && (await delivery(sent.delivery_id)).last_error !== null, 5000, 'an attempt recorded');
    const row = await delivery(sent.delivery_id);
    assert.equal(row.response_status, null);
    assert.match(row.last_error!, /ECONNREFUSED/);
  });

  it('gives up on an attempt the receiver does not answer within WEBHOOK_TIMEOUT_MS, and tries again later', async () => {
    const silent = await receiver((n) => (n === 1 ? 'hang' : 200));
    const { id } = await webhook(silent.url);
    const sent = await sendTest(id);
    await waitFor(async () => (await delivery(sent.delivery_id)).last_error !== null, 5000, 'the first attempt times out');
    assert.match((await delivery(sent.delivery_id)).last_error!, /^ETIMEDOUT: no answer within 2000 ms/);
    await waitFor(async () => (await delivery(sent.delivery_id)).state === 'delivered', 5000, 'the second attempt delivers');
    assert.equal((await delivery(sent.delivery_id)).attempts, 2);
  });

  it('does not follow redirects', async () => {
    const moved = await receiver((_n, request) => (request.path === '/hook' ? 302 : 200));
    const { id } = await webhook(moved.url);
    const sent = await sendTest(id);
    await waitFor(async () => (await delivery(sent.delivery_id)).response_status === 302, 5000, 'the redirect recorded');
    assert.match((await delivery(sent.delivery_id)).last_error!, /redirects are not followed/);
    assert.deepEqual(moved.received.map((request) => request.path), ['/hook'], 'nothing went to the Location');
  });

  it('sends a Slack-compatible text to a webhook in slack format, signed all the same', async () => {
    const slack = await receiver();
    const { id, secret } = await webhook(slack.url, { format: 'slack' });
    await sendTest(id);
    await waitFor(() => slack.received.length === 1, 5000, 'the test event arrives');
    const [request] = slack.received;
    assert.deepEqual(Object.keys(json(request!)), ['text']);
    assert.match(json(request!).text, /^Test event from Intermission/);
    assert.equal(verifySignature(secret, request!.headers['intermission-signature'] as string, request!.body), true);
  });

  it('stops delivering to a disabled webhook, gives up what was waiting, and refuses to test it', async () => {
    const off = await receiver(() => 500);
    const { id } = await webhook(off.url);
    const sent = await sendTest(id);
    await waitFor(() => off.received.length === 1, 5000, 'the first attempt');
    const patched = await api(gw.url, admin, 'PATCH', `${API}/webhooks/${id}`, { enabled: false });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.enabled, false);
    await waitFor(async () => (await delivery(sent.delivery_id)).state === 'failed', 3000, 'the retry is given up');
    assert.match((await delivery(sent.delivery_id)).last_error!, /disabled/);
    const test = await api(gw.url, admin, 'POST', `${API}/webhooks/${id}/test`, {});
    assert.equal(test.status, 409);
    await db.query("INSERT INTO components (name) VALUES ('Search')");
    await db.query("UPDATE components SET status = 'partial_outage' WHERE name = 'Search'");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(off.received.length, 1, 'nothing more arrives');
    const removed = await api(gw.url, admin, 'DELETE', `${API}/webhooks/${id}`);
    assert.equal(removed.status, 200);
    assert.equal((await db.query('SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1', [id])).rowCount, 0, 'its deliveries went with it');
  });
});
