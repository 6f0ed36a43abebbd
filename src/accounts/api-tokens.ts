// API tokens for deploy pipelines: shown once at creation, stored as sha256, with a role and an
// optional expiry. Checking a token also records its last use, in the same statement.

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
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  createdBy: string;
  createdAt: number;
}

interface TokenRow {
  id: string; name: string; prefix: string; role: Role; expires_at: Date | null; revoked_at: Date | null;
  last_used_at: Date | null; created_by: string; created_at: Date;
}

const TOKEN_COLUMNS = 'id::text, name, prefix, role, expires_at, revoked_at, last_used_at, created_by, created_at';

function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
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
  input: { name: string; role: Role; expiresInMs: number | null },
): Promise<{ token: ApiToken; secret: string }> {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<TokenRow>(
    `INSERT INTO api_tokens (name, token_hash, prefix, role, expires_at)
     VALUES ($1, $2, $3, $4, now() + $5::double precision * interval '1 millisecond')
     RETURNING ${TOKEN_COLUMNS}`,
    [input.name, hashToken(secret), secret.slice(0, TOKEN_PREFIX.length + 6), input.role, input.expiresInMs],
  );
  return { token: toToken(rows[0]!), secret };
}

export async function listApiTokens(db: Queryable): Promise<ApiToken[]> {
  const { rows } = await db.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY revoked_at NULLS FIRST, created_at DESC`);
  return rows.map(toToken);
}

export async function getApiToken(db: Queryable, id: string): Promise<ApiToken> {
  const { rows } = await db.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = $1::bigint`, [id]);
  if (!rows[0]) throw new NotFoundError(`API token #${id} does not exist`);
  return toToken(rows[0]);
}

export async function revokeApiToken(db: Queryable, id: string): Promise<ApiToken> {
  const { rows } = await db.query<TokenRow>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::bigint RETURNING ${TOKEN_COLUMNS}`,
    [id],
  );
  if (!rows[0]) throw new NotFoundError(`API token #${id} does not exist`);
  return toToken(rows[0]);
}

/** The actor a bearer token stands for, or undefined when it is unknown, revoked or expired. */
export async function authenticateToken(db: Queryable, secret: string): Promise<Actor | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
  const { rows } = await db.query<{ id: string; name: string; role: Role }>(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
     RETURNING id::text, name, role`,
    [hashToken(secret)],
  );
  const row = rows[0];
  return row && { kind: 'token', id: row.id, name: row.name, role: row.role, label: `token:${row.name}` };
}
