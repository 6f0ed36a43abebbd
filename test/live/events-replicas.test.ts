// Live updates across replicas: two gateway processes on one database, as behind a load balancer.
// A change committed with plain SQL reaches pages on both within a second, and a browser that
// reconnects to the other replica resumes from its Last-Event-ID.

import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/gateway.js';
import { killLeftovers, startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { openSse, type SseStream } from '../helpers/sse.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let db: TestDatabase;
let upstream: Upstream;
let replicas: GatewayProcess[] = [];
const streams: SseStream[] = [];

before(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  await db.query("INSERT INTO components (name) VALUES ('API')");
  const env = { UPSTREAM_URL: upstream.url, DATABASE_URL: db.url, JOBS: 'false' };
  replicas = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
});

after(async () => {
  for (const stream of streams) stream.close();
  await Promise.all(replicas.map((replica) => replica.stop(5000)));
  await killLeftovers();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

/** A load balancer in miniature: each new connection goes to the replica chosen now; cut() drops the open ones. */
async function startBalancer(): Promise<{ url: string; target: number; cut(): void; close(): void }> {
  const sockets = new Set<net.Socket>();
  const balancer = {
    url: '',
    target: replicas[0]!.port,
    cut() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      balancer.cut();
      server.close();
    },
  };
  const server = net.createServer((client) => {
    const backend = net.connect(balancer.target, '127.0.0.1');
    for (const socket of [client, backend]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        backend.destroy();
      });
    }
    client.pipe(backend).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  balancer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return balancer;
}

const indicator = (event: { data: string }): string => JSON.parse(event.data).indicator;

describe('status events across two gateway processes', () => {
  it('reach pages on both replicas within a second of a plain SQL change, every time', async () => {
    const pages = await Promise.all(replicas.map((replica) => openSse(`${replica.url}/status/events`)));
    streams.push(...pages);
    await Promise.all(pages.map((page) => page.next(0, 2000)));
    const delays: number[] = [];
    const statuses = ['major_outage', 'operational', 'partial_outage', 'operational', 'degraded_performance', 'operational'];
    for (const [round, status] of statuses.entries()) {
      const committed = Date.now();
      await db.query('UPDATE components SET status = $1', [status]);
      const heard = await Promise.all(pages.map((page) => page.next(round + 1, 1000)));
      delays.push(...heard.map((event) => event.at - committed));
    }
    assert.ok(delays.every((ms) => ms < 1000), `delays ${delays.join(', ')} ms`);
  });

  it('resumes on the other replica from Last-Event-ID: nothing repeated, and a change made while away arrives once', async () => {
    const balancer = await startBalancer();
    const source = new EventSource(`${balancer.url}/status/events`);
    const heard: { id: string; indicator: string }[] = [];
    let opened = 0;
    source.addEventListener('open', () => (opened += 1));
    source.addEventListener('status', (event) => heard.push({ id: event.lastEventId, indicator: indicator(event) }));
    try {
      await waitFor(() => heard.length === 1, 2000, 'the first event');

      // The browser is moved to the other replica with nothing new: it must not be told again.
      balancer.target = replicas[1]!.port;
      balancer.cut();
      await waitFor(() => opened === 2, 8000, 'reconnected to the second replica');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(heard.length, 1, `nothing repeated: ${JSON.stringify(heard)}`);

      // Moved back, with a change committed while it was away: it hears it once, on reconnecting.
      balancer.target = replicas[0]!.port;
      balancer.cut();
      await db.query("UPDATE components SET status = 'major_outage'");
      await waitFor(() => heard.length === 2, 8000, 'the change made while away');
      assert.equal(heard[1]!.indicator, 'critical');
      assert.notEqual(heard[1]!.id, heard[0]!.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(heard.length, 2, `heard once: ${JSON.stringify(heard)}`);
    } finally {
      source.close();
      balancer.close();
    }
  });
});
