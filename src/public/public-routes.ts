// A site's STATUS_PATH/api/v2/*.json (Statuspage's public API) and STATUS_PATH/history.rss|.atom, on
// its own hosts or under STATUS_PATH/<slug> on any host, answered before express like forwarded traffic: a crowd of widgets polling every few seconds must not
// slow forwarding, and through express each poll cost ~170 µs of CPU. Each answer is a document
// the public store built once, sent with a strong ETag, 304 when unchanged, and open to pages on
// other sites (CORS), since status widgets run on the customer's own sites.

import type http from 'node:http';
import type { Config } from '../config/config.js';
import type { DirectRoute } from '../server/handler.js';
import type { SnapshotStore } from '../snapshot/store.js';
import { publicStatusPath, statusSite, statusTarget, type StatusSite } from '../status/site-path.js';
import type { PublicEnv } from '../status/site.js';
import { isDocumentName, type CachedDocument, type DocumentName, type PublicStore } from './public-store.js';

// Short: a poller sees a change within seconds, yet a browser or CDN in front can absorb a burst of
// identical polls; revalidating with the ETag costs a 304 without a body.
const CACHE_CONTROL = 'public, max-age=10';
const ALLOW = 'GET, HEAD, OPTIONS';

const CROSS_ORIGIN: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag',
  // The gateway's own pages are same-origin; these are meant to be read from anywhere.
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
};

const PREFLIGHT: Record<string, string> = {
  ...CROSS_ORIGIN,
  'Access-Control-Allow-Methods': ALLOW,
  // A browser asks first when a script sends If-None-Match itself (not a CORS-safelisted header).
  'Access-Control-Allow-Headers': 'If-None-Match',
  'Access-Control-Max-Age': '86400',
  Allow: ALLOW,
};

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',', 1)[0]!.trim() || undefined;
}

type PublicRoutesConfig = Pick<Config, 'publicUrl' | 'trustProxy'> & PublicEnv;

/** The site's page's absolute URL: on PUBLIC_URL (see publicStatusPath), else the scheme and host the client used. */
function pageUrlOf(req: http.IncomingMessage, config: PublicRoutesConfig, site: StatusSite): string {
  const path = publicStatusPath(config, site.snapshot, site.primary, site.base);
  if (config.publicUrl) return `${config.publicUrl.href.replace(/\/+$/, '')}${path}`;
  // The forwarded scheme and host count only from a proxy in TRUSTED_PROXIES, as for client addresses.
  const trusted = config.trustProxy(req.socket.remoteAddress ?? '', 0);
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = (trusted && firstValue(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (trusted && firstValue(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  try {
    return `${new URL(`${proto === 'https' ? 'https' : 'http'}://${host}`).origin}${path}`;
  } catch {
    return `http://localhost${path}`;
  }
}

/** If-None-Match names this ETag (or *); weak comparison, as RFC 9110 asks for it. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function json(res: http.ServerResponse, status: number, headers: Record<string, string>, code: string, message: string): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ error: { code, message } }));
}

function sendDocument(req: http.IncomingMessage, res: http.ServerResponse, doc: CachedDocument): void {
  const headers = { ...CROSS_ORIGIN, ETag: doc.etag, 'Cache-Control': CACHE_CONTROL };
  if (matchesEtag(req.headers['if-none-match'], doc.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': doc.type, 'Content-Length': String(doc.body.length) });
  res.end(req.method === 'HEAD' ? undefined : doc.body);
}

export function createPublicRoutes(config: PublicRoutesConfig, publicStore: PublicStore, store: SnapshotStore): DirectRoute {
  const apiPrefix = '/api/v2/';
  const feeds = new Map<string, DocumentName>([
    ['/history.rss', 'history.rss'],
    ['/history.atom', 'history.atom'],
  ]);

  function answer(req: http.IncomingMessage, res: http.ServerResponse, name: DocumentName, site: StatusSite): void {
    const pageUrl = pageUrlOf(req, config, site);
    const doc = publicStore.document(name, pageUrl, site);
    if (doc !== null) return sendDocument(req, res, doc);
    // Only before the first load (or the first after a site was added): wait for it rather than fail.
    publicStore.ready().then(
      function firstLoaded() {
        const loaded = publicStore.document(name, pageUrl, site);
        if (loaded !== null) sendDocument(req, res, loaded);
        else json(res, 503, { ...CROSS_ORIGIN, 'Retry-After': '5' }, 'GW_ERR_UNAVAILABLE', 'The status data is not loaded yet; try again in a few seconds');
      },
      () => json(res, 503, { ...CROSS_ORIGIN, 'Retry-After': '5' }, 'GW_ERR_UNAVAILABLE', 'The status data is not loaded yet; try again in a few seconds'),
    );
  }

  return function publicRoutes(req, res, path) {
    // Cheap checks first: most gateway requests are not for these documents.
    if (!path.endsWith('.rss') && !path.endsWith('.atom') && !path.includes(apiPrefix)) return false;
    const snapshots = store.current();
    const target = statusTarget(snapshots, config.statusPath, path, req.headers.host);
    // An unknown host's documents are left to express, which answers with the 404 page.
    if (target?.kind !== 'site') return false;
    const feed = feeds.get(target.rest);
    if (feed !== undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      answer(req, res, feed, statusSite(snapshots, target, config));
      return true;
    }
    if (!target.rest.startsWith(apiPrefix)) return false;
    const name = target.rest.slice(apiPrefix.length);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, PREFLIGHT);
      res.end();
    } else if (!isDocumentName(name) || name.startsWith('history.')) {
      json(res, 404, CROSS_ORIGIN, 'GW_ERR_NOT_FOUND', `No such document: api/v2/${name.slice(0, 200)}`);
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { ...CROSS_ORIGIN, Allow: ALLOW }, 'GW_ERR_METHOD', `api/v2/${name} is read-only: use GET`);
    } else {
      answer(req, res, name, statusSite(snapshots, target, config));
    }
    return true;
  };
}
