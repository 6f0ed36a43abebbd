// Moves windows through Statuspage's lifecycle as their times pass: scheduled → in_progress →
// (verifying →) completed. Each step is a conditional UPDATE, so running it twice, or on two
// gateways at once, changes nothing the second time; the events trigger announces each step.
// Requests never wait for this: decide() judges windows by their times (and holds a verifying
// window until it is completed here). It runs over every site's windows at once; a verifying window
// is completed by a check of its own site's upstream only.

import type { Pool } from '../db/pool.js';
import { writeAs, type Queryable } from '../audit/write-as.js';
import type { SiteProbe } from '../health/site-upstreams.js';
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
  /** Checks a site's upstream (its URL, or null for UPSTREAM_URL); only called while one of its windows is verifying. */
  probe: SiteProbe;
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
  SELECT id::text, site_id::text AS "siteId", ${EFFECTIVE_END_SQL} + $1::int * interval '1 millisecond' <= now() AS expired
  FROM windows WHERE lifecycle = 'verifying' ORDER BY id FOR UPDATE SKIP LOCKED`;

const COMPLETE_SQL = `
  UPDATE windows SET lifecycle = 'completed', completed_at = now()
  WHERE id = ANY($1::bigint[]) AND lifecycle = 'verifying'
  RETURNING id::text`;

// Run every second on some gateway, so the common answer, "nothing to do", is one cheap statement
// (windows_lifecycle_idx) rather than a transaction; and which sites' upstreams are worth a check:
// the probes run before the transaction, not while it holds locks.
const DUE_SQL = `
  SELECT EXISTS (SELECT 1 FROM windows WHERE lifecycle <> 'completed'
                 AND (lifecycle = 'verifying'
                      OR (lifecycle = 'scheduled' AND (starts_at <= now() OR NOT ${NOT_CANCELLED_SQL}))
                      OR (lifecycle = 'in_progress' AND ${EFFECTIVE_END_SQL} <= now()))) AS due,
         (SELECT coalesce(json_agg(json_build_object('siteId', s.id::text, 'upstreamUrl', s.upstream_url)), '[]')
          FROM sites s WHERE EXISTS (SELECT 1 FROM windows w WHERE w.site_id = s.id AND (w.lifecycle = 'verifying'
                 OR (w.lifecycle = 'in_progress' AND w.verify_upstream AND ${EFFECTIVE_END_SQL} <= now())))) AS checks`;

interface SiteCheck {
  siteId: string;
  upstreamUrl: string | null;
}

// Sites whose windows verify at the same moment are checked at once, so one slow upstream holds
// only its own windows, up to HEALTHCHECK_TIMEOUT_MS.
async function checkSites(sites: SiteCheck[], probe: SiteProbe): Promise<Map<string, ProbeResult>> {
  const results = await Promise.all(sites.map(async (site) => [site.siteId, await probe(site.upstreamUrl)] as const));
  return new Map(results);
}

async function completeVerified(db: Queryable, verifyTimeoutMs: number, checks: ReadonlyMap<string, ProbeResult>, steps: LifecycleSteps): Promise<void> {
  if (checks.size === 0) return;
  const { rows } = await db.query<{ id: string; siteId: string; expired: boolean }>(VERIFYING_SQL, [verifyTimeoutMs]);
  // A window that began verifying after the checks were made waits for the next pass.
  const done = rows.filter((row) => checks.get(row.siteId)?.ok === true || (checks.has(row.siteId) && row.expired));
  if (done.length === 0) return;
  steps.completed.push(...ids((await db.query<{ id: string }>(COMPLETE_SQL, [ids(done)])).rows));
  for (const row of done) {
    const check = checks.get(row.siteId)!;
    const body = check.ok
      ? 'The application passed its health check after the work: maintenance is complete.'
      : `The application did not pass its health check within ${Math.round(verifyTimeoutMs / 60_000)} min after the work (${check.error}); the maintenance window is closed.`;
    if (!check.ok) steps.timedOut.push(row.id);
    await db.query('INSERT INTO updates (window_id, body, site_id) SELECT id, $2, site_id FROM windows WHERE id = $1::bigint', [row.id, body]);
  }
}

/** One pass over every window whose state is behind its times. */
export async function advanceLifecycle(pool: Pool, { verifyTimeoutMs, probe }: LifecycleOptions): Promise<LifecycleSteps> {
  const { rows } = await pool.query<{ due: boolean; checks: SiteCheck[] }>(DUE_SQL);
  if (!rows[0]?.due) return { started: [], verifying: [], completed: [], timedOut: [] };
  const checks = await checkSites(rows[0].checks, probe);
  return writeAs(pool, 'system', 'window.lifecycle', async function advance(client) {
    const steps: LifecycleSteps = { started: [], verifying: [], completed: [], timedOut: [] };
    steps.completed.push(...ids((await client.query<{ id: string }>(CANCELLED_SQL)).rows));
    steps.started.push(...ids((await client.query<{ id: string }>(START_SQL)).rows));
    for (const row of (await client.query<{ id: string; lifecycle: string }>(END_SQL)).rows) {
      (row.lifecycle === 'verifying' ? steps.verifying : steps.completed).push(row.id);
    }
    await completeVerified(client, verifyTimeoutMs, checks, steps);
    return steps;
  }, 'moving windows through their lifecycle');
}
