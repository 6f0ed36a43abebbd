// Builds one gateway server from its parts; listening and process signals live in main.ts.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Config } from './config/config.js';
import type { Pool } from './db/pool.js';
import { hostName } from './decide/paths.js';
import { ConfigError } from './errors.js';
import { createFailureWatch } from './health/request-failures.js';
import { reportRequestFailures } from './health/upstream-health.js';
import { createUptimeFollower } from './history/uptime-follower.js';
import { createStatusStream } from './live/status-stream.js';
import type { Logger } from './log.js';
import type { Lifecycle } from './ops/health.js';
import { createHeldCounter } from './ops/held-counter.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { createForwarder } from './proxy/forwarder.js';
import { upstreamErrorKind, upstreamErrorStatus } from './proxy/upstream-error.js';
import { createPublicRoutes } from './public/public-routes.js';
import { createPublicStore } from './public/public-store.js';
import { createGatewayApp } from './server/gateway-app.js';
import { createHandlers } from './server/handler.js';
import { createResponder } from './server/respond.js';
import { routeHost } from './sites/site-routes.js';
import type { SnapshotStore } from './snapshot/store.js';
import { createStatusRenderer } from './status/render.js';

export const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));

export interface GatewayDeps {
  config: Readonly<Config>;
  upstream: URL;
  store: SnapshotStore;
  /** For the admin area's reads and writes; the request path never uses it. */
  pool: Pool;
  log: Logger;
  now?: () => number;
}

export interface Gateway {
  server: http.Server;
  metrics: Metrics;
  lifecycle: Lifecycle;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets requests in flight finish (up to shutdownTimeoutMs), then closes the rest. */
  shutdown(): Promise<void>;
}

export function createGateway({ config, upstream, store, pool, log, now = Date.now }: GatewayDeps): Gateway {
  const lifecycle: Lifecycle = { draining: false };
  const events = createStatusStream({ statusPath: config.statusPath, store, ...config.events, log: log.child({ module: 'events' }), now });
  const publicStore = createPublicStore({ pool, store, log: log.child({ module: 'public' }), now });
  const uptime = createUptimeFollower({ store, pool, log: log.child({ module: 'uptime' }), now });
  const metrics = createMetrics(store, now, events.open);
  // A few pages per site in force at once (status, held, trouble); more only costs a render each.
  const renderer = createStatusRenderer({ viewsDir: VIEWS_DIR, memoSize: 32 });
  const responder = createResponder(config, renderer, VIEWS_DIR, store);
  const held = createHeldCounter({ pool, log: log.child({ module: 'held' }) });
  // With active checks off nothing would judge the upstream back up, so passive detection is off too.
  const failures = createFailureWatch({
    threshold: config.healthcheck.intervalSeconds > 0 ? config.healthcheck.requestFailures : 0,
    store,
    report: (siteId, cause) => reportRequestFailures(pool, siteId, cause, { siteName: config.siteName }),
    log: log.child({ module: 'health' }),
  });

  const forwarder = createForwarder({
    target: upstream,
    timeoutMs: config.upstreamTimeoutMs,
    log,
    isDraining: () => lifecycle.draining,
    onClientAbort: metrics.clientAbort,
    onUpstreamStatus(status, req) {
      if (status >= 500) failures.failed(req.headers.host, `HTTP ${status}`);
      else failures.succeeded(req.headers.host);
    },
    onError(err, req, res) {
      const status = upstreamErrorStatus(err);
      const kind = upstreamErrorKind(err);
      metrics.upstreamError(kind, status);
      failures.failed(req.headers.host, err.code ?? kind);
      log.warn({ reqId: req.headers['x-request-id'], method: req.method, path: req.url?.split('?', 1)[0], err: err.message, kind, status }, 'upstream failed');
      // Once the upstream's status line has gone out, the only honest thing left is to cut the response.
      if (res.headersSent) res.destroy();
      else {
        // The site the request was forwarded for; a reload in between may have taken its host away.
        const site = routeHost(store.current(), hostName(req.headers.host));
        if (site === null) responder.noSite(req, res, hostName(req.headers.host));
        else responder.trouble(req, res, status, site, now());
      }
    },
  });

  const app = createGatewayApp({ config, store, renderer, responder, metrics, lifecycle, log, viewsDir: VIEWS_DIR, pool, upstream, uptime, now });
  const handlers = createHandlers({ config, store, forwarder, responder, app, metrics, held, log, directRoutes: [events.route, createPublicRoutes(config, publicStore, store)], now });

  const server = http.createServer({ keepAlive: true }, function onRequest(req, res) {
    // During a drain every response tells keep-alive clients to reconnect, to another replica.
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    handlers.request(req, res);
  });
  server.on('upgrade', handlers.upgrade);
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // Must outlast keepAliveTimeout, or Node cuts idle connections mid-request (nodejs/node#27363).
  server.headersTimeout = config.keepAliveTimeoutMs + 1000;
  server.on('clientError', function onClientError(err: NodeJS.ErrnoException, socket) {
    if (err.code !== 'ECONNRESET' && socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  return {
    server,
    metrics,
    lifecycle,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', function onListenError(err: NodeJS.ErrnoException) {
          const taken = err.code === 'EADDRINUSE' || err.code === 'EACCES';
          reject(taken ? new ConfigError(`PORT=${port}: cannot listen on ${host}:${port} (${err.code}): choose another PORT`, { cause: err }) : err);
        });
        server.listen(port, host, () => {
          server.removeAllListeners('error');
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async shutdown() {
      lifecycle.draining = true;
      // Open event streams would hold the drain to its deadline; their pages reconnect elsewhere.
      events.close();
      publicStore.close();
      uptime.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close() only closes the connections idle at this moment; a keep-alive connection
      // whose response was under way goes idle later and would hold the drain to the deadline.
      // Sweeping costs nothing per request, unlike tracking every response in flight.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(function forceClose() {
        log.warn('shutdown timeout reached; closing the connections still open');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(deadline);
      forwarder.close();
      // Every request has been answered: what they held is counted in full.
      await held.stop();
    },
  };
}
