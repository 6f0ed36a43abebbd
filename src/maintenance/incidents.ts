// The SQL of incidents: report one with its first update, list them (open first, then recently
// resolved), read one with its timeline, move it through its lifecycle by posting updates, edit it.
// Writes run in the caller's transaction (writeAs), so an incident and its update land together.
// Every function acts in one site: another site's incident is not found, its components unknown.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError, NotFoundError } from '../errors.js';
import type { IncidentImpact, IncidentStatus } from './incident-status.js';
import { listUpdates, postUpdate, type UpdateRecord } from './updates.js';
import { checkComponents } from './window-components.js';

export interface IncidentRecord {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  /** Components the incident affects, for the status page. */
  componentIds: string[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Set exactly while the status is resolved. */
  resolvedAt: number | null;
}

export interface IncidentDetails {
  title: string;
  impact: IncidentImpact;
  componentIds: string[];
}

/** What an update says: its text, and the status it moves the incident to. */
export interface IncidentUpdateInput {
  body: string;
  status: IncidentStatus;
}

export type NewIncident = IncidentDetails & IncidentUpdateInput;

/** Only the fields given change. */
export type IncidentChanges = Partial<IncidentDetails>;

export interface IncidentWithUpdate {
  incident: IncidentRecord;
  update: UpdateRecord;
}

interface IncidentRow {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  component_ids: string[];
  created_by: string;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
}

const COLUMNS = `id::text, title, status, impact, created_by, created_at, updated_at, resolved_at,
  ARRAY(SELECT ic.component_id::text FROM incident_components ic WHERE ic.incident_id = incidents.id ORDER BY ic.component_id) AS component_ids`;

// Open incidents are few; a listing of more than this would only scroll away.
const OPEN_LIMIT = 100;
const RESOLVED_LIMIT = 20;

function toIncident(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    impact: row.impact,
    componentIds: row.component_ids,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    resolvedAt: row.resolved_at?.getTime() ?? null,
  };
}

/** Makes the incident's components exactly componentIds; ids unknown in the site are refused by name. */
async function setComponents(db: Queryable, siteId: string, incidentId: string, componentIds: readonly string[]): Promise<void> {
  await checkComponents(db, siteId, componentIds);
  await db.query('DELETE FROM incident_components WHERE incident_id = $1 AND NOT (component_id = ANY ($2::bigint[]))', [incidentId, componentIds]);
  await db.query('INSERT INTO incident_components (incident_id, component_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING', [incidentId, componentIds]);
}

/** Reports an incident with its first update, which sets its status. */
export async function createIncident(db: Queryable, siteId: string, input: NewIncident): Promise<IncidentWithUpdate> {
  try {
    // Checked first, so a refused component leaves no incident behind in a caller that catches.
    await checkComponents(db, siteId, input.componentIds);
    // created_by is left to its default, intermission_actor(): whoever writeAs() named.
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO incidents (title, impact, status, resolved_at, site_id) VALUES ($1, $2, $3, CASE WHEN $3 = 'resolved' THEN now() END, $4::bigint)
       RETURNING id::text`,
      [input.title, input.impact, input.status, siteId],
    );
    const id = rows[0]!.id;
    if (input.componentIds.length > 0) await setComponents(db, siteId, id, input.componentIds);
    const update = await postUpdate(db, siteId, { body: input.body, incidentId: id, status: input.status });
    return { incident: await getIncident(db, siteId, id), update };
  } catch (err) {
    throw fromDatabaseError(err, 'reporting the incident');
  }
}

/** One incident of the site by id, whatever its status; NotFoundError when there is none (or it is another site's). */
export async function getIncident(db: Queryable, siteId: string, id: string): Promise<IncidentRecord> {
  let rows: IncidentRow[];
  try {
    ({ rows } = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1::bigint AND site_id = $2::bigint`, [id, siteId]));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the incident');
  }
  if (!rows[0]) throw new NotFoundError(`there is no incident #${id}`);
  return toIncident(rows[0]);
}

