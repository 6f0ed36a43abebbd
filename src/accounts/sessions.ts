// Admin sessions, stored in PostgreSQL so every gateway and worker shares them. The cookie holds
// a random id; the table holds only its sha256, so a leaked table row cannot be used as a cookie.

import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../audit/write-as.js';
import type { Role } from './roles.js';

export const SESSION_COOKIE = 'intermission_session';

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, however busy. */
  maxAgeMs: number;
}

export interface Session {
  idHash: string;
  csrfToken: string;
  expiresAt: number;
  user: {
    id: string; email: string; name: string; timeZone: string | null;
    /** Manages sites and users, and is an admin in every site. */
    globalAdmin: boolean;
    /** Their role in each site they belong to, by site id; read afresh on every request. */
    siteRoles: ReadonlyMap<string, Role>;
  };
}

// Touching last_seen_at on every page view would be a write per click; once a minute is enough.
const TOUCH_AFTER_MS = 60_000;

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Starts a session for the user; returns the cookie value, shown once and never stored. */
export async function createSession(
  db: Queryable,
  userId: string,
  policy: SessionPolicy,
  client: { address: string; userAgent: string },
): Promise<{ id: string; expiresAt: number }> {
  const id = randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, address, user_agent)
     VALUES ($1, $2::bigint, $3, now() + least($4, $5)::double precision * interval '1 millisecond', $6, $7)
     RETURNING expires_at`,
    [hashSessionId(id), userId, randomBytes(32).toString('base64url'), policy.idleTimeoutMs, policy.maxAgeMs, client.address, client.userAgent.slice(0, 500)],
  );
  return { id, expiresAt: rows[0]!.expires_at.getTime() };
}

/**
 * The live session for a cookie value, or undefined when it is unknown, expired, or its user is
 * disabled. Slides the idle expiry forward, never past created_at + maxAgeMs.
 */
export async function loadSession(db: Queryable, id: string, policy: SessionPolicy): Promise<Session | undefined> {
  const { rows } = await db.query<{
    id_hash: string; csrf_token: string; expires_at: Date; last_seen_at: Date; now: Date;
    user_id: string; email: string; name: string; global_admin: boolean; site_roles: Record<string, Role>; time_zone: string | null;
  }>(
    `SELECT s.id_hash, s.csrf_token, s.expires_at, s.last_seen_at, now() AS now,
            u.id::text AS user_id, u.email, u.name, u.global_admin, u.time_zone,
            coalesce((SELECT json_object_agg(m.site_id::text, m.role) FROM site_members m WHERE m.user_id = u.id), '{}') AS site_roles
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [hashSessionId(id)],
  );
  const row = rows[0];
  if (!row) return undefined;
  let expiresAt = row.expires_at.getTime();
  if (row.now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    const touched = await db.query<{ expires_at: Date }>(
      `UPDATE sessions SET last_seen_at = now(),
         expires_at = least(created_at + $2::double precision * interval '1 millisecond',
                            now() + $3::double precision * interval '1 millisecond')
       WHERE id_hash = $1 RETURNING expires_at`,
      [row.id_hash, policy.maxAgeMs, policy.idleTimeoutMs],
    );
    expiresAt = touched.rows[0]?.expires_at.getTime() ?? expiresAt;
  }
  return {
    idHash: row.id_hash,
    csrfToken: row.csrf_token,
    expiresAt,
    user: {
      id: row.user_id,
      email: row.email,
      name: row.name,
      timeZone: row.time_zone,
      globalAdmin: row.global_admin,
      siteRoles: new Map(Object.entries(row.site_roles)),
    },
  };
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [hashSessionId(id)]);
}

/** Signs a user out everywhere: after a password change, a role change or disabling. */
export async function deleteUserSessions(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1::bigint', [userId]);
}

/** Expired sessions are useless; dropping them at sign-in keeps the table small without a job. */
export async function deleteExpiredSessions(db: Queryable): Promise<void> {
  await db.query('DELETE FROM sessions WHERE expires_at <= now()');
}

/** A live session as its owner sees it in their list. */
export interface SessionSummary {
  idHash: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string;
  userAgent: string;
}

export async function listUserSessions(db: Queryable, userId: string): Promise<SessionSummary[]> {
  const { rows } = await db.query<{ id_hash: string; created_at: Date; last_seen_at: Date; expires_at: Date; address: string; user_agent: string }>(
    `SELECT id_hash, created_at, last_seen_at, expires_at, address, user_agent FROM sessions
     WHERE user_id = $1::bigint AND expires_at > now() ORDER BY last_seen_at DESC`,
    [userId],
  );
  return rows.map((row) => ({
    idHash: row.id_hash,
    createdAt: row.created_at.getTime(),
    lastSeenAt: row.last_seen_at.getTime(),
    expiresAt: row.expires_at.getTime(),
    address: row.address,
    userAgent: row.user_agent,
  }));
}

/** Ends one of the user's sessions, found by its hash; false when it is not theirs or already gone. */
export async function deleteUserSession(db: Queryable, userId: string, idHash: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE user_id = $1::bigint AND id_hash = $2', [userId, idHash]);
  return rowCount === 1;
}

/** Signs a user out everywhere but the session they are using: after they change their password. */
export async function deleteOtherSessions(db: Queryable, userId: string, keepIdHash: string): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE user_id = $1::bigint AND id_hash <> $2', [userId, keepIdHash]);
  return rowCount ?? 0;
}
