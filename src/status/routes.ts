// The status page at STATUS_PATH (or STATUS_PATH/<slug>) and the files every site's page shares.

import path from 'node:path';
import express from 'express';
import { createEmbedRouter } from '../embed/routes.js';
import type { UptimeData } from '../history/uptime-days.js';
import type { Follower } from '../snapshot/follower.js';
import { brandStylesheet } from './brand-color.js';
import type { StatusRenderer } from './render.js';
import { statusSiteOf } from './site-path.js';
import { buildStatusView } from './view-model.js';

/** STATUS_PATH/assets: one set of files for every site, so they are mounted before any site is resolved. */
export function createStatusAssets(viewsDir: string): express.Router {
  const router = express.Router();
  // Before the static files, which answer 404 for anything they do not hold.
  router.get('/assets/brand/:file', function brandColorSheet(req, res) {
    const match = /^([0-9a-f]{6})\.css$/.exec(req.params.file);
    const css = match ? brandStylesheet(match[1]!) : null;
    if (css === null) {
      res.status(404).type('text/plain').send('No such stylesheet\n');
      return;
    }
    // The colour is in the URL, so what it names never changes.
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type('css').send(css);
  });
  router.use('/assets', express.static(path.join(viewsDir, 'assets'), { maxAge: '5m', fallthrough: false }));
  return router;
}

/** One site's page and what other sites embed of it; the site is resolved before (src/status/site-path.ts). */
export function createStatusRouter(
  renderer: StatusRenderer,
  viewsDir: string,
  now: () => number = Date.now,
  /** The 90-day uptime bars under the components (src/history/); the page shows none without it. */
  uptime?: Follower<UptimeData>,
): express.Router {
  const router = express.Router();
  router.use(createEmbedRouter(viewsDir, now));

  router.get('/', function statusPage(_req, res) {
    const { snapshot, base, defaults } = statusSiteOf(res);
    const at = now();
    // Every site has the same version, and a page reached by its slug links to its slug: both in the key.
    const key = `${snapshot.site.id}|${snapshot.version}|${base}|status|${Math.floor(at / 60_000)}|${uptime?.version() ?? 0}`;
    const html = renderer.renderCached(key, () => buildStatusView(snapshot, at, { kind: 'status' }, { ...defaults, basePath: base }, uptime?.current()));
    res.set('Cache-Control', 'no-store').type('html').send(html);
  });

  return router;
}
