// Housekeeping: rows that only matter for a while. Windows, incidents, outages and the audit log
// are history and stay.

import type { Pool } from '../db/pool.js';
import { pruneStatusChanges } from '../history/uptime-load.js';

/** Ticks claimed by the scheduler: only needed while a tick could still be claimed twice. */
const JOB_RUNS_DAYS = 2;
/** Events and their webhook deliveries: long enough to look into a delivery problem. */
const EVENTS_DAYS = 30;

export interface Pruned {
  jobRuns: number;
  events: number;
  statusChanges: number;
}

export async function pruneOldRows(pool: Pool): Promise<Pruned> {
  const jobRuns = await pool.query('DELETE FROM job_runs WHERE started_at < now() - make_interval(days => $1)', [JOB_RUNS_DAYS]);
  // Deliveries go with their event (ON DELETE CASCADE).
  const events = await pool.query('DELETE FROM events WHERE at < now() - make_interval(days => $1)', [EVENTS_DAYS]);
  return { jobRuns: jobRuns.rowCount ?? 0, events: events.rowCount ?? 0, statusChanges: await pruneStatusChanges(pool) };
}
