// Counts, in this process, the requests held by each window and during each outage, and adds them
// to held_requests every few seconds and at shutdown. The request path only bumps a Map entry;
// the database sees one statement per flush, and none while nothing was held.

import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';

export interface HeldCounter {
  window(id: string): void;
  outage(id: string): void;
  /** Adds what was counted since the last flush; on failure the counts wait for the next one. */
  flush(): Promise<void>;
  /** Stops the timer and flushes one last time. */
  stop(): Promise<void>;
}

export interface HeldCounterDeps {
  pool: Pick<Pool, 'query'>;
  log: Logger;
  intervalMs?: number;
}

// One statement for both kinds: each insert has its own conflict target. Ids whose window or outage
// was deleted in the meantime are dropped by the joins rather than failing the whole flush.
const FLUSH_SQL = `
  WITH held_windows AS (
    INSERT INTO held_requests (window_id, count)
    SELECT w.id, t.count FROM unnest($1::bigint[], $2::bigint[]) AS t(id, count) JOIN windows w ON w.id = t.id
    ON CONFLICT (window_id) DO UPDATE SET count = held_requests.count + EXCLUDED.count
  ), held_outages AS (
    INSERT INTO held_requests (outage_id, count)
    SELECT o.id, t.count FROM unnest($3::bigint[], $4::bigint[]) AS t(id, count) JOIN outages o ON o.id = t.id
    ON CONFLICT (outage_id) DO UPDATE SET count = held_requests.count + EXCLUDED.count
  )
  SELECT 1`;

function bump(counts: Map<string, number>, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

function mergeInto(target: Map<string, number>, counts: Map<string, number>): void {
  for (const [id, count] of counts) target.set(id, (target.get(id) ?? 0) + count);
}

export function createHeldCounter({ pool, log, intervalMs = 5000 }: HeldCounterDeps): HeldCounter {
  let windows = new Map<string, number>();
  let outages = new Map<string, number>();
  let flushing: Promise<void> | undefined;

  async function flushNow(): Promise<void> {
    if (windows.size === 0 && outages.size === 0) return;
    const w = windows;
    const o = outages;
    windows = new Map();
    outages = new Map();
    try {
      await pool.query(FLUSH_SQL, [[...w.keys()], [...w.values()], [...o.keys()], [...o.values()]]);
    } catch (err) {
      // Counted while this flush ran, plus what it failed to write.
      mergeInto(windows, w);
      mergeInto(outages, o);
      log.warn({ err: (err as Error).message }, 'could not record held requests; keeping the counts for the next try');
    }
  }

  function flush(): Promise<void> {
    // One flush at a time, so a slow database never gets the same counts twice.
    flushing ??= flushNow().finally(() => (flushing = undefined));
    return flushing;
  }

  const timer = setInterval(flush, intervalMs);
  timer.unref();

  return {
    window: (id) => bump(windows, id),
    outage: (id) => bump(outages, id),
    flush,
    async stop() {
      clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}
