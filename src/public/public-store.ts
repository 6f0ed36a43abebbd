// Keeps every site's public data in memory and the documents made from it, so a poll of the JSON
// or the feeds is a Map lookup: the data follows the snapshot (src/snapshot/follower.ts), and the
// documents are built once per change, site and base URL, each serialized once with its ETag. The
// database being down keeps the last good data.

import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import { strongEtag } from '../server/etag.js';
import { createFollower } from '../snapshot/follower.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { StatusSite } from '../status/site-path.js';
import { siteView } from '../status/site.js';
import { pageStatus } from '../status/view-model.js';
import { buildFeed } from './feeds.js';
import { loadPublicData, type PublicData, type PublicSites } from './public-data.js';
import { shapeAll, v2Document, V2_DOCUMENTS, type Shaped, type V2Document } from './statuspage-shapes.js';

export const FEED_DOCUMENTS = ['history.rss', 'history.atom'] as const;
export type DocumentName = V2Document | (typeof FEED_DOCUMENTS)[number];

const TYPES: Record<string, string> = {
  'history.rss': 'application/rss+xml; charset=utf-8',
  'history.atom': 'application/atom+xml; charset=utf-8',
};
const JSON_TYPE = 'application/json; charset=utf-8';

export interface CachedDocument {
  body: Buffer;
  /** Strong: the bytes are the same whenever the ETag is. */
  etag: string;
  type: string;
}

export interface PublicStore {
  /** The site's document for its status page at pageUrl; null until a load that knows the site has succeeded. */
  document(name: DocumentName, pageUrl: string, site: StatusSite): CachedDocument | null;
  /** Settles once the first load has been tried. */
  ready(): Promise<void>;
  close(): void;
}

export interface PublicStoreOptions {
  pool: Pool;
  store: SnapshotStore;
  log: Logger;
  now?: () => number;
}

// Without PUBLIC_URL every Host a client sends makes its own copy (and every site its own); past
// this many the cache starts over, so made-up Host headers cannot grow it without bound.
const MAX_CACHED = 1000;

export function isDocumentName(name: string): name is DocumentName {
  return (V2_DOCUMENTS as readonly string[]).includes(name) || (FEED_DOCUMENTS as readonly string[]).includes(name);
}

export function createPublicStore({ pool, store, log, now = Date.now }: PublicStoreOptions): PublicStore {
  const data = createFollower<PublicSites>({ store, load: () => loadPublicData(pool), log, name: 'public' });
  // Documents are good for one snapshot version (which also moves when a window starts or ends,
  // with no reload) and one load of the data.
  let builtFor = '';
  let cache = new Map<string, CachedDocument>();
  let shapedFor = new Map<string, Shaped>();

  function shaped(key: string, pageUrl: string, site: StatusSite, current: PublicData): Shaped {
    let result = shapedFor.get(key);
    if (!result) {
      const { snapshot } = site;
      const at = now();
      // The name as read with the data, so the JSON and the feeds agree with the rest of the document.
      const siteName = siteView({ ...snapshot.settings, siteName: current.siteName }, site.defaults).siteName;
      result = shapeAll(current, { pageUrl, siteName, status: pageStatus(snapshot, at), now: at });
      shapedFor.set(key, result);
    }
    return result;
  }

  function build(name: DocumentName, s: Shaped): string {
    if (name === 'history.rss' || name === 'history.atom') return buildFeed(name === 'history.rss' ? 'rss' : 'atom', s);
    return JSON.stringify(v2Document(name, s));
  }

  return {
    document(name, pageUrl, site) {
      const current = data.current()?.get(site.snapshot.site.id);
      // A site added since the last load is known once the load its reload started is back.
      if (current === undefined) return null;
      const version = `${store.current().version}|${data.version()}`;
      if (version !== builtFor || cache.size >= MAX_CACHED) {
        builtFor = version;
        cache = new Map();
        shapedFor = new Map();
      }
      // Sites share the version: the site is in every key.
      const page = `${site.snapshot.site.id} ${pageUrl}`;
      const key = `${page} ${name}`;
      let cached = cache.get(key);
      if (!cached) {
        const body = Buffer.from(build(name, shaped(page, pageUrl, site, current)));
        cached = { body, etag: strongEtag(body), type: TYPES[name] ?? JSON_TYPE };
        cache.set(key, cached);
      }
      return cached;
    },
    ready: data.ready,
    close: data.close,
  };
}
