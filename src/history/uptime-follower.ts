// Keeps the 90-day uptime in memory for the status page, off the request path. The snapshot changes
// often (every reload, every window start or end), but uptime moves by the minute: reloads are paced
// to at most one a minute, plus one just after each UTC midnight, when a new day starts its bar.

import { EventEmitter } from 'node:events';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import { createFollower, type Follower } from '../snapshot/follower.js';
import type { SnapshotStore } from '../snapshot/store.js';
import type { UptimeData } from './uptime-days.js';
import { loadUptime } from './uptime-load.js';

const DAY_MS = 24 * 60 * 60_000;
// Past midnight by a little, so the database's clock is surely on the new day too.
const AFTER_MIDNIGHT_MS = 1000;

export interface PacedChanges {
  /** Emits 'change' (with the store's snapshot) at most once per interval, at the end of a busy one; 'refresh' after each UTC midnight. */
  events: EventEmitter;
  close(): void;
}

export interface PaceOptions {
  minIntervalMs: number;
  now?: () => number;
}

/** The store's 'change' events, thinned out: never two within minIntervalMs, none lost at the end. */
export function paceChanges(store: SnapshotStore, { minIntervalMs, now = Date.now }: PaceOptions): PacedChanges {
  const events = new EventEmitter();
  let lastAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let midnight: NodeJS.Timeout | undefined;

  function emit(): void {
    clearTimeout(timer);
    timer = undefined;
    lastAt = now();
    events.emit('change', store.current());
  }

  function onChange(): void {
    if (timer) return;
    const wait = lastAt + minIntervalMs - now();
    if (wait <= 0) return emit();
    timer = setTimeout(emit, wait);
    timer.unref();
  }

  function scheduleMidnight(): void {
    const at = now();
    midnight = setTimeout(function onNewDay() {
      // A new day starts its bar whether or not anything changed in the database.
      events.emit('refresh');
      scheduleMidnight();
    }, Math.ceil((at + 1) / DAY_MS) * DAY_MS - at + AFTER_MIDNIGHT_MS);
    midnight.unref();
  }

  store.events.on('change', onChange);
  scheduleMidnight();
  return {
    events,
    close() {
      store.events.off('change', onChange);
      clearTimeout(timer);
      clearTimeout(midnight);
    },
  };
}

export interface UptimeFollowerDeps {
  store: SnapshotStore;
  pool: Pool;
  log: Logger;
  /** Default one minute. */
  minIntervalMs?: number;
  now?: () => number;
}

/** Loads at once, then as paced above; keeps the last good value when a load fails. */
export function createUptimeFollower({ store, pool, log, minIntervalMs = 60_000, now = Date.now }: UptimeFollowerDeps): Follower<UptimeData> {
  const paced = paceChanges(store, { minIntervalMs, now });
  const follower = createFollower<UptimeData>({ store, changes: paced.events, load: () => loadUptime(pool), log, name: 'uptime' });
  return {
    ...follower,
    close() {
      follower.close();
      paced.close();
    },
  };
}
