// Reads everything that decides requests or feeds the status page, in one consistent
// read-only transaction, and shapes it into a Snapshot.

import type pg from 'pg';
import { toWindow, WINDOW_COLUMNS, type WindowRow } from '../maintenance/windows.js';
import { NO_SETTINGS, type Component, type ComponentStatus, type SiteSettings, type Snapshot, type Update } from './types.js';

const RECENT_UPDATES = 20;

// Windows not over yet: in force now, or still to come.
const WINDOWS_SQL = `
  SELECT ${WINDOW_COLUMNS} FROM windows
  WHERE least(coalesce(ended_at, 'infinity'), coalesce(ends_at, 'infinity')) > now()
  ORDER BY starts_at, id`;

const COMPONENTS_SQL = `
  SELECT id::text, name, description, status, position FROM components ORDER BY position, name`;

const UPDATES_SQL = `
  SELECT id::text, window_id::text, body, created_at FROM updates ORDER BY created_at DESC, id DESC LIMIT ${RECENT_UPDATES}`;

const BYPASS_SQL = `
  SELECT (SELECT value FROM gateway_secrets WHERE name = 'bypass') AS secret,
         coalesce((SELECT array_agg(id::text) FROM bypass_links WHERE revoked_at IS NULL AND expires_at > now()), '{}') AS ids`;

const SETTINGS_SQL = `
  SELECT site_name AS "siteName", support_email AS "supportEmail", logo_url AS "logoUrl",
         brand_color AS "brandColor", footer_text AS "footerText"
  FROM settings WHERE id`;

export async function loadSnapshot(client: pg.ClientBase, version: number, now: number): Promise<Snapshot> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const windows = await client.query<WindowRow>(WINDOWS_SQL);
    const components = await client.query<Component & { status: ComponentStatus }>(COMPONENTS_SQL);
    const updates = await client.query<{ id: string; window_id: string | null; body: string; created_at: Date }>(UPDATES_SQL);
    const bypass = await client.query<{ secret: string | null; ids: string[] }>(BYPASS_SQL);
    const settings = await client.query<SiteSettings>(SETTINGS_SQL);
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
      settings: settings.rows[0] ?? NO_SETTINGS,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
