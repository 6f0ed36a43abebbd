// Keeps this process's snapshot true without ever making a request wait on the database:
// LISTEN for change notices, a timer at the next window start or end, a slow safety
// reload, and a full reload after every reconnect (notices sent while away are lost).

import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../log.js';
import { coalesced } from './coalesce.js';
import { loadSnapshot } from './load.js';
import { EMPTY_SNAPSHOTS, withVersion } from '../sites/site-routes.js';
import { effectiveEnd, type SiteSnapshots } from './types.js';

export const CHANGE_CHANNEL = 'intermission_changed';

// setTimeout takes at most a signed 32-bit delay.
const MAX_TIMER_MS = 2 ** 31 - 1;
const BACKOFF_MIN_MS = 200;
const BACKOFF_MAX_MS = 10_000;

export interface SnapshotStatus {
  connected: boolean;
  loaded: boolean;
  /** Milliseconds since the snapshot was last confirmed against the database. */
  ageMs: number | null;
  lastError: string | null;
}

export interface SnapshotStore {
  current(): SiteSnapshots;
  status(): SnapshotStatus;
  /** 'change' fires after each reload and at each window start or end. */
  events: EventEmitter;
  /** Connects and loads the first snapshot; rejects if the database cannot be reached. */
  start(): Promise<void>;
  /** Reloads now (coalesced with any reload in flight). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface SnapshotStoreOptions {
  url: string;
  log: Logger;
  reloadIntervalMs: number;
  now?: () => number;
}

/** The next moment after `now` at which some window starts or stops being in force. */
export function nextTransition(snapshot: SiteSnapshots, now: number): number | null {
  let next: number | null = null;
  for (const site of snapshot.sites) {
    for (const window of site.windows) {
      for (const at of [window.startsAt, effectiveEnd(window)]) {
        if (at !== null && at > now && (next === null || at < next)) next = at;
      }
    }
  }
  return next;
}

export function createSnapshotStore({ url, log, reloadIntervalMs, now = Date.now }: SnapshotStoreOptions): SnapshotStore {
  const events = new EventEmitter();
  let snapshot: SiteSnapshots = EMPTY_SNAPSHOTS;
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let lastError: string | null = null;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let transitionTimer: NodeJS.Timeout | undefined;
  let safetyTimer: NodeJS.Timeout | undefined;

  function scheduleTransition(): void {
    clearTimeout(transitionTimer);
    const at = nextTransition(snapshot, now());
    if (at === null) return;
    transitionTimer = setTimeout(function onWindowTransition() {
      // Same data, new version: pages rendered before a window opened or closed are stale now.
      snapshot = withVersion(snapshot, snapshot.version + 1);
      events.emit('change', snapshot);
      scheduleTransition();
    }, Math.min(Math.max(at - now(), 0) + 1, MAX_TIMER_MS));
    transitionTimer.unref();
  }

  async function loadOnce(): Promise<void> {
    if (!client || !connected) return;
    try {
      snapshot = await loadSnapshot(client, snapshot.version + 1, now());
      lastError = null;
      scheduleTransition();
      events.emit('change', snapshot);
    } catch (err) {
      lastError = (err as Error).message;
      log.warn({ err: lastError }, 'snapshot reload failed; keeping the last snapshot');
    }
  }

  const reload = coalesced(loadOnce, () => connected);

  function onLost(err?: Error): void {
    if (!connected && !client) return;
    connected = false;
    lastError = err?.message ?? 'connection ended';
    const lost = client;
    client = null;
    lost?.removeAllListeners('notification');
    lost?.end().catch(() => undefined);
    if (closed) return;
    log.warn({ err: lastError }, 'snapshot connection lost; serving from the last snapshot');
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt) * (0.75 + Math.random() / 2);
    attempt += 1;
    reconnectTimer = setTimeout(function reconnect() {
      connect().catch(function onReconnectFailed(err: Error) {
        lastError = err.message;
        log.debug({ err: err.message, attempt }, 'snapshot reconnect failed');
        if (!closed) scheduleReconnect();
      });
    }, delay);
    reconnectTimer.unref();
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({
      connectionString: url,
      application_name: 'intermission-snapshot',
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      // A load that hangs on a half-dead connection must not stall the reload loop forever.
      query_timeout: 10_000,
    });
    next.on('error', onLost);
    next.on('end', () => onLost());
    next.on('notification', function onNotice() {
      void reload();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (err) {
      next.removeAllListeners('end');
      await next.end().catch(() => undefined);
      throw err;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    const wasReconnect = attempt > 0;
    client = next;
    connected = true;
    attempt = 0;
    await reload();
    if (wasReconnect) log.info({ version: snapshot.version }, 'snapshot connection restored; reloaded');
  }

  return {
    events,
    current: () => snapshot,
    status: () => ({
      connected,
      loaded: snapshot.version > 0,
      ageMs: snapshot.version > 0 ? now() - snapshot.loadedAt : null,
      lastError,
    }),
    async start() {
      await connect();
      if (snapshot.version === 0) throw new Error(`could not load the first snapshot: ${lastError ?? 'unknown error'}`);
      safetyTimer = setInterval(function safetyReload() {
        void reload();
      }, reloadIntervalMs);
      safetyTimer.unref();
    },
    reload,
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      clearTimeout(transitionTimer);
      clearInterval(safetyTimer);
      const last = client;
      client = null;
      connected = false;
      // Waits for a reload in flight; with the client gone, no new one reads anything.
      await reload().catch(() => undefined);
      if (last) {
        last.removeAllListeners();
        last.on('error', () => undefined);
        await last.end().catch(() => undefined);
      }
    },
  };
}
