// The SQL of each site's upstream_health row, shared by every gateway: record an active check, or a
// gateway's report that its requests keep failing, each in one transaction that locks the site's
// row, judges (judge.ts) and, on a flip, opens or ends the site's outage with what follows from it
// (transitions.ts). One site's row is never touched for another's upstream.

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
  /** SITE_NAME: the primary site's name in its incidents when its Settings have none. */
  siteName: string;
}

export interface CheckOutcome {
  flip: UpstreamState | null;
  /** The outage in progress after the judgement, if any. */
  outageId: string | null;
}

interface LockedRow extends HealthCounters {
  outageId: string | null;
  planned: boolean;
  /** The slug of a site that is not the primary one (the default, or the only one); null for the primary. */
  otherSlug: string | null;
}

// While a window of the site holds every request its application is down on purpose (and a
// verifying window is waiting for it to come back): failures then are planned downtime, not an outage.
const LOCK_SQL = `
  SELECT state, failures, successes, outage_id::text AS "outageId",
         EXISTS (SELECT 1 FROM windows
                 WHERE site_id = $1::bigint AND starts_at <= now() AND ${CURRENT_SQL} AND ${NOT_CANCELLED_SQL} AND mode = 'block'
                   AND cardinality(path_prefixes) = 0 AND cardinality(hosts) = 0) AS planned,
         (SELECT CASE WHEN s.is_default OR (SELECT count(*) FROM sites) = 1 THEN NULL ELSE s.slug END
          FROM sites s WHERE s.id = $1::bigint) AS "otherSlug"
  FROM upstream_health WHERE site_id = $1::bigint FOR UPDATE`;

// A new state starts its own "since"; checked_at and last_error change only with an active check.
const SAVE_SQL = `
  UPDATE upstream_health SET state = $1, failures = $2, successes = $3,
    since = CASE WHEN state = $1 THEN since ELSE now() END,
    outage_id = $4::bigint,
    checked_at = CASE WHEN $5 THEN now() ELSE checked_at END,
    last_error = CASE WHEN $5 THEN $6 ELSE last_error END
  WHERE site_id = $7::bigint`;

async function lockRow(db: Queryable, siteId: string): Promise<LockedRow> {
  const { rows } = await db.query<LockedRow>(LOCK_SQL, [siteId]);
  if (rows[0]) return rows[0];
  // A trigger inserts the row with the site; plain SQL may have deleted it.
  await db.query('INSERT INTO upstream_health (site_id) VALUES ($1::bigint) ON CONFLICT (site_id) DO NOTHING', [siteId]);
  return (await db.query<LockedRow>(LOCK_SQL, [siteId])).rows[0]!;
}

/** Applies a judgement: on a flip, the outage and what follows; then the row. */
async function apply(
  db: Queryable,
  siteId: string,
  row: LockedRow,
  judgement: Judgement,
  down: { detectedBy: DetectedBy; cause: string },
  check: { error: string | null } | null,
  siteName: string,
): Promise<CheckOutcome> {
  let outageId = row.outageId;
  // What incidents call the site when its Settings name none: the rule of src/status/site.ts.
  const defaultSiteName = row.otherSlug ?? siteName;
  if (judgement.flip === 'down') {
    await setAction(db, 'upstream.down');
    outageId = await goDown(db, siteId, { ...down, defaultSiteName });
  } else if (judgement.flip === 'up') {
    await setAction(db, 'upstream.up');
    await goUp(db, siteId, outageId, defaultSiteName);
    outageId = null;
  }
  const { state, failures, successes } = judgement.counters;
  await db.query(SAVE_SQL, [state, failures, successes, outageId, check !== null, check?.error ?? null, siteId]);
  return { flip: judgement.flip, outageId };
}

/** Records one active check of the site's upstream, as actor system; audited as upstream.down or upstream.up when it flips. */
export async function recordCheck(pool: Pool, siteId: string, check: { ok: boolean; error: string | null }, { thresholds, siteName }: HealthOptions): Promise<CheckOutcome> {
  return writeAs(pool, 'system', 'upstream.check', async function recordOneCheck(client) {
    const row = await lockRow(client, siteId);
    const error = check.ok ? null : (check.error ?? 'failed');
    // A failure during planned downtime is recorded (the page shows it) but not counted.
    const judgement = !check.ok && row.planned ? { counters: row, flip: null } : judgeCheck(row, check.ok, thresholds);
    const failures = judgement.counters.failures;
    const cause = `${failures} health ${failures === 1 ? 'check' : 'checks'} in a row failed: ${error}`;
    return apply(client, siteId, row, judgement, { detectedBy: 'health_check', cause }, { error }, siteName);
  }, 'recording the health check');
}

/** A gateway saw a run of failed requests to a site: judges its upstream down now, unless it is already (or planned). */
export async function reportRequestFailures(pool: Pool, siteId: string, cause: string, { siteName }: Pick<HealthOptions, 'siteName'>): Promise<CheckOutcome> {
  return writeAs(pool, 'system', 'upstream.down', async function recordReport(client) {
    const row = await lockRow(client, siteId);
    if (row.planned || row.state === 'down') return { flip: null, outageId: row.outageId };
    return apply(client, siteId, row, judgeRequestFailures(row), { detectedBy: 'requests', cause }, null, siteName);
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

export async function getUpstreamHealth(db: Queryable, siteId: string): Promise<UpstreamHealthRecord> {
  let rows: HealthRow[];
  try {
    ({ rows } = await db.query<HealthRow>(
      'SELECT state, failures, successes, since, checked_at, last_error, outage_id::text FROM upstream_health WHERE site_id = $1::bigint',
      [siteId],
    ));
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
