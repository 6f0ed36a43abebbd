// The SQL of maintenance windows: start one now, end those in force, schedule one, list what is
// in force and coming. Inputs arrive validated (see input.ts); "now" is always the database's.

import type { Queryable } from '../audit/write-as.js';
import type { Pool } from '../db/pool.js';
import { transaction } from '../db/pool.js';
import { fromDatabaseError, ValidationError } from '../errors.js';
import { isInForce, type MaintenanceWindow } from '../snapshot/types.js';

export interface WindowDetails {
  title: string;
  message: string;
  mode: MaintenanceWindow['mode'];
  response: MaintenanceWindow['response'];
  /** Empty: every path. */
  pathPrefixes: string[];
  /** Empty: every host. */
  hosts: string[];
}

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
}

/** The columns toWindow reads, for every query that returns windows. */
export const WINDOW_COLUMNS = `id::text, title, message, starts_at, ends_at, ended_at, mode, response, path_prefixes, hosts,
  ARRAY(SELECT wc.component_id::text FROM window_components wc WHERE wc.window_id = windows.id ORDER BY 1) AS component_ids`;

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
  };
}

// created_by is left to its column default, intermission_actor(): whoever writeAs() named.
function detailParams(input: WindowDetails): unknown[] {
  return [input.title, input.message, input.mode, input.response, input.pathPrefixes, input.hosts];
}

/** Inserts a window that starts at the database's now(); with `end` null it stays until ended. */
export async function startNow(db: Queryable, input: StartNowInput): Promise<MaintenanceWindow> {
  const afterMs = input.end && 'afterMs' in input.end ? input.end.afterMs : null;
  const at = input.end && 'at' in input.end ? input.end.at.toISOString() : null;
  try {
    const { rows } = await db.query<WindowRow>(
      `INSERT INTO windows (title, message, mode, response, path_prefixes, hosts, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(),
               coalesce(now() + $7::double precision * interval '1 millisecond', $8::timestamptz))
       RETURNING ${WINDOW_COLUMNS}`,
      [...detailParams(input), afterMs, at],
    );
    return toWindow(rows[0]!);
  } catch (err) {
    throw fromDatabaseError(err, 'starting maintenance');
  }
}

/** Ends every window in force now, whatever its scope; returns the windows it ended (none: []). */
export async function endNow(db: Queryable): Promise<MaintenanceWindow[]> {
  try {
    const { rows } = await db.query<WindowRow>(
      `UPDATE windows SET ended_at = now(), updated_at = now()
       WHERE starts_at <= now()
         AND coalesce(ended_at, 'infinity') > now()
         AND coalesce(ends_at, 'infinity') > now()
       RETURNING ${WINDOW_COLUMNS}`,
    );
    return rows.map(toWindow).sort((a, b) => a.startsAt - b.startsAt || Number(a.id) - Number(b.id));
  } catch (err) {
    throw fromDatabaseError(err, 'ending maintenance');
  }
}

/** Inserts a window for later; refused when startsAt is not after the database's now(). */
export async function schedule(db: Queryable, input: ScheduleInput): Promise<MaintenanceWindow> {
  let rows: WindowRow[];
  try {
    // The condition is checked by the database's clock, so a skewed client clock cannot slip a past start in.
    ({ rows } = await db.query<WindowRow>(
      `INSERT INTO windows (title, message, mode, response, path_prefixes, hosts, starts_at, ends_at)
       SELECT $1, $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz + $8::double precision * interval '1 millisecond'
       WHERE $7::timestamptz > now()
       RETURNING ${WINDOW_COLUMNS}`,
      [...detailParams(input), input.startsAt.toISOString(), input.durationMs],
    ));
  } catch (err) {
    throw fromDatabaseError(err, 'scheduling maintenance');
  }
  if (!rows[0]) {
    throw new ValidationError(`the start ${input.startsAt.toISOString()} is not in the future by the database's clock`, 'startsAt');
  }
  return toWindow(rows[0]);
}

/** Windows in force now and those still to come, each ordered by start, judged at one database now(). */
export async function listCurrentAndUpcoming(pool: Pool): Promise<CurrentAndUpcoming> {
  try {
    // One transaction, so now() is the same instant for the query and for the split below.
    return await transaction(pool, async function readWindows(client) {
      const clock = await client.query<{ now: Date }>('SELECT now() AS now');
      const { rows } = await client.query<WindowRow>(
        `SELECT ${WINDOW_COLUMNS} FROM windows
         WHERE least(coalesce(ended_at, 'infinity'), coalesce(ends_at, 'infinity')) > now()
         ORDER BY starts_at, id
         LIMIT ${LIST_LIMIT}`,
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
