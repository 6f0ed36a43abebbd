// The status page at STATUS_PATH and the files it needs.

import { mainSite } from '../sites/site-routes.js';
import path from 'node:path';
import express from 'express';
import type { Config } from '../config/config.js';
import { createEmbedRouter } from '../embed/routes.js';
import type { UptimeData } from '../history/uptime-days.js';
import type { Follower } from '../snapshot/follower.js';
import type { SnapshotStore } from '../snapshot/store.js';
import { brandStylesheet } from './brand-color.js';
import type { StatusRenderer } from './render.js';
import { buildStatusView } from './view-model.js';

export function createStatusRouter(
  config: Pick<Config, 'siteName' | 'supportEmail' | 'statusPath'>,
  store: SnapshotStore,
  renderer: StatusRenderer,
  viewsDir: string,
  now: () => number = Date.now,
  /** The 90-day uptime bars under the components (src/history/); the page shows none without it. */
  uptime?: Follower<UptimeData>,
): express.Router {
  const router = express.Router();
  const options = { siteName: config.siteName, supportEmail: config.supportEmail, statusPath: config.statusPath };

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

  router.use(createEmbedRouter(config, store, viewsDir, now));
  router.use('/assets', express.static(path.join(viewsDir, 'assets'), { maxAge: '5m', fallthrough: false }));

  router.get('/', function statusPage(_req, res) {
    const snapshot = mainSite(store.current());
    const at = now();
    const html = renderer.renderCached(`${snapshot.version}|status|${Math.floor(at / 60_000)}|${uptime?.version() ?? 0}`, () =>
      buildStatusView(snapshot, at, { kind: 'status' }, options, uptime?.current()),
    );
    res.set('Cache-Control', 'no-store').type('html').send(html);
  });

  return router;
}
