import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';

let db: TestDatabase;
const gateways: TestGateway[] = [];

// These tests are about what one failed request gets (502/504), not about judging the upstream
// down: health checks and passive detection are off, so no outage turns the answers into 503s.
const NO_DETECTION = { HEALTHCHECK_INTERVAL_S: '0', HEALTHCHECK_REQUEST_FAILURES: '0' };

/** An address where nothing listens: bind a port, then free it. */
async function deadAddress(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  db = await createTestDatabase();
});

after(async () => {
  for (const gw of gateways) await gw.close();
  await db.drop();
  await stopTestServer();
});

describe('upstream trouble', () => {
  it('serves the trouble page with 502 when the upstream refuses connections', async () => {
    const gw = await startGateway(db.url, await deadAddress(), NO_DETECTION);
    gateways.push(gw);
    const page = await request(`${gw.url}/checkout`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 502);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /<html/i);
    assert.doesNotMatch(page.body, /ECONNREFUSED|Error:|at .*\.js/);
    const api = await request(`${gw.url}/api`, { headers: { accept: 'application/json' } });
    assert.equal(api.status, 502);
    assert.equal(JSON.parse(api.body).status, 'unavailable');
    const metrics = await request(`${gw.url}/_gateway/metrics`);
    assert.match(metrics.body, /intermission_upstream_errors_total\{kind="econnrefused",status="502"\} 2/);
  });

  it('answers 504 when the upstream is silent past UPSTREAM_TIMEOUT_MS', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const gw = await startGateway(db.url, `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, { ...NO_DETECTION, UPSTREAM_TIMEOUT_MS: '300' });
    gateways.push(gw);
    const started = Date.now();
    const res = await request(`${gw.url}/report`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 504);
    assert.ok(Date.now() - started < 2000);
    silent.closeAllConnections();
    silent.close();
  });

  it('answers 502 when the upstream resets the connection', async () => {
    const rude = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const gw = await startGateway(db.url, `http://127.0.0.1:${(rude.address() as AddressInfo).port}`, NO_DETECTION);
    gateways.push(gw);
    assert.equal((await request(`${gw.url}/`)).status, 502);
    rude.close();
  });

  it('cuts a response whose upstream dies half-way instead of hanging', async () => {
    const halfway = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    await new Promise<void>((resolve) => halfway.listen(0, '127.0.0.1', resolve));
    const gw = await startGateway(db.url, `http://127.0.0.1:${(halfway.address() as AddressInfo).port}`, NO_DETECTION);
    gateways.push(gw);
    await assert.rejects(request(`${gw.url}/`));
    halfway.close();
  });
});
