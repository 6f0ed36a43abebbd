// The responses the gateway writes itself instead of forwarding: the maintenance page or
// JSON while a window holds a request, and the trouble page when the upstream fails or is
// judged down, each of the request's site; and the 404 page for a host no site answers.

import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../config/config.js';
import { retryAfterSeconds, type Decision } from '../decide/decide.js';
import { hostName, safeReturnPath } from '../decide/paths.js';
import { retryAfterWhileDown } from '../health/judge.js';
import { routeHost } from '../sites/site-routes.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { Snapshot } from '../snapshot/types.js';
import { publicStatusPath } from '../status/site-path.js';
import { isPrimary, siteDefaults } from '../status/site.js';
import { buildStatusView, type PageState } from '../status/view-model.js';
import { compileView, type StatusRenderer } from '../status/render.js';
import { securityHeaderList } from './security-headers.js';

type Hold = Extract<Decision, { action: 'hold' }>;
type Unavailable = Extract<Decision, { action: 'unavailable' }>;

export interface Responder {
  hold(req: http.IncomingMessage, res: http.ServerResponse, decision: Hold, snapshot: Snapshot, now: number): void;
  trouble(req: http.IncomingMessage, res: http.ServerResponse, status: 502 | 504, snapshot: Snapshot, now: number): void;
  /** The upstream is judged down: the trouble page (or JSON), 503 with Retry-After from the health check thresholds. */
  unavailable(req: http.IncomingMessage, res: http.ServerResponse, snapshot: Snapshot, now: number): void;
  /** A host no site names, with no default site: a 404 page (or JSON) that says so. */
  noSite(req: http.IncomingMessage, res: http.ServerResponse, host: string): void;
  /** Refuses a WebSocket upgrade with the same 503, before any upgrade happens. */
  refuseUpgrade(req: http.IncomingMessage, socket: Duplex, decision: Hold | Unavailable, now: number): void;
}

type ResponderConfig = Pick<Config, 'statusPath' | 'siteName' | 'supportEmail' | 'publicUrl' | 'trustProxy' | 'healthcheck'>;

/** Browsers ask for text/html; API clients, curl and monitors get JSON. */
export function wantsHtml(req: http.IncomingMessage): boolean {
  const accept = req.headers.accept;
  return accept !== undefined && accept.includes('text/html');
}

