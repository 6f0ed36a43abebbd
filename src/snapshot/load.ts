// Reads everything that decides requests or feeds the status page, in one consistent
// read-only transaction, and shapes it into a Snapshot.

import type pg from 'pg';
import { latestUpdates } from '../maintenance/updates.js';
import { CURRENT_SQL, toWindow, WINDOW_COLUMNS, type WindowRow } from '../maintenance/windows.js';
import type { IncidentImpact, IncidentStatus } from '../maintenance/incident-status.js';
import {
  NO_SETTINGS,
  PAST_WINDOW_DAYS,
  RESOLVED_INCIDENT_DAYS,
  type PastWindow,
  type Component,
  type ComponentGroup,
  type ComponentStatus,
  type Incident,
  type SiteSettings,
  type Snapshot,
  type Update,
  type UpstreamHealth,
  UPSTREAM_UP,
} from './types.js';

const RECENT_UPDATES = 20;
// Enough to tell an incident's story; a long-running one keeps its newest updates.
const UPDATES_PER_INCIDENT = 25;
// Open incidents sort first, so only old resolved ones are dropped when there are more.
const MAX_INCIDENTS = 50;
const MAX_PAST_WINDOWS = 20;

// Windows not over yet: in force now, still to come, or waiting for the upstream to pass a check.
const WINDOWS_SQL = `
  SELECT ${WINDOW_COLUMNS} FROM windows WHERE ${CURRENT_SQL}
  ORDER BY starts_at, id`;

// What the status page tells of recent work: the plan against what happened. Held counts arrive
// from the gateways every few seconds without a notice, so they are as fresh as the last reload.
const PAST_WINDOWS_SQL = `
  SELECT w.id::text, w.title, w.kind, w.starts_at, w.planned_ends_at, w.completed_at, coalesce(h.count, 0)::text AS held
  FROM windows w LEFT JOIN held_requests h ON h.window_id = w.id
  WHERE w.lifecycle = 'completed' AND w.started_at IS NOT NULL
    AND w.completed_at > now() - make_interval(days => ${PAST_WINDOW_DAYS})
  ORDER BY w.completed_at DESC, w.id DESC
  LIMIT ${MAX_PAST_WINDOWS}`;

interface PastWindowRow {
  id: string;
  title: string;
  kind: PastWindow['kind'];
  starts_at: Date;
  planned_ends_at: Date | null;
  completed_at: Date;
  held: string;
}

function toPastWindow(row: PastWindowRow): PastWindow {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    startsAt: row.starts_at.getTime(),
    plannedEndsAt: row.planned_ends_at?.getTime() ?? null,
    completedAt: row.completed_at.getTime(),
    heldRequests: Number(row.held),
  };
}

const UPSTREAM_SQL = `
  SELECT state, since, outage_id::text AS "outageId" FROM upstream_health WHERE id`;

const COMPONENTS_SQL = `
  SELECT id::text, name, description, status, position, group_id::text AS "groupId" FROM components ORDER BY position, name`;

const GROUPS_SQL = `
  SELECT id::text, name, position FROM component_groups ORDER BY position, name`;

const INCIDENTS_SQL = `
  SELECT i.id::text, i.title, i.status, i.impact, i.created_at, i.resolved_at,
         coalesce((SELECT array_agg(ic.component_id::text ORDER BY ic.component_id)
                   FROM incident_components ic WHERE ic.incident_id = i.id), '{}') AS component_ids
  FROM incidents i
  WHERE i.resolved_at IS NULL OR i.resolved_at > now() - make_interval(days => ${RESOLVED_INCIDENT_DAYS})
  ORDER BY i.resolved_at IS NOT NULL, i.created_at DESC, i.id DESC
  LIMIT ${MAX_INCIDENTS}`;

const INCIDENT_UPDATES_SQL = `
  SELECT u.id::text, u.window_id::text, u.incident_id::text, u.status, u.body, u.created_at, i.title AS subject_title
  FROM incidents i
  CROSS JOIN LATERAL (
    SELECT * FROM updates WHERE incident_id = i.id ORDER BY created_at DESC, id DESC LIMIT ${UPDATES_PER_INCIDENT}
  ) u
  WHERE i.id = ANY($1::bigint[])
  ORDER BY u.created_at DESC, u.id DESC`;

