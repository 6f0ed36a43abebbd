// How API tokens read in the API (snake_case, ISO 8601 times in UTC, never the secret but once),
// and the zod schemas of those shapes for the reference.

import { z } from 'zod';
import type { ApiToken } from '../../accounts/api-tokens.js';
import { ROLES } from '../../accounts/roles.js';
import { NotFoundError } from '../../errors.js';

export const TOKEN_STATES = ['active', 'expired', 'revoked'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function tokenState(token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, now: number): TokenState {
  if (token.revokedAt !== null) return 'revoked';
  return token.expiresAt !== null && token.expiresAt <= now ? 'expired' : 'active';
}

export const tokenJsonSchema = z.object({
  id: z.string().describe('the token id (digits)'),
  name: z.string(),
  prefix: z.string().describe('the first characters of the secret, to tell tokens apart'),
  role: z.enum(ROLES),
  site: z.string().nullable().describe('the slug of the site it acts in; null: every site (a global admin\'s token)'),
  state: z.enum(TOKEN_STATES),
  expires_at: z.string().nullable().describe('null: never expires'),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
});

export const createdTokenSchema = z.object({
  token: tokenJsonSchema,
  secret: z.string().describe('the token to send as Authorization: Bearer ...; shown only in this response, the gateway keeps a hash'),
});

/** The slug of a site by id, from the snapshot; a token's site is always there, or it would be gone. */
export type SlugOf = (siteId: string) => string;

export function tokenJson(token: ApiToken, now: number, slugOf: SlugOf): z.infer<typeof tokenJsonSchema> {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    role: token.role,
    site: token.siteId === null ? null : slugOf(token.siteId),
    state: tokenState(token, now),
    expires_at: iso(token.expiresAt),
    last_used_at: iso(token.lastUsedAt),
    revoked_at: iso(token.revokedAt),
    created_by: token.createdBy,
    created_at: iso(token.createdAt)!,
  };
}

/** A token id from a path: anything but digits names no token. */
export function tokenId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no API token #${String(raw).slice(0, 40)}`);
  return raw;
}
