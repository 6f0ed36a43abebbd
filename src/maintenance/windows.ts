// The SQL of maintenance windows: start one now, end those in force, schedule one, read and list
// them. Inputs arrive validated (see input.ts); "now" is always the database's. Changes to an
// existing window (extend, end, cancel, edit) live in window-changes.ts. Every function acts in one
// site (siteId): another site's window is not found, and its components cannot be named.

import type { Queryable } from '../audit/write-as.js';
import type { Pool } from '../db/pool.js';
import { transaction } from '../db/pool.js';
import { fromDatabaseError, NotFoundError, ValidationError } from '../errors.js';
import { effectiveEnd, isInForce, type MaintenanceWindow } from '../snapshot/types.js';
import { checkComponents, setComponents } from './window-components.js';

export const WINDOW_KINDS = ['maintenance', 'downtime'] as const;
/** maintenance: planned work; downtime: an announced outage. Both hold traffic as their mode says. */
export type WindowKind = (typeof WINDOW_KINDS)[number];

export interface WindowDetails {
  title: string;
  message: string;
  mode: MaintenanceWindow['mode'];
  response: MaintenanceWindow['response'];
  /** Empty: every path. */
  pathPrefixes: string[];
  /** Empty: every host. */
  hosts: string[];
  /** Default: maintenance. */
  kind?: WindowKind;
  /** Components shown under maintenance while the window is in force; default none. */
  componentIds?: string[];
  /** After its end, hold traffic until the upstream passes a health check; default false. */
  verifyUpstream?: boolean;
}