interface UpdateRow {
  id: string;
  window_id: string | null;
  incident_id: string | null;
  status: IncidentStatus | null;
  body: string;
  created_at: Date;
  subject_title: string | null;
}

interface IncidentRow {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  created_at: Date;
  resolved_at: Date | null;
  component_ids: string[];
}

function toUpdate(row: UpdateRow): Update {
  return {
    id: row.id,
    windowId: row.window_id,
    incidentId: row.incident_id,
    status: row.status,
    subjectTitle: row.subject_title,
    body: row.body,
    createdAt: row.created_at.getTime(),
  };
}

function toIncident(row: IncidentRow, updates: Update[]): Incident {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    impact: row.impact,
    createdAt: row.created_at.getTime(),
    resolvedAt: row.resolved_at?.getTime() ?? null,
    componentIds: row.component_ids,
    updates,
  };
}

/** Each incident's updates, in the order given (newest first). */
function byIncident(rows: UpdateRow[]): Map<string, Update[]> {
  const grouped = new Map<string, Update[]>();
  for (const row of rows) {
    if (row.incident_id === null) continue;
    const list = grouped.get(row.incident_id) ?? [];
    list.push(toUpdate(row));
    grouped.set(row.incident_id, list);
  }
  return grouped;
}

// Links as [id, path prefixes] pairs, which read straight into the snapshot's Map.
const BYPASS_SQL = `
  SELECT (SELECT value FROM gateway_secrets WHERE name = 'bypass') AS secret,
         coalesce((SELECT json_agg(json_build_array(id::text, path_prefixes)) FROM bypass_links
                   WHERE revoked_at IS NULL AND expires_at > now()), '[]') AS links`;

const SETTINGS_SQL = `
  SELECT site_name AS "siteName", support_email AS "supportEmail", logo_url AS "logoUrl",
         brand_color AS "brandColor", footer_text AS "footerText"
  FROM settings WHERE id`;

export async function loadSnapshot(client: pg.ClientBase, version: number, now: number): Promise<Snapshot> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const windows = await client.query<WindowRow>(WINDOWS_SQL);
    const components = await client.query<Component & { status: ComponentStatus }>(COMPONENTS_SQL);
    const groups = await client.query<ComponentGroup>(GROUPS_SQL);
    // Each with its window's or incident's title, read with it: the snapshot's windows are only
    // those not over yet, and an update of an ended window should still say which window it was.
    const updates = await latestUpdates(client, RECENT_UPDATES);
    const incidents = await client.query<IncidentRow>(INCIDENTS_SQL);
    const incidentUpdates = await client.query<UpdateRow>(INCIDENT_UPDATES_SQL, [incidents.rows.map((row) => row.id)]);
    const bypass = await client.query<{ secret: string | null; links: [string, string[]][] }>(BYPASS_SQL);
    const settings = await client.query<SiteSettings>(SETTINGS_SQL);
    const pastWindows = await client.query<PastWindowRow>(PAST_WINDOWS_SQL);
    const upstream = await client.query<{ state: UpstreamHealth['state']; since: Date; outageId: string | null }>(UPSTREAM_SQL);
    await client.query('COMMIT');
    const updatesOf = byIncident(incidentUpdates.rows);
    return {
      version,
      loadedAt: now,
      windows: windows.rows.map(toWindow),
      components: components.rows,
      componentGroups: groups.rows,
      incidents: incidents.rows.map((row) => toIncident(row, updatesOf.get(row.id) ?? [])),
      updates,
      bypassSecret: bypass.rows[0]?.secret ?? '',
      activeBypassLinks: new Map(bypass.rows[0]?.links ?? []),
      settings: settings.rows[0] ?? NO_SETTINGS,
      pastWindows: pastWindows.rows.map(toPastWindow),
      upstream: upstream.rows[0] ? { ...upstream.rows[0], since: upstream.rows[0].since.getTime() } : UPSTREAM_UP,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
