// The SQL of recurring series (window_series) and of their occurrences: concrete windows expanded
// ahead over a horizon, so the request path only ever sees windows. Expansion is idempotent: an
// occurrence keeps the slot it was made for (series_id, occurrence_at), and a slot taken is never
// filled twice. Occurrences changed by hand are `detached` (window-changes.ts): regenerating a
// series after an edit replaces only the occurrences that are neither detached nor started.
// A series belongs to a site, and so do its occurrences and the components they name.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError, NotFoundError } from '../errors.js';
import { occurrences, type Recurrence } from '../schedule/recurrence.js';
import { checkComponents } from './window-components.js';
import { EFFECTIVE_END_SQL, RECORD_COLUMNS, toWindowRecord, type WindowDetails, type WindowKind, type WindowRecord, type WindowRecordRow } from './windows.js';

const DAY_MS = 24 * 60 * 60 * 1000;
// The longest occurrence the table allows (window_series.duration's CHECK), checked first for a better message.
export const MAX_SERIES_DURATION_MS = 7 * DAY_MS;
// A list of series is for people; more than this is a different problem.
const LIST_LIMIT = 200;
const OCCURRENCES_LIMIT = 50;

/** A series: a recurrence and the details each occurrence gets, every one of them set. */
export type SeriesInput = Recurrence & Required<WindowDetails>;

