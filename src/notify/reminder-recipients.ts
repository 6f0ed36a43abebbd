// Who gets a site's reminder e-mails: people who run maintenance there (operators and admins of the
// site, and global admins, who act as admin in every site), not disabled, who ticked "E-mail me
// before maintenance starts" on their account page. The SQL of that one column.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError } from '../errors.js';

export interface ReminderRecipient {
  email: string;
  name: string;
  /** Their chosen zone; null: UTC only (there is no browser to ask). */
  timeZone: string | null;
}

/** The roles in a site whose people may get its reminders; a viewer does not run maintenance. */
export const REMINDER_ROLES = ['operator', 'admin'] as const;

export async function listReminderRecipients(db: Queryable, siteId: string): Promise<ReminderRecipient[]> {
  const { rows } = await db.query<{ email: string; name: string; time_zone: string | null }>(
    `SELECT u.email, u.name, u.time_zone FROM users u
     WHERE u.email_reminders AND u.disabled_at IS NULL
       AND (u.global_admin OR EXISTS (SELECT 1 FROM site_members m
                                      WHERE m.user_id = u.id AND m.site_id = $1::bigint AND m.role = ANY ($2::text[])))
     ORDER BY u.id`,
    [siteId, REMINDER_ROLES],
  );
  return rows.map((row) => ({ email: row.email, name: row.name, timeZone: row.time_zone }));
}

export async function getEmailReminders(db: Queryable, userId: string): Promise<boolean> {
  try {
    const { rows } = await db.query<{ email_reminders: boolean }>('SELECT email_reminders FROM users WHERE id = $1::bigint', [userId]);
    return rows[0]?.email_reminders ?? false;
  } catch (err) {
    throw fromDatabaseError(err, 'reading your reminder setting');
  }
}

/** Returns whether it changed. */
export async function setEmailReminders(db: Queryable, userId: string, on: boolean): Promise<boolean> {
  try {
    const { rowCount } = await db.query(
      'UPDATE users SET email_reminders = $2, updated_at = now() WHERE id = $1::bigint AND email_reminders IS DISTINCT FROM $2',
      [userId, on],
    );
    return rowCount === 1;
  } catch (err) {
    throw fromDatabaseError(err, 'saving your reminder setting');
  }
}
