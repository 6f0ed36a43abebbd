// STATUS_PATH/history (and STATUS_PATH/<slug>/history): one site's past incidents and maintenance
// by month. Read from the database when a page is asked for, then kept per site and page until the
// snapshot changes; with the database down, the last copy of the page is served, or a 503 page,
// while the status page itself carries on.

import type ejs from 'ejs';
import express from 'express';
import type { Pool } from '../db/pool.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SnapshotStore } from '../snapshot/store.js';
import { compileView } from '../status/render.js';
import { statusSiteOf, type StatusSite } from '../status/site-path.js';
import { loadHistoryRange } from './history-queries.js';
import { historyView, type HistoryView } from './history-view.js';
import { historyPage, monthKey, monthOf, parseBefore } from './months.js';

export interface HistoryRouterDeps {
  store: SnapshotStore;
  pool: Pool;
  log: Logger;
  viewsDir: string;
  now?: () => number;
  /** Pages kept; a reader pages back a few at most, and most readers read the first. */
  cacheSize?: number;
}

interface Cached {
  version: number;
  html: string;
}

export function createHistoryRouter({ store, pool, log, viewsDir, now = Date.now, cacheSize = 12 }: HistoryRouterDeps): express.Router {
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new ConfigError(`history cacheSize must be a positive integer, got ${cacheSize}`);
  const template = compileView(viewsDir, 'history.ejs', 'history page template');
  const cache = new Map<string, Cached>();
  // Readers arriving together for a page that is not cached share one read.
  const loading = new Map<string, Promise<string>>();

  const render = (view: HistoryView): string => template(view as unknown as ejs.Data);

  function remember(key: string, entry: Cached): void {
    cache.delete(key);
    cache.set(key, entry);
    // Map keeps insertion order: the first key is the least recently stored.
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
  }

  function pageHtml(site: StatusSite, key: string, version: number, before: number | null, at: number): Promise<string> {
    const id = `${key}|${version}`;
    let pending = loading.get(id);
    if (!pending) {
      const page = historyPage(before, at);
      pending = loadHistoryRange(pool, site.snapshot.site.id, page.from, page.to)
        .then((range) => {
          // The site's settings as they are once the read is back; a site removed meanwhile keeps the ones it had.
          const settings = store.current().byId.get(site.snapshot.site.id)?.settings ?? site.snapshot.settings;
          const html = render(historyView(settings, site.defaults, { page, range }, site.base));
          remember(key, { version, html });
          return html;
        })
        .finally(() => loading.delete(id));
      loading.set(id, pending);
    }
    return pending;
  }

  function send(res: express.Response, status: number, html: string): void {
    res.status(status).set('Cache-Control', 'no-store').type('html').send(html);
  }

  const router = express.Router();
  router.get('/history', async function historyPageRoute(req, res) {
    const site = statusSiteOf(res);
    const { settings } = site.snapshot;
    const at = now();
    const parsed = parseBefore(req.query.before, at);
    if (!parsed.ok) {
      send(res, 400, render(historyView(settings, site.defaults, { problem: { heading: 'This page of the history does not exist', message: parsed.message } }, site.base)));
      return;
    }
    // The same months can be asked for in two ways (no parameter, or before=next month); the
    // current month is in the key because it decides the "Newer" link. Each site, and each base
    // its links are on, has its own pages.
    const page = historyPage(parsed.before, at);
    const key = `${site.snapshot.site.id}|${site.base}|${monthKey(monthOf(at))}|${monthKey(page.months[0]!)}`;
    const version = site.snapshot.version;
    const cached = cache.get(key);
    if (cached?.version === version) {
      send(res, 200, cached.html);
      return;
    }
    try {
      send(res, 200, await pageHtml(site, key, version, parsed.before, at));
    } catch (err) {
      log.warn({ err: (err as Error).message, site: site.snapshot.site.slug }, 'history read failed');
      if (cached) {
        // A page read before the last change is better than none while the database is away.
        send(res, 200, cached.html);
        return;
      }
      res.set('Retry-After', '60');
      send(res, 503, render(historyView(settings, site.defaults, {
        problem: {
          heading: "The history can't be shown right now",
          message: 'We could not read past incidents and maintenance just now. Please try again in a few minutes; the current status is on the status page.',
        },
      }, site.base)));
    }
  });
  return router;
}
