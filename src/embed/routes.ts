// What other sites embed: the status badge (badge.svg), the widget page for an iframe (widget) and
// the script that inserts that iframe (widget.js), each of one site. Mounted under STATUS_PATH (and
// STATUS_PATH/<slug>) by src/status/routes.ts, after the site is resolved.

import fs from 'node:fs';
import path from 'node:path';
import type ejs from 'ejs';
import express from 'express';
import { ConfigError } from '../errors.js';
import { strongEtag } from '../server/etag.js';
import { createMemo } from '../status/memo.js';
import { compileView } from '../status/render.js';
import { siteView } from '../status/site.js';
import { statusSiteOf } from '../status/site-path.js';
import { pageStatus } from '../status/view-model.js';
import { badgeOptions, renderBadge } from './badge.js';
import { allowCrossOrigin, allowFraming } from './cross-origin.js';
import { widgetOptions, widgetView } from './widget-view.js';

// Badge proxies (GitHub's camo) and browsers keep it this long: short, so an outage shows within
// half a minute, as on the status page's own poll; the ETag makes asking again cheap.
const BADGE_CACHE = 'public, max-age=30';
// The widget hears the current status from its event stream as soon as it loads, so a cached copy
// is wrong for a moment at most; the cache spares the gateway a request per page view of a busy site.
const WIDGET_CACHE = 'public, max-age=30';
// Sites keep the script tag for years; a fix to the script reaches them within minutes.
const SCRIPT_CACHE = 'public, max-age=300';
// A handful of labels and styles in use at once; more only costs a render each.
const MEMO_SIZE = 32;

interface Rendered {
  body: string;
  etag: string;
}

function rendered(body: string): Rendered {
  return { body, etag: strongEtag(body) };
}

function readView(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`the ${what} ${file} could not be read: ${(err as Error).message}`, { cause: err });
  }
}

export function createEmbedRouter(viewsDir: string, now: () => number = Date.now): express.Router {
  const router = express.Router();
  const template = compileView(viewsDir, 'widget.ejs', 'widget template');
  const script = rendered(readView(path.join(viewsDir, 'assets', 'widget.js'), 'embed script'));
  // Keyed by the site and the snapshot version: it changes on every reload and at every window start
  // or end, which is all that moves the overall status, so nothing here reads the clock on a hit.
  const badges = createMemo<Rendered>(MEMO_SIZE);
  const widgets = createMemo<Rendered>(MEMO_SIZE);

  function send(res: express.Response, page: Rendered, type: string, cacheControl: string): void {
    // express answers 304 itself when If-None-Match matches this ETag.
    res.set({ 'Content-Type': type, 'Cache-Control': cacheControl, ETag: page.etag }).send(page.body);
  }

  router.get('/badge.svg', function statusBadge(req, res) {
    // First, so that a 400 for a bad option is readable from the page that asked.
    allowCrossOrigin(res);
    const options = badgeOptions(req.query);
    const { snapshot, defaults } = statusSiteOf(res);
    const badge = badges.get(JSON.stringify([snapshot.site.id, snapshot.version, options.style, options.label]), () => {
      const { indicator, description } = pageStatus(snapshot, now());
      // The site's name by default: on someone else's page, "status" alone would not say whose.
      const label = options.label ?? siteView(snapshot.settings, defaults).siteName;
      return rendered(renderBadge(label, description, indicator, options.style));
    });
    send(res, badge, 'image/svg+xml; charset=utf-8', BADGE_CACHE);
  });

  router.get('/widget', function statusWidget(req, res) {
    // First, so that a 400 for a bad option shows inside the embedding site's frame.
    allowFraming(res);
    const options = widgetOptions(req.query);
    const { snapshot, defaults, base } = statusSiteOf(res);
    // The widget's link, JSON and events are under the base it was reached at.
    const page = widgets.get(JSON.stringify([snapshot.site.id, base, snapshot.version, options.theme, options.refreshMs]), () =>
      rendered(template(widgetView(snapshot, now(), options, defaults, base) as unknown as ejs.Data)),
    );
    send(res, page, 'text/html; charset=utf-8', WIDGET_CACHE);
  });

  router.get('/widget.js', function embedScript(_req, res) {
    allowCrossOrigin(res);
    send(res, script, 'text/javascript; charset=utf-8', SCRIPT_CACHE);
  });

  return router;
}
