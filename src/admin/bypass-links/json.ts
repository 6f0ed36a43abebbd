// How bypass links read in the API: snake_case, ISO 8601 times in UTC, and the secret URL only in
// the answer to their creation (it is never stored, so it cannot be shown again).

import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { bypassLinkState, isBypassLinkId, type BypassLinkRecord } from '../../maintenance/bypass-links.js';

export const linkJsonSchema = z.object({
  id: z.string().describe('a uuid'),
  note: z.string(),
  paths: z.array(z.string()).describe('the path prefixes it lets its holder past on; empty: every path'),
  expires_at: z.string().describe('ISO 8601, UTC'),
  revoked_at: z.string().nullable(),
  state: z.enum(['active', 'expired', 'revoked']),
  created_by: z.string(),
  created_at: z.string(),
});

export const createdLinkJsonSchema = linkJsonSchema.extend({
  url: z.string().describe('the secret link to hand over; shown only here, share it like a password'),
});

export function linkJson(link: BypassLinkRecord, now: number): z.infer<typeof linkJsonSchema> {
  return {
    id: link.id,
    note: link.note,
    paths: link.pathPrefixes,
    expires_at: new Date(link.expiresAt).toISOString(),
    revoked_at: link.revokedAt === null ? null : new Date(link.revokedAt).toISOString(),
    state: bypassLinkState(link, now),
    created_by: link.createdBy,
    created_at: new Date(link.createdAt).toISOString(),
  };
}

/** A link id from a path: anything but a uuid names no link. */
export function linkId(raw: unknown): string {
  if (!isBypassLinkId(raw)) throw new NotFoundError(`there is no bypass link ${JSON.stringify(String(raw).slice(0, 40))}`);
  return raw.toLowerCase();
}
