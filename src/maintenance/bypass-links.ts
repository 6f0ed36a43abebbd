// The SQL of bypass links: a row that can be revoked, and the signed token that names it.
// The gateway's /_gateway/bypass route turns the token into a cookie. A link belongs to a site and
// opens that site's application only; every function here acts in one site.

import type { Queryable } from '../audit/write-as.js';
import { BYPASS_SECRET } from '../db/prepare.js';
import { ensureSecret } from '../db/secrets.js';
import { signBypassToken } from '../decide/bypass-token.js';
import { ConflictError, fromDatabaseError, NotFoundError } from '../errors.js';

export interface NewBypassLink {
  /** How long the link works, from the database's now(); validated by the caller (at most 30 days). */
  durationMs: number;
  note: string;
  /** The paths it opens, validated by the caller; empty or absent: every path. */
  pathPrefixes?: string[];
}

/** A link as listings show it; the token is never stored, so it is only known at creation. */
export interface BypassLinkRecord {
  id: string;
  note: string;
  /** Empty: every path. */
  pathPrefixes: string[];
  /** Epoch ms. */
  expiresAt: number;
  revokedAt: number | null;
  createdBy: string;
  createdAt: number;
}

export interface BypassLink extends BypassLinkRecord {
  /** What goes in ?token= of /_gateway/bypass. */
  token: string;
}

export type BypassLinkState = 'active' | 'expired' | 'revoked';

interface LinkRow {
  id: string;
  note: string;
  path_prefixes: string[];
  expires_at: Date;
  revoked_at: Date | null;
  created_by: string;
  created_at: Date;
}

const COLUMNS = 'id::text, note, path_prefixes, expires_at, revoked_at, created_by, created_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A listing is for people: the links that still work, then the most recent of the rest.
const LIST_LIMIT = 200;

function toLink(row: LinkRow): BypassLinkRecord {
  return {
    id: row.id,
    note: row.note,
    pathPrefixes: row.path_prefixes,
    expiresAt: row.expires_at.getTime(),
    revokedAt: row.revoked_at?.getTime() ?? null,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
  };
}

export function bypassLinkState(link: BypassLinkRecord, now: number): BypassLinkState {
  if (link.revokedAt !== null) return 'revoked';
  return link.expiresAt <= now ? 'expired' : 'active';
}

export function isBypassLinkId(raw: unknown): raw is string {
  return typeof raw === 'string' && UUID.test(raw);
}

/** <base>/_gateway/bypass?token=…, keeping a path prefix the gateway may be published under. */
export function bypassUrl(base: URL, token: string): string {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/_gateway/bypass`;
  url.search = '';
  url.hash = '';
  url.searchParams.set('token', token);
  return url.href;
}

export async function createBypassLink(db: Queryable, siteId: string, input: NewBypassLink): Promise<BypassLink> {
  try {
    const { rows } = await db.query<LinkRow>(
      `INSERT INTO bypass_links (note, path_prefixes, expires_at, site_id)
       VALUES ($1, $2, now() + $3::double precision * interval '1 millisecond', $4::bigint)
       RETURNING ${COLUMNS}`,
      [input.note, input.pathPrefixes ?? [], input.durationMs, siteId],
    );
    const link = toLink(rows[0]!);
    const secret = await ensureSecret(db, BYPASS_SECRET);
    // expires_at holds microseconds; the token's millisecond never outlives the row.
    return { ...link, token: signBypassToken(secret, { linkId: link.id, expiresAt: link.expiresAt }) };
  } catch (err) {
    throw fromDatabaseError(err, 'creating a bypass link');
  }
}

/** The site's links that still work (soonest to expire first), then the others, latest first. */
export async function listBypassLinks(db: Queryable, siteId: string, limit = LIST_LIMIT): Promise<BypassLinkRecord[]> {
  try {
    const { rows } = await db.query<LinkRow>(
      `SELECT ${COLUMNS} FROM bypass_links WHERE site_id = $2::bigint
       ORDER BY (revoked_at IS NULL AND expires_at > now()) DESC,
                CASE WHEN revoked_at IS NULL AND expires_at > now() THEN expires_at END,
                coalesce(revoked_at, expires_at) DESC, created_at DESC
       LIMIT $1`,
      [limit, siteId],
    );
    return rows.map(toLink);
  } catch (err) {
    throw fromDatabaseError(err, 'listing bypass links');
  }
}

/** One link of the site by id; NotFoundError when there is none (another site's, or the id is not a uuid). */
export async function getBypassLink(db: Queryable, siteId: string, id: string, { forUpdate = false } = {}): Promise<BypassLinkRecord> {
  if (!isBypassLinkId(id)) throw new NotFoundError(`there is no bypass link ${JSON.stringify(String(id).slice(0, 40))}`);
  let rows: LinkRow[];
  try {
    ({ rows } = await db.query<LinkRow>(`SELECT ${COLUMNS} FROM bypass_links WHERE id = $1 AND site_id = $2::bigint${forUpdate ? ' FOR UPDATE' : ''}`, [id, siteId]));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the bypass link');
  }
  if (!rows[0]) throw new NotFoundError(`there is no bypass link ${id}`);
  return toLink(rows[0]);
}

/** Stops a link from working, on every gateway within a second (the snapshot reloads on the change). */
export async function revokeBypassLink(db: Queryable, siteId: string, id: string): Promise<BypassLinkRecord> {
  const link = await getBypassLink(db, siteId, id, { forUpdate: true });
  if (link.revokedAt !== null) {
    throw new ConflictError(`bypass link ${id} was already revoked at ${new Date(link.revokedAt).toISOString()}`);
  }
  try {
    const { rows } = await db.query<LinkRow>(`UPDATE bypass_links SET revoked_at = now() WHERE id = $1 AND site_id = $2::bigint RETURNING ${COLUMNS}`, [id, siteId]);
    return toLink(rows[0]!);
  } catch (err) {
    throw fromDatabaseError(err, 'revoking the bypass link');
  }
}
