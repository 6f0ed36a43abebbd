// How users and invite links read in the API (snake_case, ISO 8601 times in UTC), the zod schemas
// of those shapes for the reference, and the absolute address of an invite link.

import type express from 'express';
import { z } from 'zod';
import { ROLES } from '../../accounts/roles.js';
import type { Member } from '../../accounts/site-members.js';
import type { User } from '../../accounts/users.js';
import type { Config } from '../../config/config.js';
import { NotFoundError } from '../../errors.js';

export const USER_STATES = ['active', 'invite_pending', 'disabled'] as const;
export type UserState = (typeof USER_STATES)[number];

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function userState(user: Pick<User, 'disabled' | 'hasPassword'>): UserState {
  return user.disabled ? 'disabled' : user.hasPassword ? 'active' : 'invite_pending';
}

export const userJsonSchema = z.object({
  id: z.string().describe('the user id (digits)'),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES).nullable().describe('their role in this site; null: a global admin who is not a member (an admin here all the same)'),
  global_admin: z.boolean().describe('manages sites and users, and is an admin in every site'),
  state: z.enum(USER_STATES).describe('invite_pending: has not chosen a password through the invite link yet'),
  time_zone: z.string().nullable().describe('the IANA zone their pages show times in; null: their browser\'s'),
  created_at: z.string(),
  password_changed_at: z.string().nullable(),
});

export const inviteJsonSchema = z.object({
  url: z.string().describe('the one-time link to pass on: it lets the user choose a password, once'),
  expires_at: z.string(),
});

export const inviteResultSchema = z.object({
  user: userJsonSchema,
  invite: inviteJsonSchema.nullable().describe('shown only in this response: the gateway keeps a hash of it; null when someone with an account already was added to the team'),
});

export function userJson(user: Member): z.infer<typeof userJsonSchema> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    global_admin: user.globalAdmin,
    state: userState(user),
    time_zone: user.timeZone,
    created_at: iso(user.createdAt)!,
    password_changed_at: iso(user.passwordChangedAt),
  };
}

export function inviteJson(url: string, expiresAt: number): z.infer<typeof inviteJsonSchema> {
  return { url, expires_at: iso(expiresAt)! };
}

/** An absolute address for a path of the gateway: on PUBLIC_URL when set (as the first admin's link), else on the host the admin used. */
export function absoluteUrl(req: express.Request, config: Pick<Config, 'publicUrl'>, path: string): string {
  if (config.publicUrl) return `${config.publicUrl.href.replace(/\/$/, '')}${path}`;
  const host = req.get('host');
  // req.protocol follows TRUSTED_PROXIES through express's trust proxy setting.
  return host ? `${req.protocol}://${host}${path}` : path;
}

export function inviteUrl(req: express.Request, config: Pick<Config, 'publicUrl' | 'adminPath'>, token: string): string {
  return absoluteUrl(req, config, `${config.adminPath}/setup?token=${encodeURIComponent(token)}`);
}

/** A user id from a path: anything but digits names no user. */
export function userId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no user #${String(raw).slice(0, 40)}`);
  return raw;
}
