// The SQL of updates: what the status page's timeline shows, posted to a window, to an incident,
// or on its own as a general notice. An update belongs to a site, the one of its window or incident.

import type { Queryable } from '../audit/write-as.js';
import { NotFoundError } from '../errors.js';
import type { IncidentStatus } from './incident-status.js';

export interface NewUpdate {
  body: string;
  windowId?: string | null;
  incidentId?: string | null;
  /** The incident status this update announces; only for incident updates. */
  status?: IncidentStatus | null;
}

export interface UpdateRecord {
  id: string;
  windowId: string | null;
  incidentId: string | null;
  status: IncidentStatus | null;
  body: string;
  createdBy: string;
  createdAt: number;
}

interface UpdateRow {
  id: string; window_id: string | null; incident_id: string | null; status: IncidentStatus | null;
  body: string; created_by: string; created_at: Date;
}

export const UPDATE_COLUMNS = 'id::text, window_id::text, incident_id::text, status, body, created_by, created_at';

export function toUpdateRecord(row: UpdateRow): UpdateRecord {
  return {
    id: row.id,
    windowId: row.window_id,
    incidentId: row.incident_id,
    status: row.status,
    body: row.body,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
  };
}

/** Posts an update in the site; its window or incident must be the site's, or it is not found. */
export async function postUpdate(db: Queryable, siteId: string, input: NewUpdate): Promise<UpdateRecord> {
  const { rows } = await db.query<UpdateRow>(
    `INSERT INTO updates (body, window_id, incident_id, status, site_id)
     SELECT $1, $2::bigint, $3::bigint, $4, $5::bigint
     WHERE ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM windows WHERE id = $2::bigint AND site_id = $5::bigint))
       AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM incidents WHERE id = $3::bigint AND site_id = $5::bigint))
     RETURNING ${UPDATE_COLUMNS}`,
    [input.body, input.windowId ?? null, input.incidentId ?? null, input.status ?? null, siteId],
  );
  if (!rows[0]) {
    throw new NotFoundError(input.windowId ? `there is no window #${input.windowId}` : `there is no incident #${input.incidentId}`);
  }
  return toUpdateRecord(rows[0]);
}

/** Updates of one window or incident of the site, oldest first, as a timeline reads. */
export async function listUpdates(db: Queryable, siteId: string, subject: { windowId: string } | { incidentId: string }): Promise<UpdateRecord[]> {
  const [column, value] = 'windowId' in subject ? ['window_id', subject.windowId] : ['incident_id', subject.incidentId];
  const { rows } = await db.query<UpdateRow>(
    `SELECT ${UPDATE_COLUMNS} FROM updates WHERE ${column} = $1::bigint AND site_id = $2::bigint ORDER BY created_at, id`,
    [value, siteId],
  );
  return rows.map(toUpdateRecord);
}

/** An update with the title of the window or incident it is about, read in the same query. */
export interface TitledUpdate extends UpdateRecord {
  subjectTitle: string | null;
}

/** The site's most recent updates of any kind, newest first, each with its subject's title, for the dashboard. */
export async function latestUpdates(db: Queryable, siteId: string, limit = 10): Promise<TitledUpdate[]> {
  const { rows } = await db.query<UpdateRow & { subject_title: string | null }>(
    `SELECT u.*, coalesce(w.title, i.title) AS subject_title
     FROM (SELECT ${UPDATE_COLUMNS} FROM updates WHERE site_id = $2::bigint ORDER BY created_at DESC, id DESC LIMIT $1) u
     LEFT JOIN windows w ON w.id = u.window_id::bigint
     LEFT JOIN incidents i ON i.id = u.incident_id::bigint
     ORDER BY u.created_at DESC, u.id::bigint DESC`,
    [limit, siteId],
  );
  return rows.map((row) => ({ ...toUpdateRecord(row), subjectTitle: row.subject_title }));
}