/** A window as the admin area reads it: what decides requests, plus its kind and bookkeeping. */
export interface WindowRecord extends MaintenanceWindow {
  kind: WindowKind;
  /** The series it is an occurrence of; null for a one-off window (or once its series is deleted). */
  seriesId: string | null;
  /** An occurrence edited or skipped by hand: its series leaves it alone. */
  detached: boolean;
  /** The end first announced, kept when it is extended or ended early; null: announced open-ended. */
  plannedEndsAt: number | null;
  /** When the lifecycle job completed it: its end, or when the upstream passed its check after it. */
  completedAt: number | null;
  /** Requests answered with the status page while it was in force, as counted so far. */
  heldRequests: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export type WindowState = 'upcoming' | 'in_force' | 'over' | 'cancelled';

/** How a window started now ends: after a duration, at a time, or only when someone ends it (null). */
export type WindowEnd = { afterMs: number } | { at: Date } | null;

export interface StartNowInput extends WindowDetails {
  end: WindowEnd;
}

export interface ScheduleInput extends WindowDetails {
  startsAt: Date;
  durationMs: number;
}

export interface CurrentAndUpcoming {
  /** The database's clock, epoch ms: what "in force" was judged against. */
  now: number;
  inForce: MaintenanceWindow[];
  upcoming: MaintenanceWindow[];
}

export interface WindowRow {
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
  lifecycle: MaintenanceWindow['lifecycle'];
  verify_upstream: boolean;
}

/** The columns toWindow reads, for every query that returns windows. */
export const WINDOW_COLUMNS = `id::text, title, message, starts_at, ends_at, ended_at, mode, response, path_prefixes, hosts, lifecycle, verify_upstream,
  ARRAY(SELECT wc.component_id::text FROM window_components wc WHERE wc.window_id = windows.id ORDER BY wc.component_id) AS component_ids`;

export interface WindowRecordRow extends WindowRow {
  kind: WindowKind;
  series_id: string | null;
  detached: boolean;
  planned_ends_at: Date | null;
  completed_at: Date | null;
  held_requests: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

/** The columns toWindowRecord reads. */
export const RECORD_COLUMNS = `${WINDOW_COLUMNS}, kind, series_id::text, detached, planned_ends_at, completed_at,
  coalesce((SELECT h.count FROM held_requests h WHERE h.window_id = windows.id), 0)::text AS held_requests, created_by, created_at, updated_at`;

// When a window stops holding traffic: ended early, its planned end, or never (infinity).
export const EFFECTIVE_END_SQL = `least(coalesce(ended_at, 'infinity'), coalesce(ends_at, 'infinity'))`;
// Not called off: a window ended at its very start never held anything (see cancelWindow).
export const NOT_CANCELLED_SQL = `(ended_at IS NULL OR ended_at > starts_at)`;
// Holds traffic now or will: not over yet, or past its end and waiting for the upstream's check (isInForce).
export const CURRENT_SQL = `(${EFFECTIVE_END_SQL} > now() OR (verify_upstream AND lifecycle <> 'completed' AND ${NOT_CANCELLED_SQL}))`;

// A listing is for people: more rows than this (say, a long recurring series) would only scroll away.
const LIST_LIMIT = 100;

export function toWindow(row: WindowRow): MaintenanceWindow {
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
    // Lower-case whatever wrote the row (plain SQL too): hosts are compared with the request's lower-cased Host.
    hosts: row.hosts.map((host) => host.toLowerCase()),
    componentIds: row.component_ids,
    lifecycle: row.lifecycle,
    verifyUpstream: row.verify_upstream,
  };
}

export function toWindowRecord(row: WindowRecordRow): WindowRecord {
  return {
    ...toWindow(row),
    kind: row.kind,
    seriesId: row.series_id,
    detached: row.detached,
    plannedEndsAt: row.planned_ends_at?.getTime() ?? null,
    completedAt: row.completed_at?.getTime() ?? null,
    heldRequests: Number(row.held_requests),
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

/**
 * Where a window stands at `now`: cancelled (ended at its start), in force (a verifying window past
 * its end too: it still holds traffic), over, or upcoming.
 */
export function windowState(window: MaintenanceWindow, now: number): WindowState {
  const end = effectiveEnd(window);
  if (end !== null && end <= window.startsAt) return 'cancelled';
  if (isInForce(window, now)) return 'in_force';
  return end !== null && end <= now ? 'over' : 'upcoming';
}

// created_by is left to its column default, intermission_actor(): whoever writeAs() named.
function detailParams(input: WindowDetails): unknown[] {
  return [input.title, input.message, input.mode, input.response, input.pathPrefixes, input.hosts, input.kind ?? 'maintenance', input.verifyUpstream ?? false];
}

async function withComponents(db: Queryable, siteId: string, row: WindowRecordRow, componentIds: readonly string[] | undefined): Promise<WindowRecord> {
  if (!componentIds || componentIds.length === 0) return toWindowRecord(row);
  await setComponents(db, siteId, row.id, componentIds);
  return getWindow(db, siteId, row.id);
}

/** Inserts a window of the site that starts at the database's now(); with `end` null it stays until ended. */
export async function startNow(db: Queryable, siteId: string, input: StartNowInput): Promise<WindowRecord> {
  const afterMs = input.end && 'afterMs' in input.end ? input.end.afterMs : null;
  const at = input.end && 'at' in input.end ? input.end.at.toISOString() : null;
  try {
    await checkComponents(db, siteId, input.componentIds ?? []);
    const { rows } = await db.query<WindowRecordRow>(
      `INSERT INTO windows (title, message, mode, response, path_prefixes, hosts, kind, verify_upstream, starts_at, ends_at, site_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(),
               coalesce(now() + $9::double precision * interval '1 millisecond', $10::timestamptz), $11::bigint)
       RETURNING ${RECORD_COLUMNS}`,
      [...detailParams(input), afterMs, at, siteId],
    );
    return await withComponents(db, siteId, rows[0]!, input.componentIds);
  } catch (err) {
    throw fromDatabaseError(err, 'starting maintenance');
  }
}

/** Ends every window of the site in force now, whatever its scope; returns the windows it ended (none: []). */
export async function endNow(db: Queryable, siteId: string): Promise<WindowRecord[]> {
  try {
    const { rows } = await db.query<WindowRecordRow>(
      // One past its end while waiting for its check is completed: whoever ends everything has checked.
      `UPDATE windows SET ended_at = CASE WHEN ${EFFECTIVE_END_SQL} > now() THEN now() ELSE ended_at END,
                          lifecycle = CASE WHEN ${EFFECTIVE_END_SQL} > now() THEN lifecycle ELSE 'completed' END,
                          completed_at = CASE WHEN ${EFFECTIVE_END_SQL} > now() THEN completed_at ELSE now() END,
                          updated_at = now()
       WHERE site_id = $1::bigint AND starts_at <= now() AND ${CURRENT_SQL}
       RETURNING ${RECORD_COLUMNS}`,
      [siteId],
    );
    return rows.map(toWindowRecord).sort((a, b) => a.startsAt - b.startsAt || Number(a.id) - Number(b.id));
  } catch (err) {
    throw fromDatabaseError(err, 'ending maintenance');
  }
}

/** Inserts a window of the site for later; refused when startsAt is not after the database's now(). */
export async function schedule(db: Queryable, siteId: string, input: ScheduleInput): Promise<WindowRecord> {
  try {
    await checkComponents(db, siteId, input.componentIds ?? []);
    // The condition is checked by the database's clock, so a skewed client clock cannot slip a past start in.
    const { rows } = await db.query<WindowRecordRow>(
      `INSERT INTO windows (title, message, mode, response, path_prefixes, hosts, kind, verify_upstream, starts_at, ends_at, site_id)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, $9::timestamptz + $10::double precision * interval '1 millisecond', $11::bigint
       WHERE $9::timestamptz > now()
       RETURNING ${RECORD_COLUMNS}`,
      [...detailParams(input), input.startsAt.toISOString(), input.durationMs, siteId],
    );
    if (!rows[0]) {
      throw new ValidationError(`starts_at ${input.startsAt.toISOString()} is in the past by the database's clock: give a later time`, 'starts_at');
    }
    return await withComponents(db, siteId, rows[0], input.componentIds);
  } catch (err) {
    throw fromDatabaseError(err, 'scheduling maintenance');
  }
}

/** One window of the site by id, whatever its state; NotFoundError when there is none (or it is another site's). */
export async function getWindow(db: Queryable, siteId: string, id: string): Promise<WindowRecord> {
  let rows: WindowRecordRow[];
  try {
    ({ rows } = await db.query<WindowRecordRow>(`SELECT ${RECORD_COLUMNS} FROM windows WHERE id = $1::bigint AND site_id = $2::bigint`, [id, siteId]));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the window');
  }
  if (!rows[0]) throw new NotFoundError(`there is no window #${id}`);
  return toWindowRecord(rows[0]);
}

export interface ListOptions {
  /** current_and_upcoming: in force or still to come, by start; past: over or cancelled, latest end first. */
  scope: 'current_and_upcoming' | 'past';
  limit?: number;
}

/** The site's windows for a listing; cancelled ones count as past, since they will never hold traffic. */
export async function listWindows(db: Queryable, siteId: string, { scope, limit = LIST_LIMIT }: ListOptions): Promise<WindowRecord[]> {
  const current = `${CURRENT_SQL} AND ${NOT_CANCELLED_SQL}`;
  const sql =
    scope === 'past'
      ? `SELECT ${RECORD_COLUMNS} FROM windows WHERE site_id = $2::bigint AND NOT (${current}) ORDER BY ${EFFECTIVE_END_SQL} DESC, id DESC LIMIT $1`
      : `SELECT ${RECORD_COLUMNS} FROM windows WHERE site_id = $2::bigint AND ${current} ORDER BY starts_at, id LIMIT $1`;
  try {
    const { rows } = await db.query<WindowRecordRow>(sql, [Math.min(Math.max(1, limit), LIST_LIMIT), siteId]);
    return rows.map(toWindowRecord);
  } catch (err) {
    throw fromDatabaseError(err, 'reading maintenance windows');
  }
}

/** The site's windows in force now and those still to come, each ordered by start, judged at one database now(). */
export async function listCurrentAndUpcoming(pool: Pool, siteId: string): Promise<CurrentAndUpcoming> {
  try {
    // One transaction, so now() is the same instant for the query and for the split below.
    return await transaction(pool, async function readWindows(client) {
      const clock = await client.query<{ now: Date }>('SELECT now() AS now');
      const { rows } = await client.query<WindowRow>(
        `SELECT ${WINDOW_COLUMNS} FROM windows
         WHERE site_id = $1::bigint AND ${CURRENT_SQL}
         ORDER BY starts_at, id
         LIMIT ${LIST_LIMIT}`,
        [siteId],
      );
      const now = clock.rows[0]!.now.getTime();
      const windows = rows.map(toWindow);
      return {
        now,
        inForce: windows.filter((window) => isInForce(window, now)),
        upcoming: windows.filter((window) => window.startsAt > now),
      };
    });
  } catch (err) {
    throw fromDatabaseError(err, 'reading maintenance windows');
  }
}
