// What the public JSON and the feeds tell, for every site at once, read from PostgreSQL in one
// consistent read-only transaction: each site's recent incidents and maintenance windows with their
// updates, components with their groups, and its page's id. Loaded off the request path (see
// public-store.ts); one read for all sites keeps it to seven queries whatever their number.

import type pg from 'pg';
import { transaction, type Pool } from '../db/pool.js';
import type { IncidentImpact, IncidentStatus } from '../maintenance/incident-status.js';
import { CURRENT_SQL, NOT_CANCELLED_SQL, toWindow, WINDOW_COLUMNS, type WindowKind, type WindowRow } from '../maintenance/windows.js';
import type { Component, ComponentStatus, MaintenanceWindow } from '../snapshot/types.js';

/** Statuspage's incidents.json and scheduled-maintenances.json list this many, per site. */
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

/** Every site's public data, by site id. */
export type PublicSites = ReadonlyMap<string, PublicData>;

const PAGE_SQL = `SELECT page_id, site_id::text, site_name, updated_at FROM settings`;

const COMPONENTS_SQL = `
  SELECT site_id::text, id::text, name, description, status, position, group_id::text, created_at, updated_at
  FROM components ORDER BY position, name`;

const GROUPS_SQL = `SELECT site_id::text, id::text, name, position, created_at, updated_at FROM component_groups ORDER BY position, name`;

// Each site's RECENT_LIMIT: ranked within the site, the lists read only for the rows kept.
const INCIDENTS_SQL = `
  SELECT i.site_id::text, i.id::text, i.title, i.status, i.impact, i.created_at, i.updated_at, i.resolved_at,
         ARRAY(SELECT ic.component_id::text FROM incident_components ic WHERE ic.incident_id = i.id ORDER BY ic.component_id) AS component_ids,
         (SELECT max(u.created_at) FROM updates u WHERE u.incident_id = i.id AND u.status = 'monitoring') AS monitoring_at
  FROM (SELECT *, row_number() OVER (PARTITION BY site_id ORDER BY resolved_at IS NULL DESC, created_at DESC, id DESC) AS site_rank
        FROM incidents) i
  WHERE i.site_rank <= ${RECENT_LIMIT}
  ORDER BY i.site_rank`;

// Cancelled windows never held anything: Statuspage has no state for them, so they are left out.
// The alias keeps the name "windows", which WINDOW_COLUMNS refers to.
const WINDOWS_SQL = `
  SELECT site_id::text, ${WINDOW_COLUMNS}, kind, completed_at, created_at, updated_at
  FROM (SELECT *, row_number() OVER (PARTITION BY site_id ORDER BY (${CURRENT_SQL}) DESC, starts_at DESC, id DESC) AS site_rank
        FROM windows WHERE ${NOT_CANCELLED_SQL}) windows
  WHERE windows.site_rank <= ${RECENT_LIMIT}
  ORDER BY windows.site_rank`;

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
  site_id: string; id: string; name: string; description: string; status: ComponentStatus; position: number; group_id: string | null; created_at: Date; updated_at: Date;
}
interface GroupRow { site_id: string; id: string; name: string; position: number; created_at: Date; updated_at: Date }
interface IncidentRow {
  site_id: string; id: string; title: string; status: IncidentStatus; impact: IncidentImpact; created_at: Date; updated_at: Date;
  resolved_at: Date | null; component_ids: string[]; monitoring_at: Date | null;
}
interface MaintenanceRow extends WindowRow { site_id: string; kind: WindowKind; completed_at: Date | null; created_at: Date; updated_at: Date }
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

/** Reads every site's data in one read-only transaction at one point in time. */
export function loadPublicData(pool: Pool): Promise<PublicSites> {
  return transaction(pool, readAll, { readOnly: true });
}

/** The rows of each site, in the order the query gave them. */
function bySite<T extends { site_id: string }>(rows: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.site_id);
    if (list) list.push(row);
    else grouped.set(row.site_id, [row]);
  }
  return grouped;
}

async function readAll(client: pg.ClientBase): Promise<PublicSites> {
  const pages = await client.query<{ site_id: string; page_id: string; site_name: string | null; updated_at: Date }>(PAGE_SQL);
  const components = bySite((await client.query<ComponentRow>(COMPONENTS_SQL)).rows);
  const groups = bySite((await client.query<GroupRow>(GROUPS_SQL)).rows);
  const incidents = await client.query<IncidentRow>(INCIDENTS_SQL);
  const windows = await client.query<MaintenanceRow>(WINDOWS_SQL);
  const incidentUpdates = await client.query<UpdateRow>(updatesSql('incident_id'), [incidents.rows.map((row) => row.id)]);
  const windowUpdates = await client.query<UpdateRow>(updatesSql('window_id'), [windows.rows.map((row) => row.id)]);
  const ofIncident = bySubject(incidentUpdates.rows);
  const ofWindow = bySubject(windowUpdates.rows);
  const incidentsOf = bySite(incidents.rows);
  const windowsOf = bySite(windows.rows);
  const settingsOf = new Map(pages.rows.map((row) => [row.site_id, row]));
  // Every site with a settings row or any data: plain SQL may have deleted a settings row.
  const ids = new Set([...settingsOf.keys(), ...components.keys(), ...groups.keys(), ...incidentsOf.keys(), ...windowsOf.keys()]);
  const sites = new Map<string, PublicData>();
  for (const id of ids) {
    const settings = settingsOf.get(id);
    sites.set(id, {
      // The page still needs some id until its settings row is back.
      pageId: settings?.page_id ?? 'intermission',
      siteName: settings?.site_name ?? null,
      settingsUpdatedAt: settings?.updated_at.getTime() ?? 0,
      components: (components.get(id) ?? []).map((row) => ({
        id: row.id, name: row.name, description: row.description, status: row.status, position: row.position,
        groupId: row.group_id, createdAt: row.created_at.getTime(), updatedAt: row.updated_at.getTime(),
      })),
      groups: (groups.get(id) ?? []).map((row) => ({ id: row.id, name: row.name, position: row.position, createdAt: row.created_at.getTime(), updatedAt: row.updated_at.getTime() })),
      incidents: (incidentsOf.get(id) ?? []).map((row) => ({
        id: row.id, title: row.title, status: row.status, impact: row.impact, createdAt: row.created_at.getTime(),
        updatedAt: row.updated_at.getTime(), resolvedAt: ms(row.resolved_at), monitoringAt: ms(row.monitoring_at),
        componentIds: row.component_ids, updates: ofIncident.get(row.id) ?? [],
      })),
      maintenances: (windowsOf.get(id) ?? []).map((row) => ({
        window: toWindow(row), kind: row.kind, createdAt: row.created_at.getTime(), updatedAt: row.updated_at.getTime(),
        completedAt: ms(row.completed_at), updates: ofWindow.get(row.id) ?? [],
      })),
    });
  }
  return sites;
}
