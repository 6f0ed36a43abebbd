// Moves windows through Statuspage's lifecycle as their times pass: scheduled → in_progress →
// (verifying →) completed. Each step is a conditional UPDATE, so running it twice, or on two
// gateways at once, changes nothing the second time; the events trigger announces each step.
// Requests never wait for this: decide() judges windows by their times (and holds a verifying
// window until it is completed here).

import type { Pool } from '../db/pool.js';
import { writeAs, type Queryable } from '../audit/write-as.js';
import type { ProbeResult } from '../ops/upstream-probe.js';
import { EFFECTIVE_END_SQL, NOT_CANCELLED_SQL } from './windows.js';

export interface LifecycleSteps {
  started: string[];
  verifying: string[];
  completed: string[];
  /** Verifying windows completed because the limit passed without a passing check. */
  timedOut: string[];
}

export interface LifecycleOptions {
  verifyTimeoutMs: number;
  /** Checks the upstream's health path; only called while a window is verifying. */
  probe: () => Promise<ProbeResult>;
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

// A window that was in force went in force at its start, whenever this job got to it.
const START_SQL = `
  UPDATE windows SET lifecycle = 'in_progress', started_at = starts_at
  WHERE lifecycle = 'scheduled' AND starts_at <= now() AND ${NOT_CANCELLED_SQL}
  RETURNING id::text`;

// Called off before it started: it never held anything, so it completes without starting.
const CANCELLED_SQL = `
  UPDATE windows SET lifecycle = 'completed', completed_at = ended_at
  WHERE lifecycle = 'scheduled' AND NOT ${NOT_CANCELLED_SQL}
  RETURNING id::text`;

const END_SQL = `
  UPDATE windows SET lifecycle = CASE WHEN verify_upstream THEN 'verifying' ELSE 'completed' END,
                     completed_at = CASE WHEN verify_upstream THEN NULL ELSE ${EFFECTIVE_END_SQL} END
  WHERE lifecycle = 'in_progress' AND ${EFFECTIVE_END_SQL} <= now()
  RETURNING id::text, lifecycle`;

const VERIFYING_SQL = `
  SELECT id::text, ${EFFECTIVE_END_SQL} + $1::int * interval '1 millisecond' <= now() AS expired
  FROM windows WHERE lifecycle = 'verifying' ORDER BY id FOR UPDATE SKIP LOCKED`;

const COMPLETE_SQL = `
  UPDATE windows SET lifecycle = 'completed', completed_at = now()
  WHERE id = ANY($1::bigint[]) AND lifecycle = 'verifying'
  RETURNING id::text`;

// Run every second on some gateway, so the common answer, "nothing to do", is one cheap statement
// (windows_lifecycle_idx) rather than a transaction; and whether a check is worth making: the probe
// runs before the transaction, not while it holds locks.
const DUE_SQL = `
  SELECT EXISTS (SELECT 1 FROM windows WHERE lifecycle <> 'completed'
                 AND (lifecycle = 'verifying'
                      OR (lifecycle = 'scheduled' AND (starts_at <= now() OR NOT ${NOT_CANCELLED_SQL}))
                      OR (lifecycle = 'in_progress' AND ${EFFECTIVE_END_SQL} <= now()))) AS due,
         EXISTS (SELECT 1 FROM windows WHERE lifecycle = 'verifying'
                 OR (lifecycle = 'in_progress' AND verify_upstream AND ${EFFECTIVE_END_SQL} <= now())) AS check_needed`;

async function completeVerified(db: Queryable, verifyTimeoutMs: number, check: ProbeResult | null, steps: LifecycleSteps): Promise<void> {
  const { rows } = await db.query<{ id: string; expired: boolean }>(VERIFYING_SQL, [verifyTimeoutMs]);
  if (rows.length === 0 || check === null) return;
  const done = check.ok ? rows : rows.filter((row) => row.expired);
  if (done.length === 0) return;
  steps.completed.push(...ids((await db.query<{ id: string }>(COMPLETE_SQL, [ids(done)])).rows));
  for (const row of done) {
    const body = check.ok
      ? 'The application passed its health check after the work: maintenance is complete.'
      : `The application did not pass its health check within ${Math.round(verifyTimeoutMs / 60_000)} min after the work (${check.error}); the maintenance window is closed.`;
    if (!check.ok) steps.timedOut.push(row.id);
    await db.query('INSERT INTO updates (window_id, body) VALUES ($1::bigint, $2)', [row.id, body]);
  }
}

/** One pass over every window whose state is behind its times. */
export async function advanceLifecycle(pool: Pool, { verifyTimeoutMs, probe }: LifecycleOptions): Promise<LifecycleSteps> {
  const { rows } = await pool.query<{ due: boolean; check_needed: boolean }>(DUE_SQL);
  if (!rows[0]?.due) return { started: [], verifying: [], completed: [], timedOut: [] };
  const check = rows[0].check_needed ? await probe() : null;
  return writeAs(pool, 'system', 'window.lifecycle', async function advance(client) {
    const steps: LifecycleSteps = { started: [], verifying: [], completed: [], timedOut: [] };
    steps.completed.push(...ids((await client.query<{ id: string }>(CANCELLED_SQL)).rows));
    steps.started.push(...ids((await client.query<{ id: string }>(START_SQL)).rows));
    for (const row of (await client.query<{ id: string; lifecycle: string }>(END_SQL)).rows) {
      (row.lifecycle === 'verifying' ? steps.verifying : steps.completed).push(row.id);
    }
    await completeVerified(client, verifyTimeoutMs, check, steps);
    return steps;
  }, 'moving windows through their lifecycle');
}
