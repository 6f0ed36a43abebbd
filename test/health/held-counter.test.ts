// Held requests counted in memory and added to held_requests: by window and by outage, in one
// statement per flush, kept for the next try when the database cannot be reached.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createLogger } from '../../src/log.js';
import { createHeldCounter } from '../../src/ops/held-counter.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

let db: TestDatabase;
let proxy: TcpProxy;
let pool: Pool;
const log = createLogger('silent');

async function held(): Promise<Record<string, number>> {
  const { rows } = await db.query<{ subject: string; count: string }>(
    "SELECT coalesce('window:' || window_id, 'outage:' || outage_id) AS subject, count FROM held_requests ORDER BY 1",
  );
  return Object.fromEntries(rows.map((row) => [row.subject, Number(row.count)]));
}

before(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy(db.url);
  pool = createPool({ url: proxy.url, log, max: 2 });
});

after(async () => {
  await pool.end();
  await proxy.close();
  await db.drop();
  await stopTestServer();
});

describe('held requests', () => {
  it('adds what each process counted to the totals, by window and by outage', async () => {
    const windowId = (await db.query<{ id: string }>("INSERT INTO windows (title) VALUES ('Upgrade') RETURNING id::text")).rows[0]!.id;
    const outageId = (await db.query<{ id: string }>("INSERT INTO outages (detected_by, cause, ended_at) VALUES ('health_check', 'test', now()) RETURNING id::text")).rows[0]!.id;
    const first = createHeldCounter({ pool, log, intervalMs: 60_000 });
    const second = createHeldCounter({ pool, log, intervalMs: 60_000 });
    for (let i = 0; i < 3; i += 1) first.window(windowId);
    for (let i = 0; i < 2; i += 1) second.window(windowId);
    second.outage(outageId);
    const statements = proxy.statements();
    await first.flush();
    await second.flush();
    assert.deepEqual(await held(), { [`outage:${outageId}`]: 1, [`window:${windowId}`]: 5 });
    assert.equal(proxy.statements() - statements, 2, 'one statement per flush');
    await first.flush();
    assert.equal(proxy.statements() - statements, 2, 'nothing counted, nothing sent');
    await first.stop();
    await second.stop();
  });

  it('keeps the counts when the database cannot be reached, and adds them on the next try', async () => {
    const windowId = (await db.query<{ id: string }>("INSERT INTO windows (title) VALUES ('Second') RETURNING id::text")).rows[0]!.id;
    const counter = createHeldCounter({ pool, log, intervalMs: 60_000 });
    for (let i = 0; i < 4; i += 1) counter.window(windowId);
    proxy.cut();
    await counter.flush();
    counter.window(windowId);
    proxy.restore();
    await counter.flush();
    assert.equal((await held())[`window:${windowId}`], 5);
    await counter.stop();
  });

  it('drops the counts of a window deleted in the meantime without losing the others', async () => {
    const kept = (await db.query<{ id: string }>("INSERT INTO windows (title) VALUES ('Kept') RETURNING id::text")).rows[0]!.id;
    const gone = (await db.query<{ id: string }>("INSERT INTO windows (title) VALUES ('Gone') RETURNING id::text")).rows[0]!.id;
    const counter = createHeldCounter({ pool, log, intervalMs: 60_000 });
    counter.window(kept);
    counter.window(gone);
    await db.query('DELETE FROM windows WHERE id = $1', [gone]);
    await counter.stop();
    const totals = await held();
    assert.equal(totals[`window:${kept}`], 1);
    assert.equal(totals[`window:${gone}`], undefined);
  });
});
