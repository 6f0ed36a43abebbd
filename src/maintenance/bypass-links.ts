// The SQL of bypass links: a row that can be revoked, and the signed token that names it.
// The gateway's /_gateway/bypass route turns the token into a cookie.

import type { Queryable } from '../audit/write-as.js';
import { BYPASS_SECRET } from '../db/prepare.js';
import { ensureSecret } from '../db/secrets.js';
import { signBypassToken } from '../decide/bypass-token.js';
import { fromDatabaseError } from '../errors.js';

export interface NewBypassLink {
  /** How long the link works, from the database's now(); validated by the caller (at most 30 days). */
  durationMs: number;
  note: string;
}

export interface BypassLink {
  id: string;
  note: string;
  /** Epoch ms. */
  expiresAt: number;
  /** What goes in ?token= of /_gateway/bypass. */
  token: string;
}

export async function createBypassLink(db: Queryable, input: NewBypassLink): Promise<BypassLink> {
  try {
    const { rows } = await db.query<{ id: string; note: string; expires_at: Date }>(
      `INSERT INTO bypass_links (note, expires_at)
       VALUES ($1, now() + $2::double precision * interval '1 millisecond')
       RETURNING id::text, note, expires_at`,
      [input.note, input.durationMs],
    );
    const row = rows[0]!;
    const secret = await ensureSecret(db, BYPASS_SECRET);
    // expires_at holds microseconds; the token's millisecond never outlives the row.
    const expiresAt = row.expires_at.getTime();
    return { id: row.id, note: row.note, expiresAt, token: signBypassToken(secret, { linkId: row.id, expiresAt }) };
  } catch (err) {
    throw fromDatabaseError(err, 'creating a bypass link');
  }
}
