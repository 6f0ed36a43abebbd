// The zod schemas of API token operations, shared by the pages and the API so a form and a
// pipeline get the same rules and messages naming the field.

import { z } from 'zod';
import { ROLES } from '../../accounts/roles.js';
import { parseDuration, parseLine } from '../../maintenance/input.js';
import { checkbox, checked } from '../validation.js';

// The CHECK constraint on api_tokens.name, checked first for a better message.
const MAX_NAME_LENGTH = 100;
// A secret that lives for years is one nobody remembers to rotate; "none" is there for those who must.
export const MAX_TOKEN_LIFETIME_MS = 365 * 24 * 3600_000;
const NO_EXPIRY = new Set(['', 'none', 'never']);

/** The expiries the create form offers; the API takes any duration up to 365d, or none. */
export const EXPIRY_CHOICES = [
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '365d', label: '1 year' },
  { value: 'none', label: 'Never (revoke it by hand)' },
] as const;

export function parseTokenName(raw: string, field: string): string {
  return parseLine(raw, field, MAX_NAME_LENGTH, 'name the token after who uses it, e.g. "deploy pipeline"');
}

/** Milliseconds until the token expires, or null for never. */
export function parseExpiresIn(raw: string, field: string): number | null {
  if (NO_EXPIRY.has(raw.trim().toLowerCase())) return null;
  return parseDuration(raw, field, MAX_TOKEN_LIFETIME_MS);
}

export const createTokenSchema = z.strictObject({
  name: z.string().max(MAX_NAME_LENGTH * 4).transform(checked(parseTokenName, 'name')),
  role: z.enum(ROLES, { error: 'must be one of viewer, operator or admin' }),
  expires_in: z
    .string()
    .max(40)
    .nullable()
    .optional()
    .transform((value, ctx) => (value === undefined || value === null ? null : checked(parseExpiresIn, 'expires_in')(value, ctx))),
  /** No site: acts as admin in every site. Only a global admin makes one. */
  global: checkbox,
});
