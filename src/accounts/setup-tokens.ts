// One-time links for choosing a password: the first admin's setup link (no user yet) and the
// invite an admin makes for a new user. Valid once, expiring, stored as a hash.

import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../audit/write-as.js';

export const SETUP_LINK_TTL_MS = 24 * 3600_000;
export const INVITE_TTL_MS = 7 * 24 * 3600_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new link token for userId (null: the first admin, who does not exist yet). */
export async function createSetupToken(db: Queryable, userId: string | null, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO user_setup_tokens (token_hash, user_id, expires_at)
     VALUES ($1, $2::bigint, now() + $3::double precision * interval '1 millisecond') RETURNING expires_at`,
    [hashToken(token), userId, ttlMs],
  );
  return { token, expiresAt: rows[0]!.expires_at.getTime() };
}

/** An invite for someone who already has a password is a reset: `reset` tells the page to say so. */
export type SetupTarget = { kind: 'first_admin' } | { kind: 'invite'; userId: string; email: string; reset: boolean };

/** What a still-valid token is for, without using it up; undefined when unknown, used or expired. */
export async function peekSetupToken(db: Queryable, token: string): Promise<SetupTarget | undefined> {
  const { rows } = await db.query<{ user_id: string | null; email: string | null; has_password: boolean | null }>(
    `SELECT t.user_id::text, u.email, u.password_hash IS NOT NULL AS has_password
     FROM user_setup_tokens t LEFT JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return undefined;
  return row.user_id === null ? { kind: 'first_admin' } : { kind: 'invite', userId: row.user_id, email: row.email!, reset: row.has_password === true };
}

/** Marks the token used, in the caller's transaction; false if someone used it first. */
export async function useSetupToken(db: Queryable, token: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE user_setup_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()',
    [hashToken(token)],
  );
  return rowCount === 1;
}

/** Unused links of a user stop working: a new invite link replaces the one that may have leaked. */
export async function dropUnusedSetupTokens(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM user_setup_tokens WHERE user_id = $1::bigint AND used_at IS NULL', [userId]);
}

/** When each user's latest unused invite link expires (maybe already), by user id. */
export async function inviteExpiries(db: Queryable): Promise<Map<string, number>> {
  const { rows } = await db.query<{ user_id: string; expires_at: Date }>(
    'SELECT user_id::text, max(expires_at) AS expires_at FROM user_setup_tokens WHERE user_id IS NOT NULL AND used_at IS NULL GROUP BY user_id',
  );
  return new Map(rows.map((row) => [row.user_id, row.expires_at.getTime()]));
}
