// Reads, in one query for every component, how long each UTC day of the last 90 was spent in each
// status, from the status changes migration 006 records and the maintenance windows that covered it.

import type pg from 'pg';
import type { Pool } from '../db/pool.js';
import { EFFECTIVE_END_SQL, NOT_CANCELLED_SQL } from '../maintenance/windows.js';
import { UPTIME_DAYS, type UptimeData, type UptimeDay } from './uptime-days.js';

// Each component's time is cut at every status change, window start and end, and UTC midnight,
// so each piece has one status and is in or out of maintenance as a whole: PostgreSQL 13 has no
// multiranges to subtract the windows' time from the outages' with. One ordered pass per component
// carries the status forward and counts the windows open (+1 at a start, -1 at an end), rather than
// a lookup per piece. A window covers only the components it names, as on the status page
// (componentGroupViews); a verifying window is still in force past its end, until it completes.
const UPTIME_SQL = `
  WITH span AS (
    SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => $1::int - 1) AS since, now() AS until
  ),
  covering AS (
    SELECT wc.component_id, greatest(starts_at, span.since) AS from_at,
           least(CASE WHEN lifecycle = 'completed' THEN coalesce(completed_at, ${EFFECTIVE_END_SQL})
                      WHEN lifecycle = 'verifying' THEN 'infinity'
                      ELSE ${EFFECTIVE_END_SQL} END, span.until) AS to_at
    FROM windows JOIN window_components wc ON wc.window_id = windows.id CROSS JOIN span
    WHERE ${NOT_CANCELLED_SQL} AND starts_at < span.until
  ),
  events AS (
    SELECT s.component_id, s.from_at AS at, s.status, 0 AS delta, s.id AS seq
    FROM component_status_changes s CROSS JOIN span WHERE s.from_at > span.since AND s.from_at < span.until
    UNION ALL
    -- Each component's status as the span begins; none when it did not exist yet.
    SELECT c.id, span.since, st.status, 0, st.id
    FROM components c CROSS JOIN span
    JOIN LATERAL (SELECT s.status, s.id FROM component_status_changes s WHERE s.component_id = c.id AND s.from_at <= span.since
                  ORDER BY s.from_at DESC, s.id DESC LIMIT 1) st ON true
    UNION ALL
    SELECT c.id, d.at, NULL, 0, NULL FROM components c CROSS JOIN span CROSS JOIN LATERAL generate_series(span.since, span.until, interval '1 day') AS d(at)
    UNION ALL
    SELECT c.id, span.until, NULL, 0, NULL FROM components c CROSS JOIN span
    UNION ALL
    SELECT component_id, from_at, NULL, 1, NULL FROM covering WHERE to_at > from_at
    UNION ALL
    SELECT component_id, to_at, NULL, -1, NULL FROM covering WHERE to_at > from_at
  ),
  running AS (
    SELECT component_id, at, status, lead(at) OVER ordered AS to_at,
           sum(delta) OVER ordered AS windows_open,
           -- Numbers the runs that each start at a status change, to carry that status forward.
           count(status) OVER ordered AS run
    FROM events
    WINDOW ordered AS (PARTITION BY component_id ORDER BY at, seq NULLS FIRST ROWS UNBOUNDED PRECEDING)
  ),
  judged AS (
    SELECT component_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, extract(epoch FROM to_at - at) AS seconds,
           windows_open, max(status) OVER (PARTITION BY component_id, run) AS status
    FROM running
  ),
  pieces AS (
    -- Before a component's first recorded status it did not exist (or nothing was recorded yet): not observed.
    SELECT component_id, day, seconds, status, windows_open > 0 OR status = 'under_maintenance' AS maintenance
    FROM judged WHERE status IS NOT NULL AND seconds > 0
  )
  SELECT component_id::text, day,
         sum(seconds)::float8 AS observed,
         coalesce(sum(seconds) FILTER (WHERE NOT maintenance AND status = 'major_outage'), 0)::float8 AS major,
         coalesce(sum(seconds) FILTER (WHERE NOT maintenance AND status = 'partial_outage'), 0)::float8 AS partial,
         coalesce(sum(seconds) FILTER (WHERE NOT maintenance AND status = 'degraded_performance'), 0)::float8 AS degraded,
         coalesce(sum(seconds) FILTER (WHERE maintenance), 0)::float8 AS maintenance,
         (SELECT extract(epoch FROM now()) * 1000)::float8 AS read_at
  FROM pieces
  GROUP BY component_id, day
  ORDER BY component_id, day`;

interface UptimeRow extends UptimeDay {
  component_id: string;
  read_at: number;
}

export async function loadUptime(db: Pool | pg.ClientBase, days = UPTIME_DAYS): Promise<UptimeData> {
  const { rows } = await db.query<UptimeRow>(UPTIME_SQL, [days]);
  const components = new Map<string, UptimeDay[]>();
  let readAt = Date.now();
  for (const { component_id: id, read_at: at, ...day } of rows) {
    readAt = at;
    const list = components.get(id) ?? [];
    list.push(day);
    components.set(id, list);
  }
  return { readAt, components };
}

// A change older than the bars is needed only as the status a component had when the span began:
// the last one before it stays, the ones before that go.
const PRUNE_SQL = `
  DELETE FROM component_status_changes c
  WHERE c.from_at < now() - make_interval(days => $1)
    AND EXISTS (SELECT 1 FROM component_status_changes later
                WHERE later.component_id = c.component_id
                  AND later.from_at < now() - make_interval(days => $1)
                  AND (later.from_at, later.id) > (c.from_at, c.id))`;

/** Drops status changes the uptime bars no longer need; the retention job calls it daily. */
export async function pruneStatusChanges(db: Pool | pg.ClientBase, days = UPTIME_DAYS): Promise<number> {
  return (await db.query(PRUNE_SQL, [days])).rowCount ?? 0;
}
