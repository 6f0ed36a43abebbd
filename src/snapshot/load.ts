// Reads everything that decides requests or feeds the status page, in one consistent
// read-only transaction, and shapes it into a Snapshot.

import type pg from 'pg';
import type { Component, ComponentStatus, MaintenanceWindow, Snapshot, Update } from './types.js';

const RECENT_UPDATES = 20;

interface WindowRow {
  id: string;
  title: string;
  message: string;
  starts_at: Date;
  ends_at: Date | null;
  ended_at: Date | null;
  mode: MaintenanceWindow['mode'];
  response: MaintenanceWindow['response'];
  path_prefixes: string[];
  hosts: string[];
  component_ids: string[];
}

const WINDOWS_SQL = `
  SELECT w.id::text, w.title, w.message, w.starts_at, w.ends_at, w.ended_at, w.mode, w.response,
         w.path_prefixes, w.hosts,
         coalesce(array_agg(wc.component_id::text) FILTER (WHERE wc.component_id IS NOT NULL), '{}') AS component_ids
  FROM windows w
  LEFT JOIN window_components wc ON wc.window_id = w.id
  WHERE least(coalesce(w.ended_at, 'infinity'), coalesce(w.ends_at, 'infinity')) > now()
  GROUP BY w.id
  ORDER BY w.starts_at, w.id`;

const COMPONENTS_SQL = `
  SELECT id::text, name, description, status, position FROM components ORDER BY position, name`;

const UPDATES_SQL = `
  SELECT id::text, window_id::text, body, created_at FROM updates ORDER BY created_at DESC, id DESC LIMIT ${RECENT_UPDATES}`;

const BYPASS_SQL = `
  SELECT (SELECT value FROM gateway_secrets WHERE name = 'bypass') AS secret,
         coalesce((SELECT array_agg(id::text) FROM bypass_links WHERE revoked_at IS NULL AND expires_at > now()), '{}') AS ids`;

function toWindow(row: WindowRow): MaintenanceWindow {
  return {
    id: row.id,
    title: row.title,
    message: row.message,
    startsAt: row.starts_at.getTime(),
    endsAt: row.ends_at?.getTime() ?? null,
    endedAt: row.ended_at?.getTime() ?? null,
    mode: row.mode,
    response: row.response,
    pathPrefixes: row.path_prefixes,
    hosts: row.hosts.map((host) => host.toLowerCase()),
    componentIds: row.component_ids,
  };
}

export async function loadSnapshot(client: pg.ClientBase, version: number, now: number): Promise<Snapshot> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const windows = await client.query<WindowRow>(WINDOWS_SQL);
    const components = await client.query<Component & { status: ComponentStatus }>(COMPONENTS_SQL);
    const updates = await client.query<{ id: string; window_id: string | null; body: string; created_at: Date }>(UPDATES_SQL);
    const bypass = await client.query<{ secret: string | null; ids: string[] }>(BYPASS_SQL);
    await client.query('COMMIT');
    return {
      version,
      loadedAt: now,
      windows: windows.rows.map(toWindow),
      components: components.rows,
      updates: updates.rows.map(
        (row): Update => ({ id: row.id, windowId: row.window_id, body: row.body, createdAt: row.created_at.getTime() }),
      ),
      bypassSecret: bypass.rows[0]?.secret ?? '',
      activeBypassLinks: new Set(bypass.rows[0]?.ids ?? []),
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