export interface SeriesRecord extends SeriesInput {
  id: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export type SeriesChanges = Partial<SeriesInput>;

/** What a create or an edit did to the occurrences. */
export interface SeriesResult {
  series: SeriesRecord;
  /** Occurrences inserted by the expansion. */
  created: number;
  /** Upcoming occurrences removed to be regenerated (an edit) or for good (a delete). */
  removed: number;
}

export interface Expansion {
  created: number;
  /** Series whose stored rule cannot be read (written by hand in SQL, say): skipped, the others still expanded. */
  failed: { seriesId: string; error: string }[];
}

interface SeriesRow {
  id: string;
  title: string;
  message: string;
  kind: WindowKind;
  mode: SeriesRecord['mode'];
  response: SeriesRecord['response'];
  path_prefixes: string[];
  hosts: string[];
  component_ids: string[];
  cron: string;
  time_zone: string;
  duration_ms: number;
  ends_on: string | null;
  verify_upstream: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const SERIES_COLUMNS = `id::text, title, message, kind, mode, response, path_prefixes, hosts, component_ids::text[] AS component_ids,
  cron, time_zone, (extract(epoch FROM duration) * 1000)::float8 AS duration_ms, ends_on::text AS ends_on, verify_upstream,
  created_by, created_at, updated_at`;

// Occurrences of series $1 (found in its site first) that have not started and were not changed by
// hand: the ones an edit regenerates.
const REPLACEABLE_SQL = 'series_id = $1::bigint AND NOT detached AND starts_at > now()';

// Inserts the occurrences at the instants $2 as windows with the series' details, and their
// components (those of its site that still exist), all in the series' site; a slot already taken,
// detached or not, is left alone.
const INSERT_OCCURRENCES_SQL = `
  WITH s AS (SELECT * FROM window_series WHERE id = $1::bigint),
  inserted AS (
    INSERT INTO windows (title, message, kind, mode, response, path_prefixes, hosts, verify_upstream, created_by,
                         series_id, occurrence_at, starts_at, ends_at, site_id)
    SELECT s.title, s.message, s.kind, s.mode, s.response, s.path_prefixes, s.hosts, s.verify_upstream, s.created_by,
           s.id, t.at, t.at, t.at + s.duration, s.site_id
    FROM s CROSS JOIN unnest($2::timestamptz[]) AS t (at)
    ON CONFLICT (series_id, occurrence_at) DO NOTHING
    RETURNING id
  ),
  linked AS (
    INSERT INTO window_components (window_id, component_id)
    SELECT inserted.id, c.id FROM inserted CROSS JOIN s JOIN components c ON c.id = ANY (s.component_ids) AND c.site_id = s.site_id
  )
  SELECT count(*)::int AS created FROM inserted`;

function toSeries(row: SeriesRow): SeriesRecord {
  return {
    id: row.id,
    title: row.title,
    message: row.message,
    kind: row.kind,
    mode: row.mode,
    response: row.response,
    pathPrefixes: row.path_prefixes,
    hosts: row.hosts,
    componentIds: row.component_ids,
    cron: row.cron,
    timeZone: row.time_zone,
    durationMs: row.duration_ms,
    endsOn: row.ends_on,
    verifyUpstream: row.verify_upstream,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

function seriesParams(s: SeriesInput): unknown[] {
  return [s.title, s.message, s.kind, s.mode, s.response, s.pathPrefixes, s.hosts, s.componentIds, s.cron, s.timeZone, s.durationMs, s.endsOn, s.verifyUpstream];
}

async function insertOccurrences(db: Queryable, seriesId: string, starts: readonly number[]): Promise<number> {
  if (starts.length === 0) return 0;
  const { rows } = await db.query<{ created: number }>(INSERT_OCCURRENCES_SQL, [seriesId, starts.map((ms) => new Date(ms).toISOString())]);
  return rows[0]!.created;
}

/**
 * Expands every series of every site (or the one given) into windows over [now, now + horizonDays),
 * now being the database's; each occurrence is in its series' site. Each series is locked while it
 * expands, so an edit committed meanwhile is either seen whole or waits, and never leaves
 * occurrences of its old rule behind. Callers give a seriesId they found in their site.
 */
export async function expandSeries(db: Queryable, horizonDays: number, seriesId?: string): Promise<Expansion> {
  try {
    const { rows } = await db.query<SeriesRow & { db_now: Date }>(
      `SELECT ${SERIES_COLUMNS}, now() AS db_now FROM window_series WHERE $1::bigint IS NULL OR id = $1::bigint ORDER BY id FOR SHARE`,
      [seriesId ?? null],
    );
    const expansion: Expansion = { created: 0, failed: [] };
    for (const row of rows) {
      const from = row.db_now.getTime();
      let starts: number[];
      try {
        starts = occurrences(toSeries(row), from, from + horizonDays * DAY_MS);
      } catch (err) {
        expansion.failed.push({ seriesId: row.id, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      expansion.created += await insertOccurrences(db, row.id, starts);
    }
    return expansion;
  } catch (err) {
    throw fromDatabaseError(err, 'expanding recurring series');
  }
}

/** Inserts a series in the site and expands it at once, in the caller's transaction. */
export async function createSeries(db: Queryable, siteId: string, input: SeriesInput, horizonDays: number): Promise<SeriesResult> {
  try {
    await checkComponents(db, siteId, input.componentIds);
    const { rows } = await db.query<SeriesRow>(
      `INSERT INTO window_series (title, message, kind, mode, response, path_prefixes, hosts, component_ids,
                                  cron, time_zone, duration, ends_on, verify_upstream, site_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint[], $9, $10, $11::double precision * interval '1 millisecond', $12::date, $13, $14::bigint)
       RETURNING ${SERIES_COLUMNS}`,
      [...seriesParams(input), siteId],
    );
    const series = toSeries(rows[0]!);
    const { created } = await expandSeries(db, horizonDays, series.id);
    return { series, created, removed: 0 };
  } catch (err) {
    throw fromDatabaseError(err, 'creating the series');
  }
}

async function lockSeries(db: Queryable, siteId: string, id: string): Promise<SeriesRecord> {
  const { rows } = await db.query<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM window_series WHERE id = $1::bigint AND site_id = $2::bigint FOR UPDATE`, [id, siteId]);
  if (!rows[0]) throw new NotFoundError(`there is no series #${id}`);
  return toSeries(rows[0]);
}

/**
 * Changes a series (the fields given) and regenerates its upcoming occurrences that were not
 * changed by hand; those in force, over, edited or skipped stay as they are.
 */
export async function updateSeries(db: Queryable, siteId: string, id: string, changes: SeriesChanges, horizonDays: number): Promise<SeriesResult> {
  try {
    const current = await lockSeries(db, siteId, id);
    const next: SeriesInput = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) };
    if (changes.componentIds) await checkComponents(db, siteId, next.componentIds);
    const { rows } = await db.query<SeriesRow>(
      `UPDATE window_series SET title = $2, message = $3, kind = $4, mode = $5, response = $6, path_prefixes = $7, hosts = $8,
         component_ids = $9::bigint[], cron = $10, time_zone = $11, duration = $12::double precision * interval '1 millisecond',
         ends_on = $13::date, verify_upstream = $14, updated_at = now()
       WHERE id = $1::bigint RETURNING ${SERIES_COLUMNS}`,
      [id, ...seriesParams(next)],
    );
    const removed = await db.query(`DELETE FROM windows WHERE ${REPLACEABLE_SQL}`, [id]);
    const { created } = await expandSeries(db, horizonDays, id);
    return { series: toSeries(rows[0]!), created, removed: removed.rowCount ?? 0 };
  } catch (err) {
    throw fromDatabaseError(err, 'changing the series');
  }
}

/**
 * Deletes a series with its upcoming occurrences that were not changed by hand. The rest (over,
 * in force, edited or skipped) stay as plain windows: the foreign key sets their series_id NULL.
 */
export async function deleteSeries(db: Queryable, siteId: string, id: string): Promise<SeriesResult> {
  try {
    const series = await lockSeries(db, siteId, id);
    const removed = await db.query(`DELETE FROM windows WHERE ${REPLACEABLE_SQL}`, [id]);
    await db.query('DELETE FROM window_series WHERE id = $1::bigint', [id]);
    return { series, created: 0, removed: removed.rowCount ?? 0 };
  } catch (err) {
    throw fromDatabaseError(err, 'deleting the series');
  }
}

/** One series of the site by id; NotFoundError when there is none (or it is another site's). */
export async function getSeries(db: Queryable, siteId: string, id: string): Promise<SeriesRecord> {
  let rows: SeriesRow[];
  try {
    ({ rows } = await db.query<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM window_series WHERE id = $1::bigint AND site_id = $2::bigint`, [id, siteId]));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the series');
  }
  if (!rows[0]) throw new NotFoundError(`there is no series #${id}`);
  return toSeries(rows[0]);
}

export async function listSeries(db: Queryable, siteId: string): Promise<SeriesRecord[]> {
  try {
    const { rows } = await db.query<SeriesRow>(
      `SELECT ${SERIES_COLUMNS} FROM window_series WHERE site_id = $1::bigint ORDER BY lower(title), id LIMIT ${LIST_LIMIT}`,
      [siteId],
    );
    return rows.map(toSeries);
  } catch (err) {
    throw fromDatabaseError(err, 'reading recurring series');
  }
}

/** The series' occurrences in force or still to come (skipped ones included), by start. */
export async function listOccurrences(db: Queryable, siteId: string, seriesId: string): Promise<WindowRecord[]> {
  try {
    const { rows } = await db.query<WindowRecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM windows WHERE series_id = $1::bigint AND site_id = $2::bigint AND (starts_at > now() OR ${EFFECTIVE_END_SQL} > now())
       ORDER BY starts_at, id LIMIT ${OCCURRENCES_LIMIT}`,
      [seriesId, siteId],
    );
    return rows.map(toWindowRecord);
  } catch (err) {
    throw fromDatabaseError(err, 'reading the occurrences of the series');
  }
}
