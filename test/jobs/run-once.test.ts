// Two gateway processes on one database, both running every job: each tick runs on one of them
// only, and what the jobs do happens once.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/gateway.js';
import { killLeftovers, startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { startReceiver, type Receiver } from '../notify/receiver.js';

let db: TestDatabase;
let upstream: Upstream;
let replicas: GatewayProcess[] = [];
let receiver: Receiver;

before(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  receiver = await startReceiver();
  await db.query("INSERT INTO webhooks (url, events, secret) VALUES ($1, '{window.scheduled,window.started,window.ended}', 'whsec_run-once-test-secret')", [`${receiver.url}/hook`]);
  const env = { UPSTREAM_URL: upstream.url, DATABASE_URL: db.url, LOG_LEVEL: 'info', HEALTHCHECK_INTERVAL_S: '1', HEALTHCHECK_PATH: '/' };
  replicas = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
});

after(async () => {
  await Promise.all(replicas.map((replica) => replica.stop(5000)));
  await killLeftovers();
  await upstream?.close();
  await receiver?.close();
  await db?.drop();
  await stopTestServer();
});

describe('jobs on two gateways', () => {
  it('run each tick on exactly one gateway, and both gateways take ticks', async () => {
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const { rows } = await db.query<{ job: string; ticks: string; runners: string; pids: string[] }>(
      `SELECT job, count(*) AS ticks, count(DISTINCT ran_by) AS runners, array_agg(DISTINCT split_part(ran_by, ':', 2)) AS pids
       FROM job_runs WHERE started_at >= $1 GROUP BY job`,
      [since],
    );
    const lifecycle = rows.find((row) => row.job === 'lifecycle');
    assert.ok(lifecycle, 'the lifecycle job ran');
    // One row per tick is the primary key's doing; what matters is that there is no more than one run per second.
    assert.ok(Number(lifecycle.ticks) >= 3 && Number(lifecycle.ticks) <= 5, `about one lifecycle tick a second, got ${lifecycle.ticks}`);
    const pids = new Set(rows.flatMap((row) => row.pids));
    assert.deepEqual([...pids].sort(), replicas.map((replica) => String(replica.pid)).sort(), 'both gateways claimed ticks');
  });

  it('start and end a window once, whichever gateway runs the tick', async () => {
    const windows = await db.query<{ id: string }>(
      `INSERT INTO windows (title, starts_at, ends_at)
       SELECT 'Upgrade ' || n, now() + interval '1 second', now() + interval '2 seconds' FROM generate_series(1, 5) AS n
       RETURNING id::text`,
    );
    const ids = windows.rows.map((row) => row.id);
    await waitFor(async () => {
      const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM windows WHERE id = ANY($1::bigint[]) AND lifecycle = 'completed'", [ids]);
      return Number(rows[0]!.n) === ids.length;
    }, 6000, 'all five windows completed');
    const { rows } = await db.query<{ type: string; n: string }>(
      "SELECT type, count(*) AS n FROM events WHERE data -> 'window' ->> 'id' = ANY($1) GROUP BY type ORDER BY type",
      [ids],
    );
    assert.deepEqual(rows.map((row) => [row.type, Number(row.n)]), [['window.ended', 5], ['window.scheduled', 5], ['window.started', 5]]);
    const audit = await db.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE action = 'window.lifecycle' AND object_id = ANY($1)", [ids]);
    assert.equal(Number(audit.rows[0]!.n), 10, 'two transitions for each window, each written once');
    // Both gateways deliver webhooks; each delivery reaches the receiver once.
    await waitFor(() => receiver.received.length >= 15, 5000, 'fifteen deliveries received');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const deliveries = receiver.received.map((request) => String(request.headers['intermission-delivery']));
    assert.equal(deliveries.length, 15, 'no delivery sent twice');
    assert.equal(new Set(deliveries).size, 15);
  });
});
