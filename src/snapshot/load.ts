// Reads everything that decides requests or feeds the status pages, for every site at once, in one
// consistent read-only transaction, and shapes it into a snapshot per site.

import type pg from 'pg';
import { indexSites } from '../sites/site-routes.js';
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
  type Site,
  type SiteSnapshots,
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
  SELECT site_id::text, ${WINDOW_COLUMNS} FROM windows WHERE ${CURRENT_SQL}
  ORDER BY starts_at, id`;

// What the status page tells of recent work: the plan against what happened. Held counts arrive
// from the gateways every few seconds without a notice, so they are as fresh as the last reload.
const PAST_WINDOWS_SQL = `
  SELECT s.id::text AS site_id, w.id::text, w.title, w.kind, w.starts_at, w.planned_ends_at, w.completed_at, coalesce(h.count, 0)::text AS held
  FROM sites s CROSS JOIN LATERAL (
    SELECT * FROM windows
    WHERE site_id = s.id AND lifecycle = 'completed' AND started_at IS NOT NULL
      AND completed_at > now() - make_interval(days => ${PAST_WINDOW_DAYS})
    ORDER BY completed_at DESC, id DESC
    LIMIT ${MAX_PAST_WINDOWS}
  ) w LEFT JOIN held_requests h ON h.window_id = w.id
  ORDER BY w.completed_at DESC, w.id DESC`;

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
  SELECT site_id::text, state, since, outage_id::text AS "outageId" FROM upstream_health`;

const COMPONENTS_SQL = `
  SELECT site_id::text, id::text, name, description, status, position, group_id::text AS "groupId" FROM components ORDER BY position, name`;

const GROUPS_SQL = `
  SELECT site_id::text, id::text, name, position FROM component_groups ORDER BY position, name`;

const INCIDENTS_SQL = `
  SELECT s.id::text AS site_id, i.id::text, i.title, i.status, i.impact, i.created_at, i.resolved_at,
         coalesce((SELECT array_agg(ic.component_id::text ORDER BY ic.component_id)
                   FROM incident_components ic WHERE ic.incident_id = i.id), '{}') AS component_ids
  FROM sites s CROSS JOIN LATERAL (
    SELECT * FROM incidents
    WHERE site_id = s.id AND (resolved_at IS NULL OR resolved_at > now() - make_interval(days => ${RESOLVED_INCIDENT_DAYS}))
    ORDER BY resolved_at IS NOT NULL, created_at DESC, id DESC
    LIMIT ${MAX_INCIDENTS}
  ) i
  ORDER BY i.resolved_at IS NOT NULL, i.created_at DESC, i.id DESC`;

// Each site's latest updates of any kind, each with its window's or incident's title, read with it:
// the snapshot's windows are only those not over yet, and an update of an ended window should still
// say which window it was.
const RECENT_UPDATES_SQL = `
  SELECT s.id::text AS site_id, u.id::text, u.window_id::text, u.incident_id::text, u.status, u.body, u.created_at,
         coalesce(w.title, i.title) AS subject_title
  FROM sites s CROSS JOIN LATERAL (
    SELECT * FROM updates WHERE site_id = s.id ORDER BY created_at DESC, id DESC LIMIT ${RECENT_UPDATES}
  ) u
  LEFT JOIN windows w ON w.id = u.window_id
  LEFT JOIN incidents i ON i.id = u.incident_id
  ORDER BY u.created_at DESC, u.id DESC`;

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

const SECRET_SQL = `SELECT value FROM gateway_secrets WHERE name = 'bypass'`;

const BYPASS_LINKS_SQL = `
  SELECT site_id::text, id::text, path_prefixes FROM bypass_links WHERE revoked_at IS NULL AND expires_at > now()`;

const SETTINGS_SQL = `
  SELECT site_id::text, site_name AS "siteName", support_email AS "supportEmail", logo_url AS "logoUrl",
         brand_color AS "brandColor", footer_text AS "footerText"
  FROM settings`;

