// The SQL of what automation may do when the upstream goes down, two columns of the settings row:
// whether it opens incidents by itself, and which component (of the same site) stands for its upstream.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError, ValidationError } from '../errors.js';

export interface HealthSettings {
  autoIncidents: boolean;
  /** The component set to major_outage while the upstream is down; null: none. */
  upstreamComponentId: string | null;
  /** The site name of Settings, for the incident's title; null: SITE_NAME. */
  siteName: string | null;
}

/** Fields left undefined stay as they are; upstreamComponentId null unlinks the component. */
export interface HealthSettingsChanges {
  autoIncidents?: boolean;
  upstreamComponentId?: string | null;
}

const COLUMNS = 'auto_incidents AS "autoIncidents", upstream_component_id::text AS "upstreamComponentId", site_name AS "siteName"';

// A trigger inserts a site's row; plain SQL may have deleted it (see settings.ts).
const ENSURE_ROW = 'INSERT INTO settings (site_id) VALUES ($1::bigint) ON CONFLICT (site_id) DO NOTHING';

export async function getHealthSettings(db: Queryable, siteId: string): Promise<HealthSettings> {
  try {
    const { rows } = await db.query<HealthSettings>(`SELECT ${COLUMNS} FROM settings WHERE site_id = $1::bigint`, [siteId]);
    return rows[0] ?? { autoIncidents: true, upstreamComponentId: null, siteName: null };
  } catch (err) {
    throw fromDatabaseError(err, 'reading the health settings');
  }
}

/** Saves the fields given; a component that does not exist in the site is refused by name. */
export async function updateHealthSettings(db: Queryable, siteId: string, changes: HealthSettingsChanges): Promise<HealthSettings> {
  try {
    if (changes.upstreamComponentId) {
      const { rowCount } = await db.query('SELECT 1 FROM components WHERE id = $1::bigint AND site_id = $2::bigint', [changes.upstreamComponentId, siteId]);
      if (!rowCount) {
        throw new ValidationError(`upstream_component_id ${changes.upstreamComponentId}: there is no component #${changes.upstreamComponentId}`, 'upstream_component_id');
      }
    }
    await db.query(ENSURE_ROW, [siteId]);
    const { rows } = await db.query<HealthSettings>(
      `UPDATE settings SET auto_incidents = coalesce($1, auto_incidents),
         upstream_component_id = CASE WHEN $2 THEN $3::bigint ELSE upstream_component_id END,
         updated_at = now()
       WHERE site_id = $4::bigint RETURNING ${COLUMNS}`,
      [changes.autoIncidents ?? null, changes.upstreamComponentId !== undefined, changes.upstreamComponentId ?? null, siteId],
    );
    return rows[0]!;
  } catch (err) {
    throw fromDatabaseError(err, 'saving the health settings');
  }
}
