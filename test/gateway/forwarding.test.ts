import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;

before(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  gw = await startGateway(db.url, upstream.url);
});

after(async () => {
  await gw.close();
  await upstream.close();
  await db.drop();
  await stopTestServer();
});

describe('forwarding', () => {
  it('passes method, path, query, headers and body through, keeping Host', async () => {
    const res = await request(`${gw.url}/orders/42?expand=items&x=%20y`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-custom': 'kept', host: 'shop.example.com' },
      body: JSON.stringify({ qty: 2 }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-upstream'], 'yes');
    const echo = JSON.parse(res.body) as { method: string; url: string; headers: Record<string, string>; body: string };
    assert.equal(echo.method, 'PATCH');
    assert.equal(echo.url, '/orders/42?expand=items&x=%20y');
    assert.equal(echo.headers['x-custom'], 'kept');
    assert.equal(echo.headers.host, 'shop.example.com');
    assert.equal(echo.body, '{"qty":2}');
  });

  it('adds X-Forwarded-For, -Proto, -Host and a request id', async () => {
    const res = await request(`${gw.url}/echo`, { headers: { host: 'shop.example.com' } });
    const echo = JSON.parse(res.body) as { headers: Record<string, string> };
    assert.equal(echo.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(echo.headers['x-forwarded-proto'], 'http');
    assert.equal(echo.headers['x-forwarded-host'], 'shop.example.com');
    assert.match(echo.headers['x-request-id']!, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['x-request-id'], echo.headers['x-request-id']);
  });

  it('keeps a request id the client sent', async () => {
    const res = await fetch(`${gw.url}/echo`, { headers: { 'x-request-id': 'abc-123' } });
    const echo = (await res.json()) as { headers: Record<string, string> };
    assert.equal(echo.headers['x-request-id'], 'abc-123');
  });

  it('passes upstream statuses through, errors included', async () => {
    assert.equal((await fetch(`${gw.url}/respond/404`)).status, 404);
    const res = await fetch(`${gw.url}/respond/500`);
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'status 500');
  });

  it('streams a large upload without holding it in memory', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const total = 200;
    const expected = createHash('sha256');
    for (let i = 0; i < total; i += 1) expected.update(chunk);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const body = Readable.from((function* () {
      for (let i = 0; i < total; i += 1) yield chunk;
    })());
    const res = await fetch(`${gw.url}/upload`, { method: 'POST', body: Readable.toWeb(body) as ReadableStream, duplex: 'half' } as RequestInit);
    clearInterval(sampler);
    const result = (await res.json()) as { bytes: number; sha256: string };
    assert.equal(result.bytes, total * chunk.length);
    assert.equal(result.sha256, expected.digest('hex'));
    // Test, gateway and upstream share this process: buffering 200 MB anywhere would show here.
    assert.ok(peak - rssBefore < 100 * 1024 * 1024, `memory grew by ${Math.round((peak - rssBefore) / 1048576)} MB`);
  });

  it('delivers server-sent events from the upstream as they are sent', async () => {
    const res = await fetch(`${gw.url}/sse`, { headers: { accept: 'text/event-stream' } });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    const arrivals: number[] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const line of decoder.decode(value).split('\n')) if (line.startsWith('data:')) arrivals.push(Date.now());
    }
    assert.equal(arrivals.length, 3);
    // Sent 200 ms apart: had the gateway buffered the stream, they would arrive together.
    assert.ok(arrivals[2]! - arrivals[0]! >= 300, `events arrived within ${arrivals[2]! - arrivals[0]!} ms`);
  });

  it('proxies WebSocket upgrades both ways', async () => {
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/socket`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
    ws.send('hello through the gateway');
    assert.equal(await reply, 'hello through the gateway');
    ws.close();
  });

  it('reuses upstream connections (keep-alive)', async () => {
    const before = upstream.connections;
    for (let i = 0; i < 50; i += 1) await (await fetch(`${gw.url}/echo`)).text();
    // Sequential requests over a keep-alive agent need one connection, not fifty.
    assert.ok(upstream.connections - before <= 2, `opened ${upstream.connections - before} upstream connections`);
  });

  it('aborts the upstream request when the client goes away', async () => {
    const before = upstream.aborted;
    const controller = new AbortController();
    const pending = fetch(`${gw.url}/slow?ms=5000`, { signal: controller.signal }).catch((err: Error) => err);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    assert.ok((await pending) instanceof Error);
    const started = Date.now();
    while (upstream.aborted === before && Date.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(upstream.aborted, before + 1, 'the upstream request was not aborted');
  });
});
