// The database goes away under load and comes back: the gateway keeps deciding from its snapshot
// (windows still open and close on time), says so on /_gateway/readyz, refuses admin writes with
// a clear 503 and saves nothing, reconnects, and catches up.
// The tests below are one story in time order, with traffic flowing from before() to the last test.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { api, makeToken } from '../helpers/admin.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startLoad, type Load, type LoadOutcome } from '../helpers/load.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const CUT_MS = 3000;

let db: TestDatabase;
let proxy: TcpProxy;
let upstream: Upstream;
let gw: TestGateway;
let load: Load;
let token: string;
let cutAt = 0;
let restoredAt = 0;
const scheduled = { startsAt: 0, endsAt: 0 };

interface Readyz {
  status: string;
  database: 'up' | 'down';
  snapshot: { loaded: boolean };
}

async function readyz(query = ''): Promise<{ status: number; body: Readyz }> {
  const res = await request(`${gw.url}/_gateway/readyz${query}`);
  return { status: res.status, body: JSON.parse(res.body) as Readyz };
}

/** Inserts with the test's own connection, which never goes through the proxy. */
async function insertWindow(columns: Record<string, unknown>): Promise<string> {
  const values = { title: 'Maintenance', ends_at: new Date(Date.now() + 30 * 60_000), ...columns };
  const names = Object.keys(values);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO windows (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text`,
    Object.values(values),
  );
  return rows[0]!.id;
}

async function statusOf(path: string): Promise<number> {
  return (await request(`${gw.url}${path}`)).status;
}

before(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy(db.url);
  upstream = await startUpstream();
  gw = await startGateway(proxy.url, upstream.url);
  token = await makeToken(gw.pool, 'operator');
  // Twenty clients, each sending one request after another, until the last test.
  load = startLoad(gw.url, { concurrency: 20 });
  await sleep(300);
});

after(async () => {
  await load?.stop();
  await gw?.close();
  await proxy?.close();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

describe('database stopped and restarted under load', () => {
  it('reports the database down on readyz while the link is cut, and stays ready on its snapshot', async () => {
    scheduled.startsAt = Date.now() + 1200;
    scheduled.endsAt = scheduled.startsAt + 800;
    const id = await insertWindow({ title: 'Scheduled', path_prefixes: ['/scheduled'], starts_at: new Date(scheduled.startsAt), ends_at: new Date(scheduled.endsAt) });
    await waitFor(() => primarySite(gw.store.current())!.windows.some((w) => w.id === id), 1000, 'the scheduled window reached the snapshot');
    assert.equal((await readyz('?strict')).status, 200);

    cutAt = Date.now();
    proxy.cut();
    await waitFor(async () => (await readyz()).body.database === 'down', 1000, 'readyz reports the database down');
    const ready = await readyz();
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
    assert.equal(ready.body.snapshot.loaded, true);
    const strict = await readyz('?strict');
    assert.equal(strict.status, 503);
    assert.equal(strict.body.database, 'down');
  });

  it('opens and closes a window on time while the database is cut', async () => {
    const seen: LoadOutcome[] = [];
    while (Date.now() < scheduled.endsAt + 300) {
      const sentAt = Date.now();
      const status = await statusOf('/scheduled/report');
      seen.push({ sentAt, endedAt: Date.now(), status });
      await sleep(20);
    }
    for (const { sentAt, endedAt, status } of seen) {
      const when = `sent ${sentAt - scheduled.startsAt} ms from the start`;
      if (endedAt < scheduled.startsAt || sentAt >= scheduled.endsAt) assert.equal(status, 200, when);
      else if (sentAt >= scheduled.startsAt && endedAt < scheduled.endsAt) assert.equal(status, 503, when);
    }
    assert.ok(seen.some((s) => s.status === 503), 'the window was never in force');
    assert.equal((await readyz()).body.database, 'down', 'the link came back too early for this test to mean anything');
  });

  it('answers an API write with 503 and a clear message while the database is cut, and saves nothing', async () => {
    const res = await api(gw.url, token, 'POST', '/admin/api/v1/windows/start', { title: 'Deploy during the cut', duration: '10m' });
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'GW_ERR_DATABASE');
    assert.match(res.body.error.message, /the database is unavailable/);
    assert.equal((await readyz()).body.database, 'down', 'the link came back too early for this test to mean anything');
    const saved = await db.query("SELECT 1 FROM windows WHERE title = 'Deploy during the cut'");
    assert.equal(saved.rowCount, 0);
  });

  it('reconnects after the database comes back and picks up a window inserted while it was away', async (t) => {
    await insertWindow({ title: 'Inserted during the outage', path_prefixes: ['/during-cut'] });
    // The notice for it went nowhere: the gateway cannot know yet.
    assert.equal(await statusOf('/during-cut/x'), 200);
    const acceptedBefore = proxy.accepted;

    await sleep(Math.max(0, cutAt + CUT_MS - Date.now()));
    proxy.restore();
    restoredAt = Date.now();
    const upAfter = await waitFor(async () => (await readyz()).body.database === 'up', 8000, 'readyz reports the database up again');
    assert.ok(proxy.accepted > acceptedBefore, 'the gateway reconnected through the proxy');
    assert.equal((await readyz('?strict')).status, 200);
    // The full reload on reconnect brings in what the lost notices would have.
    await waitFor(async () => (await statusOf('/during-cut/x')) === 503, 1000, 'the window inserted during the outage is in force');
    t.diagnostic(`database up again ${upAfter} ms after the restore`);
  });

  it('applies a window inserted after the restore within a second', async () => {
    await insertWindow({ title: 'Inserted after the outage', path_prefixes: ['/after-restore'] });
    const heldAfter = await waitFor(async () => (await statusOf('/after-restore/x')) === 503, 1000, 'the new window is in force');
    assert.ok(heldAfter < 1000);
  });

  it('did not fail a single forwarded request from before the cut to after the restore', async (t) => {
    await sleep(200);
    const outcomes = await load.stop();
    const failed = outcomes.filter((o) => o.status !== 200);
    assert.deepEqual(failed.slice(0, 5), [], `${failed.length} of ${outcomes.length} requests failed`);
    const duringCut = outcomes.filter((o) => o.sentAt >= cutAt && o.endedAt <= restoredAt).length;
    const afterRestore = outcomes.filter((o) => o.sentAt > restoredAt).length;
    assert.ok(duringCut > 200, `only ${duringCut} requests while the database was cut`);
    assert.ok(afterRestore > 50, `only ${afterRestore} requests after the restore`);
    t.diagnostic(`${outcomes.length} requests, all 200; ${duringCut} while the database was cut`);
  });
});
