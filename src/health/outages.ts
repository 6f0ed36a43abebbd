// The SQL of outages, a site's upstream's unplanned downtime: open one when it is judged down, end it
// when it is back, and list them with the requests held during each (held_requests).

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError } from '../errors.js';
import type { ComponentStatus } from '../snapshot/types.js';

export const DETECTED_BY = ['health_check', 'requests'] as const;
export type DetectedBy = (typeof DETECTED_BY)[number];

export interface OutageRecord {
  id: string;
  startedAt: number;
  /** null while it lasts. */
  endedAt: number | null;
  detectedBy: DetectedBy;
  /** What was seen, e.g. "3 health checks in a row failed (ECONNREFUSED)". */
  cause: string;
  /** The incident opened for it; null when automatic incidents were off (or it was deleted). */
  incidentId: string | null;
  componentId: string | null;
  /** The component's status before the outage, put back when it ended. */
  componentPrevious: ComponentStatus | null;
  /** Requests answered with the trouble page during it, as the gateways last flushed them. */
  heldRequests: number;
}

interface OutageRow {
  id: string;
  started_at: Date;
  ended_at: Date | null;
  detected_by: DetectedBy;
  cause: string;
  incident_id: string | null;
  component_id: string | null;
  component_previous: ComponentStatus | null;
  held_requests: string;
}

const COLUMNS = `o.id::text, o.started_at, o.ended_at, o.detected_by, o.cause, o.incident_id::text, o.component_id::text,
  o.component_previous, coalesce((SELECT h.count FROM held_requests h WHERE h.outage_id = o.id), 0)::text AS held_requests`;

// The CHECK on outages.cause.
const MAX_CAUSE = 1000;

function toRecord(row: OutageRow): OutageRecord {
  return {
    id: row.id,
    startedAt: row.started_at.getTime(),
    endedAt: row.ended_at?.getTime() ?? null,
    detectedBy: row.detected_by,
    cause: row.cause,
    incidentId: row.incident_id,
    componentId: row.component_id,
    componentPrevious: row.component_previous,
    heldRequests: Number(row.held_requests),
  };
}

/** Opens the site's outage; at most one is open at a time per site (outages_one_open_idx). */
export async function openOutage(db: Queryable, siteId: string, detectedBy: DetectedBy, cause: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO outages (site_id, detected_by, cause) VALUES ($1::bigint, $2, $3) RETURNING id::text',
    [siteId, detectedBy, [...cause].slice(0, MAX_CAUSE).join('')],
  );
  return rows[0]!.id;
}

/** Remembers what was done when it opened, so that the end can undo exactly that. */
export async function linkOutage(
  db: Queryable,
  siteId: string,
  id: string,
  links: { incidentId: string | null; componentId: string | null; componentPrevious: ComponentStatus | null },
): Promise<void> {
  await db.query(
    'UPDATE outages SET incident_id = $3::bigint, component_id = $4::bigint, component_previous = $5 WHERE id = $2::bigint AND site_id = $1::bigint',
    [siteId, id, links.incidentId, links.componentId, links.componentPrevious],
  );
}

/** Ends the site's open outage (the given one, or else any left open) and returns it; null when none was open. */
export async function endOutage(db: Queryable, siteId: string, id: string | null): Promise<OutageRecord | null> {
  const { rows } = await db.query<OutageRow>(
    `UPDATE outages o SET ended_at = greatest(now(), o.started_at)
     WHERE o.site_id = $1::bigint AND o.ended_at IS NULL AND ($2::bigint IS NULL OR o.id = $2::bigint)
     RETURNING ${COLUMNS}`,
    [siteId, id],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The site's latest outages first, the one in progress (if any) among them. */
export async function listOutages(db: Queryable, siteId: string, limit = 50): Promise<OutageRecord[]> {
  try {
    const { rows } = await db.query<OutageRow>(
      `SELECT ${COLUMNS} FROM outages o WHERE o.site_id = $1::bigint ORDER BY o.started_at DESC, o.id DESC LIMIT $2`,
      [siteId, Math.min(Math.max(1, limit), 500)],
    );
    return rows.map(toRecord);
  } catch (err) {
    throw fromDatabaseError(err, 'reading outages');
  }
}
