// SIGTERM to the real gateway process, as in a rolling restart: stop accepting, finish what is in
// flight, exit 0; and a request that outlives SHUTDOWN_TIMEOUT_MS is cut so the process still exits.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/gateway.js';
import { request, type Response } from '../helpers/http.js';
import { acceptsConnections, killLeftovers, startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let db: TestDatabase;
let upstream: Upstream;

before(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
});

after(async () => {
  await killLeftovers();
  await upstream?.close();
  await db?.drop();
  await stopTestServer();
});

function slowRequestsAtUpstream(ms: number): number {
  return upstream.seen.filter((r) => r.url === `/slow?ms=${ms}`).length;
}

/** Settles with the response, or with the error when the connection was cut. */
function settle(promise: Promise<Response>): Promise<Response | Error> {
  return promise.catch((err: Error) => err);
}

interface KeepAliveResponse {
  status: number;
  connection: string | undefined;
  body: string;
}

/** A GET over a keep-alive agent, as browsers and load balancers send them; `started` resolves with the status line. */
function keepAliveGet(agent: http.Agent, url: string): { started: Promise<void>; done: Promise<KeepAliveResponse> } {
  let started!: () => void;
  const headers = new Promise<void>((resolve) => (started = resolve));
  const done = new Promise<KeepAliveResponse>((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        started();
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      })
      .on('error', reject);
  });
  return { started: headers, done };
}

function shuttingDownLines(gw: GatewayProcess): number {
  return gw.logs.filter((line) => line.msg === 'shutting down: finishing requests in flight').length;
}

for (const workers of [1, 2]) {
  describe(`SIGTERM with WORKERS=${workers}`, () => {
    it('finishes every request in flight, refuses new connections, exits 0 and logs "stopped"', async () => {
      const shutdownTimeoutMs = 10_000;
      const gw = await startGatewayProcess({
        UPSTREAM_URL: upstream.url,
        DATABASE_URL: db.url,
        WORKERS: String(workers),
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
      });
      assert.equal((await request(`${gw.url}/`)).status, 200);

      const atUpstream = slowRequestsAtUpstream(1500);
      let finished = 0;
      const inFlight = Array.from({ length: 10 }, () =>
        settle(request(`${gw.url}/slow?ms=1500`)).then((res) => {
          finished += 1;
          return res;
        }),
      );
      await waitFor(() => slowRequestsAtUpstream(1500) - atUpstream === 10, 2000, 'ten slow requests reached the upstream');

      const signalledAt = Date.now();
      gw.child.kill('SIGTERM');
      // The primary and each worker say so; by then every worker has stopped listening or is about to.
      await waitFor(() => shuttingDownLines(gw) === (workers === 1 ? 1 : workers + 1), 2000, 'the drain started');
      await waitFor(async () => !(await acceptsConnections(gw.port)), 1000, 'new connections are refused');
      assert.equal(finished, 0, 'new connections were still accepted after a request in flight had finished');

      for (const res of await Promise.all(inFlight)) {
        assert.ok(!(res instanceof Error), `a request in flight failed: ${(res as Error).message}`);
        assert.equal(res.status, 200);
        assert.equal(res.body, 'slow done');
      }
      const exit = await gw.exited;
      assert.equal(exit.code, 0, gw.stderr());
      assert.ok(exit.at - signalledAt < shutdownTimeoutMs, `exited ${exit.at - signalledAt} ms after SIGTERM`);
      assert.ok(exit.at - signalledAt >= 1000, 'exited before the requests in flight could have finished');
      assert.ok(gw.logs.some((line) => line.msg === 'stopped'), gw.stdout());
      assert.equal(gw.stderr(), '');
    });

    it('closes keep-alive connections busy when the drain started as soon as their responses end, not at the timeout', async () => {
      const gw = await startGatewayProcess({
        UPSTREAM_URL: upstream.url,
        DATABASE_URL: db.url,
        WORKERS: String(workers),
        SHUTDOWN_TIMEOUT_MS: '10000',
      });
      const agent = new http.Agent({ keepAlive: true });
      // One response whose headers are still to come when SIGTERM arrives, one already streaming.
      const atUpstream = slowRequestsAtUpstream(1000);
      const slow = keepAliveGet(agent, `${gw.url}/slow?ms=1000`);
      const stream = keepAliveGet(agent, `${gw.url}/sse`);
      await stream.started;
      await waitFor(() => slowRequestsAtUpstream(1000) > atUpstream, 2000, 'the slow request reached the upstream');
      const signalledAt = Date.now();
      gw.child.kill('SIGTERM');
      const [slowRes, streamRes] = await Promise.all([slow.done, stream.done]);
      assert.equal(slowRes.status, 200);
      assert.equal(slowRes.body, 'slow done');
      // The client is told not to send another request on this connection, to a replica on its way out.
      assert.equal(slowRes.connection, 'close');
      assert.equal(streamRes.status, 200);
      assert.equal(streamRes.connection, 'keep-alive', 'the stream was meant to have started before the drain');
      assert.match(streamRes.body, /event 3/);
      const exit = await gw.exited;
      agent.destroy();
      assert.equal(exit.code, 0, gw.stderr());
      assert.ok(exit.at - signalledAt < 3000, `exited ${exit.at - signalledAt} ms after SIGTERM: idle keep-alive connections held the drain open`);
      assert.equal(gw.logs.some((line) => line.msg === 'shutdown timeout reached; closing the connections still open'), false);
    });

    it('cuts a request still running past SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
      const gw = await startGatewayProcess({
        UPSTREAM_URL: upstream.url,
        DATABASE_URL: db.url,
        WORKERS: String(workers),
        SHUTDOWN_TIMEOUT_MS: '500',
      });
      const atUpstream = slowRequestsAtUpstream(5000);
      const abortedBefore = upstream.aborted;
      const tooSlow = settle(request(`${gw.url}/slow?ms=5000`));
      await waitFor(() => slowRequestsAtUpstream(5000) > atUpstream, 2000, 'the slow request reached the upstream');

      const signalledAt = Date.now();
      gw.child.kill('SIGTERM');
      const outcome = await tooSlow;
      assert.ok(outcome instanceof Error, 'the request outlived the shutdown timeout and was still answered');
      const exit = await gw.exited;
      assert.equal(exit.code, 0, gw.stderr());
      assert.ok(exit.at - signalledAt < 3000, `exited ${exit.at - signalledAt} ms after SIGTERM`);
      assert.ok(gw.logs.some((line) => line.msg === 'shutdown timeout reached; closing the connections still open'), gw.stdout());
      assert.ok(gw.logs.some((line) => line.msg === 'stopped'), gw.stdout());
      // The upstream is not left working for a client that is gone.
      await waitFor(() => upstream.aborted > abortedBefore, 2000, 'the upstream request was aborted');
    });
  });
}
