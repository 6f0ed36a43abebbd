// Reading the audit log (written only by the trigger in migrations/002_admin.sql): newest first,
// one site's entries or every site's, filtered by actor, kind (the table) and action, a page at a
// time with a cursor on the entry id.

import type { Queryable } from './write-as.js';
import { fromDatabaseError } from '../errors.js';

export interface AuditEntry {
  id: string;
  /** Epoch ms: when the transaction that made the change began. */
  at: number;
  /** Who, e.g. "user:alice@example.com", "token:deploy", "cli:ops", "sql:postgres". */
  actor: string;
  /** What, e.g. "window.extend"; plain SQL writes read insert/update/delete. */
  action: string;
  /** The table changed: windows, components, users, ... */
  kind: string;
  objectId: string | null;
  /** The site of the row changed; null for what belongs to no one site (users, global tokens). */
  siteId: string | null;
  /** The row before the change (null for an insert) and after it (null for a delete). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditFilter {
  /** One site's entries; null: every entry, of every site and of none. */
  siteId: string | null;
  actor?: string;
  kind?: string;
  action?: string;
  /** Only entries older than this one: the cursor of the previous page. */
  before?: string;
  limit: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The cursor for the next (older) page, or null when this is the last. */
  nextBefore: string | null;
}

/** The values seen so far, for the filter's choices. */
export interface AuditFacets {
  actors: string[];
  kinds: string[];
  actions: string[];
}

interface Row {
  id: string;
  at: Date;
  actor: string;
  action: string;
  kind: string;
  object_id: string | null;
  site_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

// Ordered by (at, id) so the indexes on (at), (actor, at) and (kind, at) serve every filter; the
// cursor is an id, whose (at, id) the query looks up. One transaction's entries share `at`, and
// id keeps them in the order they were written.
const PAGE_SQL = `
  SELECT id::text, at, actor, action, kind, object_id, site_id::text, before, after
  FROM audit_log
  WHERE ($6::bigint IS NULL OR site_id = $6)
    AND ($1::text IS NULL OR actor = $1)
    AND ($2::text IS NULL OR kind = $2)
    AND ($3::text IS NULL OR action = $3)
    AND ($4::bigint IS NULL OR (at, id) < (SELECT c.at, c.id FROM audit_log c WHERE c.id = $4))
  ORDER BY at DESC, id DESC
  LIMIT $5`;

// A choice list is for people; past this many, typing the value in the API's query is the way.
const FACET_LIMIT = 300;

export async function listAuditEntries(db: Queryable, filter: AuditFilter): Promise<AuditPage> {
  try {
    const { rows } = await db.query<Row>(PAGE_SQL, [filter.actor ?? null, filter.kind ?? null, filter.action ?? null, filter.before ?? null, filter.limit + 1, filter.siteId]);
    const page = rows.slice(0, filter.limit).map(
      (row): AuditEntry => ({
        id: row.id,
        at: row.at.getTime(),
        actor: row.actor,
        action: row.action,
        kind: row.kind,
        objectId: row.object_id,
        siteId: row.site_id,
        before: row.before,
        after: row.after,
      }),
    );
    return { entries: page, nextBefore: rows.length > filter.limit ? page[page.length - 1]!.id : null };
  } catch (err) {
    throw fromDatabaseError(err, 'reading the audit log');
  }
}

/** The choices of one site's entries (siteId), or of every entry (null). */
export async function auditFacets(db: Queryable, siteId: string | null): Promise<AuditFacets> {
  const distinct = async (column: 'actor' | 'kind' | 'action'): Promise<string[]> => {
    const { rows } = await db.query<{ value: string }>(
      `SELECT DISTINCT ${column} AS value FROM audit_log WHERE ($1::bigint IS NULL OR site_id = $1) ORDER BY 1 LIMIT ${FACET_LIMIT}`,
      [siteId],
    );
    return rows.map((row) => row.value);
  };
  try {
    const [actors, kinds, actions] = await Promise.all([distinct('actor'), distinct('kind'), distinct('action')]);
    return { actors, kinds, actions };
  } catch (err) {
    throw fromDatabaseError(err, 'reading the audit log');
  }
}
