// Bypass tokens: what a secret bypass link carries and what the bypass cookie holds.
// Signed with the shared secret, expiring, and tied to a bypass_links row so it can be revoked.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const BYPASS_COOKIE = 'intermission_bypass';

export interface BypassClaims {
  linkId: string;
  expiresAt: number;
}

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function signBypassToken(secret: string, claims: BypassClaims): string {
  const payload = `v1.${claims.linkId}.${claims.expiresAt.toString(36)}`;
  return `${payload}.${signature(secret, payload)}`;
}

/** The claims of a token that is well-formed, correctly signed and not expired; otherwise undefined. */
export function verifyBypassToken(secret: string, token: string, now: number): BypassClaims | undefined {
  if (!secret || token.length > 200) return undefined;
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return undefined;
  const [version, linkId, expires, given] = parts as [string, string, string, string];
  const expected = signature(secret, `${version}.${linkId}.${expires}`);
  if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return undefined;
  const expiresAt = parseInt(expires, 36);
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return undefined;
  return { linkId, expiresAt };
}