/** An incident and its updates, oldest first, as the timeline reads. */
export async function getIncidentTimeline(db: Queryable, siteId: string, id: string): Promise<{ incident: IncidentRecord; updates: UpdateRecord[] }> {
  const incident = await getIncident(db, siteId, id);
  try {
    return { incident, updates: await listUpdates(db, siteId, { incidentId: id }) };
  } catch (err) {
    throw fromDatabaseError(err, 'reading the incident updates');
  }
}

export interface IncidentListOptions {
  /** open: not resolved, newest first; resolved: latest resolved first; neither: open, then recently resolved. */
  state?: 'open' | 'resolved';
  /** How many resolved incidents at most. */
  limit?: number;
}

export async function listIncidents(db: Queryable, siteId: string, { state, limit = RESOLVED_LIMIT }: IncidentListOptions = {}): Promise<IncidentRecord[]> {
  const open = `(SELECT ${COLUMNS} FROM incidents WHERE site_id = $1::bigint AND resolved_at IS NULL ORDER BY created_at DESC, id DESC LIMIT ${OPEN_LIMIT})`;
  const resolved = `(SELECT ${COLUMNS} FROM incidents WHERE site_id = $1::bigint AND resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC LIMIT $2)`;
  const parts = state === 'open' ? [open] : state === 'resolved' ? [resolved] : [open, resolved];
  // UNION ALL keeps no order of its own: sort again, open ones first.
  const sql = `SELECT * FROM (${parts.join(' UNION ALL ')}) AS listed
    ORDER BY resolved_at IS NOT NULL, coalesce(resolved_at, created_at) DESC, id::bigint DESC`;
  try {
    const { rows } = await db.query<IncidentRow>(sql, state === 'open' ? [siteId] : [siteId, Math.min(Math.max(1, limit), OPEN_LIMIT)]);
    return rows.map(toIncident);
  } catch (err) {
    throw fromDatabaseError(err, 'reading incidents');
  }
}

/** Locks the incident for a change, so two SREs posting at once apply one after the other. */
export async function lockIncident(db: Queryable, siteId: string, id: string): Promise<IncidentRecord> {
  let rows: IncidentRow[];
  try {
    ({ rows } = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1::bigint AND site_id = $2::bigint FOR UPDATE`, [id, siteId]));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the incident');
  }
  if (!rows[0]) throw new NotFoundError(`there is no incident #${id}`);
  return toIncident(rows[0]);
}

/**
 * Moves a locked incident to status, as an update announces it. Any status may follow any other:
 * resolving sets resolved_at (kept when it was resolved already), reopening clears it.
 */
export async function setIncidentStatus(db: Queryable, siteId: string, id: string, status: IncidentStatus): Promise<IncidentRecord> {
  try {
    await db.query(
      `UPDATE incidents SET status = $2, resolved_at = CASE WHEN $2 = 'resolved' THEN coalesce(resolved_at, now()) END, updated_at = now()
       WHERE id = $1::bigint AND site_id = $3::bigint`,
      [id, status, siteId],
    );
  } catch (err) {
    throw fromDatabaseError(err, 'changing the incident status');
  }
  return getIncident(db, siteId, id);
}

/** Adds an update to the incident's timeline; call setIncidentStatus first, in the same transaction. */
export async function postIncidentUpdate(db: Queryable, siteId: string, id: string, input: IncidentUpdateInput): Promise<UpdateRecord> {
  try {
    return await postUpdate(db, siteId, { body: input.body, incidentId: id, status: input.status });
  } catch (err) {
    throw fromDatabaseError(err, 'posting the update');
  }
}

/** Changes the title, impact or components given; the status moves only through updates. */
export async function updateIncident(db: Queryable, siteId: string, id: string, changes: IncidentChanges): Promise<IncidentRecord> {
  try {
    await lockIncident(db, siteId, id);
    if (changes.title !== undefined || changes.impact !== undefined) {
      await db.query(
        'UPDATE incidents SET title = coalesce($2, title), impact = coalesce($3, impact), updated_at = now() WHERE id = $1::bigint AND site_id = $4::bigint',
        [id, changes.title ?? null, changes.impact ?? null, siteId],
      );
    }
    if (changes.componentIds !== undefined) await setComponents(db, siteId, id, changes.componentIds);
    return await getIncident(db, siteId, id);
  } catch (err) {
    throw fromDatabaseError(err, 'changing the incident');
  }
}