/** `store`: which sites there are, for the fallback names (siteDefaults) and status_url. */
export function createResponder(config: ResponderConfig, renderer: StatusRenderer, viewsDir: string, store: SnapshotStore): Responder {
  const noSitePage = compileView(viewsDir, 'no-site.ejs', 'page for unknown hosts');
  const securityHeaders = securityHeaderList();
  const retryWhileDown = retryAfterWhileDown(config.healthcheck);

  /**
   * Absolute, so API clients can follow it: the site's page on PUBLIC_URL, or STATUS_PATH on the
   * scheme and host the client used, which route to the same site as the held request.
   */
  function statusUrl(req: http.IncomingMessage, snapshot: Snapshot | null): string {
    if (config.publicUrl) {
      const path = snapshot === null ? config.statusPath : publicStatusPath(config, snapshot, isPrimary(store.current(), snapshot), config.statusPath);
      return new URL(path, config.publicUrl).href;
    }
    if (!req.headers.host) return config.statusPath;
    const forwarded = req.headers['x-forwarded-proto'];
    const viaTrustedProxy = typeof forwarded === 'string' && config.trustProxy(req.socket.remoteAddress ?? '', 0);
    const scheme = viaTrustedProxy ? forwarded.split(',', 1)[0]!.trim() : 'encrypted' in req.socket ? 'https' : 'http';
    return `${scheme === 'https' ? 'https' : 'http'}://${req.headers.host}${config.statusPath}`;
  }

  function page(snapshot: Snapshot, now: number, state: PageState, key: string): string {
    // One render per snapshot, state and minute: the relative times on the page move by the minute.
    return renderer.renderCached(`${snapshot.site.id}|${snapshot.version}|${key}|${Math.floor(now / 60_000)}`, () =>
      buildStatusView(snapshot, now, state, siteDefaults(store.current(), snapshot, config)),
    );
  }

  function send(res: http.ServerResponse, status: number, retryAfter: number | undefined, type: string, body: string): void {
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    res.statusCode = status;
    res.setHeader('Cache-Control', 'no-store');
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    // Node drops the body of a HEAD response itself, keeping the headers and length.
    res.end(body);
  }

  function maintenanceJson(req: http.IncomingMessage, snapshot: Snapshot | null, decision: Hold, retryAfter: number | undefined): string {
    const first = decision.windows[0]!;
    return JSON.stringify({
      status: 'maintenance',
      title: first.title,
      message: first.message || first.title,
      ends_at: decision.until === null ? null : new Date(decision.until).toISOString(),
      retry_after: retryAfter ?? null,
      status_url: statusUrl(req, snapshot),
    });
  }

  function unavailableJson(req: http.IncomingMessage, snapshot: Snapshot | null): string {
    return JSON.stringify({
      status: 'unavailable',
      message: 'The application is not responding; we have been alerted.',
      retry_after: retryWhileDown,
      status_url: statusUrl(req, snapshot),
    });
  }

  return {
    hold(req, res, decision, snapshot, now) {
      const retryAfter = retryAfterSeconds(decision.until, now);
      if (decision.response === 'redirect') {
        const back = safeReturnPath(req.url);
        res.setHeader('Location', back ? `${config.statusPath}?return_to=${encodeURIComponent(back)}` : config.statusPath);
        send(res, 307, retryAfter, 'text/plain; charset=utf-8', 'Temporarily redirected to the status page\n');
        return;
      }
      if (wantsHtml(req)) {
        const key = `hold:${decision.windows.map((window) => window.id).join(',')}`;
        send(res, 503, retryAfter, 'text/html; charset=utf-8', page(snapshot, now, { kind: 'maintenance', windows: decision.windows }, key));
      } else {
        send(res, 503, retryAfter, 'application/json; charset=utf-8', maintenanceJson(req, snapshot, decision, retryAfter));
      }
    },

    trouble(req, res, status, snapshot, now) {
      if (wantsHtml(req)) {
        send(res, status, undefined, 'text/html; charset=utf-8', page(snapshot, now, { kind: 'trouble', status }, `trouble:${status}`));
        return;
      }
      const body = JSON.stringify({
        status: 'unavailable',
        message: status === 504 ? 'The application took too long to answer.' : 'The application is not responding.',
        status_url: statusUrl(req, snapshot),
      });
      send(res, status, undefined, 'application/json; charset=utf-8', body);
    },

    unavailable(req, res, snapshot, now) {
      if (wantsHtml(req)) {
        // The trouble page's "not responding" form; the status says it is temporary, Retry-After when to look again.
        send(res, 503, retryWhileDown, 'text/html; charset=utf-8', page(snapshot, now, { kind: 'trouble', status: 502 }, 'trouble:502'));
      } else {
        send(res, 503, retryWhileDown, 'application/json; charset=utf-8', unavailableJson(req, snapshot));
      }
    },

    noSite(req, res, host) {
      if (wantsHtml(req)) {
        send(res, 404, undefined, 'text/html; charset=utf-8', noSitePage({ statusPath: config.statusPath, host }));
      } else {
        send(res, 404, undefined, 'application/json; charset=utf-8', JSON.stringify({ status: 'not_found', message: `this gateway serves no site at ${host || 'this address'}` }));
      }
    },

    refuseUpgrade(req, socket, decision, now) {
      // The handler decided on the site of this Host; the same lookup names it here.
      const snapshot = routeHost(store.current(), hostName(req.headers.host));
      const hold = decision.action === 'hold';
      const retryAfter = hold ? retryAfterSeconds(decision.until, now) : retryWhileDown;
      const body = hold ? maintenanceJson(req, snapshot, decision, retryAfter) : unavailableJson(req, snapshot);
      const head = [
        'HTTP/1.1 503 Service Unavailable',
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Cache-Control: no-store',
        ...(retryAfter === undefined ? [] : [`Retry-After: ${retryAfter}`]),
        'Connection: close',
      ];
      socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
    },
  };
}
