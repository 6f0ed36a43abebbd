// The SQL of the one-row settings table: what the status page shows about the site. A NULL
// column means "use the default from the environment" (SITE_NAME, SUPPORT_EMAIL, or none).

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

// The migration inserts the row; plain SQL may have deleted it, so reads and writes put it back.
const ENSURE_ROW = 'INSERT INTO settings DEFAULT VALUES ON CONFLICT (site_id) DO NOTHING';

export async function getSettings(db: Queryable): Promise<SettingsRecord> {
  try {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM settings WHERE site_id = intermission_site()`);
    if (rows[0]) return toRecord(rows[0]);
    return { siteName: null, supportEmail: null, logoUrl: null, brandColor: null, footerText: null, updatedAt: 0 };
  } catch (err) {
    throw fromDatabaseError(err, 'reading the settings');
  }
}

/** Saves the columns given (validated by the caller); a save that changes nothing writes no audit entry. */
export async function updateSettings(db: Queryable, changes: SettingsChanges): Promise<SettingsRecord> {
  const given = (Object.keys(COLUMN_OF) as (keyof SiteSettings)[]).filter((key) => changes[key] !== undefined);
  try {
    await db.query(ENSURE_ROW);
    if (given.length === 0) return await getSettings(db);
    const assignments = given.map((key, index) => `${COLUMN_OF[key]} = $${index + 1}`);
    const { rows } = await db.query<Row>(
      `UPDATE settings SET ${assignments.join(', ')}, updated_at = now() WHERE site_id = intermission_site() RETURNING ${COLUMNS}`,
      given.map((key) => changes[key]),
    );
    return toRecord(rows[0]!);
  } catch (err) {
    throw fromDatabaseError(err, 'saving the settings');
  }
}
