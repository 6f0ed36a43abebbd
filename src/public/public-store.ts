// Keeps the public data in memory and the documents made from it, so a poll of the JSON or the
// feeds is a Map lookup: the data follows the snapshot (src/snapshot/follower.ts), and the
// documents are built once per change and base URL, each serialized once with its ETag. The
// database being down keeps the last good data.

import { mainSite } from '../sites/site-routes.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import { strongEtag } from '../server/etag.js';
import { createFollower } from '../snapshot/follower.js';
import type { SnapshotStore } from '../snapshot/store.js';
import { siteView } from '../status/site.js';
import { pageStatus } from '../status/view-model.js';
import { buildFeed } from './feeds.js';
import { loadPublicData, type PublicData } from './public-data.js';
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
  /** The document for the status page at pageUrl; null until the first load has succeeded. */
  document(name: DocumentName, pageUrl: string): CachedDocument | null;
  /** Settles once the first load has been tried. */
  ready(): Promise<void>;
  close(): void;
}

export interface PublicStoreOptions {
  pool: Pool;
  store: SnapshotStore;
  log: Logger;
  /** SITE_NAME, for when Settings leave the name blank. */
  defaults: { siteName: string; supportEmail: string | undefined; statusPath: string };
  now?: () => number;
}

// Without PUBLIC_URL every Host a client sends makes its own copy; past this many the cache starts
// over, so made-up Host headers cannot grow it without bound.
const MAX_CACHED = 200;

export function isDocumentName(name: string): name is DocumentName {
  return (V2_DOCUMENTS as readonly string[]).includes(name) || (FEED_DOCUMENTS as readonly string[]).includes(name);
}

export function createPublicStore({ pool, store, log, defaults, now = Date.now }: PublicStoreOptions): PublicStore {
  const data = createFollower<PublicData>({ store, load: () => loadPublicData(pool), log, name: 'public' });
  // Documents are good for one snapshot version (which also moves when a window starts or ends,
  // with no reload) and one load of the data.
  let builtFor = '';
  let cache = new Map<string, CachedDocument>();
  let shapedFor = new Map<string, Shaped>();

  function shaped(pageUrl: string, current: PublicData): Shaped {
    let result = shapedFor.get(pageUrl);
    if (!result) {
      const snapshot = mainSite(store.current());
      const at = now();
      const siteName = siteView({ ...snapshot.settings, siteName: current.siteName }, defaults).siteName;
      result = shapeAll(current, { pageUrl, siteName, status: pageStatus(snapshot, at), now: at });
      shapedFor.set(pageUrl, result);
    }
    return result;
  }

  function build(name: DocumentName, s: Shaped): string {
    if (name === 'history.rss' || name === 'history.atom') return buildFeed(name === 'history.rss' ? 'rss' : 'atom', s);
    return JSON.stringify(v2Document(name, s));
  }

  return {
    document(name, pageUrl) {
      const current = data.current();
      if (current === undefined) return null;
      const version = `${store.current().version}|${data.version()}`;
      if (version !== builtFor || cache.size >= MAX_CACHED) {
        builtFor = version;
        cache = new Map();
        shapedFor = new Map();
      }
      const key = `${pageUrl} ${name}`;
      let cached = cache.get(key);
      if (!cached) {
        const body = Buffer.from(build(name, shaped(pageUrl, current)));
        cached = { body, etag: strongEtag(body), type: TYPES[name] ?? JSON_TYPE };
        cache.set(key, cached);
      }
      return cached;
    },
    ready: data.ready,
    close: data.close,
  };
}
