// A receiver that never answers: forwarded traffic keeps its latency, a healthy receiver still gets
// its events within a second or two, and stopping the jobs does not wait for the hanging attempts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { sendMany, type LoadOutcome } from '../helpers/load.js';
import { API } from '../admin/fixtures.js';
import { startReceiver, type Receiver } from './receiver.js';

const TIMEOUT_MS = 20_000;
const REQUESTS = 300;
const CHANGES = 20;
const harness = useGateway({ WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) });
let db: TestDatabase;
let gw: TestGateway;
let admin: string;
let hanging: Receiver;
let healthy: Receiver;

before(async () => {
  ({ db, gw } = await harness);
  admin = await makeToken(gw.pool, 'admin');
  hanging = await startReceiver(() => 'hang');
  healthy = await startReceiver(() => 204);
});

after(async () => {
  await hanging.close();
  await healthy.close();
});

function percentile(outcomes: LoadOutcome[], p: number): number {
  const sorted = outcomes.map((o) => o.endedAt - o.sentAt).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function forwarded(): Promise<{ p50: number; p95: number }> {
  const outcomes = await sendMany(gw.url, REQUESTS, { concurrency: 10, pathFor: (n) => `/echo/${n}` });
  assert.ok(outcomes.every((o) => o.status === 200), 'every request forwarded');
  return { p50: percentile(outcomes, 50), p95: percentile(outcomes, 95) };
}

describe('a receiver that hangs', () => {
  it('slows neither forwarded requests nor a healthy receiver', async () => {
    await forwarded(); // warm-up: connections to the upstream, JIT
    const baseline = await forwarded();

    for (const [url, events] of [[hanging.url, undefined], [healthy.url, ['component.status_changed']]] as const) {
      const res = await api(gw.url, admin, 'POST', `${API}/webhooks`, { url, ...(events ? { events } : {}) });
      assert.equal(res.status, 201);
    }
    const { rows } = await db.query<{ id: string }>("INSERT INTO components (name) VALUES ('Checkout') RETURNING id::text");
    const statuses = ['degraded_performance', 'operational'];
    for (let i = 0; i < CHANGES; i += 1) {
      await db.query('UPDATE components SET status = $2 WHERE id = $1', [rows[0]!.id, statuses[i % 2]]);
    }
    const changedAt = Date.now();

    const healthyAfter = await waitFor(() => healthy.received.length === CHANGES, 5000, 'the healthy receiver gets every change');
    assert.ok(Date.now() - changedAt < 2000, `the healthy receiver had them within ${healthyAfter} ms`);
    await waitFor(() => hanging.open >= 8, 5000, 'attempts hang at the other receiver');

    const during = await forwarded();
    assert.ok(hanging.open >= 8, `still hanging: ${hanging.open}`);
    // Generous bounds for a shared 2-core machine; a request path that waited on a receiver would take seconds.
    assert.ok(during.p50 <= baseline.p50 * 3 + 20, `median ${during.p50} ms against ${baseline.p50} ms without hanging receivers`);
    assert.ok(during.p95 <= baseline.p95 * 3 + 50, `p95 ${during.p95} ms against ${baseline.p95} ms`);

    const { rows: pending } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.url = $1 AND d.state = 'pending'",
      [hanging.url],
    );
    assert.equal(pending[0]!.n, CHANGES, 'the hanging ones wait, none is lost');
  });

  it('stops the jobs at once, aborting the attempts still hanging', async () => {
    assert.ok(hanging.open > 0);
    const started = Date.now();
    await gw.automation.stop();
    const took = Date.now() - started;
    assert.ok(took < 3000, `stopped in ${took} ms, with a ${TIMEOUT_MS} ms webhook timeout`);
    await waitFor(() => hanging.open === 0, 2000, 'the hanging connections are closed');
    const { rows } = await db.query<{ last_error: string }>(
      "SELECT last_error FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.url = $1 AND d.attempts > 0",
      [hanging.url],
    );
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => /gateway stopped/.test(row.last_error)), JSON.stringify(rows.slice(0, 2)));
  });
});
