// The only module that knows which proxy library forwards traffic (http-proxy-3, a drop-in
// for http-proxy that aborts the upstream request when the client leaves). Swap it here.

import http from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from '../log.js';
import { UPSTREAM_TIMEOUT_CODE } from './upstream-error.js';

export type UpstreamErrorHandler = (err: Error & { code?: string }, req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Forwarder {
  /** Forwards to `upstream` (a site's own upstream URL), or to the default target when null. */
  web(req: http.IncomingMessage, res: http.ServerResponse, upstream: string | null): void;
  ws(req: http.IncomingMessage, socket: Duplex, head: Buffer, upstream: string | null): void;
  close(): void;
}

export interface ForwarderOptions {
  /** Where requests go when their site names no upstream of its own: UPSTREAM_URL. */
  target: URL;
  /** Longest silence from the upstream, as nginx's proxy_read_timeout. */
  timeoutMs: number;
  log: Logger;
  onError: UpstreamErrorHandler;
  /** Counts requests whose client left before the response was complete. */
  onClientAbort?: () => void;
  /** Sees the status of every upstream response, with its request (passive health detection, per site by Host). */
  onUpstreamStatus?: (status: number, req: http.IncomingMessage) => void;
  /** True while the gateway drains for shutdown. */
  isDraining?: () => boolean;
}

export function createForwarder({ target, timeoutMs, log, onError, onClientAbort, onUpstreamStatus, isDraining = () => false }: ForwarderOptions): Forwarder {
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' });
  // A URL object, not its href: http-proxy-3 parses a string target anew on every request.
  const proxy = createProxyServer({ target, agent, xfwd: true, ws: true });
  // Per-request options for each site's upstream, parsed once: the URL object, not its href, for
  // the reason above. Sites come and go rarely; the map is cleared if it ever grows past reason.
  const targets = new Map<string, { target: URL }>();
  function optionsFor(upstream: string): { target: URL } {
    let options = targets.get(upstream);
    if (options === undefined) {
      if (targets.size >= 10_000) targets.clear();
      options = { target: new URL(upstream) };
      targets.set(upstream, options);
    }
    return options;
  }
  // One callback for every request (it gets req and res back), so forwarding allocates no closure.
  const onForwardError = (err: Error, req: http.IncomingMessage, res: http.ServerResponse | Duplex) =>
    onError(err as Error & { code?: string }, req, res as http.ServerResponse);

  proxy.on('proxyReq', function armUpstreamTimeout(proxyReq) {
    proxyReq.setTimeout(timeoutMs, () => {
      proxyReq.destroy(Object.assign(new Error(`upstream sent nothing for ${timeoutMs} ms`), { code: UPSTREAM_TIMEOUT_CODE }));
    });
  });
  // A response body cut off by the upstream must be cut off for the client too; piping alone
  // would leave the client waiting for bytes that never come.
  proxy.on('proxyRes', function watchUpstreamBody(proxyRes, req, res) {
    onUpstreamStatus?.(proxyRes.statusCode ?? 0, req);
    proxyRes.once('error', function onUpstreamBodyError(err: Error) {
      log.warn({ err: err.message }, 'upstream response cut off');
      res.destroy();
    });
    // Keep-Alive is hop-by-hop: the upstream's idle timeout is not the gateway's.
    delete proxyRes.headers['keep-alive'];
    // Connection is hop-by-hop too: during a drain the client's connection closes after this
    // response, whatever the upstream's keep-alive says (http-proxy would copy that over).
    if (isDraining()) proxyRes.headers.connection = 'close';
  });
  proxy.on('econnreset', function onClientGone() {
    onClientAbort?.();
  });
  // Errors of web requests go to the callback given to proxy.web; this catches the rest,
  // notably WebSocket failures, whose third argument is a raw socket, not a response.
  proxy.on('error', function onProxyError(err: Error, _req: unknown, resOrSocket: unknown) {
    log.warn({ err: err.message }, 'websocket proxy error');
    if (resOrSocket && typeof (resOrSocket as Duplex).destroy === 'function') (resOrSocket as Duplex).destroy();
  });

  return {
    web(req, res, upstream) {
      if (upstream === null) proxy.web(req, res, onForwardError);
      else proxy.web(req, res, optionsFor(upstream), onForwardError);
    },
    ws(req, socket, head, upstream) {
      socket.on('error', function onClientSocketError() {
        socket.destroy();
      });
      if (upstream === null) proxy.ws(req, socket, head);
      else proxy.ws(req, socket, head, optionsFor(upstream));
    },
    close() {
      proxy.close();
      agent.destroy();
    },
  };
}
