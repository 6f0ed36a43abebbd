// Two gateway processes on one database, as replicas behind a load balancer: they start together
// on a fresh database, and a window committed with plain SQL is in force on both within a second.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { killLeftovers, startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let db: TestDatabase;
let upstream: Upstream;
let replicas: GatewayProcess[] = [];

before(async () => {
  // Not migrated: both replicas migrate it as they start, at the same time.
  db = await createTestDatabase({ migrated: false });
  upstream = await startUpstream();
});

after(async () => {
  await Promise.all(replicas.map((replica) => replica.stop(5000)));
  await killLeftovers();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

/** Milliseconds until every replica answers `status` on path. */
function allAnswer(path: string, status: number, what: string): Promise<number[]> {
  return Promise.all(replicas.map((replica, i) => waitFor(async () => (await request(`${replica.url}${path}`)).status === status, 1000, `replica ${i + 1}: ${what}`)));
}

describe('two gateway replicas on one database', () => {
  it('start together on a fresh database, each migration applied once', async () => {
    const env = { UPSTREAM_URL: upstream.url, DATABASE_URL: db.url, LOG_LEVEL: 'info' };
    replicas = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
    const { rows } = await db.query<{ version: number; n: string }>('SELECT version, count(*) AS n FROM schema_migrations GROUP BY version');
    assert.ok(rows.length > 0);
    for (const row of rows) assert.equal(Number(row.n), 1);
    const applied = replicas.flatMap((replica) => replica.logs.filter((line) => line.msg === 'migration applied'));
    assert.equal(applied.length, rows.length, 'each migration applied by exactly one replica');
    for (const replica of replicas) assert.equal((await request(`${replica.url}/`)).status, 200);
  });

  it('logs a working one-time setup link for the first admin, since no user exists yet', async () => {
    const line = replicas[0]!.logs.find((entry) => typeof entry.setupUrl === 'string');
    assert.ok(line, 'a setup link in the log');
    const url = new URL(String(line.setupUrl));
    const form = await request(`${replicas[1]!.url}${url.pathname}${url.search}`);
    assert.equal(form.status, 200);
    assert.match(form.body, /Create the first admin/);
  });

  it('holds requests on both within a second of a plain SQL insert, and forwards on both within a second of its end', async () => {
    const { rows } = await db.query<{ id: string }>("INSERT INTO windows (title, ends_at) VALUES ('Database upgrade', now() + interval '30 minutes') RETURNING id::text");
    const held = await allAnswer('/orders', 503, 'held after the insert');
    await db.query('UPDATE windows SET ended_at = now() WHERE id = $1', [rows[0]!.id]);
    const forwarded = await allAnswer('/orders', 200, 'forwarded after the end');
    assert.ok([...held, ...forwarded].every((ms) => ms < 1000), JSON.stringify({ held, forwarded }));
  });

  it('keeps both replicas in step when one window follows another', async () => {
    await db.query("INSERT INTO windows (title, path_prefixes, ends_at) VALUES ('API', '{/api}', now() + interval '1 hour')");
    await allAnswer('/api/items', 503, 'the API window in force');
    for (const replica of replicas) assert.equal((await request(`${replica.url}/shop`)).status, 200);
    await db.query("UPDATE windows SET ends_at = now() WHERE path_prefixes = '{/api}'");
    await allAnswer('/api/items', 200, 'the API window over');
  });
});
