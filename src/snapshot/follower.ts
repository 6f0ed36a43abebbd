// Data read from the database after each snapshot reload, for pages that show more than the
// snapshot holds (the public API, uptime). Reloads are coalesced, one at a time, and a failed one
// keeps the last good value, so a page never waits on the database. A window opening or closing
// on time changes the snapshot without a reload: nothing in the database moved, so nothing is read.

import type { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import { coalesced } from './coalesce.js';
import type { SnapshotStore } from './store.js';
import type { SiteSnapshots } from './types.js';

export interface Follower<T> {
  /** The last value loaded, or undefined before the first load succeeds. */
  current(): T | undefined;
  /** Increases with every successful load; caches key on it. */
  version(): number;
  /** Settles once the first load, started at creation, has been tried. */
  ready(): Promise<void>;
  close(): void;
}

export interface FollowerOptions<T> {
  store: SnapshotStore;
  /** Reads the value; given the snapshot that triggered the load. */
  load: (snapshot: SiteSnapshots) => Promise<T>;
  log: Logger;
  /** For log lines: what is being followed. */
  name: string;
  /**
   * What to reload on: the store's events by default, or a thinned-out copy of them. 'change'
   * (with the snapshot) reloads when the snapshot was reloaded; 'refresh' reloads in any case.
   */
  changes?: EventEmitter;
}

export function createFollower<T>({ store, load, log, name, changes = store.events }: FollowerOptions<T>): Follower<T> {
  let value: T | undefined;
  let version = 0;

  async function loadOnce(): Promise<void> {
    try {
      value = await load(store.current());
      version += 1;
    } catch (err) {
      log.warn({ err: (err as Error).message, follower: name }, 'follower reload failed; keeping the last value');
    }
  }

  const refresh = coalesced(loadOnce);

  let seenLoadedAt = store.current().loadedAt;
  function onChange(snapshot: SiteSnapshots): void {
    if (snapshot.loadedAt === seenLoadedAt) return;
    seenLoadedAt = snapshot.loadedAt;
    void refresh();
  }
  function onRefresh(): void {
    void refresh();
  }
  changes.on('change', onChange);
  changes.on('refresh', onRefresh);
  const first = refresh();

  return {
    current: () => value,
    version: () => version,
    ready: () => first,
    close() {
      changes.off('change', onChange);
      changes.off('refresh', onRefresh);
    },
  };
}
