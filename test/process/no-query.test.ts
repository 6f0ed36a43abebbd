// The request path never waits on the database: the gateway's connections go through a proxy
// that counts every statement they send, and forwarding, holding and status pages send none. The
// one statement allowed is the count of held requests, added every few seconds off the request path.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { sendMany, type LoadOutcome } from '../helpers/load.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let db: TestDatabase;
let proxy: TcpProxy;
let upstream: Upstream;
let gw: TestGateway;

const HTML = { accept: 'text/html,application/xhtml+xml' };

function statuses(outcomes: LoadOutcome[]): Record<number, number> {
  const by: Record<number, number> = {};
  for (const { status } of outcomes) by[status] = (by[status] ?? 0) + 1;
  return by;
}

/** Inserts a window with the test's own connection (not through the proxy) and waits for the gateway to load it. */
async function insertWindow(columns: Record<string, unknown>): Promise<string> {
  const values = { title: 'Database upgrade', ends_at: new Date(Date.now() + 30 * 60_000), ...columns };
  const names = Object.keys(values);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO windows (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text`,
    Object.values(values),
  );
  const id = rows[0]!.id;
  await waitFor(() => primarySite(gw.store.current())!.windows.some((w) => w.id === id), 1000, 'the window reached the snapshot');
  return id;
}

/** Ends every window and waits until the gateway has reloaded. */
async function endAllWindows(): Promise<void> {
  await db.query('UPDATE windows SET ended_at = now() WHERE ended_at IS NULL AND starts_at <= now()');
  await db.query('DELETE FROM windows WHERE starts_at > now()');
  await waitFor(() => primarySite(gw.store.current())!.windows.length === 0, 1000, 'windows cleared from the snapshot');
}

const HELD_FLUSH = /INSERT INTO held_requests/;

/** Statements sent since `before` (a statements() count), but the held-request counter's flushes. */
function sentSince(before: number): string[] {
  return proxy.sql().slice(before).filter((sql) => !HELD_FLUSH.test(sql));
}

/** The count of statements before a measurement, once reloads caused by earlier changes are over. */
async function quietBaseline(): Promise<number> {
  for (let last = proxy.statements(); ; ) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = proxy.statements();
    if (now === last) return now;
    last = now;
  }
}

before(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy(db.url);
  upstream = await startUpstream();
  // No safety reload during the test: every statement counted comes from a notice or a request.
  // No scheduled jobs either: they query on their own clock, apart from the request path.
  gw = await startGateway(proxy.url, upstream.url, { SNAPSHOT_RELOAD_MS: '600000', JOBS: 'off' });
});

after(async () => {
  await gw?.close();
  await proxy?.close();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

describe('no query on the request path', () => {
  it('forwards 2000 requests without sending one statement to the database', async () => {
    const before = await quietBaseline();
    const outcomes = await sendMany(gw.url, 2000, { pathFor: (n) => `/shop/items/${n}` });
    assert.deepEqual(statuses(outcomes), { 200: 2000 });
    assert.equal(upstream.seen.filter((r) => r.url.startsWith('/shop/items/')).length, 2000);
    assert.equal(proxy.statements() - before, 0, `statements sent while forwarding: ${JSON.stringify(proxy.counts())}`);
  });

  it('holds 500 requests and serves 200 status pages during a window without one statement', async () => {
    await insertWindow({ message: 'Moving to faster disks.' });
    const before = await quietBaseline();
    const held = await sendMany(gw.url, 500, { pathFor: (n) => `/checkout/${n}`, headers: HTML });
    const pages = await sendMany(gw.url, 200, { pathFor: () => '/status', headers: HTML });
    const json = await sendMany(gw.url, 100, { pathFor: (n) => `/api/orders/${n}`, headers: { accept: 'application/json' } });
    assert.deepEqual(statuses(held), { 503: 500 });
    assert.deepEqual(statuses(pages), { 200: 200 });
    assert.deepEqual(statuses(json), { 503: 100 });
    assert.equal(upstream.seen.some((r) => r.url.startsWith('/checkout/')), false, 'a held request reached the upstream');
    assert.deepEqual(sentSince(before), [], 'statements sent while holding');
    // The 500 + 100 held requests reach the database as counts, once the counter flushes.
    await waitFor(async () => (await db.query<{ n: string }>('SELECT coalesce(sum(count), 0)::text AS n FROM held_requests')).rows[0]!.n === '600', 7000, 'held requests counted');
    await endAllWindows();
  });

  it('opens and closes a scheduled window on time without one statement', async () => {
    const startsAt = Date.now() + 1500;
    const endsAt = startsAt + 700;
    await insertWindow({ title: 'Short one', starts_at: new Date(startsAt), ends_at: new Date(endsAt) });
    const before = await quietBaseline();
    const seen: LoadOutcome[] = [];
    while (Date.now() < endsAt + 300) {
      seen.push(...(await sendMany(gw.url, 1, { concurrency: 1, pathFor: () => '/timed' })));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The gateway decided each request between sentAt and endedAt, so where that span lies is what it had to answer.
    for (const { sentAt, endedAt, status } of seen) {
      const when = `sent ${sentAt - startsAt} ms from the start`;
      if (endedAt < startsAt || sentAt >= endsAt) assert.equal(status, 200, when);
      else if (sentAt >= startsAt && endedAt < endsAt) assert.equal(status, 503, when);
    }
    assert.ok(seen.some((s) => s.status === 503) && seen.at(-1)!.status === 200);
    assert.deepEqual(sentSince(before), [], 'statements sent around the window');
    await endAllWindows();
  });

  it('sends its reload statements when a change is committed, which proves the counter counts', async () => {
    const before = await quietBaseline();
    await insertWindow({ title: 'Counted' });
    // The public data is read after the snapshot has swapped, so it may still be on its way when
    // insertWindow returns: wait for it rather than look once.
    await waitFor(() => sentSince(before).some((sql) => sql.includes('SELECT page_id')), 2000, 'the public data was read again after the change');
    // The snapshot's LISTEN connection, and the pool's (held counts; the public data and uptime read
    // after each reload, at the same moment, so on more than one): all go through the proxy.
    assert.ok(proxy.accepted >= 2, `${proxy.accepted} connections`);
    assert.ok((proxy.counts().Q ?? 0) > 0);
    // Only frontend message types: the parser kept in step with the stream.
    for (const type of Object.keys(proxy.counts())) assert.match(type, /^[BCcdDEfFHPpQSX]$/, JSON.stringify(proxy.counts()));
    await endAllWindows();
  });
});
