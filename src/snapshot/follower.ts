// Data read from the database after each snapshot change, for pages that show more than the
// snapshot holds (the public API, history, uptime). Reloads are coalesced, one at a time, and a
// failed one keeps the last good value, so a page never waits on the database.

import type { Logger } from '../log.js';
import type { SnapshotStore } from './store.js';
import type { Snapshot } from './types.js';

export interface Follower<T> {
  /** The last value loaded, or undefined before the first load succeeds. */
  current(): T | undefined;
  /** Increases with every successful load; caches key on it. */
  version(): number;
  /** Loads now (coalesced with a load in flight); resolves when the value reflects the latest change. */
  refresh(): Promise<void>;
  close(): void;
}

export interface FollowerOptions<T> {
  store: SnapshotStore;
  /** Reads the value; given the snapshot that triggered the load. */
  load: (snapshot: Snapshot) => Promise<T>;
  log: Logger;
  /** For log lines: what is being followed. */
  name: string;
}

export function createFollower<T>({ store, load, log, name }: FollowerOptions<T>): Follower<T> {
  let value: T | undefined;
  let version = 0;
  let inFlight: Promise<void> | null = null;
  let pending = false;

  async function loadOnce(): Promise<void> {
    try {
      value = await load(store.current());
      version += 1;
    } catch (err) {
      log.warn({ err: (err as Error).message, follower: name }, 'follower reload failed; keeping the last value');
    }
  }

  function refresh(): Promise<void> {
    if (inFlight) {
      pending = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        pending = false;
        await loadOnce();
      } while (pending);
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function onChange(): void {
    void refresh();
  }
  store.events.on('change', onChange);

  return {
    current: () => value,
    version: () => version,
    refresh,
    close() {
      store.events.off('change', onChange);
    },
  };
}
