// The history page with the database out of reach: a page read before is served from memory, one
// never read gets a 503 page that says so, and the status page carries on as if nothing happened.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let db: TestDatabase;
let proxy: TcpProxy;
let upstream: Upstream;
let gw: TestGateway;

const get = (path: string) => request(`${gw.url}${path}`, { headers: { accept: 'text/html' } });

before(async () => {
  db = await createTestDatabase();
  await db.query("INSERT INTO incidents (title, status, impact, resolved_at) VALUES ('Slow search', 'resolved', 'minor', now())");
  proxy = await startTcpProxy(db.url);
  upstream = await startUpstream();
  gw = await startGateway(proxy.url, upstream.url);
});

after(async () => {
  proxy?.restore();
  await gw?.close();
  await proxy?.close();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

describe('history while the database is down', () => {
  it('reads each page once per snapshot version, then answers from memory', async () => {
    // The jobs use the same link; a history read is the one statement that reads incidents by month.
    const historyReads = () => proxy.sql().filter((sql) => sql.includes('FROM incidents x')).length;
    assert.match((await get('/status/history')).body, /Slow search/);
    assert.equal(historyReads(), 1);
    for (let i = 0; i < 5; i++) assert.equal((await get('/status/history')).status, 200);
    assert.equal(historyReads(), 1, 'no read for a page already read');
  });

  it('serves the page read before, answers one never read with 503, and keeps the status page up', async () => {
    proxy.cut();
    const kept = await get('/status/history');
    assert.equal(kept.status, 200);
    assert.match(kept.body, /Slow search/);

    const never = await get('/status/history?before=2024-01');
    assert.equal(never.status, 503);
    assert.equal(never.headers['retry-after'], '60');
    assert.match(never.body, /The history can&#39;t be shown right now/);
    assert.match(never.body, /the current status is on the status page/);

    const status = await get('/status');
    assert.equal(status.status, 200);
    assert.match(status.body, /All systems operational/);
  });

  it('reads the page once the database is back', async () => {
    proxy.restore();
    await waitFor(async () => (await get('/status/history?before=2024-01')).status === 200, 10_000, 'the history is read again');
  });
});
