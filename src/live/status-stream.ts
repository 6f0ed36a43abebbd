// Server-Sent Events at STATUS_PATH/events: every open status page hears about a change as soon as
// this process's snapshot has it (a LISTEN notice, or a window opening or closing on time). One
// timer beats for all streams, and a stream holds only its response, so thousands cost little.

import { mainSite } from '../sites/site-routes.js';
import type http from 'node:http';
import type { Logger } from '../log.js';
import type { SnapshotStore } from '../snapshot/store.js';
import { liveState, type LiveState } from './live-state.js';

export interface StatusStreamOptions {
  statusPath: string;
  store: SnapshotStore;
  heartbeatMs: number;
  /** Streams beyond this are refused with 503; the page then keeps polling. */
  maxStreams: number;
  log: Logger;
  now?: () => number;
}

export interface StatusStream {
  /** Answers GET STATUS_PATH/events; false for any other request. */
  route(req: http.IncomingMessage, res: http.ServerResponse, path: string): boolean;
  /** Streams open now. */
  open(): number;
  /** Ends every stream (their browsers reconnect, to another replica during a rolling restart). */
  close(): void;
}

// A stream this far behind is a reader that stopped reading; it reconnects when it wakes up.
const MAX_BUFFERED = 64 * 1024;
// Browsers reconnect after this, spread so a restart does not bring every page back at once.
const RETRY_MIN_MS = 1000;
const RETRY_SPREAD_MS = 4000;

function event(state: LiveState): string {
  return `id: ${state.id}\nevent: status\ndata: ${state.data}\n\n`;
}

/** The id a reconnecting browser sends, or one given in the URL by clients that cannot set headers. */
function lastEventId(req: http.IncomingMessage): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string') return header;
  const query = req.url?.indexOf('?') ?? -1;
  return query === -1 ? undefined : (new URLSearchParams(req.url!.slice(query + 1)).get('lastEventId') ?? undefined);
}

export function createStatusStream({ statusPath, store, heartbeatMs, maxStreams, log, now = Date.now }: StatusStreamOptions): StatusStream {
  const eventsPath = `${statusPath}/events`;
  if (!Number.isInteger(heartbeatMs) || heartbeatMs < 1) throw new RangeError(`heartbeatMs must be a positive integer, got ${heartbeatMs}`);
  const streams = new Set<http.ServerResponse>();
  let state = liveState(mainSite(store.current()), now());
  let closed = false;

  function send(res: http.ServerResponse, chunk: string): void {
    if (res.writableLength > MAX_BUFFERED) {
      res.destroy();
      return;
    }
    res.write(chunk);
  }

  function broadcast(): void {
    const next = liveState(mainSite(store.current()), now());
    if (next.id === state.id) return;
    state = next;
    const chunk = event(state);
    for (const res of streams) send(res, chunk);
  }
  store.events.on('change', broadcast);

  const heartbeat = setInterval(function beat() {
    for (const res of streams) send(res, ':\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (closed || streams.size >= maxStreams) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '30', 'Cache-Control': 'no-store' });
      res.end(closed ? 'This gateway is shutting down.\n' : 'Too many open streams on this gateway; the page keeps polling.\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      // nginx buffers proxied responses unless told not to, which would hold events back.
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    });
    req.socket.setNoDelay(true);
    let head = `retry: ${RETRY_MIN_MS + Math.floor(Math.random() * RETRY_SPREAD_MS)}\n\n`;
    // A page that saw the current state already has nothing to catch up on.
    if (lastEventId(req) !== state.id) head += event(state);
    res.write(head);
    streams.add(res);
    res.on('close', function forget() {
      streams.delete(res);
    });
  }

  return {
    route(req, res, path) {
      if (path !== eventsPath || req.method !== 'GET') return false;
      handle(req, res);
      return true;
    },
    open: () => streams.size,
    close() {
      if (closed) return;
      closed = true;
      store.events.off('change', broadcast);
      clearInterval(heartbeat);
      log.debug({ streams: streams.size }, 'ending event streams');
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
