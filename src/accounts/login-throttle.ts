// Sign-in attempts are limited per account and per address, counted in PostgreSQL so that every
// gateway and worker shares one count. Failures older than the window stop counting.

import type { Queryable } from '../audit/write-as.js';

export interface ThrottlePolicy {
  windowMs: number;
  /** Failures allowed per account within windowMs before sign-in to it is refused. */
  perAccount: number;
  /** Failures allowed per client address within windowMs, across accounts. */
  perAddress: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 20 };

export type ThrottleVerdict = { allowed: true } | { allowed: false; by: 'account' | 'address'; retryAfterMs: number };

/** Whether another attempt may be made now; when not, how long until the oldest failure ages out. */
export async function checkThrottle(db: Queryable, email: string, address: string, policy: ThrottlePolicy): Promise<ThrottleVerdict> {
  const { rows } = await db.query<{ by: 'account' | 'address'; n: number; retry_ms: number }>(
    `WITH recent AS (
       SELECT email, address, at FROM login_failures
       WHERE at > now() - $3::double precision * interval '1 millisecond' AND (email = $1 OR address = $2)
     )
     SELECT 'account' AS by, count(*)::int AS n,
            coalesce(extract(epoch FROM min(at) + $3::double precision * interval '1 millisecond' - now()) * 1000, 0)::float8 AS retry_ms
       FROM (SELECT at FROM recent WHERE email = $1 ORDER BY at DESC LIMIT $4) a
     UNION ALL
     SELECT 'address', count(*)::int,
            coalesce(extract(epoch FROM min(at) + $3::double precision * interval '1 millisecond' - now()) * 1000, 0)::float8
       FROM (SELECT at FROM recent WHERE address = $2 ORDER BY at DESC LIMIT $5) b`,
    [email, address, policy.windowMs, policy.perAccount, policy.perAddress],
  );
  for (const row of rows) {
    const limit = row.by === 'account' ? policy.perAccount : policy.perAddress;
    if (row.n >= limit) return { allowed: false, by: row.by, retryAfterMs: Math.max(1000, Math.ceil(row.retry_ms)) };
  }
  return { allowed: true };
}

export async function recordFailure(db: Queryable, email: string, address: string): Promise<void> {
  await db.query('INSERT INTO login_failures (email, address) VALUES ($1, $2)', [email.slice(0, 254), address]);
}

/** A successful sign-in clears the account's failures; old rows of anyone are dropped on the way. */
export async function clearFailures(db: Queryable, email: string, policy: ThrottlePolicy): Promise<void> {
  await db.query(
    `DELETE FROM login_failures WHERE email = $1 OR at <= now() - $2::double precision * interval '1 millisecond'`,
    [email, policy.windowMs],
  );
}