const SITES_SQL = `
  SELECT s.id::text, s.slug, s.upstream_url AS "upstreamUrl", s.is_default AS "isDefault",
         coalesce(array_agg(h.host ORDER BY h.host) FILTER (WHERE h.host IS NOT NULL), '{}') AS hosts
  FROM sites s LEFT JOIN site_hosts h ON h.site_id = s.id
  GROUP BY s.id ORDER BY s.slug`;

interface OfSite {
  site_id: string;
}

/** Rows by their site, each list in the order the query gave. */
function bySite<R extends OfSite>(rows: R[]): Map<string, R[]> {
  const grouped = new Map<string, R[]>();
  for (const row of rows) {
    const list = grouped.get(row.site_id);
    if (list) list.push(row);
    else grouped.set(row.site_id, [row]);
  }
  return grouped;
}

/** Drops the site_id a row was read with, so snapshot objects hold only their own fields. */
function strip<R extends OfSite>({ site_id: _site, ...rest }: R): Omit<R, 'site_id'> {
  return rest;
}

export async function loadSnapshot(client: pg.ClientBase, version: number, now: number): Promise<SiteSnapshots> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const sites = await client.query<Site>(SITES_SQL);
    const windows = await client.query<WindowRow & OfSite>(WINDOWS_SQL);
    const components = await client.query<Component & OfSite>(COMPONENTS_SQL);
    const groups = await client.query<ComponentGroup & OfSite>(GROUPS_SQL);
    const updates = await client.query<UpdateRow & OfSite>(RECENT_UPDATES_SQL);
    const incidents = await client.query<IncidentRow & OfSite>(INCIDENTS_SQL);
    const incidentUpdates = await client.query<UpdateRow>(INCIDENT_UPDATES_SQL, [incidents.rows.map((row) => row.id)]);
    const secret = await client.query<{ value: string }>(SECRET_SQL);
    const links = await client.query<{ site_id: string; id: string; path_prefixes: string[] }>(BYPASS_LINKS_SQL);
    const settings = await client.query<SiteSettings & OfSite>(SETTINGS_SQL);
    const pastWindows = await client.query<PastWindowRow & OfSite>(PAST_WINDOWS_SQL);
    const upstream = await client.query<{ site_id: string; state: UpstreamHealth['state']; since: Date; outageId: string | null }>(UPSTREAM_SQL);
    await client.query('COMMIT');

    const updatesOf = byIncident(incidentUpdates.rows);
    const windowsOf = bySite(windows.rows);
    const componentsOf = bySite(components.rows);
    const groupsOf = bySite(groups.rows);
    const updatesOfSite = bySite(updates.rows);
    const incidentsOf = bySite(incidents.rows);
    const linksOf = bySite(links.rows);
    const settingsOf = bySite(settings.rows);
    const pastOf = bySite(pastWindows.rows);
    const upstreamOf = bySite(upstream.rows);
    const bypassSecret = secret.rows[0]?.value ?? '';
    return indexSites(
      version,
      now,
      sites.rows.map(function siteSnapshot(site): Snapshot {
        const settingsRow = settingsOf.get(site.id)?.[0];
        const upstreamRow = upstreamOf.get(site.id)?.[0];
        return {
          version,
          loadedAt: now,
          site,
          windows: (windowsOf.get(site.id) ?? []).map(toWindow),
          components: (componentsOf.get(site.id) ?? []).map(strip),
          componentGroups: (groupsOf.get(site.id) ?? []).map(strip),
          incidents: (incidentsOf.get(site.id) ?? []).map((row) => toIncident(row, updatesOf.get(row.id) ?? [])),
          updates: (updatesOfSite.get(site.id) ?? []).map(toUpdate),
          bypassSecret,
          activeBypassLinks: new Map((linksOf.get(site.id) ?? []).map((link) => [link.id, link.path_prefixes])),
          settings: settingsRow ? strip(settingsRow) : NO_SETTINGS,
          pastWindows: (pastOf.get(site.id) ?? []).map(toPastWindow),
          upstream: upstreamRow ? { state: upstreamRow.state, since: upstreamRow.since.getTime(), outageId: upstreamRow.outageId } : UPSTREAM_UP,
        };
      }),
    );
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
