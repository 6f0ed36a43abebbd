// Reads what the history page tells for a range of months: incidents reported in it and completed
// windows that started in it, each with its components and its updates, in one consistent read.

import type pg from 'pg';
import { transaction, type Pool } from '../db/pool.js';
import type { IncidentImpact, IncidentStatus } from '../maintenance/incident-status.js';
import type { PastWindow } from '../snapshot/types.js';

export interface HistoryUpdate {
  status: IncidentStatus | null;
  body: string;
  createdAt: number;
}

export interface HistoryIncident {
  id: string;
  title: string;
  impact: IncidentImpact;
  status: IncidentStatus;
  createdAt: number;
  resolvedAt: number | null;
  /** Names, in the status page's order. */
  components: string[];
  /** Newest first. */
  updates: HistoryUpdate[];
}

export interface HistoryWindow extends PastWindow {
  components: string[];
  updates: HistoryUpdate[];
}

export interface HistoryRange {
  incidents: HistoryIncident[];
  windows: HistoryWindow[];
  /** Whether anything is older than the range, for the "Older" link. */
  olderExists: boolean;
}

// A month with more than this is a very bad month; the page stays readable and bounded.
const MAX_ITEMS = 300;
// Enough to tell any incident's story; a long-running one keeps its newest updates.
const UPDATES_PER_ITEM = 50;

const COMPONENT_NAMES = (link: string, key: string) => `
  coalesce((SELECT array_agg(c.name ORDER BY c.position, c.name) FROM ${link} l JOIN components c ON c.id = l.component_id
            WHERE l.${key} = x.id), '{}') AS components`;

const INCIDENTS_SQL = `
  SELECT x.id::text, x.title, x.impact, x.status, x.created_at, x.resolved_at, ${COMPONENT_NAMES('incident_components', 'incident_id')}
  FROM incidents x
  WHERE x.site_id = $3 AND x.created_at >= $1 AND x.created_at < $2
  ORDER BY x.created_at DESC, x.id DESC
  LIMIT ${MAX_ITEMS}`;

// Completed and not called off: a cancelled window completes without ever starting (started_at NULL).
const WINDOWS_SQL = `
  SELECT x.id::text, x.title, x.kind, x.started_at, x.planned_ends_at, x.completed_at, coalesce(h.count, 0)::text AS held,
         ${COMPONENT_NAMES('window_components', 'window_id')}
  FROM windows x LEFT JOIN held_requests h ON h.window_id = x.id
  WHERE x.site_id = $3 AND x.lifecycle = 'completed' AND x.started_at IS NOT NULL AND x.completed_at IS NOT NULL
    AND x.starts_at >= $1 AND x.starts_at < $2
  ORDER BY x.starts_at DESC, x.id DESC
  LIMIT ${MAX_ITEMS}`;

const UPDATES_SQL = `
  SELECT u.incident_id::text, u.window_id::text, u.status, u.body, u.created_at
  FROM (SELECT *, row_number() OVER (PARTITION BY incident_id, window_id ORDER BY created_at DESC, id DESC) AS n
        FROM updates WHERE incident_id = ANY($1::bigint[]) OR window_id = ANY($2::bigint[])) u
  WHERE u.n <= ${UPDATES_PER_ITEM}
  ORDER BY u.created_at DESC, u.id DESC`;

const OLDER_SQL = `
  SELECT EXISTS (SELECT 1 FROM incidents WHERE site_id = $2 AND created_at < $1)
      OR EXISTS (SELECT 1 FROM windows WHERE site_id = $2 AND lifecycle = 'completed' AND started_at IS NOT NULL AND starts_at < $1) AS older`;

interface IncidentRow {
  id: string;
  title: string;
  impact: IncidentImpact;
  status: IncidentStatus;
  created_at: Date;
  resolved_at: Date | null;
  components: string[];
}

interface WindowRow {
  id: string;
  title: string;
  kind: PastWindow['kind'];
  started_at: Date;
  planned_ends_at: Date | null;
  completed_at: Date;
  held: string;
  components: string[];
}

interface UpdateRow {
  incident_id: string | null;
  window_id: string | null;
  status: IncidentStatus | null;
  body: string;
  created_at: Date;
}

function grouped(rows: UpdateRow[], key: 'incident_id' | 'window_id'): Map<string, HistoryUpdate[]> {
  const map = new Map<string, HistoryUpdate[]>();
  for (const row of rows) {
    const id = row[key];
    if (id === null) continue;
    const list = map.get(id) ?? [];
    list.push({ status: row.status, body: row.body, createdAt: row.created_at.getTime() });
    map.set(id, list);
  }
  return map;
}

/** One site's history for [from, to), in one read-only transaction; rejects when the database cannot be reached. */
export function loadHistoryRange(pool: Pool, siteId: string, from: number, to: number): Promise<HistoryRange> {
  return transaction(pool, (client) => readRange(client, siteId, from, to), { readOnly: true });
}

async function readRange(client: pg.ClientBase, siteId: string, from: number, to: number): Promise<HistoryRange> {
  const range = [new Date(from), new Date(to), siteId];
  const incidents = await client.query<IncidentRow>(INCIDENTS_SQL, range);
  const windows = await client.query<WindowRow>(WINDOWS_SQL, range);
  const updates = await client.query<UpdateRow>(UPDATES_SQL, [incidents.rows.map((r) => r.id), windows.rows.map((r) => r.id)]);
  const older = await client.query<{ older: boolean }>(OLDER_SQL, [new Date(from), siteId]);
  const ofIncident = grouped(updates.rows, 'incident_id');
  const ofWindow = grouped(updates.rows, 'window_id');
  return {
    incidents: incidents.rows.map((row) => ({
      id: row.id,
      title: row.title,
      impact: row.impact,
      status: row.status,
      createdAt: row.created_at.getTime(),
      resolvedAt: row.resolved_at?.getTime() ?? null,
      components: row.components,
      updates: ofIncident.get(row.id) ?? [],
    })),
    windows: windows.rows.map((row) => ({
      id: row.id,
      title: row.title,
      kind: row.kind,
      startsAt: row.started_at.getTime(),
      plannedEndsAt: row.planned_ends_at?.getTime() ?? null,
      completedAt: row.completed_at.getTime(),
      heldRequests: Number(row.held),
      components: row.components,
      updates: ofWindow.get(row.id) ?? [],
    })),
    olderExists: older.rows[0]?.older ?? false,
  };
}
