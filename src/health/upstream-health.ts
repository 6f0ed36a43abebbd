// The SQL of the shared upstream_health row: record an active check, or a gateway's report that
// its requests keep failing, each in one transaction that locks the row, judges (judge.ts) and,
// on a flip, opens or ends the outage with what follows from it (transitions.ts).

import { setAction, writeAs, type Queryable } from '../audit/write-as.js';
import type { Pool } from '../db/pool.js';
import { fromDatabaseError } from '../errors.js';
import { CURRENT_SQL, NOT_CANCELLED_SQL } from '../maintenance/windows.js';
import { judgeCheck, judgeRequestFailures, type HealthCounters, type Judgement, type Thresholds, type UpstreamState } from './judge.js';
import type { DetectedBy } from './outages.js';
import { goDown, goUp } from './transitions.js';

export interface UpstreamHealthRecord extends HealthCounters {
  since: number;
  /** When the last active check was recorded; null: never. */
  checkedAt: number | null;
  /** What the last active check saw when it failed; null when it passed. */
  lastError: string | null;
  outageId: string | null;
}

export interface HealthOptions {
  thresholds: Thresholds;
  /** SITE_NAME, for the incident's title when Settings has no site name. */
  defaultSiteName: string;
}

export interface CheckOutcome {
  flip: UpstreamState | null;
  /** The outage in progress after the judgement, if any. */
  outageId: string | null;
}

interface LockedRow extends HealthCounters {
  outageId: string | null;
  planned: boolean;
}

// While a window holds every request the application is down on purpose (and a verifying window
// is waiting for it to come back): failures then are planned downtime, not an outage.
const LOCK_SQL = `
  SELECT state, failures, successes, outage_id::text AS "outageId",
         EXISTS (SELECT 1 FROM windows
                 WHERE starts_at <= now() AND ${CURRENT_SQL} AND ${NOT_CANCELLED_SQL} AND mode = 'block'
                   AND cardinality(path_prefixes) = 0 AND cardinality(hosts) = 0) AS planned
  FROM upstream_health WHERE site_id = intermission_site() FOR UPDATE`;

// A new state starts its own "since"; checked_at and last_error change only with an active check.
const SAVE_SQL = `
  UPDATE upstream_health SET state = $1, failures = $2, successes = $3,
    since = CASE WHEN state = $1 THEN since ELSE now() END,
    outage_id = $4::bigint,
    checked_at = CASE WHEN $5 THEN now() ELSE checked_at END,
    last_error = CASE WHEN $5 THEN $6 ELSE last_error END
  WHERE site_id = intermission_site()`;

async function lockRow(db: Queryable): Promise<LockedRow> {
  const { rows } = await db.query<LockedRow>(LOCK_SQL);
  if (rows[0]) return rows[0];
  // The migration inserts the row; plain SQL may have deleted it.
  await db.query('INSERT INTO upstream_health DEFAULT VALUES ON CONFLICT (site_id) DO NOTHING');
  return (await db.query<LockedRow>(LOCK_SQL)).rows[0]!;
}

/** Applies a judgement: on a flip, the outage and what follows; then the row. */
async function apply(
  db: Queryable,
  row: LockedRow,
  judgement: Judgement,
  down: { detectedBy: DetectedBy; cause: string },
  check: { error: string | null } | null,
  defaultSiteName: string,
): Promise<CheckOutcome> {
  let outageId = row.outageId;
  if (judgement.flip === 'down') {
    await setAction(db, 'upstream.down');
    outageId = await goDown(db, { ...down, defaultSiteName });
  } else if (judgement.flip === 'up') {
    await setAction(db, 'upstream.up');
    await goUp(db, outageId, defaultSiteName);
    outageId = null;
  }
  const { state, failures, successes } = judgement.counters;
  await db.query(SAVE_SQL, [state, failures, successes, outageId, check !== null, check?.error ?? null]);
  return { flip: judgement.flip, outageId };
}

/** Records one active check of the upstream, as actor system; audited as upstream.down or upstream.up when it flips. */
export async function recordCheck(pool: Pool, check: { ok: boolean; error: string | null }, { thresholds, defaultSiteName }: HealthOptions): Promise<CheckOutcome> {
  return writeAs(pool, 'system', 'upstream.check', async function recordOneCheck(client) {
    const row = await lockRow(client);
    const error = check.ok ? null : (check.error ?? 'failed');
    // A failure during planned downtime is recorded (the page shows it) but not counted.
    const judgement = !check.ok && row.planned ? { counters: row, flip: null } : judgeCheck(row, check.ok, thresholds);
    const failures = judgement.counters.failures;
    const cause = `${failures} health ${failures === 1 ? 'check' : 'checks'} in a row failed: ${error}`;
    return apply(client, row, judgement, { detectedBy: 'health_check', cause }, { error }, defaultSiteName);
  }, 'recording the health check');
}

/** A gateway saw a run of failed forwarded requests: judges the upstream down now, unless it is already (or planned). */
export async function reportRequestFailures(pool: Pool, cause: string, { defaultSiteName }: Pick<HealthOptions, 'defaultSiteName'>): Promise<CheckOutcome> {
  return writeAs(pool, 'system', 'upstream.down', async function recordReport(client) {
    const row = await lockRow(client);
    if (row.planned || row.state === 'down') return { flip: null, outageId: row.outageId };
    return apply(client, row, judgeRequestFailures(row), { detectedBy: 'requests', cause }, null, defaultSiteName);
  }, 'recording the failed requests');
}

interface HealthRow {
  state: UpstreamState;
  failures: number;
  successes: number;
  since: Date;
  checked_at: Date | null;
  last_error: string | null;
  outage_id: string | null;
}

export async function getUpstreamHealth(db: Queryable): Promise<UpstreamHealthRecord> {
  let rows: HealthRow[];
  try {
    ({ rows } = await db.query<HealthRow>('SELECT state, failures, successes, since, checked_at, last_error, outage_id::text FROM upstream_health WHERE site_id = intermission_site()'));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the upstream health');
  }
  const row = rows[0];
  if (!row) return { state: 'up', failures: 0, successes: 0, since: 0, checkedAt: null, lastError: null, outageId: null };
  return {
    state: row.state,
    failures: row.failures,
    successes: row.successes,
    since: row.since.getTime(),
    checkedAt: row.checked_at?.getTime() ?? null,
    lastError: row.last_error,
    outageId: row.outage_id,
  };
}
