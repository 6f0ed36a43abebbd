// The SQL of reminders: mark the windows whose reminder is due, each by its own site's setting (the
// events trigger then writes window.reminder for that site), and that setting, per site: how long
// before a start subscribers hear of it.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError } from '../errors.js';
import { NOT_CANCELLED_SQL } from '../maintenance/windows.js';

/** The same limits as the CHECK on settings.reminder_minutes: a minute to a week. */
export const MIN_REMINDER_MINUTES = 1;
export const MAX_REMINDER_MINUTES = 10080;

/** A window just marked as reminded, with what a reminder e-mail says about it. */
export interface RemindedWindow {
  id: string;
  siteId: string;
  title: string;
  message: string;
  kind: 'maintenance' | 'downtime';
  startsAt: number;
  endsAt: number | null;
  minutes: number;
}

interface RemindedRow {
  id: string;
  site_id: string;
  title: string;
  message: string;
  kind: 'maintenance' | 'downtime';
  starts_at: Date;
  ends_at: Date | null;
  minutes: number;
}

// Due: not started, not called off, starting within the setting. Only windows made before their
// reminder time: one scheduled at shorter notice already announced itself with window.scheduled.
// The conditional update (reminded_at IS NULL) makes it once, however many gateways run this.
const CLAIM_SQL = `
  UPDATE windows w SET reminded_at = now()
  FROM (SELECT site_id, make_interval(mins => reminder_minutes) AS lead, reminder_minutes FROM settings) s
  WHERE s.site_id = w.site_id AND w.reminded_at IS NULL AND w.lifecycle = 'scheduled' AND w.starts_at > now()
    AND w.starts_at <= now() + s.lead AND w.created_at < w.starts_at - s.lead AND ${NOT_CANCELLED_SQL}
  RETURNING w.id::text, w.site_id::text, w.title, w.message, w.kind, w.starts_at, w.ends_at, s.reminder_minutes AS minutes`;

/** Marks the windows of every site whose reminder is due by that site's setting, once across gateways. */
export async function claimDueReminders(db: Queryable): Promise<RemindedWindow[]> {
  const { rows } = await db.query<RemindedRow>(CLAIM_SQL);
  return rows.map((row) => ({
    id: row.id,
    siteId: row.site_id,
    title: row.title,
    message: row.message,
    kind: row.kind,
    startsAt: row.starts_at.getTime(),
    endsAt: row.ends_at?.getTime() ?? null,
    minutes: row.minutes,
  }));
}

export async function getReminderMinutes(db: Queryable, siteId: string): Promise<number> {
  try {
    const { rows } = await db.query<{ reminder_minutes: number }>('SELECT reminder_minutes FROM settings WHERE site_id = $1::bigint', [siteId]);
    // The row is put back by the settings module; until then the column's default applies.
    return rows[0]?.reminder_minutes ?? 60;
  } catch (err) {
    throw fromDatabaseError(err, 'reading the reminder setting');
  }
}

/** Saves the setting; returns whether it changed (a save of the same value writes no audit entry). */
export async function setReminderMinutes(db: Queryable, siteId: string, minutes: number): Promise<boolean> {
  try {
    await db.query('INSERT INTO settings (site_id) VALUES ($1::bigint) ON CONFLICT (site_id) DO NOTHING', [siteId]);
    const { rowCount } = await db.query(
      'UPDATE settings SET reminder_minutes = $2, updated_at = now() WHERE site_id = $1::bigint AND reminder_minutes IS DISTINCT FROM $2',
      [siteId, minutes],
    );
    return rowCount === 1;
  } catch (err) {
    throw fromDatabaseError(err, 'saving the reminder setting');
  }
}
