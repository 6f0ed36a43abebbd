// API tokens for deploy pipelines: shown once at creation, stored as sha256, with a site and a
// role there (or no site: a global admin's token, admin in every site) and an optional expiry. Checking a token also records its last use, in the same statement.

import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../audit/write-as.js';
import { NotFoundError } from '../errors.js';
import type { Actor, Role } from './roles.js';

// A recognisable prefix lets secret scanners (and people) spot a leaked token.
const TOKEN_PREFIX = 'imt_';

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  /** The site it acts in; null: every site (a global token). */
  siteId: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  createdBy: string;
  createdAt: number;
}

interface TokenRow {
  id: string; name: string; prefix: string; role: Role; site_id: string | null; expires_at: Date | null; revoked_at: Date | null;
  last_used_at: Date | null; created_by: string; created_at: Date;
}

const TOKEN_COLUMNS = 'id::text, name, prefix, role, site_id::text, expires_at, revoked_at, last_used_at, created_by, created_at';

function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    siteId: row.site_id,
    expiresAt: row.expires_at?.getTime() ?? null,
    revokedAt: row.revoked_at?.getTime() ?? null,
    lastUsedAt: row.last_used_at?.getTime() ?? null,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
  };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token; `secret` is the only time its value exists outside the client. */
export async function createApiToken(
  db: Queryable,
  /** siteId null: every site (an admin token); left out: the default site, for scripts and benches. */
  input: { name: string; role: Role; expiresInMs: number | null; siteId?: string | null },
): Promise<{ token: ApiToken; secret: string }> {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  // A global token is an admin's (the table refuses anything else): only a global admin makes one.
  const { rows } = await db.query<TokenRow>(
    `INSERT INTO api_tokens (name, token_hash, prefix, role, expires_at, site_id)
     VALUES ($1, $2, $3, $4, now() + $5::double precision * interval '1 millisecond',
             CASE WHEN $7 THEN (SELECT id FROM sites ORDER BY is_default DESC, id LIMIT 1) ELSE $6::bigint END)
     RETURNING ${TOKEN_COLUMNS}`,
    [input.name, hashToken(secret), secret.slice(0, TOKEN_PREFIX.length + 6), input.siteId === null ? 'admin' : input.role, input.expiresInMs, input.siteId ?? null, input.siteId === undefined],
  );
  return { token: toToken(rows[0]!), secret };
}

/** Which tokens a listing or a change may reach: one site's, and with global, the global ones too. */
export interface TokenScope {
  siteId: string;
  global: boolean;
}

const IN_SCOPE = '(site_id = $1::bigint OR ($2::boolean AND site_id IS NULL))';

export async function listApiTokens(db: Queryable, scope: TokenScope): Promise<ApiToken[]> {
  const { rows } = await db.query<TokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE ${IN_SCOPE} ORDER BY revoked_at NULLS FIRST, created_at DESC`,
    [scope.siteId, scope.global],
  );
  return rows.map(toToken);
}

/** A token in scope; one of another site is NotFound, as if it did not exist. */
export async function getApiToken(db: Queryable, scope: TokenScope, id: string): Promise<ApiToken> {
  const { rows } = await db.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = $3::bigint AND ${IN_SCOPE}`, [scope.siteId, scope.global, id]);
  if (!rows[0]) throw new NotFoundError(`API token #${id} does not exist`);
  return toToken(rows[0]);
}

export async function revokeApiToken(db: Queryable, scope: TokenScope, id: string): Promise<ApiToken> {
  const { rows } = await db.query<TokenRow>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $3::bigint AND ${IN_SCOPE} RETURNING ${TOKEN_COLUMNS}`,
    [scope.siteId, scope.global, id],
  );
  if (!rows[0]) throw new NotFoundError(`API token #${id} does not exist`);
  return toToken(rows[0]);
}

/** The actor a bearer token stands for, or undefined when it is unknown, revoked or expired. */
export async function authenticateToken(db: Queryable, secret: string): Promise<Actor | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
  const { rows } = await db.query<{ id: string; name: string; role: Role; site_id: string | null }>(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
     RETURNING id::text, name, role, site_id::text`,
    [hashToken(secret)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const global = row.site_id === null;
  return {
    kind: 'token',
    id: row.id,
    name: row.name,
    role: row.role,
    globalAdmin: global,
    siteRoles: new Map(global ? [] : [[row.site_id!, row.role]]),
    tokenSiteId: row.site_id,
    label: `token:${row.name}`,
  };
}
