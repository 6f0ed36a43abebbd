// Server-Sent Events at STATUS_PATH/events (a site's own hosts) and STATUS_PATH/<slug>/events: every
// open status page hears about a change of its site as soon as this process's snapshot has it (a
// LISTEN notice, or a window opening or closing on time), and nothing of other sites. One timer
// beats for all streams, and a stream holds only its response, so thousands cost little.

import type http from 'node:http';
import type { Logger } from '../log.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { SiteSnapshots, Snapshot } from '../snapshot/types.js';
import { statusTarget } from '../status/site-path.js';
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
  /** Answers GET of a site's events; false for any other request (an unknown host's is left to express's 404 page). */
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

interface SiteStreams {
  /** What its streams were last told; a change is sent only when this moves. */
  state: LiveState;
  streams: Set<http.ServerResponse>;
}

export function createStatusStream({ statusPath, store, heartbeatMs, maxStreams, log, now = Date.now }: StatusStreamOptions): StatusStream {
  if (!Number.isInteger(heartbeatMs) || heartbeatMs < 1) throw new RangeError(`heartbeatMs must be a positive integer, got ${heartbeatMs}`);
  // By site id, only sites with a stream open: a change costs a fingerprint per site someone watches.
  const sites = new Map<string, SiteStreams>();
  let open = 0;
  let closed = false;

  function send(res: http.ServerResponse, chunk: string): void {
    if (res.writableLength > MAX_BUFFERED) {
      res.destroy();
      return;
    }
    res.write(chunk);
  }

  function broadcast(snapshots: SiteSnapshots): void {
    const at = now();
    for (const [id, watched] of sites) {
      const snapshot = snapshots.byId.get(id);
      if (snapshot === undefined) {
        // The site is gone: its pages reconnect and get whatever now answers their URL.
        for (const res of watched.streams) res.end();
        continue;
      }
      const next = liveState(snapshot, at);
      if (next.id === watched.state.id) continue;
      watched.state = next;
      const chunk = event(next);
      for (const res of watched.streams) send(res, chunk);
    }
  }
  store.events.on('change', broadcast);

  const heartbeat = setInterval(function beat() {
    for (const watched of sites.values()) for (const res of watched.streams) send(res, ':\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  function handle(req: http.IncomingMessage, res: http.ServerResponse, siteId: string, snapshot: Snapshot): void {
    if (closed || open >= maxStreams) {
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
    let watched = sites.get(siteId);
    if (watched === undefined) {
      watched = { state: liveState(snapshot, now()), streams: new Set() };
      sites.set(siteId, watched);
    }
    let head = `retry: ${RETRY_MIN_MS + Math.floor(Math.random() * RETRY_SPREAD_MS)}\n\n`;
    // A page that saw the current state already has nothing to catch up on.
    if (lastEventId(req) !== watched.state.id) head += event(watched.state);
    res.write(head);
    watched.streams.add(res);
    open += 1;
    const streams = watched.streams;
    res.on('close', function forget() {
      if (!streams.delete(res)) return;
      open -= 1;
      // The last reader gone: the site's state is worked out afresh when one comes back.
      if (streams.size === 0 && sites.get(siteId)?.streams === streams) sites.delete(siteId);
    });
  }

  return {
    route(req, res, path) {
      if (req.method !== 'GET' || !path.endsWith('/events')) return false;
      const target = statusTarget(store.current(), statusPath, path, req.headers.host);
      if (target?.kind !== 'site' || target.rest !== '/events') return false;
      handle(req, res, target.snapshot.site.id, target.snapshot);
      return true;
    },
    open: () => open,
    close() {
      if (closed) return;
      closed = true;
      store.events.off('change', broadcast);
      clearInterval(heartbeat);
      log.debug({ streams: open }, 'ending event streams');
      for (const watched of sites.values()) for (const res of watched.streams) res.end();
      sites.clear();
    },
  };
}
