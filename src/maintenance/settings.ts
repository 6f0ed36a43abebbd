// The SQL of the settings table, one row per site: what the site's status page shows about it. A
// NULL column means "use the default from the environment" (SITE_NAME, SUPPORT_EMAIL, or none).

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError } from '../errors.js';
import type { SiteSettings } from '../snapshot/types.js';

export interface SettingsRecord extends SiteSettings {
  /** Epoch ms of the last save. */
  updatedAt: number;
}

/** The columns a save may change; undefined leaves a column as it is, null clears it. */
export type SettingsChanges = { [K in keyof SiteSettings]?: SiteSettings[K] };

const COLUMNS = `site_name AS "siteName", support_email AS "supportEmail", logo_url AS "logoUrl",
  brand_color AS "brandColor", footer_text AS "footerText", updated_at AS "updatedAt"`;

const COLUMN_OF: Record<keyof SiteSettings, string> = {
  siteName: 'site_name',
  supportEmail: 'support_email',
  logoUrl: 'logo_url',
  brandColor: 'brand_color',
  footerText: 'footer_text',
};

type Row = SiteSettings & { updatedAt: Date };

function toRecord(row: Row): SettingsRecord {
  return { ...row, updatedAt: row.updatedAt.getTime() };
}

// A trigger inserts a site's row; plain SQL may have deleted it, so writes put it back.
const ENSURE_ROW = 'INSERT INTO settings (site_id) VALUES ($1::bigint) ON CONFLICT (site_id) DO NOTHING';

export async function getSettings(db: Queryable, siteId: string): Promise<SettingsRecord> {
  try {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM settings WHERE site_id = $1::bigint`, [siteId]);
    if (rows[0]) return toRecord(rows[0]);
    return { siteName: null, supportEmail: null, logoUrl: null, brandColor: null, footerText: null, updatedAt: 0 };
  } catch (err) {
    throw fromDatabaseError(err, 'reading the settings');
  }
}

/** Saves the columns given (validated by the caller); a save that changes nothing writes no audit entry. */
export async function updateSettings(db: Queryable, siteId: string, changes: SettingsChanges): Promise<SettingsRecord> {
  const given = (Object.keys(COLUMN_OF) as (keyof SiteSettings)[]).filter((key) => changes[key] !== undefined);
  try {
    await db.query(ENSURE_ROW, [siteId]);
    if (given.length === 0) return await getSettings(db, siteId);
    const assignments = given.map((key, index) => `${COLUMN_OF[key]} = $${index + 2}`);
    const { rows } = await db.query<Row>(
      `UPDATE settings SET ${assignments.join(', ')}, updated_at = now() WHERE site_id = $1::bigint RETURNING ${COLUMNS}`,
      [siteId, ...given.map((key) => changes[key])],
    );
    return toRecord(rows[0]!);
  } catch (err) {
    throw fromDatabaseError(err, 'saving the settings');
  }
}
