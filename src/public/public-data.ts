// What the public JSON and the feeds tell, read from PostgreSQL in one consistent read-only
// transaction: recent incidents and maintenance windows with their updates, components with their
// groups, and the page's id. Loaded off the request path (see public-store.ts).

import type pg from 'pg';
import { transaction, type Pool } from '../db/pool.js';
import type { IncidentImpact, IncidentStatus } from '../maintenance/incident-status.js';
import { CURRENT_SQL, NOT_CANCELLED_SQL, toWindow, WINDOW_COLUMNS, type WindowKind, type WindowRow } from '../maintenance/windows.js';
import type { Component, ComponentStatus, MaintenanceWindow } from '../snapshot/types.js';

/** Statuspage's incidents.json and scheduled-maintenances.json list this many. */
export const RECENT_LIMIT = 50;
// A long-running incident keeps its newest updates; more would only make every poll heavier.
const UPDATES_PER_SUBJECT = 50;

/** A component as the snapshot holds it, with the times Statuspage's JSON shows. */
export interface PublicComponent extends Component {
  createdAt: number;
  updatedAt: number;
}

export interface PublicGroup {
  id: string;
  name: string;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface PublicUpdate {
  id: string;
  /** The incident status it announced; null for window updates. */
  status: IncidentStatus | null;
  body: string;
  createdAt: number;
}

export interface PublicIncident {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  /** The last time it was moved to monitoring; null if it never was. */
  monitoringAt: number | null;
  componentIds: string[];
  /** Newest first. */
  updates: PublicUpdate[];
}

export interface PublicMaintenance {
  window: MaintenanceWindow;
  kind: WindowKind;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

export interface PublicData {
  pageId: string;
  /** From Settings; null falls back to SITE_NAME. */
  siteName: string | null;
  settingsUpdatedAt: number;
  components: PublicComponent[];
  groups: PublicGroup[];
  /** Open ones always, then the most recent, up to RECENT_LIMIT. */
  incidents: PublicIncident[];
  /** Not cancelled; those not over always, then the most recent, up to RECENT_LIMIT. */
  maintenances: PublicMaintenance[];
}

const PAGE_SQL = `SELECT page_id, site_name, updated_at FROM settings WHERE site_id = intermission_site()`;

const COMPONENTS_SQL = `
  SELECT id::text, name, description, status, position, group_id::text, created_at, updated_at
  FROM components ORDER BY position, name`;

const GROUPS_SQL = `SELECT id::text, name, position, created_at, updated_at FROM component_groups ORDER BY position, name`;

const INCIDENTS_SQL = `
  SELECT i.id::text, i.title, i.status, i.impact, i.created_at, i.updated_at, i.resolved_at,
         ARRAY(SELECT ic.component_id::text FROM incident_components ic WHERE ic.incident_id = i.id ORDER BY ic.component_id) AS component_ids,
         (SELECT max(u.created_at) FROM updates u WHERE u.incident_id = i.id AND u.status = 'monitoring') AS monitoring_at
  FROM incidents i
  ORDER BY i.resolved_at IS NULL DESC, i.created_at DESC, i.id DESC
  LIMIT ${RECENT_LIMIT}`;

// Cancelled windows never held anything: Statuspage has no state for them, so they are left out.
const WINDOWS_SQL = `
  SELECT ${WINDOW_COLUMNS}, kind, completed_at, created_at, updated_at
  FROM windows WHERE ${NOT_CANCELLED_SQL}
  ORDER BY (${CURRENT_SQL}) DESC, starts_at DESC, id DESC
  LIMIT ${RECENT_LIMIT}`;

function updatesSql(column: 'incident_id' | 'window_id'): string {
  return `
    SELECT u.id::text, u.${column}::text AS subject_id, u.status, u.body, u.created_at
    FROM unnest($1::bigint[]) AS s(id)
    CROSS JOIN LATERAL (
      SELECT * FROM updates WHERE ${column} = s.id ORDER BY created_at DESC, id DESC LIMIT ${UPDATES_PER_SUBJECT}
    ) u
    ORDER BY u.created_at DESC, u.id DESC`;
}

interface ComponentRow {
  id: string; name: string; description: string; status: ComponentStatus; position: number; group_id: string | null; created_at: Date; updated_at: Date;
}
interface GroupRow { id: string; name: string; position: number; created_at: Date; updated_at: Date }
interface IncidentRow {
  id: string; title: string; status: IncidentStatus; impact: IncidentImpact; created_at: Date; updated_at: Date;
  resolved_at: Date | null; component_ids: string[]; monitoring_at: Date | null;
}
interface MaintenanceRow extends WindowRow { kind: WindowKind; completed_at: Date | null; created_at: Date; updated_at: Date }
interface UpdateRow { id: string; subject_id: string; status: IncidentStatus | null; body: string; created_at: Date }

const ms = (date: Date | null): number | null => date?.getTime() ?? null;

/** Each subject's updates, newest first as the query returns them. */
function bySubject(rows: UpdateRow[]): Map<string, PublicUpdate[]> {
  const grouped = new Map<string, PublicUpdate[]>();
  for (const row of rows) {
    const list = grouped.get(row.subject_id) ?? [];
    list.push({ id: row.id, status: row.status, body: row.body, createdAt: row.created_at.getTime() });
    grouped.set(row.subject_id, list);
  }
  return grouped;
}

/** Reads it all in one read-only transaction at one point in time. */
export function loadPublicData(pool: Pool): Promise<PublicData> {
  return transaction(pool, readAll, { readOnly: true });
}

async function readAll(client: pg.ClientBase): Promise<PublicData> {
  const page = await client.query<{ page_id: string; site_name: string | null; updated_at: Date }>(PAGE_SQL);
  const components = await client.query<ComponentRow>(COMPONENTS_SQL);
  const groups = await client.query<GroupRow>(GROUPS_SQL);
  const incidents = await client.query<IncidentRow>(INCIDENTS_SQL);
  const windows = await client.query<MaintenanceRow>(WINDOWS_SQL);
  const incidentUpdates = await client.query<UpdateRow>(updatesSql('incident_id'), [incidents.rows.map((row) => row.id)]);
  const windowUpdates = await client.query<UpdateRow>(updatesSql('window_id'), [windows.rows.map((row) => row.id)]);
  const ofIncident = bySubject(incidentUpdates.rows);
  const ofWindow = bySubject(windowUpdates.rows);
  const settings = page.rows[0];
  return {
    // Plain SQL may have deleted the settings row; the page still needs some id until it is back.
    pageId: settings?.page_id ?? 'intermission',
    siteName: settings?.site_name ?? null,
    settingsUpdatedAt: settings?.updated_at.getTime() ?? 0,
    components: components.rows.map((row) => ({
      id: row.id, name: row.name, description: row.description, status: row.status, position: row.position,
      groupId: row.group_id, createdAt: row.created_at.getTime(), updatedAt: row.updated_at.getTime(),
    })),
    groups: groups.rows.map((row) => ({ id: row.id, name: row.name, position: row.position, createdAt: row.created_at.getTime(), updatedAt: row.updated_at.getTime() })),
    incidents: incidents.rows.map((row) => ({
      id: row.id, title: row.title, status: row.status, impact: row.impact, createdAt: row.created_at.getTime(),
      updatedAt: row.updated_at.getTime(), resolvedAt: ms(row.resolved_at), monitoringAt: ms(row.monitoring_at),
      componentIds: row.component_ids, updates: ofIncident.get(row.id) ?? [],
    })),
    maintenances: windows.rows.map((row) => ({
      window: toWindow(row), kind: row.kind, createdAt: row.created_at.getTime(), updatedAt: row.updated_at.getTime(),
      completedAt: ms(row.completed_at), updates: ofWindow.get(row.id) ?? [],
    })),
  };
}
