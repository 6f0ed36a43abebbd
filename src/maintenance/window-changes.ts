// Changes to a window that exists: extend it, end it, cancel it, edit it, and find the windows it
// overlaps. Each locks the row and judges its state by the database's clock, in the caller's
// transaction, so two SREs acting at once cannot both end or both extend from a stale view. Each
// acts in one site: another site's window is not found.

import type { Queryable } from '../audit/write-as.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { effectiveEnd } from '../snapshot/types.js';
import { formatDuration, MAX_WINDOW_MS } from './input.js';
import { setComponents } from './window-components.js';
import {
  EFFECTIVE_END_SQL,
  getWindow,
  NOT_CANCELLED_SQL,
  RECORD_COLUMNS,
  toWindowRecord,
  windowState,
  type WindowKind,
  type WindowRecord,
  type WindowRecordRow,
  type WindowState,
} from './windows.js';

/** Extend by a duration from the current end, or set a new end time. */
export type Extension = { byMs: number } | { until: Date };

export interface WindowChanges {
  title?: string;
  message?: string;
  kind?: WindowKind;
  mode?: WindowRecord['mode'];
  response?: WindowRecord['response'];
  pathPrefixes?: string[];
  hosts?: string[];
  componentIds?: string[];
  verifyUpstream?: boolean;
  /** Upcoming windows only; the duration is kept unless durationMs or endsAt is given. */
  startsAt?: Date;
  /** Upcoming windows only. */
  durationMs?: number;
  endsAt?: Date;
}

// What may change while a window holds traffic: what customers read, where and how it holds, and when it ends.
const IN_FORCE_FIXED = ['kind', 'response', 'componentIds', 'startsAt', 'durationMs'] as const;

interface Locked {
  window: WindowRecord;
  state: WindowState;
  now: number;
}

async function lockWindow(db: Queryable, siteId: string, id: string): Promise<Locked> {
  const { rows } = await db.query<WindowRecordRow & { db_now: Date }>(
    `SELECT ${RECORD_COLUMNS}, now() AS db_now FROM windows WHERE id = $1::bigint AND site_id = $2::bigint FOR UPDATE`,
    [id, siteId],
  );
  if (!rows[0]) throw new NotFoundError(`there is no window #${id}`);
  const window = toWindowRecord(rows[0]);
  const now = rows[0].db_now.getTime();
  return { window, state: windowState(window, now), now };
}

function refuseFinished({ window, state }: Locked, doing: string): void {
  if (state === 'over') throw new ConflictError(`window #${window.id} is already over, so it cannot be ${doing}: start or schedule a new one`);
  if (state === 'cancelled') throw new ConflictError(`window #${window.id} was cancelled, so it cannot be ${doing}: schedule a new one`);
}

/** A new end must leave the window in force for a while, after its start, and within the longest window. */
function checkEnd(window: WindowRecord, startsAt: number, end: number, now: number, field: string): void {
  const at = new Date(end).toISOString();
  if (end <= now) throw new ValidationError(`${field}: the new end ${at} is in the past: give a time after now`, field);
  if (end <= startsAt) throw new ValidationError(`${field}: the end ${at} is not after the start ${new Date(startsAt).toISOString()}`, field);
  if (end - startsAt > MAX_WINDOW_MS) {
    throw new ValidationError(`${field}: window #${window.id} would last more than ${formatDuration(MAX_WINDOW_MS)}: choose an earlier end`, field);
  }
}

// Every change by hand detaches an occurrence from its series: editing the series then leaves it
// as it was made (an edit kept, a skip not undone), while its slot stays taken (see series.ts).
// Called on a window lockWindow found in its site.
async function update(db: Queryable, id: string, sets: string, params: unknown[]): Promise<WindowRecord> {
  const { rows } = await db.query<WindowRecordRow>(
    `UPDATE windows SET ${sets}, detached = detached OR series_id IS NOT NULL, updated_at = now() WHERE id = $1::bigint RETURNING ${RECORD_COLUMNS}`,
    [id, ...params],
  );
  return toWindowRecord(rows[0]!);
}

/**
 * Moves the end of a window in force or upcoming. `byMs` needs an end to add to: an open-ended
 * window is refused with a 409 that says to set an end time (`until`) instead.
 */
export async function extendWindow(db: Queryable, siteId: string, id: string, extension: Extension): Promise<WindowRecord> {
  const locked = await lockWindow(db, siteId, id);
  refuseFinished(locked, 'extended');
  const { window, now } = locked;
  let end: number;
  if ('byMs' in extension) {
    if (window.endsAt === null) throw new ConflictError(`window #${id} has no end: set an end time (until) rather than extending it`);
    end = window.endsAt + extension.byMs;
  } else {
    end = extension.until.getTime();
  }
  checkEnd(window, window.startsAt, end, now, 'byMs' in extension ? 'by' : 'until');
  // A window waiting for its check gets more work time: it is in progress again until its new end.
  return update(db, id, "ends_at = $2::timestamptz, lifecycle = CASE WHEN lifecycle = 'verifying' THEN 'in_progress' ELSE lifecycle END", [new Date(end).toISOString()]);
}

/**
 * Ends a window in force now; the planned end stays on record. One past its end that waits for the
 * application to pass a check is completed without waiting: the person ending it has checked.
 */
