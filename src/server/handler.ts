// The request path: reserved prefixes go to the express app; everything else is decided in
// memory and forwarded, held, or answered while the upstream is down, without touching express
// routing or the database.

import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseCookie } from 'cookie';
import type { Config } from '../config/config.js';
import { BYPASS_COOKIE } from '../decide/bypass-token.js';
import { clientAddress } from '../decide/client-address.js';
import { decide, type Decision, type DecidePolicy, type RequestFacts } from '../decide/decide.js';
import { hasPrefix, hostName, normalizePath } from '../decide/paths.js';
import type { Logger } from '../log.js';
import type { HeldCounter } from '../ops/held-counter.js';
import type { Metrics } from '../ops/metrics.js';
import type { Forwarder } from '../proxy/forwarder.js';
import { routeHost } from '../sites/site-routes.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Responder } from './respond.js';

export const BYPASS_HEADER = 'x-intermission-bypass';
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface HandlerDeps {
  config: Pick<Config, 'statusPath' | 'adminPath' | 'allowedPaths' | 'bypassCidrs' | 'trustProxy' | 'accessLog' | 'healthcheck'>;
  store: SnapshotStore;
  forwarder: Forwarder;
  responder: Responder;
  /** The express app for the gateway's own routes. */
  app: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  metrics: Metrics;
  /** Counts held requests by window and by outage. */
  held: HeldCounter;
  log: Logger;
  /** Gateway routes answered before express: the status page's event streams and its pollers' documents. */
  directRoutes: DirectRoute[];
  now?: () => number;
}

/** Answers the request when the path is its own and returns true; false leaves it to express. */
export type DirectRoute = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => boolean;

export interface Handlers {
  request(req: http.IncomingMessage, res: http.ServerResponse): void;
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
}

/**
 * What decide() may ask about a request; the costlier facts are worked out only when asked.
 * A class, not an object literal with getters: V8 makes such a literal a dictionary-mode object,
 * slow to build and, at proxy rates, pretenured into old space (measured: ~2 MB promoted per
 * young-generation GC, frequent full GCs, ~30% more CPU per forwarded request).
 */
class LazyRequestFacts implements RequestFacts {
  readonly method: string;
  readonly host: string;

  constructor(
    private readonly req: http.IncomingMessage,
    readonly path: string,
    readonly hostName: string,
    private readonly trust: Config['trustProxy'],
  ) {
    this.method = req.method ?? 'GET';
    this.host = hostName;
  }

  get clientAddress(): string {
    return clientAddress(this.req, this.trust);
  }

  get bypassToken(): string | undefined {
    const header = this.req.headers[BYPASS_HEADER];
    if (typeof header === 'string') return header;
    return this.req.headers.cookie ? parseCookie(this.req.headers.cookie)[BYPASS_COOKIE] : undefined;
  }
}

export function createHandlers({ config, store, forwarder, responder, app, metrics, held, log, directRoutes, now = Date.now }: HandlerDeps): Handlers {
  const policy: DecidePolicy = {
    allowedPaths: config.allowedPaths,
    bypassCidrs: config.bypassCidrs,
    upstreamChecks: config.healthcheck.intervalSeconds > 0,
  };
  const reserved = [config.statusPath, config.adminPath, '/_gateway'];
  const isReserved = (path: string) => reserved.some((prefix) => hasPrefix(path, prefix));
  const logAll = config.accessLog === 'all';
  const logOwn = config.accessLog !== 'off';

  function accessLog(req: http.IncomingMessage, res: http.ServerResponse, outcome: string, started: number): void {
    res.once('finish', function logAccess() {
      log.info(
        { reqId: req.headers['x-request-id'], method: req.method, path: req.url?.split('?', 1)[0], status: res.statusCode, outcome, ms: now() - started },
        'request',
      );
    });
  }

  function requestId(req: http.IncomingMessage): string {
    const given = req.headers['x-request-id'];
    if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
    // The upstream sees the same id the gateway logs, so the two logs can be joined.
    const id = randomUUID();
    req.headers['x-request-id'] = id;
    return id;
  }

  function decideFor(req: http.IncomingMessage, path: string, host: string, at: number, snapshot: Snapshot): Decision {
    return decide(snapshot, at, new LazyRequestFacts(req, path, host, config.trustProxy), policy);
  }

  function countHeld(decision: Extract<Decision, { action: 'hold' | 'unavailable' }>): void {
    if (decision.action === 'hold') for (const window of decision.windows) held.window(window.id);
    else if (decision.outageId !== null) held.outage(decision.outageId);
  }

  return {
    request(req, res) {
      const started = now();
      const path = normalizePath(req.url ?? '/');
      res.setHeader('X-Request-Id', requestId(req));
      if (isReserved(path)) {
        metrics.requests.gateway.inc();
        if (logOwn) accessLog(req, res, 'gateway', started);
        // What thousands of status pages and widgets keep asking for skips express: an open event
        // stream then holds ~10 KB instead of ~24 KB, and a poll costs a fraction of the CPU.
        for (const route of directRoutes) if (route(req, res, path)) return;
        app(req, res);
        return;
      }
      // One snapshot for the decision and the page, even if a reload lands in between.
      const host = hostName(req.headers.host);
      const snapshot = routeHost(store.current(), host);
      if (snapshot === null) {
        metrics.requests.no_site.inc();
        if (logOwn) accessLog(req, res, 'no_site', started);
        responder.noSite(req, res, host);
        return;
      }
      const decision = decideFor(req, path, host, started, snapshot);
      if (decision.action === 'hold') {
        metrics.requests.hold.inc();
        countHeld(decision);
        if (logOwn) accessLog(req, res, 'hold', started);
        responder.hold(req, res, decision, snapshot, started);
        return;
      }
      if (decision.action === 'unavailable') {
        metrics.requests.unavailable.inc();
        countHeld(decision);
        if (logOwn) accessLog(req, res, 'unavailable', started);
        responder.unavailable(req, res, snapshot, started);
        return;
      }
      const outcome = decision.action;
      metrics.requests[outcome].inc();
      if (logAll) accessLog(req, res, outcome, started);
      forwarder.web(req, res, snapshot.site.upstreamUrl);
    },

    upgrade(req, socket, head) {
      const at = now();
      const path = normalizePath(req.url ?? '/');
      requestId(req);
      if (isReserved(path)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const host = hostName(req.headers.host);
      const snapshot = routeHost(store.current(), host);
      if (snapshot === null) {
        metrics.requests.no_site.inc();
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const decision = decideFor(req, path, host, at, snapshot);
      if (decision.action === 'hold' || decision.action === 'unavailable') {
        metrics.requests[decision.action].inc();
        countHeld(decision);
        responder.refuseUpgrade(req, socket, decision, at);
        return;
      }
      metrics.requests[decision.action].inc();
      forwarder.ws(req, socket, head, snapshot.site.upstreamUrl);
    },
  };
}