export async function endWindow(db: Queryable, siteId: string, id: string): Promise<WindowRecord> {
  const locked = await lockWindow(db, siteId, id);
  refuseFinished(locked, 'ended');
  if (locked.state === 'upcoming') throw new ConflictError(`window #${id} has not started yet: cancel it instead`);
  const end = effectiveEnd(locked.window);
  if (end !== null && end <= locked.now) return update(db, id, "lifecycle = 'completed', completed_at = now()", []);
  return update(db, id, 'ended_at = now()', []);
}

/** Calls off a window that has not started: ended at its start, which every reader treats as cancelled. */
export async function cancelWindow(db: Queryable, siteId: string, id: string): Promise<WindowRecord> {
  const locked = await lockWindow(db, siteId, id);
  refuseFinished(locked, 'cancelled');
  if (locked.state === 'in_force') throw new ConflictError(`window #${id} is in force: end it instead of cancelling it`);
  return update(db, id, 'ended_at = starts_at', []);
}

function differs(window: WindowRecord, changes: WindowChanges, key: (typeof IN_FORCE_FIXED)[number]): boolean {
  switch (key) {
    case 'kind':
    case 'response':
      return changes[key] !== undefined && changes[key] !== window[key];
    case 'componentIds':
      return changes.componentIds !== undefined && [...changes.componentIds].sort().join() !== [...window.componentIds].sort().join();
    case 'startsAt':
      return changes.startsAt !== undefined && changes.startsAt.getTime() !== window.startsAt;
    case 'durationMs':
      return changes.durationMs !== undefined;
  }
}

const FIELD_NAMES: Record<(typeof IN_FORCE_FIXED)[number], string> = {
  kind: 'kind',
  response: 'response',
  componentIds: 'component_ids',
  startsAt: 'starts_at',
  durationMs: 'duration',
};

/** The new start and end of an upcoming window: moving the start keeps its duration unless told otherwise. */
function upcomingTimes(window: WindowRecord, changes: WindowChanges, now: number): { start: number; end: number | null } {
  const start = changes.startsAt?.getTime() ?? window.startsAt;
  if (changes.startsAt && start <= now) {
    throw new ValidationError(`starts_at ${changes.startsAt.toISOString()} is in the past: give a later time`, 'starts_at');
  }
  if (changes.endsAt) return { start, end: changes.endsAt.getTime() };
  if (changes.durationMs !== undefined) return { start, end: start + changes.durationMs };
  return { start, end: window.endsAt === null ? null : start + (window.endsAt - window.startsAt) };
}

/**
 * Edits a window. Upcoming: everything, start and duration included. In force: only its title,
 * message, scope, mode and end; asking to change anything else is a 409. Over: nothing.
 */
export async function updateWindow(db: Queryable, siteId: string, id: string, changes: WindowChanges): Promise<WindowRecord> {
  const locked = await lockWindow(db, siteId, id);
  refuseFinished(locked, 'changed');
  const { window, state, now } = locked;
  let start = window.startsAt;
  let end = window.endsAt;
  if (state === 'in_force') {
    const fixed = IN_FORCE_FIXED.filter((key) => differs(window, changes, key)).map((key) => FIELD_NAMES[key]);
    if (fixed.length > 0) {
      throw new ConflictError(
        `window #${id} is in force, so its ${fixed.join(', ')} cannot change (only its title, message, scope, mode and end can): end it and start a new one instead`,
      );
    }
    if (changes.endsAt) end = changes.endsAt.getTime();
  } else {
    ({ start, end } = upcomingTimes(window, changes, now));
  }
  if (end !== null && (end !== window.endsAt || start !== window.startsAt)) {
    checkEnd(window, start, end, now, changes.endsAt ? 'ends_at' : changes.durationMs !== undefined ? 'duration' : 'starts_at');
  }
  await update(
    db,
    id,
    `title = $2, message = $3, kind = $4, mode = $5, response = $6, path_prefixes = $7, hosts = $8,
     starts_at = $9::timestamptz, ends_at = $10::timestamptz, verify_upstream = $11`,
    [
      changes.title ?? window.title,
      changes.message ?? window.message,
      changes.kind ?? window.kind,
      changes.mode ?? window.mode,
      changes.response ?? window.response,
      changes.pathPrefixes ?? window.pathPrefixes,
      changes.hosts ?? window.hosts,
      new Date(start).toISOString(),
      end === null ? null : new Date(end).toISOString(),
      changes.verifyUpstream ?? window.verifyUpstream,
    ],
  );
  if (changes.componentIds && differs(window, changes, 'componentIds')) await setComponents(db, siteId, id, changes.componentIds);
  return getWindow(db, siteId, id);
}

/**
 * Other windows of the site, neither cancelled nor over, whose time overlaps this one's: worth a
 * warning (two windows may well overlap on purpose, e.g. on different paths), never a refusal.
 * Another site's windows hold another application's traffic, so they are no concern here.
 */
export async function overlapping(db: Queryable, siteId: string, window: WindowRecord): Promise<WindowRecord[]> {
  const end = effectiveEnd(window);
  const { rows } = await db.query<WindowRecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM windows
     WHERE id <> $1::bigint AND site_id = $4::bigint
       AND ${NOT_CANCELLED_SQL}
       AND ${EFFECTIVE_END_SQL} > now()
       AND starts_at < coalesce($3::timestamptz, 'infinity')
       AND ${EFFECTIVE_END_SQL} > $2::timestamptz
     ORDER BY starts_at, id
     LIMIT 20`,
    [window.id, new Date(window.startsAt).toISOString(), end === null ? null : new Date(end).toISOString(), siteId],
  );
  return rows.map(toWindowRecord);
}
